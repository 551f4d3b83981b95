import type { PrismaClient } from '../../generated/prisma/client.ts'
import { toDbDate } from '../../lib/dates.ts'
import type { DateRange } from './periods.ts'
import { METRIC_SUMS, type MetricTotals, totalsFrom } from './vocabulary.ts'

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
