/**
 * Turns a campaign's stored daily rows into what the rules judge: a dense array of COMPLETE days (gaps filled with
 * zero delivery) ending yesterday, so "last 7 days" means here what it means everywhere (domain/metrics/periods.ts).
 * Today is ignored (incomplete). Yesterday's conversions still arrive for 24–72 h: rules that count results judge
 * the SETTLED days (ending the day before yesterday, see settledDays), say so on the card, and let yesterday's
 * preliminary figures only veto an alarm, never raise one.
 */
import { addDays, formatDay, type IsoDate } from '../../lib/dates.ts'
import { type DateRange, rangeText, resolvePeriodOn } from '../metrics/periods.ts'
import { addMetrics, type Metrics, zeroMetrics } from '../metrics/vocabulary.ts'
import type { CampaignSeries, DailyPoint } from './types.ts'

export interface PreparedCampaign {
  series: CampaignSeries
  /** Dense, ascending, complete days from the first stored day to yesterday. */
  days: DailyPoint[]
  /** How many of `days` are settled: all but yesterday (the last one). */
  settled: number
  /** The day before yesterday. */
  lastSettled: IsoDate
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
  // The last complete day, as every surface resolves it.
  const yesterday = resolvePeriodOn('yesterday', today).current.until
  const lastSettled = addDays(yesterday, -1)
  if (series.days.length === 0) return { series, days: [], settled: 0, lastSettled, firstDelivery: -1 }
  let base = Infinity
  for (const row of series.days) base = Math.min(base, epochDay(row.date))
  const length = Math.max(0, epochDay(yesterday) + 1 - base) // complete days: first stored day … yesterday
  const slots: Array<DailyPoint | undefined> = new Array<DailyPoint | undefined>(length)
  for (const row of series.days) {
    const i = epochDay(row.date) - base
    if (i >= 0 && i < length) slots[i] = row
  }
  const days: DailyPoint[] = new Array<DailyPoint>(length)
  let firstDelivery = -1
  for (let i = 0; i < length; i++) {
    const d = slots[i] ?? zeroPoint(isoFromEpochDay(base + i))
    days[i] = d
    if (firstDelivery < 0 && d.impressions > 0) firstDelivery = i
  }
  return { series, days, settled: Math.max(0, length - 1), lastSettled, firstDelivery }
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

/** Index range [from, to) of the last `n` complete days (yesterday included), `skip` days back from the end. */
export function lastDays(c: PreparedCampaign, n: number, skip = 0): { from: number; to: number } {
  const to = c.days.length - skip
  return { from: Math.max(0, to - n), to: Math.max(0, to) }
}

/** Index range [from, to) of the last `n` settled days (yesterday left out), `skip` days further back. */
export function settledDays(c: PreparedCampaign, n: number, skip = 0): { from: number; to: number } {
  return lastDays(c, n, skip + c.days.length - c.settled)
}

/** The dates of days [from, to) of the campaign (an empty range is the day before `from`). */
export function datesOf(c: PreparedCampaign, from: number, to: number): DateRange {
  const first = c.days[0]?.date ?? c.lastSettled
  return { since: addDays(first, from), until: addDays(first, Math.max(from, to) - 1) }
}

/** "last 7 days (Sat 28 Nov – Fri 4 Dec)" for days [from, to) ending yesterday, else "7 days, Fri 27 Nov – Thu 3 Dec". */
export function windowText(c: PreparedCampaign, from: number, to: number): string {
  const n = to - from
  const dates = rangeText(datesOf(c, from, to))
  if (to === c.days.length) return `last ${n === 1 ? 'day' : `${n} days`} (${dates})`
  return `${n === 1 ? '1 day' : `${n} days`}, ${dates}`
}

/**
 * A title's window in words: "the last 7 days" only for the days ending yesterday (what "last 7 days" means on every
 * surface), else "the 7 days to Wed 2 Dec" (the settled windows of the cost rules), so a card never has two "last 7 days".
 */
export function windowPhrase(c: PreparedCampaign, from: number, to: number): string {
  const n = to - from
  if (to === c.days.length) return n === 1 ? 'yesterday' : `the last ${n} days`
  const until = formatDay(datesOf(c, from, to).until)
  return n === 1 ? until : `the ${n} days to ${until}`
}

/** Yesterday's preliminary row, or null when the campaign has no complete day. */
export function yesterdayOf(c: PreparedCampaign): DailyPoint | null {
  return c.days.length > c.settled ? (c.days.at(-1) ?? null) : null
}

/** First index at which the campaign is past its learning phase (or Infinity when it never delivered). */
export function learningEnd(c: PreparedCampaign, learningDays: number): number {
  return c.firstDelivery < 0 ? Infinity : c.firstDelivery + learningDays
}
