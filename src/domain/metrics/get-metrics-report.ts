import type { PrismaClient } from '../../generated/prisma/client.ts'
import { findCampaignOrAccount } from '../campaigns/find-campaign-or-account.ts'
import type { ClientScope } from '../clients/client-scope.ts'
import { partlySyncedNote, readSyncGaps } from '../sync/sync-gaps.ts'
import { type DailyPoint, loadDailySeries } from './load-daily-series.ts'
import { loadObjectiveTotals, loadTotals } from './load-totals.ts'
import { loadPeriodReach, type PeriodReachFigures } from './period-reach.ts'
import { type DateRange, type Period, type PeriodKey, resolvePeriod } from './periods.ts'
import { deriveMixMetrics, type ObjectiveMetrics, resultBreakdown } from './result-breakdown.ts'
import { type DerivedMetrics, deriveMetrics, type MetricTotals, type ResultKind, resultKind } from './vocabulary.ts'

export interface MetricsReport {
  scope:
    | { kind: 'campaign'; name: string; metaCampaignId: string; objective: string; status: string; accountName: string }
    | { kind: 'account'; name: string; metaAccountId: string }
  currency: string
  timeZone: string
  period: Period
  current: { totals: MetricTotals; derived: DerivedMetrics }
  previous: { totals: MetricTotals; derived: DerivedMetrics }
  /** The current period's true reach and frequency, when a sync cached exactly this range; null: unavailable. */
  reach: PeriodReachFigures | null
  lastSyncedAt: Date | null
  /** "partly synced: … missing" when the last sync could not fetch some days (AdAccount.syncGaps); null otherwise. */
  partlySynced: string | null
  /** The first day Promoly has metrics for in this account; days before it are unknown, not zero. */
  historyFrom: string | null
  /** Each day of the current period: spend, and results of `chart.resultKind` (0 without one), for the chart. */
  daily: DailyPoint[]
  chart: ChartResult
}

/** What the chart's line counts, in words; no line (spend only) when nothing in the period seeks a result. */
export interface ChartResult {
  resultKind: ResultKind | null
  /** "leads", or "leads from lead campaigns" when other campaigns spent too; null: spend only. */
  resultsLabel: string | null
  /** Why the chart shows what it shows, when that needs saying (a mixed account, spend only). */
  note: string | null
}

const SEEKING: Record<ResultKind, string> = {
  leads: 'lead campaigns',
  purchases: 'sales campaigns',
  'link clicks': 'traffic campaigns',
}

/**
 * The chart's result type: a campaign's own; for an account the only one, or — mixing objectives — the one most of
 * the money sought (as the digests chart it), counted over the campaigns seeking it only and labelled so.
 */
function chartResult(objectiveTotals: ObjectiveMetrics, objective?: string): ChartResult {
  if (objective !== undefined) {
    const kind = resultKind(objective)
    return kind
      ? { resultKind: kind, resultsLabel: kind, note: null }
      : { resultKind: null, resultsLabel: null, note: 'Spend only: this campaign’s objective has no result to count.' }
  }
  const rows = [...objectiveTotals]
  const lines = resultBreakdown(rows).lines
  const top = [...lines].sort((a, b) => b.spend - a.spend)[0]
  if (!top) {
    return { resultKind: null, resultsLabel: null, note: 'Spend only: no campaign in this period seeks leads, purchases or link clicks.' }
  }
  let total = 0
  for (const [, m] of rows) total += m.spend
  if (top.spend >= total && lines.length === 1) return { resultKind: top.kind, resultsLabel: top.kind, note: null }
  const label = `${top.kind} from ${SEEKING[top.kind]}`
  const others = lines.filter((l) => l !== top).map((l) => l.kind)
  return {
    resultKind: top.kind,
    resultsLabel: label,
    note: `The line counts ${label} only${others.length ? ` (the most spend sought them; ${others.join(' and ')} are not charted)` : ''}; the bars are the whole account’s spend.`,
  }
}

/** Metrics of a campaign or an ad account (found by id or name) over a period, against the previous one. */
export async function getMetricsReport(
  prisma: PrismaClient,
  options: { scope: ClientScope; target: string; period: PeriodKey; now: Date },
): Promise<MetricsReport> {
  const { campaign, account } = await findCampaignOrAccount(prisma, options.scope, options.target)
  const period = resolvePeriod(options.period, options.now, account.timezoneName)
  const scope = campaign ? { campaignId: campaign.id } : { adAccountId: account.id }
  // An account mixes objectives: its results are counted per objective (result-breakdown.ts).
  const objectives = (range: DateRange) => (campaign ? Promise.resolve([]) : loadObjectiveTotals(prisma, [account.id], range))
  const [cur, prev, first, reach, curObjectives, prevObjectives] = await Promise.all([
    loadTotals(prisma, scope, period.current, account.currency),
    loadTotals(prisma, scope, period.previous, account.currency),
    prisma.campaignDailyMetric.aggregate({ where: { adAccountId: account.id }, _min: { date: true } }),
    loadPeriodReach(prisma, { adAccountId: account.id, campaignId: campaign?.id ?? null }, period.current),
    objectives(period.current),
    objectives(period.previous),
  ])
  const derive = (t: MetricTotals, o: ObjectiveMetrics): DerivedMetrics =>
    campaign ? deriveMetrics(t, campaign.objective) : deriveMixMetrics(t, o)
  const [curDerived, prevDerived] = [derive(cur, curObjectives), derive(prev, prevObjectives)]
  const chart = chartResult(curObjectives, campaign?.objective)
  const daily = await loadDailySeries(prisma, scope, period.current, chart.resultKind)
  return {
    scope: campaign
      ? {
          kind: 'campaign',
          name: campaign.name,
          metaCampaignId: campaign.metaCampaignId,
          objective: campaign.objective,
          status: campaign.status,
          accountName: account.name,
        }
      : { kind: 'account', name: account.name, metaAccountId: account.metaAccountId },
    currency: account.currency,
    timeZone: account.timezoneName,
    period,
    current: { totals: cur, derived: curDerived },
    previous: { totals: prev, derived: prevDerived },
    reach,
    daily,
    chart,
    lastSyncedAt: account.lastSyncedAt,
    partlySynced: partlySyncedNote(readSyncGaps(account.syncGaps)),
    historyFrom: first._min.date ? first._min.date.toISOString().slice(0, 10) : null,
  }
}
