/**
 * `/promoly adsets` and `/promoly ads`: the ad sets of a campaign, or the ads of a campaign or ad set, by spend, with
 * the campaign list's figures; ad sets with their budget (or the campaign's), bid strategy, optimisation goal and
 * learning stage; ads with their creative and ad set. Archived and deleted ones are counted when hidden and labelled
 * when shown. Cut to Slack's 50 blocks, saying how many more.
 */
import type { LevelList, LevelListItem } from '../../domain/campaigns/list-ad-sets-and-ads.ts'
import { formatDay } from '../../lib/dates.ts'
import { escapeMrkdwn, truncate } from '../../lib/mrkdwn.ts'
import { CAMPAIGN_STATUS_LEGEND, fmtMoney, statusEmoji } from './format.ts'
import { figuresLine } from './list-figures.ts'
import { type Blocks, MAX_MESSAGE_BLOCKS, type MessageContent } from './types.ts'

const MAX_ROWS = 40
const WORD = { adset: ['ad set', 'ad sets'], ad: ['ad', 'ads'] } as const
const COMMAND = { adset: 'adsets', ad: 'ads' } as const

const bold = (name: string, max = 80) => `*${escapeMrkdwn(truncate(name, max))}*`

const GOALS: Record<string, string> = {
  LEAD_GENERATION: 'leads',
  QUALITY_LEAD: 'quality leads',
  OFFSITE_CONVERSIONS: 'conversions',
  LINK_CLICKS: 'link clicks',
  LANDING_PAGE_VIEWS: 'landing page views',
  VALUE: 'purchase value',
}
const words = (code: string) => code.toLowerCase().replace(/_/g, ' ')

function bidText(s: LevelListItem, currency: string): string | null {
  const amount = s.bidAmount !== null ? ` ${fmtMoney(s.bidAmount, currency)}` : ''
  switch (s.bidStrategy) {
    case null:
      return null
    case 'LOWEST_COST_WITHOUT_CAP':
      return 'lowest cost'
    case 'LOWEST_COST_WITH_BID_CAP':
      return `bid cap${amount}`
    case 'COST_CAP':
      return `cost cap${amount}`
    case 'LOWEST_COST_WITH_MIN_ROAS':
      return 'minimum ROAS'
    default:
      return words(s.bidStrategy)
  }
}

const LEARNING: Record<string, string> = { LEARNING: ':seedling: Learning', FAIL: ':warning: Learning limited' }

/** An ad set's budget in words: its own, or the campaign's, or none. */
function adSetBudget(s: LevelListItem, list: LevelList): string {
  const c = list.account.currency
  if (s.dailyBudget !== null) return `budget ${fmtMoney(s.dailyBudget, c)}/day`
  if (s.lifetimeBudget !== null) return `budget ${fmtMoney(s.lifetimeBudget, c)} lifetime`
  return list.campaignBudget ? 'uses the campaign budget' : 'no budget set'
}

/** The status icon: live and delivering, paused (itself or by a parent), or anything else (archived, deleted, in review). */
function icon(i: LevelListItem): string {
  if (i.gone) return statusEmoji('GONE')
  if (i.status === 'PAUSED' || i.effectiveStatus.endsWith('PAUSED')) return statusEmoji('PAUSED')
  return statusEmoji(i.effectiveStatus)
}

function row(i: LevelListItem, list: LevelList): string {
  const currency = list.account.currency
  const first =
    i.level === 'adset'
      ? [
          `${icon(i)} ${bold(i.name, 120)}`,
          adSetBudget(i, list),
          bidText(i, currency),
          i.optimizationGoal ? `optimised for ${GOALS[i.optimizationGoal] ?? words(i.optimizationGoal)}` : null,
          i.learningStage ? (LEARNING[i.learningStage] ?? null) : null,
        ]
      : [`${icon(i)} ${bold(i.name, 120)}`, i.creativeName ? `creative ${bold(i.creativeName)}` : 'no creative name']
  const where = [
    ...(i.level === 'ad' && i.adSet && !list.parent.adSet ? [`ad set ${escapeMrkdwn(truncate(i.adSet.name, 80))}`] : []),
    `id ${i.metaId}`,
  ]
  const gone = i.gone === 'deleted' ? ' · :wastebasket: deleted on Meta' : i.gone === 'archived' ? ' · archived on Meta' : ''
  return [
    first.filter(Boolean).join(' · '),
    ...i.figures.map((f) => figuresLine(f.label, f, currency)),
    `_${where.join(' · ')}_${gone}`,
  ].join('\n')
}

/** "Campaign *Spring sale*" or "Ad set *Retargeting* in campaign *Spring sale*", with the account. */
function parentText(list: LevelList): string {
  const { parent } = list
  const where = parent.adSet
    ? `ad set ${bold(parent.adSet.name)} in campaign ${bold(parent.campaign.name)}`
    : `campaign ${bold(parent.campaign.name)}`
  return `${where} (${escapeMrkdwn(truncate(list.account.name, 60))})`
}

/** What the period note says about ad-level days before the account's first one. */
function adLevelNote(list: LevelList): string | null {
  if (list.adLevelSince === null)
    return 'Ad-level figures have not been synced for this account yet: every figure reads zero until they are.'
  if (list.since < list.adLevelSince)
    return `Ad-level data starts on ${formatDay(list.adLevelSince)}: earlier days are not known at this level and count as zero here.`
  return null
}

export function adSetsAndAdsMessage(list: LevelList): MessageContent {
  const [one, many] = WORD[list.level]
  const parentId = list.parent.adSet?.metaAdSetId ?? list.parent.campaign.metaCampaignId
  const again = (status: string) => `\`/promoly ${COMMAND[list.level]} ${parentId} ${status}\``
  const hiddenNote =
    list.hidden > 0
      ? `${list.hidden} archived or deleted ${list.hidden === 1 ? one : many} hidden: see ${list.hidden === 1 ? 'it' : 'them'} with ${again('archived')}, or everything with ${again('all')}.`
      : null
  const parentName = list.parent.adSet?.name ?? list.parent.campaign.name
  if (list.items.length === 0) {
    const what =
      list.total === 0
        ? `The ${parentText(list)} has no ${many} synced yet.${list.adLevelSince ? ` Ad-level data starts on ${formatDay(list.adLevelSince)}.` : ' They arrive with the next sync (`/promoly sync`).'}`
        : list.status === 'archived'
          ? `The ${parentText(list)} has no archived or deleted ${many}.`
          : `The ${parentText(list)} has no live ${many}. ${hiddenNote ?? ''}`
    const text = what.trim()
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] }
  }
  const statusWord = list.status === 'archived' ? 'Archived or deleted ' : list.status === 'all' ? 'All ' : ''
  const title = `${statusWord}${statusWord ? many : many.charAt(0).toUpperCase() + many.slice(1)} of ${parentName}` // plain text
  const main = list.items[0]?.figures.at(-1)
  const sortedBy = main?.label === '7 days' ? 'the last 7 complete days' : (main?.label ?? '').toLowerCase()
  const notes = [
    `${parentText(list).replace(/^./, (c) => c.toUpperCase())}: sorted by spend over ${sortedBy} (${escapeMrkdwn(list.account.timeZone)}). Recent days may still be revised by Meta.`,
    adLevelNote(list),
    CAMPAIGN_STATUS_LEGEND,
  ].filter(Boolean)
  const blocks: Blocks = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`${title} (${list.items.length})`, 150) } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: notes.join('\n') }] },
  ]
  let shown = 0
  // One block stays free for the closing note (how many more, how many hidden).
  for (const item of list.items) {
    if (shown >= MAX_ROWS || blocks.length + 1 > MAX_MESSAGE_BLOCKS - 1) break
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: row(item, list) } })
    shown++
  }
  const closing = [
    ...(list.items.length > shown ? [`…and ${list.items.length - shown} more ${list.items.length - shown === 1 ? one : many}.`] : []),
    ...(hiddenNote ? [hiddenNote] : []),
  ]
  if (closing.length > 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: closing.join(' ') }] })
  return { text: `${escapeMrkdwn(title)}: ${list.items.length}`, blocks }
}
