/**
 * Frozen copy of the issue-13 rules, the baseline issue 14 asks for (copied from src/domain/optimizer at 58dcdd2).
 * The parts of series.ts the frozen cost-spike and creative-fatigue rules read: a campaign's stored rows as a dense
 * array of complete days ending yesterday, yesterday left out of the SETTLED days (its results still arrive).
 * Kept here so later changes to src do not move the baseline; only stable modules (lib/dates, metrics vocabulary) are
 * imported.
 */

import { addMetrics, type Metrics, zeroMetrics } from '../../../src/domain/metrics/vocabulary.ts'
import type { CampaignSeries, DailyPoint } from '../../../src/domain/optimizer/index.ts'
import { addDays, type IsoDate } from '../../../src/lib/dates.ts'

export interface PreparedCampaign {
  series: CampaignSeries
  /** Dense, ascending, complete days from the first stored day to yesterday. */
  days: DailyPoint[]
  /** How many of `days` are settled: all but yesterday (the last one). */
  settled: number
  /** Index in `days` of the first day with impressions, or -1. */
  firstDelivery: number
}

/** What a frozen rule found: its own small shape, so a change to src's Suggestion cannot break the baseline. */
export interface PreviousFinding {
  kind: 'cost_spike' | 'creative_fatigue'
  campaignId: string
  title: string
}

/** Sums over a range of days; `days` counts them. */
export interface Totals extends Metrics {
  days: number
}

function epochDay(date: IsoDate): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000
}

function isoFromEpochDay(day: number): IsoDate {
  return new Date(day * 86_400_000).toISOString().slice(0, 10)
}

export function prepareCampaign(series: CampaignSeries, today: IsoDate): PreparedCampaign {
  // resolvePeriodOn('yesterday', today) in the original: the last complete day
  const yesterday = addDays(today, -1)
  if (series.days.length === 0) return { series, days: [], settled: 0, firstDelivery: -1 }
  let base = Infinity
  for (const row of series.days) base = Math.min(base, epochDay(row.date))
  const length = Math.max(0, epochDay(yesterday) + 1 - base)
  const slots: Array<DailyPoint | undefined> = new Array<DailyPoint | undefined>(length)
  for (const row of series.days) {
    const i = epochDay(row.date) - base
    if (i >= 0 && i < length) slots[i] = row
  }
  const days: DailyPoint[] = new Array<DailyPoint>(length)
  let firstDelivery = -1
  for (let i = 0; i < length; i++) {
    const d = slots[i] ?? { date: isoFromEpochDay(base + i), ...zeroMetrics() }
    days[i] = d
    if (firstDelivery < 0 && d.impressions > 0) firstDelivery = i
  }
  return { series, days, settled: Math.max(0, length - 1), firstDelivery }
}

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

/** Yesterday's preliminary row, or null when the campaign has no complete day. */
export function yesterdayOf(c: PreparedCampaign): DailyPoint | null {
  return c.days.length > c.settled ? (c.days.at(-1) ?? null) : null
}

/** First index at which the campaign is past its learning phase (or Infinity when it never delivered). */
export function learningEnd(c: PreparedCampaign, learningDays: number): number {
  return c.firstDelivery < 0 ? Infinity : c.firstDelivery + learningDays
}
