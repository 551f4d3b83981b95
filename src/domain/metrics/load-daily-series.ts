import type { PrismaClient } from '../../generated/prisma/client.ts'
import { addDays, fromDbDate, type IsoDate, toDbDate } from '../../lib/dates.ts'
import type { DateRange } from './periods.ts'
import { METRIC_SUMS, metricsFrom, type ResultKind, resultsOf } from './vocabulary.ts'

/** One day of a chart: spend (minor units) and results of one kind. */
export interface DailyPoint {
  date: IsoDate
  spendMinor: number
  results: number
}

/**
 * The daily spend and results of a campaign or an account over a range (one grouped query), every day of the range
 * present (a day without rows is zero): the series `/promoly metrics` charts.
 */
export async function loadDailySeries(
  prisma: PrismaClient,
  scope: { campaignId: string } | { adAccountId: string },
  range: DateRange,
  kind: ResultKind | null,
): Promise<DailyPoint[]> {
  const rows = await prisma.campaignDailyMetric.groupBy({
    by: ['date'],
    where: { ...scope, date: { gte: toDbDate(range.since), lte: toDbDate(range.until) } },
    _sum: METRIC_SUMS,
  })
  const byDay = new Map(rows.map((r) => [fromDbDate(r.date), metricsFrom(r._sum)]))
  const series: DailyPoint[] = []
  for (let d = range.since; d <= range.until; d = addDays(d, 1)) {
    const m = byDay.get(d)
    series.push({ date: d, spendMinor: m?.spend ?? 0, results: m ? resultsOf(m, kind) : 0 })
  }
  return series
}
