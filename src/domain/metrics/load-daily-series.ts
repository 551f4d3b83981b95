import type { PrismaClient } from '../../generated/prisma/client.ts'
import { addDays, fromDbDate, type IsoDate, toDbDate } from '../../lib/dates.ts'
import { atAdLevel, type DaysOf } from './load-totals.ts'
import type { DateRange } from './periods.ts'
import { addMetrics, METRIC_SUMS, type Metrics, metricsFrom, type ResultKind, resultKind, resultsOf, zeroMetrics } from './vocabulary.ts'

/** One day of a chart: spend (minor units) and results of one kind. */
export interface DailyPoint {
  date: IsoDate
  spendMinor: number
  results: number
}

/**
 * The daily spend (all campaigns) and results of `kind` of an account, campaign, ad set or ad over a range, every day of the
 * range present (a day without rows is zero): the series `/promoly metrics` charts. Results are counted only over the
 * campaigns whose objective seeks `kind` (an account mixing objectives: leads from lead campaigns only).
 */
export async function loadDailySeries(
  prisma: PrismaClient,
  scope: DaysOf,
  range: DateRange,
  kind: ResultKind | null,
): Promise<DailyPoint[]> {
  const date = { gte: toDbDate(range.since), lte: toDbDate(range.until) }
  const grouped = atAdLevel(scope)
    ? await prisma.adDailyMetric.groupBy({ by: ['date', 'campaignId'], where: { ...scope, date }, _sum: METRIC_SUMS })
    : await prisma.campaignDailyMetric.groupBy({ by: ['date', 'campaignId'], where: { ...scope, date }, _sum: METRIC_SUMS })
  const rows = grouped.map((r) => ({ date: r.date, campaignId: r.campaignId, metrics: metricsFrom(r._sum ?? {}) }))
  const campaigns = await prisma.campaign.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.campaignId))] } },
    select: { id: true, objective: true },
  })
  const seeks = new Set(campaigns.filter((c) => kind !== null && resultKind(c.objective) === kind).map((c) => c.id))
  const byDay = new Map<IsoDate, { spend: number; sought: Metrics }>()
  for (const r of rows) {
    const day = fromDbDate(r.date)
    const m = r.metrics
    const entry = byDay.get(day) ?? { spend: 0, sought: zeroMetrics() }
    entry.spend += m.spend
    if (seeks.has(r.campaignId)) addMetrics(entry.sought, m)
    byDay.set(day, entry)
  }
  const series: DailyPoint[] = []
  for (let d = range.since; d <= range.until; d = addDays(d, 1)) {
    const e = byDay.get(d)
    series.push({ date: d, spendMinor: e?.spend ?? 0, results: e ? resultsOf(e.sought, kind) : 0 })
  }
  return series
}
