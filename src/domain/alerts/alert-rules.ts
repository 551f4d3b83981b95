/**
 * The intraday alert rules over one account's loaded figures (pure): overspend projected from the hourly pattern,
 * a campaign that stopped delivering, and results at zero where a usual day has some by now. Each says what it saw
 * in plain words and with the numbers; only the overspend proposes a change (a pause, through approval).
 */
import { formatNumber, plural } from '../../lib/numbers.ts'
import type { ResultMetric } from '../metrics/vocabulary.ts'
import { arrivalCurveFor } from '../optimizer/completeness.ts'
import { money } from '../optimizer/format.ts'
import type { ArrivalCurve, Completeness } from '../optimizer/types.ts'
import type { HourlyPattern } from './hourly-pattern.ts'
import { shareByNow } from './hourly-pattern.ts'
import {
  earlier,
  expectedImpressionsByNow,
  expectedResultsByNow,
  judgeOverspend,
  type LocalClock,
  MIN_EXPECTED_IMPRESSIONS,
  MIN_EXPECTED_RESULTS,
  REPORTING_LAG_MINUTES,
  sameDayCompleteness,
} from './projection.ts'

export type AlertKind = 'overspend_today' | 'stopped_delivering' | 'no_results_today'

/** A day's figures as the alerts read them. */
export interface DayFigures {
  spendMinor: number
  impressions: number
  /** Of the campaign's result type (0 without one). */
  results: number
}

/** One active campaign with today's partial figures and its last complete days. */
export interface CampaignToday {
  campaignId: string
  /** Daily budget of the campaign (campaign budget); null when its budget lives on its ad sets or is a lifetime one. */
  dailyBudgetMinor: number | null
  /** Whether an ad set of it is active (all paused on purpose: no delivery is expected, so none is missed). */
  hasActiveAdSet: boolean
  /** Active ad sets with a daily budget of their own, with today's spend so far. */
  adSets: Array<{ adSetId: string; dailyBudgetMinor: number; spentTodayMinor: number }>
  /** What the campaign's results are (leads, purchases); null when it has no conversion to count. */
  result: ResultMetric | null
  /** The account's learned arrival curves per result type (loadCompleteness); a type without one uses the default. */
  completeness?: Completeness
  today: DayFigures
  /** The last 7 complete days, yesterday first (a day without a row counts as zeros). */
  recentDays: DayFigures[]
}

export interface AlertCandidate {
  kind: AlertKind
  level: 'campaign' | 'adset'
  campaignId: string
  adSetId: string | null
  title: string
  notice: string
  evidence: Array<{ label: string; value: string }>
  metricName: string
  metricValue: number
  metricBaseline: number | null
  /** Propose pausing the object (through the normal approval). */
  proposePause: boolean
}

const pctText = (share: number) => `${formatNumber(share * 100, { maxDigits: 0 })} %`
const clockText = (at: LocalClock) => `${String(at.hour).padStart(2, '0')}:${String(at.minute).padStart(2, '0')}`

/** What the pattern behind a projection is, for the card. */
function patternSource(pattern: HourlyPattern): string {
  return pattern.days > 0
    ? `this account's own hours over its last ${plural(pattern.days, 'day')} with spend`
    : 'a typical day on Meta: Promoly has no hourly figures of this account yet (they are read once a day), so the projection is a cautious one'
}

function overspend(
  c: CampaignToday,
  target: { level: 'campaign' | 'adset'; adSetId: string | null; spentMinor: number; budgetMinor: number },
  pattern: HourlyPattern,
  at: LocalClock,
  currency: string,
): AlertCandidate | null {
  const j = judgeOverspend(pattern, at, target.spentMinor, target.budgetMinor)
  if (!j.alert) return null
  const what = target.level === 'adset' ? 'ad set' : 'campaign'
  return {
    kind: 'overspend_today',
    level: target.level,
    campaignId: c.campaignId,
    adSetId: target.adSetId,
    title: `On pace for ${money(j.projectedMinor, currency)} today against its ${money(target.budgetMinor, currency)} daily budget (Meta may spend up to 75 % over a daily budget on one day)`,
    notice:
      `${money(target.spentMinor, currency)} spent by ${clockText(at)} (the account's time), when a usual day has spent ${pctText(j.usualShare)} of its total. ` +
      `Even at the pace of a fast day (${pctText(j.fastShare)} by now) the ${what} ends today near ${money(j.projectedMinor, currency)}. ` +
      `Pausing it stops today's spend; it can be resumed tomorrow.`,
    evidence: [
      { label: 'Spent so far today', value: `${money(target.spentMinor, currency)} by ${clockText(at)}` },
      { label: 'Share of a usual day done by this hour', value: `${pctText(j.usualShare)} (a fast day: ${pctText(j.fastShare)})` },
      { label: 'Projected for today', value: `${money(j.projectedMinor, currency)} (spent so far ÷ a fast day's share)` },
      { label: 'Daily budget', value: money(target.budgetMinor, currency) },
      { label: 'Hourly pattern', value: patternSource(pattern) },
    ],
    metricName: 'projected_spend',
    metricValue: j.projectedMinor,
    metricBaseline: target.budgetMinor,
    proposePause: true,
  }
}

function stoppedDelivering(c: CampaignToday, pattern: HourlyPattern, at: LocalClock): AlertCandidate | null {
  const last3 = c.recentDays.slice(0, 3)
  if (!c.hasActiveAdSet || last3.length < 3 || last3.some((d) => d.impressions <= 0) || c.today.impressions > 0) return null
  // The quietest of the last 3 days: zero by now must be no accident even on such a day.
  const quietest = Math.min(...last3.map((d) => d.impressions))
  const expected = expectedImpressionsByNow(pattern, at, quietest)
  if (expected < MIN_EXPECTED_IMPRESSIONS) return null
  const lagged = earlier(at, REPORTING_LAG_MINUTES)
  return {
    kind: 'stopped_delivering',
    level: 'campaign',
    campaignId: c.campaignId,
    adSetId: null,
    title: 'No impressions today, although it delivered on each of the last 3 days',
    notice:
      `By ${clockText(lagged)} even its quietest recent day had about ${formatNumber(Math.round(expected))} impressions; Meta reports none today. ` +
      'Check its ads (rejected or paused), the payment method and the ad account in Ads Manager.',
    evidence: [
      { label: 'Impressions today', value: '0' },
      { label: 'Impressions on the last 3 days', value: last3.map((d) => formatNumber(d.impressions)).join(' · ') },
      {
        label: 'Expected by now',
        value: `${formatNumber(Math.round(expected))} (the quietest day × ${pctText(shareByNow(pattern.median, lagged.hour, lagged.minute))} of a usual day done by ${clockText(lagged)}, an hour allowed for Meta's reporting delay)`,
      },
      { label: 'Hourly pattern', value: patternSource(pattern) },
    ],
    metricName: 'impressions',
    metricValue: 0,
    metricBaseline: Math.round(expected),
    proposePause: false,
  }
}

function noResults(c: CampaignToday, pattern: HourlyPattern, at: LocalClock, currency: string): AlertCandidate | null {
  if (!c.result || c.today.impressions <= 0 || c.today.results > 0 || c.recentDays.length === 0) return null
  // The mean of the last 7 days, recent ones still incomplete: it errs low, so the expectation does too.
  const usual = c.recentDays.reduce((s, d) => s + d.results, 0) / c.recentDays.length
  const curve = arrivalCurveFor(c, c.result.kind === 'purchases' ? 'purchases' : 'leads')
  const reported = sameDayCompleteness(curve)
  const expected = expectedResultsByNow(pattern, at, usual, reported)
  if (expected < MIN_EXPECTED_RESULTS) return null
  const lagged = earlier(at, REPORTING_LAG_MINUTES)
  const noun = c.result.plural
  return {
    kind: 'no_results_today',
    level: 'campaign',
    campaignId: c.campaignId,
    adSetId: null,
    title: `No ${noun} reported today, although a usual day has some by now`,
    notice:
      `${money(c.today.spendMinor, currency)} spent and ${formatNumber(c.today.impressions)} impressions today, but no ${noun}. ` +
      `By ${clockText(lagged)} a usual day has reported about ${formatNumber(expected, { maxDigits: 0 })}. ` +
      `Check that the ${c.result.kind === 'leads' ? 'lead form or the website pixel' : 'website pixel and checkout'} still work.`,
    evidence: [
      { label: `${c.result.plural[0]?.toUpperCase()}${c.result.plural.slice(1)} today`, value: '0' },
      {
        label: 'A usual day',
        value: `${formatNumber(usual, { maxDigits: 1 })} ${noun} (mean of the last ${plural(c.recentDays.length, 'day')})`,
      },
      {
        label: 'Expected by now',
        value: `${formatNumber(expected, { maxDigits: 1 })} (× ${pctText(shareByNow(pattern.median, lagged.hour, lagged.minute))} of the day done × ${pctText(reported)} already reported)`,
      },
      { label: `${noun[0]?.toUpperCase()}${noun.slice(1)} reported the same day`, value: sameDayText(curve, reported, noun) },
      { label: 'Hourly pattern', value: patternSource(pattern) },
    ],
    metricName: c.result.field,
    metricValue: 0,
    metricBaseline: expected,
    proposePause: false,
  }
}

/** Where the same-day share comes from: half of what a day holds the next morning, this account's or the default. */
function sameDayText(curve: ArrivalCurve, reported: number, noun: string): string {
  const source =
    curve.learnedFromDays > 0
      ? `learned from this account's last ${plural(curve.learnedFromDays, 're-synced day')}`
      : "Promoly's conservative default until this account has enough re-synced days"
  return `${pctText(reported)}: half of the ${pctText(curve.fractions[0])} of a day's ${noun} in by the next morning (${source})`
}

/** Every alert that holds for the account's active campaigns at the figures' account-local time `at`. */
export function intradayAlerts(
  campaigns: readonly CampaignToday[],
  pattern: HourlyPattern,
  at: LocalClock,
  currency: string,
): AlertCandidate[] {
  const out: AlertCandidate[] = []
  for (const c of campaigns) {
    if (c.dailyBudgetMinor !== null) {
      const a = overspend(
        c,
        { level: 'campaign', adSetId: null, spentMinor: c.today.spendMinor, budgetMinor: c.dailyBudgetMinor },
        pattern,
        at,
        currency,
      )
      if (a) out.push(a)
    }
    for (const s of c.adSets) {
      const a = overspend(
        c,
        { level: 'adset', adSetId: s.adSetId, spentMinor: s.spentTodayMinor, budgetMinor: s.dailyBudgetMinor },
        pattern,
        at,
        currency,
      )
      if (a) out.push(a)
    }
    const stopped = stoppedDelivering(c, pattern, at)
    if (stopped) out.push(stopped)
    const none = noResults(c, pattern, at, currency)
    if (none) out.push(none)
  }
  return out
}
