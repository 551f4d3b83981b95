import type { PrismaClient } from '../../generated/prisma/client.ts'
import { findCampaignOrAccount } from '../campaigns/find-campaign-or-account.ts'
import type { ClientScope } from '../clients/client-scope.ts'
import { type DailyPoint, loadDailySeries } from './load-daily-series.ts'
import { loadObjectiveTotals, loadTotals } from './load-totals.ts'
import { loadPeriodReach, type PeriodReachFigures } from './period-reach.ts'
import { type DateRange, type Period, type PeriodKey, resolvePeriod } from './periods.ts'
import { deriveMixMetrics } from './result-breakdown.ts'
import { type DerivedMetrics, deriveMetrics, type MetricTotals } from './vocabulary.ts'

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
  /** The first day Promoly has metrics for in this account; days before it are unknown, not zero. */
  historyFrom: string | null
  /** Each day of the current period: spend and results (of the current period's result type), for the chart. */
  daily: DailyPoint[]
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
  const derive = async (t: MetricTotals, range: DateRange): Promise<DerivedMetrics> =>
    campaign ? deriveMetrics(t, campaign.objective) : deriveMixMetrics(t, await loadObjectiveTotals(prisma, [account.id], range))
  const [cur, prev, first, reach] = await Promise.all([
    loadTotals(prisma, scope, period.current, account.currency),
    loadTotals(prisma, scope, period.previous, account.currency),
    prisma.campaignDailyMetric.aggregate({ where: { adAccountId: account.id }, _min: { date: true } }),
    loadPeriodReach(prisma, { adAccountId: account.id, campaignId: campaign?.id ?? null }, period.current),
  ])
  const [curDerived, prevDerived] = await Promise.all([derive(cur, period.current), derive(prev, period.previous)])
  const daily = await loadDailySeries(prisma, scope, period.current, curDerived.resultLabel)
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
    lastSyncedAt: account.lastSyncedAt,
    historyFrom: first._min.date ? first._min.date.toISOString().slice(0, 10) : null,
  }
}
