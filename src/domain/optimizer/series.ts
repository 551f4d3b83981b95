/**
 * Turns a campaign's stored daily rows into what the rules judge: a dense array of SETTLED days (gaps filled with
 * zero delivery) ending the day before yesterday. Today is ignored (incomplete). Yesterday is kept apart: Meta
 * still adds conversions to it for 24–72 h, so it may only veto an alarm (e.g. delivery resumed), never raise one.
 */
import { addDays, type IsoDate } from '../../lib/dates.ts'
import { addMetrics, type Metrics, zeroMetrics } from '../metrics/vocabulary.ts'
import type { CampaignSeries, DailyPoint } from './types.ts'

export interface PreparedCampaign {
  series: CampaignSeries
  /** Dense, ascending, settled days from the first stored day to `lastSettled`. */
  days: DailyPoint[]
  lastSettled: IsoDate
  /** Yesterday's preliminary row (a zero row when missing), or null when the campaign had no row up to yesterday. */
  yesterday: DailyPoint | null
  /** Index in `days` of the first day with impressions, or -1. */
  firstDelivery: number
}

/** Sums over a range of days; `days` counts them. */
export interface Totals extends Metrics {
  days: number
}

export function zeroPoint(date: IsoDate): DailyPoint {
  return { date, ...zeroMetrics() }
}

/** Days since 1970-01-01 of an ISO date (no Date parsing: this runs for every stored row). */
function epochDay(date: IsoDate): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000
}

function isoFromEpochDay(day: number): IsoDate {
  return new Date(day * 86_400_000).toISOString().slice(0, 10)
}

export function prepareCampaign(series: CampaignSeries, today: IsoDate): PreparedCampaign {
  const lastSettled = addDays(today, -2)
  if (series.days.length === 0) return { series, days: [], lastSettled, yesterday: null, firstDelivery: -1 }
  let base = Infinity
  for (const row of series.days) base = Math.min(base, epochDay(row.date))
  const yesterdayIndex = epochDay(today) - 1 - base
  const length = Math.max(0, yesterdayIndex) // settled days: first stored day … the day before yesterday
  const slots: Array<DailyPoint | undefined> = new Array<DailyPoint | undefined>(length)
  let yesterday: DailyPoint | null = null
  for (const row of series.days) {
    const i = epochDay(row.date) - base
    if (i >= 0 && i < length) slots[i] = row
    else if (i === yesterdayIndex) yesterday = row
  }
  const days: DailyPoint[] = new Array<DailyPoint>(length)
  let firstDelivery = -1
  for (let i = 0; i < length; i++) {
    const d = slots[i] ?? zeroPoint(isoFromEpochDay(base + i))
    days[i] = d
    if (firstDelivery < 0 && d.impressions > 0) firstDelivery = i
  }
  if (yesterdayIndex >= 0 && !yesterday) yesterday = zeroPoint(addDays(today, -1))
  return { series, days, lastSettled, yesterday, firstDelivery }
}

/** Day `i` of `days`, for an index the caller's range keeps inside the array. */
export function dayAt(days: readonly DailyPoint[], i: number): DailyPoint {
  const d = days[i]
  if (!d) throw new RangeError(`day ${i} is outside the ${days.length} days of the series`)
  return d
}

/** Sum of days [from, to) (clipped to the array). */
export function totals(days: readonly DailyPoint[], from: number, to: number): Totals {
  const t: Totals = { days: 0, ...zeroMetrics() }
  for (let i = Math.max(0, from); i < Math.min(days.length, to); i++) {
    t.days++
    addMetrics(t, dayAt(days, i))
  }
  return t
}

/** Index range [from, to) of the last `n` settled days, `skip` days back from the end. */
export function lastDays(c: PreparedCampaign, n: number, skip = 0): { from: number; to: number } {
  const to = c.days.length - skip
  return { from: Math.max(0, to - n), to: Math.max(0, to) }
}

/** First index at which the campaign is past its learning phase (or Infinity when it never delivered). */
export function learningEnd(c: PreparedCampaign, learningDays: number): number {
  return c.firstDelivery < 0 ? Infinity : c.firstDelivery + learningDays
}
