/**
 * The pure judgements behind intraday alerts, from today's partial numbers and the account's hourly pattern
 * (hourly-pattern.ts). Each errs on the quiet side: an alert must hold even if the day runs early, the numbers lag
 * behind, or results arrive late.
 */
import { expectedFraction } from '../optimizer/completeness.ts'
import type { ArrivalCurve } from '../optimizer/types.ts'
import { type HourlyPattern, shareByNow } from './hourly-pattern.ts'

/** The account-local instant the figures are as of. */
export interface LocalClock {
  hour: number
  minute: number
}

/** An overspend alert needs a projection of at least this × the daily budget in force. */
const OVERSPEND_RATIO = 1.5
/** …and at least this share of a usual day done (earlier, too little is known). */
const MIN_DAY_SHARE = 0.2
/** …and at least this share of the budget actually spent already (a tiny sum proves nothing). */
const MIN_SPENT_SHARE = 0.2
/** Stopped delivering: a usual day has at least this many impressions by now. */
export const MIN_EXPECTED_IMPRESSIONS = 1_000
/** No results: at least this many expected by now. */
export const MIN_EXPECTED_RESULTS = 5
/**
 * Today's results are read within hours of their clicks, so fewer of them are in than of yesterday's by this morning:
 * the same day is taken to hold this share of what a day holds one day after it (conversions arrive late, pixel
 * purchases especially).
 */
const SAME_DAY_FACTOR = 0.5

/**
 * Share of today's results already reported when Promoly reads them: half of what a day holds the next morning, from
 * the account's arrival curve for the result type (else Promoly's default: leads 50 % → 25 %, purchases 40 % → 20 %).
 */
export function sameDayCompleteness(curve: ArrivalCurve): number {
  return SAME_DAY_FACTOR * expectedFraction(curve, 1)
}
/** Meta's figures for today lag behind the clock: expected counts are taken this many minutes earlier. */
export const REPORTING_LAG_MINUTES = 60

export interface OverspendJudgement {
  /** Share of a usual day's spend done by now (median day). */
  usualShare: number
  /** Share a fast day has done by now (the projection's divisor). */
  fastShare: number
  /** Whole-day spend projected from the spend so far (minor units). */
  projectedMinor: number
  alert: boolean
}

/** Spend so far against the daily budget in force: is the day on pace for 150 % of it or more? */
export function judgeOverspend(pattern: HourlyPattern, at: LocalClock, spentMinor: number, dailyBudgetMinor: number): OverspendJudgement {
  const usualShare = shareByNow(pattern.median, at.hour, at.minute)
  const fastShare = shareByNow(pattern.fast, at.hour, at.minute)
  const projectedMinor = fastShare > 0 ? Math.round(spentMinor / fastShare) : 0
  const alert =
    dailyBudgetMinor > 0 &&
    usualShare >= MIN_DAY_SHARE &&
    spentMinor >= MIN_SPENT_SHARE * dailyBudgetMinor &&
    projectedMinor >= OVERSPEND_RATIO * dailyBudgetMinor
  return { usualShare, fastShare, projectedMinor, alert }
}

/** The clock `minutes` earlier, not before midnight. */
export function earlier(at: LocalClock, minutes: number): LocalClock {
  const total = Math.max(0, at.hour * 60 + at.minute - minutes)
  return { hour: Math.floor(total / 60), minute: total % 60 }
}

/** Impressions a usual day has by now (the figures' lag allowed for), from a usual full day's. */
export function expectedImpressionsByNow(pattern: HourlyPattern, at: LocalClock, usualDayImpressions: number): number {
  const lagged = earlier(at, REPORTING_LAG_MINUTES)
  return usualDayImpressions * shareByNow(pattern.median, lagged.hour, lagged.minute)
}

/**
 * Results a usual day has reported by now: its results × the share of the day done × the share of those already
 * reported (sameDayCompleteness).
 */
export function expectedResultsByNow(pattern: HourlyPattern, at: LocalClock, usualDayResults: number, reportedShare: number): number {
  const lagged = earlier(at, REPORTING_LAG_MINUTES)
  return usualDayResults * shareByNow(pattern.median, lagged.hour, lagged.minute) * reportedShare
}
