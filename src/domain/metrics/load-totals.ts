import type { PrismaClient } from '../../generated/prisma/client.ts'
import { toDbDate } from '../../lib/dates.ts'
import { emptyTotals, type MetricTotals } from './metric-totals.ts'
import type { DateRange } from './periods.ts'

type Scope = { campaignId: string } | { adAccountId: string }

/** Totals of one campaign or one account over a range: a single aggregate query. */
export async function loadTotals(prisma: PrismaClient, scope: Scope, range: DateRange, currency: string): Promise<MetricTotals> {
  const agg = await prisma.campaignDailyMetric.aggregate({
    where: { ...scope, date: { gte: toDbDate(range.since), lte: toDbDate(range.until) } },
    _sum: { impressions: true, reach: true, clicks: true, linkClicks: true, spend: true, leads: true, purchases: true, purchaseValue: true },
    _count: { _all: true },
  })
  const s = agg._sum
  const n = (v: bigint | null | undefined) => Number(v ?? 0n)
  if (agg._count._all === 0) return emptyTotals(currency)
  return {
    currency,
    impressions: n(s.impressions),
    reach: n(s.reach),
    clicks: n(s.clicks),
    linkClicks: n(s.linkClicks),
    spend: n(s.spend),
    leads: n(s.leads),
    purchases: n(s.purchases),
    purchaseValue: n(s.purchaseValue),
    days: agg._count._all,
  }
}
