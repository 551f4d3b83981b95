/**
 * One object's totals over a range at any level: an ad account or a campaign from the campaign-days (which also hold
 * the history synced before ads were), an ad set or an ad from its ad-days. Callers check the object is in the
 * caller's ClientScope first (find-object.ts, find-ad-account.ts).
 */
import type { PrismaClient } from '../../generated/prisma/client.ts'
import { toDbDate } from '../../lib/dates.ts'
import { loadTotals } from './load-totals.ts'
import type { DateRange } from './periods.ts'
import { addMetrics, METRIC_SUMS, type MetricTotals, metricsFrom } from './vocabulary.ts'

export type ObjectRef =
  | { level: 'account'; adAccountId: string }
  | { level: 'campaign'; campaignId: string }
  | { level: 'adset'; adSetId: string }
  | { level: 'ad'; adId: string }

/** The object's sums over the range; `days` counts the days with a row. */
export async function loadObjectTotals(prisma: PrismaClient, ref: ObjectRef, range: DateRange, currency: string): Promise<MetricTotals> {
  if (ref.level === 'account') return loadTotals(prisma, { adAccountId: ref.adAccountId }, range, currency)
  if (ref.level === 'campaign') return loadTotals(prisma, { campaignId: ref.campaignId }, range, currency)
  const days = await prisma.adDailyMetric.groupBy({
    by: ['date'],
    where: {
      ...(ref.level === 'adset' ? { adSetId: ref.adSetId } : { adId: ref.adId }),
      date: { gte: toDbDate(range.since), lte: toDbDate(range.until) },
    },
    _sum: METRIC_SUMS,
  })
  const totals: MetricTotals = { currency, ...metricsFrom({}), days: days.length }
  for (const d of days) addMetrics(totals, metricsFrom(d._sum))
  return totals
}
