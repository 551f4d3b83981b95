import { tool } from 'langchain'
import * as z from 'zod'
import {
  type ChildChange,
  type ChildContribution,
  type Driver,
  decomposeByChild,
  decomposeCostPerResult,
  decomposeSpendMix,
  type FunnelTotals,
} from '../../domain/metrics/explain-change.ts'
import { type CampaignTotals, loadCampaignTotals } from '../../domain/metrics/load-campaign-totals.ts'
import { type LevelTotals, loadLevelTotals, type ObjectLevel } from '../../domain/metrics/load-level-totals.ts'
import { type DaysOf, loadObjectiveTotals, loadTotals } from '../../domain/metrics/load-totals.ts'
import { type DateRange, parsePeriod, resolvePeriod } from '../../domain/metrics/periods.ts'
import { deriveMixMetrics, metricsByResultKind } from '../../domain/metrics/result-breakdown.ts'
import {
  deriveMetrics,
  type Metrics,
  RESULT_METRICS,
  type ResultKind,
  resultKind,
  resultsOf,
  zeroMetrics,
} from '../../domain/metrics/vocabulary.ts'
import { fromDbDate } from '../../lib/dates.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { formatNumber, plural } from '../../lib/numbers.ts'
import { describeTarget, findTarget, levelSchema, statusText, type Target, type TargetLevel, targetSchema } from './find-target.ts'
import { comparison, money, PERIOD_DESCRIPTION, percent } from './format.ts'
import { formatPct, quote, runTool, type ToolContext } from './tool-context.ts'

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use YYYY-MM-DD.')
const MIX_ROWS = 6
/** Children listed by name in a drill-down; the others are summed in one line. */
const DRILL_ROWS = 8

/** Which children a level's change is split into by default. */
const CHILD_OF: Record<TargetLevel, ObjectLevel | null> = { account: 'campaign', campaign: 'adset', adset: 'ad', ad: null }
const LEVEL_DEPTH: Record<TargetLevel, number> = { account: 0, campaign: 1, adset: 2, ad: 3 }

export function comparePeriodsAndExplainTool(ctx: ToolContext) {
  return tool(
    (args) =>
      runTool(ctx, 'compare_periods_and_explain', 'Comparing periods…', async () => {
        const target = await findTarget(ctx, args.level, args.target)
        const childLevel = breakdownOf(target.level, args.breakdown)
        const { account } = target
        const { currency } = account
        const ranges = resolveRanges(args, account.timezoneName, ctx.deps.now())
        const { prisma } = ctx.deps
        const days = daysOf(target)
        const [prev, cur] = await Promise.all([
          loadTotals(prisma, days, ranges.previous, currency),
          loadTotals(prisma, days, ranges.current, currency),
        ])
        const lines = [
          `${describeTarget(target)}. Money in ${currency}.${ranges.label ? ` ${ranges.label}:` : ''} Later period ${ranges.current.since} to ${ranges.current.until} against earlier period ${ranges.previous.since} to ${ranges.previous.until}.`,
        ]
        const children = childLevel ? await loadChildren(ctx, target, childLevel, ranges) : null
        if (target.level !== 'account') {
          const objective = target.campaign.objective
          const label = resultKind(objective)
          lines.push(
            ...comparison(
              { totals: cur, derived: deriveMetrics(cur, objective) },
              { totals: prev, derived: deriveMetrics(prev, objective) },
            ),
          )
          lines.push(...(label ? costLines(prev, cur, label, currency) : [NO_RESULT]))
          if (children) lines.push(...drillDownLines(children, label, { previous: prev.spend, current: cur.spend }, target.level, currency))
          return lines.join('\n')
        }
        // An account mixes objectives: each result type is explained over the campaigns seeking it, never over all spend.
        const adAccountId = account.id
        const [prevObj, curObj] = await Promise.all([
          loadObjectiveTotals(prisma, [adAccountId], ranges.previous),
          loadObjectiveTotals(prisma, [adAccountId], ranges.current),
        ])
        const curDerived = deriveMixMetrics(cur, curObj)
        const prevDerived = deriveMixMetrics(prev, prevObj)
        lines.push(...comparison({ totals: cur, derived: curDerived }, { totals: prev, derived: prevDerived }))
        const kinds = [...new Set([...prevDerived.byResult, ...curDerived.byResult].map((l) => l.kind))]
        if (kinds.length === 0) {
          lines.push(NO_RESULT)
          if (children) lines.push(...drillDownLines(children, null, { previous: prev.spend, current: cur.spend }, 'account', currency))
          return lines.join('\n')
        }
        if (kinds.length > 1)
          lines.push(
            `The account's campaigns seek ${kinds.length} result types (${kinds.join(', ')}): there is no single cost per result; each is explained over the campaigns whose objective seeks it.`,
          )
        const prevByKind = metricsByResultKind(prevObj)
        const curByKind = metricsByResultKind(curObj)
        const [prevCampaigns, curCampaigns] = await Promise.all([
          loadCampaignTotals(prisma, { workspaceId: ctx.workspaceId, adAccountId, range: ranges.previous }),
          loadCampaignTotals(prisma, { workspaceId: ctx.workspaceId, adAccountId, range: ranges.current }),
        ])
        for (const kind of kinds) {
          if (kinds.length > 1) lines.push(`${kind.charAt(0).toUpperCase()}${kind.slice(1)} (campaigns seeking ${kind} only):`)
          const p = prevByKind.get(kind) ?? zeroMetrics()
          const c = curByKind.get(kind) ?? zeroMetrics()
          lines.push(...costLines(p, c, kind, currency))
          const seeking = (rows: CampaignTotals[]) => rows.filter((r) => resultKind(r.objective) === kind)
          lines.push(...mixLines({ previous: seeking(prevCampaigns), current: seeking(curCampaigns) }, kind, currency))
          if (children) {
            const ofKind = { ...children, rows: children.rows.filter((r) => resultKind(r.objective) === kind) }
            lines.push(...drillDownLines(ofKind, kind, { previous: p.spend, current: c.spend }, 'account', currency))
          }
        }
        return lines.join('\n')
      }),
    {
      name: 'compare_periods_and_explain',
      description:
        'Compares two periods for an ad account, campaign, ad set or ad and explains the change in cost per result: which of CPM, CTR and conversion rate moved it and by how much, and which children moved it: for an account its campaigns, for a campaign its ad sets (or ads), for an ad set its ads, each with its additive part of the change (the parts add up to the total; new and stopped ones named). Use it for "why did X change" and "which ad set / ad caused it" questions.',
      schema: z.object({
        level: levelSchema,
        target: targetSchema,
        breakdown: z
          .enum(['campaign', 'adset', 'ad', 'none'])
          .optional()
          .describe(
            'Which children to split the change into; must be below `level`. Default: campaigns for an account, ad sets for a campaign, ads for an ad set, none for an ad. E.g. "ad" on a campaign to see which of its ads moved the number.',
          ),
        period: z
          .string()
          .optional()
          .describe(
            `Compare this period with the same number of days just before it. ${PERIOD_DESCRIPTION} Ignored when explicit dates are given.`,
          ),
        current_since: isoDate.optional().describe('Later period start, YYYY-MM-DD (with current_until, previous_since, previous_until).'),
        current_until: isoDate.optional().describe('Later period end, YYYY-MM-DD, inclusive.'),
        previous_since: isoDate.optional().describe('Earlier period start, YYYY-MM-DD.'),
        previous_until: isoDate.optional().describe('Earlier period end, YYYY-MM-DD, inclusive.'),
      }),
    },
  )
}

/** The children to split into: the one asked (below the target's level), else the level just below. */
function breakdownOf(level: TargetLevel, asked: ObjectLevel | 'none' | undefined): ObjectLevel | null {
  if (asked === 'none') return null
  if (asked === undefined) return CHILD_OF[level]
  if (LEVEL_DEPTH[asked] <= LEVEL_DEPTH[level])
    throw new AppError(
      AppErrorCode.BAD_INPUT,
      `${/^[aeiou]/.test(LEVEL_WORD[level]) ? 'An' : 'A'} ${LEVEL_WORD[level]} cannot be split by ${LEVEL_WORD[asked]}: choose a level below it${CHILD_OF[level] ? ` (e.g. ${CHILD_OF[level]})` : ''}, or "none".`,
    )
  return asked
}

const LEVEL_WORD: Record<TargetLevel, string> = { account: 'ad account', campaign: 'campaign', adset: 'ad set', ad: 'ad' }
const PLURAL: Record<ObjectLevel, string> = { campaign: 'campaigns', adset: 'ad sets', ad: 'ads' }

/** Whose days: an ad's or ad set's ad-days, a campaign's or account's campaign-days. */
function daysOf(t: Target): DaysOf {
  if (t.level === 'account') return { adAccountId: t.account.id }
  if (t.ad) return { adId: t.ad.id }
  if (t.adSet) return { adSetId: t.adSet.id }
  return { campaignId: t.campaign.id }
}

interface Children {
  level: ObjectLevel
  /** Children with something in either period. */
  rows: Array<{ item: LevelTotals; objective: string; previous: Metrics; current: Metrics }>
  /** Why they are not split, when they cannot be (ad-level figures start after the earlier period begins). */
  unavailable: string | null
}

/** The target's children at `level` over both periods, whatever their status (a deleted ad's spend was real). */
async function loadChildren(
  ctx: ToolContext,
  target: Target,
  level: ObjectLevel,
  ranges: { current: DateRange; previous: DateRange },
): Promise<Children> {
  const { account } = target
  const since = account.adLevelSince ? fromDbDate(account.adLevelSince) : null
  if (level !== 'campaign' && since !== null && since > ranges.previous.since)
    return {
      level,
      rows: [],
      unavailable: `Promoly has ad set and ad figures for this account from ${since} only (before it, campaign-level history): the earlier period (from ${ranges.previous.since}) cannot be split by ${LEVEL_WORD[level]}. Choose periods from ${since} on.`,
    }
  const options = {
    adAccountId: account.id,
    level,
    status: 'all' as const,
    ...(target.level === 'campaign' ? { campaignId: target.campaign.id } : {}),
    ...(target.level === 'adset' && target.adSet ? { adSetId: target.adSet.id } : {}),
  }
  const [prev, cur] = await Promise.all([
    loadLevelTotals(ctx.deps.prisma, { ...options, range: ranges.previous }),
    loadLevelTotals(ctx.deps.prisma, { ...options, range: ranges.current }),
  ])
  const previous = new Map(prev.map((r) => [r.id, r]))
  const rows = cur
    .map((item) => ({ item, objective: item.objective, previous: previous.get(item.id) ?? zeroMetrics(), current: item as Metrics }))
    .filter((r) => r.previous.spend !== 0 || r.current.spend !== 0 || r.previous.impressions !== 0 || r.current.impressions !== 0)
  return { level, rows, unavailable: null }
}

/** A child as the model cites it: `"Retargeting" (ad set id 123, paused, in campaign "Spring")`. */
function childLabel(item: LevelTotals, parent: TargetLevel): string {
  const word = LEVEL_WORD[item.level]
  const parts = [`${word} id ${item.metaId}`, statusText(item)]
  if (item.level === 'ad' && item.creativeName) parts.push(`creative ${quote(item.creativeName)}`)
  if (item.level === 'ad' && item.adSet && parent !== 'adset') parts.push(`in ad set ${quote(item.adSet.name)} (id ${item.adSet.metaId})`)
  if (item.level !== 'campaign' && parent === 'account') parts.push(`of campaign ${quote(item.campaign.name)} (id ${item.campaign.metaId})`)
  return `${quote(item.name)} (${parts.join(', ')})`
}

const signedMoney = (v: number, currency: string) => {
  const text = money(Math.abs(v), currency)
  return Math.round(v) === 0 ? `±${text}` : `${v > 0 ? '+' : '-'}${text}`
}
const signedInt = (v: number) => (v === 0 ? '±0' : `${v > 0 ? '+' : '-'}${formatNumber(Math.abs(v))}`)
const CHANGE_NOTE: Record<ChildChange, string> = {
  new: ', new: nothing in the earlier period',
  stopped: ', stopped: nothing in the later period',
  continuing: '',
}

/**
 * Which children moved the number: each child's additive part of the change in cost per `kind` (decomposeByChild),
 * or of spend and results when cost per result cannot be compared; the largest DRILL_ROWS, the rest summed in one line.
 */
function drillDownLines(
  children: Children,
  kind: ResultKind | null,
  parentSpend: { previous: number; current: number },
  parent: TargetLevel,
  currency: string,
): string[] {
  const what = PLURAL[children.level]
  if (children.unavailable) return [children.unavailable]
  if (children.rows.length === 0)
    return [`No ${LEVEL_WORD[children.level]} of it has figures in either period (ad-level figures may not be synced yet).`]
  const d = decomposeByChild(
    children.rows.map((r) => ({
      id: r.item.id,
      name: r.item.name,
      previous: { spend: r.previous.spend, results: resultsOf(r.previous, kind) },
      current: { spend: r.current.spend, results: resultsOf(r.current, kind) },
    })),
  )
  const byId = new Map(children.rows.map((r) => [r.item.id, r.item]))
  const per = kind ? RESULT_METRICS[kind].singular : null
  const results = kind ? RESULT_METRICS[kind].plural : 'results'
  const figures = (c: ChildContribution) =>
    `spend ${money(c.previous.spend, currency)} → ${money(c.current.spend, currency)}` +
    (kind
      ? `, ${results} ${formatNumber(c.previous.results)} → ${formatNumber(c.current.results)}, cost per ${per} ${money(c.previous.costPerResult, currency)} → ${money(c.current.costPerResult, currency)}`
      : '')
  const split = d.costPerResult.change !== null && kind !== null
  const lines = split
    ? [
        `Which ${what} moved the cost per ${per} (${money(d.costPerResult.previous, currency)} → ${money(d.costPerResult.current, currency)}, ${signedMoney(d.costPerResult.change ?? 0, currency)}): each one's part is its change in spend less its change in ${results} valued at the ${LEVEL_WORD[parent]}'s cost per ${per}, spread over the ${LEVEL_WORD[parent]}'s ${results}; the parts add up to the whole change. Largest parts first:`,
      ]
    : [
        `Which ${what} moved spend (${signedMoney(d.spend.change, currency)})${kind ? ` and ${results} (${signedInt(d.results.change)})` : ''}${d.note ? ` — ${d.note}` : ''}; the changes add up to the ${LEVEL_WORD[parent]}'s. Largest first:`,
      ]
  const shown = split
    ? d.children.slice(0, DRILL_ROWS)
    : [...d.children].sort((a, b) => Math.abs(b.spendChange) - Math.abs(a.spendChange)).slice(0, DRILL_ROWS)
  for (const c of shown) {
    const item = byId.get(c.id)
    const label = item ? childLabel(item, parent) : quote(c.name)
    const part = split
      ? `${signedMoney(c.costContribution ?? 0, currency)}${c.costSharePct === null ? '' : ` (${formatNumber(Math.round(c.costSharePct))}% of the change)`}; `
      : `spend ${signedMoney(c.spendChange, currency)}${kind ? `, ${results} ${signedInt(c.resultsChange)}` : ''}; `
    lines.push(`• ${label}${CHANGE_NOTE[c.change]}: ${part}${figures(c)}`)
  }
  const rest = d.children.filter((c) => !shown.includes(c))
  if (rest.length > 0) {
    const sum = (f: (c: ChildContribution) => number) => rest.reduce((n, c) => n + f(c), 0)
    lines.push(
      split
        ? `• ${plural(rest.length, `other ${LEVEL_WORD[children.level]}`, `other ${what}`)} together: ${signedMoney(
            sum((c) => c.costContribution ?? 0),
            currency,
          )}`
        : `• ${plural(rest.length, `other ${LEVEL_WORD[children.level]}`, `other ${what}`)} together: spend ${signedMoney(
            sum((c) => c.spendChange),
            currency,
          )}`,
    )
  }
  const gap = (a: number, b: number) => Math.abs(a - b) >= 1
  if (gap(d.spend.previous, parentSpend.previous) || gap(d.spend.current, parentSpend.current))
    lines.push(
      `Note: the ${what} add up to ${money(d.spend.previous, currency)} → ${money(d.spend.current, currency)} of the ${LEVEL_WORD[parent]}'s ${money(parentSpend.previous, currency)} → ${money(parentSpend.current, currency)} spend; the rest has no ${LEVEL_WORD[children.level]}-level figures.`,
    )
  return lines
}

type RangeArgs = {
  period?: string
  current_since?: string
  current_until?: string
  previous_since?: string
  previous_until?: string
}

function resolveRanges(args: RangeArgs, timeZone: string, now: Date): { current: DateRange; previous: DateRange; label?: string } {
  const { current_since, current_until, previous_since, previous_until } = args
  if ([current_since, current_until, previous_since, previous_until].every((x) => x === undefined)) {
    const p = resolvePeriod(parsePeriod(args.period), now, timeZone)
    return { current: p.current, previous: p.previous, label: `${p.label} against ${p.previousLabel}` }
  }
  if (current_since === undefined || current_until === undefined || previous_since === undefined || previous_until === undefined)
    throw new AppError(
      AppErrorCode.BAD_INPUT,
      'Give all four dates (current_since, current_until, previous_since, previous_until), or a period instead.',
    )
  // The same checks as any typed range: real dates, start before end, at most MAX_PERIOD_DAYS, complete days only.
  const current = resolvePeriod(parsePeriod(`${current_since}..${current_until}`), now, timeZone).current
  const previous = resolvePeriod(parsePeriod(`${previous_since}..${previous_until}`), now, timeZone).current
  if (current.since <= previous.until && previous.since <= current.until) {
    throw new AppError(AppErrorCode.BAD_INPUT, 'The two periods overlap; choose periods that do not share days.')
  }
  return { current, previous }
}

const NO_RESULT = 'No campaign here seeks a counted result (awareness/engagement): compare CPM and CTR above instead of cost per result.'

/** Cost per result of one result type, decomposed into CPM, CTR and conversion rate. */
function costLines(prev: Metrics, cur: Metrics, label: ResultKind, currency: string): string[] {
  const funnel = (t: Metrics): FunnelTotals => ({
    spend: t.spend,
    impressions: t.impressions,
    clicks: t.clicks,
    results: resultsOf(t, label),
  })
  const d = decomposeCostPerResult(funnel(prev), funnel(cur))
  return [
    `Cost per ${singular(label)}: ${money(d.costPerResult.previous, currency)} → ${money(d.costPerResult.current, currency)} (${formatPct(d.costPerResult.changePct)}).`,
    `Decomposition: cost per result = CPM ÷ (1000 × CTR × conversion rate); conversion rate = ${label} per click. Drivers, biggest effect first:`,
    ...d.drivers.map((x) => `• ${driverLine(x, currency)}`),
    ...(d.note ? [d.note] : []),
  ]
}

/** How spend shifted between the campaigns seeking `label`. */
function mixLines(rows: { previous: CampaignTotals[]; current: CampaignTotals[] }, label: ResultKind, currency: string): string[] {
  const { previous: prev, current: cur } = rows
  const ids = [...new Set([...prev, ...cur].map((r) => r.campaignId))]
  if (ids.length < 2) return []
  const names = new Map([...prev, ...cur].map((r) => [r.campaignId, r.name]))
  const periodOf = (list: CampaignTotals[], id: string) => {
    const s = list.find((r) => r.campaignId === id)
    return { spend: s?.spend ?? 0, results: s ? resultsOf(s, label) : 0 }
  }
  const mix = decomposeSpendMix(ids.map((id) => ({ name: names.get(id) ?? id, previous: periodOf(prev, id), current: periodOf(cur, id) })))
  const shown = mix.campaigns.slice(0, MIX_ROWS)
  return [
    `Spend mix across ${plural(ids.length, 'campaign')}: had each campaign kept its earlier cost per ${singular(label)}, the shift in spend alone would have moved the cost per ${singular(label)} ${formatPct(mix.mixEffectPct)}; the campaigns' own changes moved it ${formatPct(mix.rateEffectPct)}. Largest shifts of spend share:`,
    ...shown.map(
      (c) =>
        `• ${quote(c.name)}: share of spend ${percent(c.previousShare, 0)} → ${percent(c.currentShare, 0)} (${c.shareChangePts >= 0 ? '+' : ''}${formatNumber(c.shareChangePts)} pts), cost per ${singular(label)} ${money(c.previousCostPerResult, currency)} → ${money(c.currentCostPerResult, currency)}`,
    ),
    ...(mix.campaigns.length > shown.length
      ? [`(${plural(mix.campaigns.length - shown.length, 'campaign')} with smaller shifts not shown)`]
      : []),
  ]
}

function driverLine(d: Driver, currency: string): string {
  const show = (v: number | null) => (v === null ? 'n/a' : d.name === 'CPM' ? money(v, currency) : percent(v * 100))
  const effect =
    d.effectOnCostPct === null ? 'effect unknown (a zero in one period)' : `alone it moves cost per result ${formatPct(d.effectOnCostPct)}`
  return `${d.name} ${show(d.previous)} → ${show(d.current)} (${formatPct(d.changePct)}): ${effect}`
}

function singular(label: ResultKind): string {
  return RESULT_METRICS[label].singular
}
