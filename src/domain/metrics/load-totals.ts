import type { PrismaClient } from '../../generated/prisma/client.ts'
import { toDbDate } from '../../lib/dates.ts'
import type { DateRange } from './periods.ts'
import { addMetrics, METRIC_SUMS, type Metrics, type MetricTotals, metricsFrom, totalsFrom, zeroMetrics } from './vocabulary.ts'

/**
 * Whose days: an ad account's or a campaign's (their campaign-days, which hold the history from before ad-level
 * syncs too), or an ad set's or an ad's (their ad-days).
 */
export type DaysOf = { campaignId: string } | { adAccountId: string } | { adSetId: string } | { adId: string }

/** Whether `scope` is read from ad-days (ad sets and ads) rather than campaign-days. */
export function atAdLevel(scope: DaysOf): scope is { adSetId: string } | { adId: string } {
  return 'adSetId' in scope || 'adId' in scope
}

/** Totals of one account, campaign, ad set or ad over a range: a single aggregate query. */
export async function loadTotals(prisma: PrismaClient, scope: DaysOf, range: DateRange, currency: string): Promise<MetricTotals> {
  const date = { gte: toDbDate(range.since), lte: toDbDate(range.until) }
  const agg = atAdLevel(scope)
    ? await prisma.adDailyMetric.aggregate({ where: { ...scope, date }, _sum: METRIC_SUMS, _count: { _all: true } })
    : await prisma.campaignDailyMetric.aggregate({ where: { ...scope, date }, _sum: METRIC_SUMS, _count: { _all: true } })
  return totalsFrom(currency, agg)
}

/**
 * Sums over a range per campaign objective, for ad accounts (an account, or a client's accounts in one currency):
 * what a per-objective breakdown (result-breakdown.ts) needs. One grouped query and one campaign look-up.
 */
export async function loadObjectiveTotals(
  prisma: PrismaClient,
  adAccountIds: readonly string[],
  range: DateRange,
): Promise<Array<[objective: string, metrics: Metrics]>> {
  const rows = await prisma.campaignDailyMetric.groupBy({
    by: ['campaignId'],
    where: { adAccountId: { in: [...adAccountIds] }, date: { gte: toDbDate(range.since), lte: toDbDate(range.until) } },
    _sum: METRIC_SUMS,
  })
  if (rows.length === 0) return []
  const campaigns = await prisma.campaign.findMany({
    where: { id: { in: rows.map((r) => r.campaignId) } },
    select: { id: true, objective: true },
  })
  const objective = new Map(campaigns.map((c) => [c.id, c.objective]))
  const byObjective = new Map<string, Metrics>()
  for (const r of rows) {
    const o = objective.get(r.campaignId) ?? 'UNKNOWN'
    byObjective.set(o, addMetrics(byObjective.get(o) ?? zeroMetrics(), metricsFrom(r._sum)))
  }
  return [...byObjective]
}
