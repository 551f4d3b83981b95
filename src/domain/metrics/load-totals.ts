import type { PrismaClient } from '../../generated/prisma/client.ts'
import { toDbDate } from '../../lib/dates.ts'
import type { DateRange } from './periods.ts'
import { addMetrics, METRIC_SUMS, type Metrics, type MetricTotals, metricsFrom, totalsFrom, zeroMetrics } from './vocabulary.ts'

type Scope = { campaignId: string } | { adAccountId: string }

/** Totals of one campaign or one account over a range: a single aggregate query. */
export async function loadTotals(prisma: PrismaClient, scope: Scope, range: DateRange, currency: string): Promise<MetricTotals> {
  const agg = await prisma.campaignDailyMetric.aggregate({
    where: { ...scope, date: { gte: toDbDate(range.since), lte: toDbDate(range.until) } },
    _sum: METRIC_SUMS,
    _count: { _all: true },
  })
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
