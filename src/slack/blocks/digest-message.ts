import {
  type AccountDigest,
  type CampaignEfficiency,
  type DigestData,
  type KeyFigures,
  MIN_RESULTS_FOR_RANKING,
} from '../../domain/digests/digest-types.ts'
import { MULTIPLE_RESULT_TYPES, resultCount } from '../../domain/metrics/result-breakdown.ts'
import { percentChange, type ResultKind } from '../../domain/metrics/vocabulary.ts'
import { confidencePct } from '../../domain/optimizer/format.ts'
import { formatDay } from '../../lib/dates.ts'
import { escapeMrkdwn, truncate } from '../../lib/mrkdwn.ts'
import { formatNumber, plural } from '../../lib/numbers.ts'
import { approvalLine, CHANGE_ACTIONS, decisionButtons } from './change-card.ts'
import { adsText } from './digest-ads.ts'
import { fmtMoney, fmtPct, fmtRatio } from './format.ts'
import { suggestionObjectMrkdwn } from './suggestion-message.ts'
import { type Blocks, MAX_MESSAGE_BLOCKS, type MessageContent } from './types.ts'

export interface DigestMessageOptions {
  /** Ads Manager link for an account (metaAccountId with the act_ prefix). */
  adsManagerUrl?: (metaAccountId: string) => string
}

/** Blocks each account takes in full: figures, pacing + campaigns, divider; and its ads when there is something to say. */
function blocksFor(a: AccountDigest): number {
  return a.ads.length > 0 ? 4 : 3
}

export function defaultAdsManagerUrl(metaAccountId: string): string {
  return `https://adsmanager.facebook.com/adsmanager/manage/campaigns?act=${metaAccountId.replace(/^act_/, '').replace(/\D/g, '')}`
}

type Direction = 'higher' | 'lower' | 'neutral'

/** " (▲ 12%)" against the 7-day average; a change for the worse gets a red marker. */
function delta(current: number | null, previous: number | null, better: Direction): string {
  const change = percentChange(current, previous)
  if (change === null) return ''
  if (Math.abs(change) < 0.5) return ' (±0%)'
  const up = change > 0
  const worse = better === 'neutral' ? false : better === 'lower' ? up : !up
  return ` (${up ? '▲' : '▼'} ${formatNumber(Math.abs(change))}%)${worse ? ' :small_red_triangle_down:' : ''}`
}

/** Counts, daily averages with one decimal; grouped by the account currency's locale. */
const num = (v: number, currency?: string) => formatNumber(v, { currency, maxDigits: Number.isInteger(v) ? 0 : 1 })

const COST_LABEL: Record<ResultKind, string> = {
  leads: 'Cost per lead',
  purchases: 'Cost per purchase',
  'link clicks': 'Cost per link click',
}

function field(label: string, value: string, avg: string | null): { type: 'mrkdwn'; text: string } {
  return { type: 'mrkdwn', text: truncate(`*${label}*\n${value}${avg ? `\n_avg ${avg}_` : ''}`, 1900) }
}

function figureFields(a: AccountDigest): Array<{ type: 'mrkdwn'; text: string }> {
  const y: KeyFigures = a.yesterday
  const b = a.baseline
  const money = (v: number | null) => fmtMoney(v, a.currency)
  const fields = [
    field('Spend', `${money(y.spendMinor)}${delta(y.spendMinor, b?.spendMinor ?? null, 'neutral')}`, b ? money(b.spendMinor) : null),
  ]
  // Per result type, each over the spend of the campaigns seeking it; never one cost over the whole account's spend.
  const kinds = [...new Set([...y.byResult, ...(b?.byResult ?? [])].map((l) => l.kind))]
  if (kinds.length > 1) fields.push(field('Results', MULTIPLE_RESULT_TYPES, null))
  for (const kind of kinds) {
    const line = y.byResult.find((l) => l.kind === kind)
    const avgLine = b?.byResult.find((l) => l.kind === kind)
    const count = line?.results ?? 0
    const avg = b ? (avgLine?.results ?? 0) : null
    const label = kind.charAt(0).toUpperCase() + kind.slice(1)
    fields.push(field(label, `${num(count, a.currency)}${delta(count, avg, 'higher')}`, avg === null ? null : num(avg, a.currency)))
    const cost = line?.costPerResult ?? null
    const avgCost = avgLine?.costPerResult ?? null
    fields.push(field(COST_LABEL[kind], `${money(cost)}${delta(cost, avgCost, 'lower')}`, avgCost === null ? null : money(avgCost)))
  }
  if (y.roas !== null || (b?.roas ?? null) !== null) {
    fields.push(
      field(
        kinds.length > 1 ? 'ROAS (sales campaigns)' : 'ROAS',
        `${fmtRatio(y.roas)}${delta(y.roas, b?.roas ?? null, 'higher')}`,
        b?.roas != null ? fmtRatio(b.roas) : null,
      ),
    )
  }
  fields.push(field('CTR', `${fmtPct(y.ctr)}${delta(y.ctr, b?.ctr ?? null, 'higher')}`, b?.ctr != null ? fmtPct(b.ctr) : null))
  fields.push(
    field('CPM', `${money(y.cpmMinor)}${delta(y.cpmMinor, b?.cpmMinor ?? null, 'lower')}`, b?.cpmMinor != null ? money(b.cpmMinor) : null),
  )
  return fields.slice(0, 10)
}

function pacingLine(a: AccountDigest): string {
  const p = a.pacing
  const money = (v: number | null) => fmtMoney(v, a.currency)
  const month = new Date(`${p.month}-01T00:00:00Z`).toLocaleDateString('en-US', { timeZone: 'UTC', month: 'long' })
  const spent = `${money(p.spendMinor)} spent in ${p.daysElapsed} of ${p.daysInMonth} days, projected *${money(p.projectedMinor)}* for the month`
  if (p.plannedMinor === null || p.pacePercent === null)
    return `:calendar: *${month} pacing*: ${spent}. No daily campaign budgets to pace against.`
  const pace = Math.round(p.pacePercent)
  const mark = pace > 110 ? ' :warning: overspending' : pace < 80 ? ' :warning: underspending' : ' :white_check_mark: on pace'
  return `:calendar: *${month} pacing*: ${spent} — *${pace}%* of the ${money(p.plannedMinor)} budgeted so far (daily budgets ${money(p.dailyBudgetMinor)})${mark}.`
}

function campaignLines(list: CampaignEfficiency[]): string {
  return list.map((c, i) => `${i + 1}. *${escapeMrkdwn(truncate(c.name, 120))}* — ${escapeMrkdwn(c.reason)}`).join('\n')
}

function detailsText(a: AccountDigest): string {
  const parts = [pacingLine(a)]
  if (a.top.length > 0) parts.push(`:trophy: *Most efficient, ${a.weekLabel}*\n${campaignLines(a.top)}`)
  if (a.bottom.length > 0) parts.push(`:small_red_triangle_down: *Least efficient, ${a.weekLabel}*\n${campaignLines(a.bottom)}`)
  if (a.alone.length > 0)
    parts.push(
      `*Alone of their objective (not ranked)*\n${a.alone.map((c) => `• *${escapeMrkdwn(truncate(c.name, 120))}* — ${escapeMrkdwn(c.reason)}`).join('\n')}`,
    )
  if (a.top.length === 0 && a.bottom.length === 0 && a.alone.length === 0)
    parts.push(
      `_No campaigns had enough results in the ${a.weekLabel} to compare with their peers (${plural(a.campaignCount, 'campaign', 'campaigns', a.currency)}; ${MIN_RESULTS_FOR_RANKING} results each, 2 of an objective)._`,
    )
  return truncate(parts.join('\n\n'), 2900)
}

function accountTitle(a: AccountDigest, url: string): string {
  const name = escapeMrkdwn(truncate(a.name, 150))
  const link = `<${escapeMrkdwn(url)}|${name}>`
  const flags = [
    a.preliminary
      ? `:hourglass_flowing_sand: _preliminary: ${escapeMrkdwn(a.preliminaryReason ?? 'Meta may still revise these figures')}_`
      : null,
    a.refreshFailed
      ? `:warning: _not refreshed (${escapeMrkdwn(truncate(a.refreshProblem ?? 'refresh failed', 300))}): last figures Promoly has_`
      : null,
  ].filter(Boolean)
  const vs = a.baseline ? `vs the previous ${a.baselineDays}-day average` : 'no earlier days to compare with'
  return truncate(`*${link}* · ${a.currency} · ${formatDay(a.day)} (${vs})${flags.length ? `\n${flags.join('\n')}` : ''}`, 2900)
}

/** "12 leads · 3 purchases": every result type of the day, each counted over the campaigns seeking it. */
function resultsText(y: KeyFigures, currency: string): string {
  return y.byResult.map((l) => resultCount(l.results, l.kind, currency)).join(' · ')
}

function headline(a: AccountDigest): string {
  const results = resultsText(a.yesterday, a.currency)
  return `${a.name}: ${fmtMoney(a.yesterday.spendMinor, a.currency)} spent${results ? `, ${results}` : ''}`
}

/**
 * The daily digest: per ad account yesterday's figures against the previous 7-day average, month pacing, the
 * most and least efficient campaigns with the reason, the best and most expensive ads (digest-ads.ts), the accounts that could not be refreshed, and the open
 * suggestions with Approve / Reject. At most 50 blocks however many accounts and campaigns.
 */
export function digestMessage(data: DigestData, options: DigestMessageOptions = {}): MessageContent {
  const urlFor = options.adsManagerUrl ?? defaultAdsManagerUrl
  const accounts = data.accounts
  const days = [...new Set(accounts.map((a) => a.day))].sort()
  const [firstDay] = days
  const lastDay = days.at(-1)
  const dayText =
    firstDay === undefined || lastDay === undefined
      ? formatDay(data.generatedAt.toISOString().slice(0, 10))
      : firstDay === lastDay
        ? formatDay(firstDay)
        : `${formatDay(firstDay)} – ${formatDay(lastDay)}`
  const clientPart = data.clientName ? `${data.clientName} · ` : ''
  const blocks: Blocks = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`Daily ads digest · ${clientPart}${dayText}`, 150) } },
  ]

  if (accounts.length === 0) {
    const client = data.clientName ? escapeMrkdwn(truncate(data.clientName, 80)) : undefined
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: client
          ? `*${client}* has no syncing ad account for this digest. An admin can give it one with \`/promoly clients move <account> to ${client}\`.`
          : 'No ad account is syncing for this digest. Connect one with `/promoly connect`.',
      },
    })
    return { text: 'Daily ads digest: no ad account is syncing.', blocks }
  }

  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `${accounts.length} ad account${accounts.length === 1 ? '' : 's'} · the last complete day in each account's time zone, ▲/▼ against the daily average of the 7 days before · money in each account's currency`,
      },
    ],
  })

  const failed = accounts.filter((a) => a.refreshFailed)
  if (failed.length > 0) {
    const lines = failed
      .slice(0, 15)
      .map((a) => `• *${escapeMrkdwn(truncate(a.name, 100))}*: ${escapeMrkdwn(truncate(a.refreshProblem ?? 'refresh failed', 200))}`)
    if (failed.length > 15) lines.push(`…and ${failed.length - 15} more`)
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(
          `:warning: *Could not refresh ${failed.length === 1 ? 'this account' : `${failed.length} accounts`}* — the figures below are the last ones Promoly has:\n${lines.join('\n')}`,
          2900,
        ),
      },
    })
  }

  // Suggestions: a title block plus a section and an actions block per suggestion.
  const s = data.suggestions
  const suggestionBlocks: Blocks = []
  if (s.openCount > 0) {
    suggestionBlocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `:bulb: *${s.openCount} open suggestion${s.openCount === 1 ? '' : 's'}*${s.top.length < s.openCount ? ` — the ${s.top.length === 1 ? 'most confident' : `${s.top.length} most confident`}:` : ':'}`,
      },
    })
    for (const sg of s.top) {
      // What it is about, at its level: "Ad *X* in ad set *Y* (campaign *Z*)", "Ad set *X* in campaign *Y*", "Campaign *X*".
      const name = (n: string | null) => (n === null ? null : truncate(n, 100))
      const object =
        sg.level === 'campaign' && sg.campaignName === null
          ? null
          : suggestionObjectMrkdwn({
              level: sg.level,
              campaignName: name(sg.campaignName),
              adSetName: name(sg.adSetName),
              adName: name(sg.adName),
            })
      const where = [object, escapeMrkdwn(truncate(sg.accountName, 80))].filter(Boolean).join(' · ')
      suggestionBlocks.push({
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: truncate(`*${escapeMrkdwn(truncate(sg.title, 300))}*\n${where} · ${confidencePct(sg.confidence)} confident`, 2900),
        },
      })
      if (sg.proposedChangeId) {
        const refused = sg.approval?.refused ?? []
        suggestionBlocks.push({
          type: 'actions',
          block_id: `digest_change_${sg.proposedChangeId}`.slice(0, 255),
          // A change a guardrail refuses has no plain Approve: its card offers an admin's Override… with a reason.
          elements: refused.length
            ? [
                {
                  type: 'button',
                  action_id: CHANGE_ACTIONS.approveNote,
                  text: { type: 'plain_text', text: 'Override…' },
                  value: sg.proposedChangeId,
                },
              ]
            : decisionButtons(
                sg.proposedChangeId,
                sg.approval
                  ? `${approvalLine(sg.approval)}\nApplied on Meta at once.`
                  : `${escapeMrkdwn(truncate(sg.title, 50))} — applied on Meta once approved.`,
              ),
        })
        if (refused.length)
          suggestionBlocks.push({
            type: 'context',
            elements: [
              {
                type: 'mrkdwn',
                text: truncate(
                  `:no_entry: A guardrail refuses it (${escapeMrkdwn(refused.join('; '))}): only a Promoly admin can override it, with a reason.`,
                  2900,
                ),
              },
            ],
          })
      }
    }
  }

  // Accounts in full while the 50-block limit allows; the rest in one compact section.
  const room = MAX_MESSAGE_BLOCKS - blocks.length - suggestionBlocks.length
  const needed = accounts.reduce((n, a) => n + blocksFor(a), 0)
  // With accounts left over, one block stays free for their compact section.
  const limit = needed <= room ? room : room - 1
  let fullCount = 0
  let used = 0
  for (const a of accounts) {
    if (used + blocksFor(a) > limit) break
    used += blocksFor(a)
    fullCount++
  }
  for (const a of accounts.slice(0, fullCount)) {
    const url = urlFor(a.metaAccountId)
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: accountTitle(a, url) }, fields: figureFields(a) })
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: detailsText(a) } })
    const ads = adsText(a)
    if (ads) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: ads } })
    blocks.push({ type: 'divider' })
  }
  const rest = accounts.slice(fullCount)
  if (rest.length > 0) {
    const lines = rest.map((a) => {
      const y = a.yesterday
      const text = resultsText(y, a.currency)
      const results = text ? ` · ${text}${y.multipleResults ? '' : delta(y.results, a.baseline?.results ?? null, 'higher')}` : ''
      return `• *<${escapeMrkdwn(urlFor(a.metaAccountId))}|${escapeMrkdwn(truncate(a.name, 80))}>*: ${fmtMoney(y.spendMinor, a.currency)}${delta(y.spendMinor, a.baseline?.spendMinor ?? null, 'neutral')}${results}${a.preliminary ? ' _(preliminary)_' : ''}`
    })
    let text = `*${rest.length} more account${rest.length === 1 ? '' : 's'}* (in short, to fit one message):\n`
    for (const [i, line] of lines.entries()) {
      if (text.length + line.length + 40 > 2900) {
        text += `…and ${lines.length - i} more`
        break
      }
      text += `${line}\n`
    }
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: text.trimEnd() } })
  }
  blocks.push(...suggestionBlocks)
  if (blocks.at(-1)?.type === 'divider') blocks.pop()

  const summary = accounts.slice(0, 5).map(headline).join('; ')
  const text = truncate(`Daily ads digest (${dayText}): ${summary}${accounts.length > 5 ? `; +${accounts.length - 5} more` : ''}`, 2900)
  return { text: escapeMrkdwn(text), blocks }
}
