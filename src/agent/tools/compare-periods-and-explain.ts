import { tool } from 'langchain'
import * as z from 'zod'
import { findCampaignOrAccount } from '../../domain/campaigns/find-campaign-or-account.ts'
import { type Driver, decomposeCostPerResult, decomposeSpendMix, type FunnelTotals } from '../../domain/metrics/explain-change.ts'
import { type CampaignTotals, loadCampaignTotals } from '../../domain/metrics/load-campaign-totals.ts'
import { loadObjectiveTotals, loadTotals } from '../../domain/metrics/load-totals.ts'
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
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { formatNumber, plural } from '../../lib/numbers.ts'
import { comparison, money, PERIOD_DESCRIPTION, percent } from './format.ts'
import { formatPct, quote, runTool, type ToolContext } from './tool-context.ts'

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use YYYY-MM-DD.')
const MIX_ROWS = 6

export function comparePeriodsAndExplainTool(ctx: ToolContext) {
  return tool(
    (args) =>
      runTool(ctx, 'compare_periods_and_explain', 'Comparing periods…', async () => {
        const target = await resolveTarget(ctx, args.target)
        const ranges = resolveRanges(args, target.timeZone, ctx.deps.now())
        const { currency } = target
        const { prisma } = ctx.deps
        const [prev, cur] = await Promise.all([
          loadTotals(prisma, target.scope, ranges.previous, currency),
          loadTotals(prisma, target.scope, ranges.current, currency),
        ])
        const header = `${target.title}. Money in ${currency}.${ranges.label ? ` ${ranges.label}:` : ''} Later period ${ranges.current.since} to ${ranges.current.until} against earlier period ${ranges.previous.since} to ${ranges.previous.until}.`
        if ('campaignId' in target.scope) {
          const objective = target.objective ?? 'UNKNOWN'
          const label = resultKind(objective)
          const lines = [
            header,
            ...comparison(
              { totals: cur, derived: deriveMetrics(cur, objective) },
              { totals: prev, derived: deriveMetrics(prev, objective) },
            ),
          ]
          if (!label) {
            lines.push(NO_RESULT)
            return lines.join('\n')
          }
          lines.push(...costLines(prev, cur, label, currency))
          return lines.join('\n')
        }
        // An account mixes objectives: each result type is explained over the campaigns seeking it, never over all spend.
        const adAccountId = target.scope.adAccountId
        const [prevObj, curObj] = await Promise.all([
          loadObjectiveTotals(prisma, [adAccountId], ranges.previous),
          loadObjectiveTotals(prisma, [adAccountId], ranges.current),
        ])
        const curDerived = deriveMixMetrics(cur, curObj)
        const prevDerived = deriveMixMetrics(prev, prevObj)
        const lines = [header, ...comparison({ totals: cur, derived: curDerived }, { totals: prev, derived: prevDerived })]
        const kinds = [...new Set([...prevDerived.byResult, ...curDerived.byResult].map((l) => l.kind))]
        if (kinds.length === 0) {
          lines.push(NO_RESULT)
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
          lines.push(...costLines(prevByKind.get(kind) ?? zeroMetrics(), curByKind.get(kind) ?? zeroMetrics(), kind, currency))
          const seeking = (rows: CampaignTotals[]) => rows.filter((r) => resultKind(r.objective) === kind)
          lines.push(...mixLines({ previous: seeking(prevCampaigns), current: seeking(curCampaigns) }, kind, currency))
        }
        return lines.join('\n')
      }),
    {
      name: 'compare_periods_and_explain',
      description:
        'Compares two periods for a campaign or an ad account and explains the change in cost per result: which of CPM, CTR and conversion rate moved it and by how much, and for an account how spend shifted between campaigns. Use it for "why did X change" questions.',
      schema: z.object({
        target: z.string().describe('Campaign or ad account: its name (or part of it) or its id.'),
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

interface Target {
  title: string
  scope: { campaignId: string } | { adAccountId: string }
  objective: string | null
  currency: string
  timeZone: string
}

async function resolveTarget(ctx: ToolContext, query: string): Promise<Target> {
  const { campaign: c, account: a } = await findCampaignOrAccount(ctx.deps.prisma, ctx.scope, query)
  if (c)
    return {
      title: `Campaign ${quote(c.name)} (id ${c.metaCampaignId}, ${c.objective})`,
      scope: { campaignId: c.id },
      objective: c.objective,
      currency: c.adAccount.currency,
      timeZone: c.adAccount.timezoneName,
    }
  return {
    title: `Ad account ${quote(a.name)} (id ${a.metaAccountId})`,
    scope: { adAccountId: a.id },
    objective: null,
    currency: a.currency,
    timeZone: a.timezoneName,
  }
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
