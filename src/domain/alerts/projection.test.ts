import { describe, expect, it } from 'vitest'
import { withinHours } from '../../lib/dates.ts'
import { RESULT_METRICS } from '../metrics/vocabulary.ts'
import { arrivalCurveFor } from '../optimizer/completeness.ts'
import { type CampaignToday, intradayAlerts } from './alert-rules.ts'
import { defaultHourlyPattern, type HourlyPattern } from './hourly-pattern.ts'
import { expectedResultsByNow, judgeOverspend, sameDayCompleteness } from './projection.ts'

/** An even day: by the end of hour h, (h+1)/24 spent; a fast day 2 hours ahead. */
const EVEN: HourlyPattern = {
  median: Array.from({ length: 24 }, (_, h) => (h + 1) / 24),
  fast: Array.from({ length: 24 }, (_, h) => Math.min(1, (h + 3) / 24)),
  days: 14,
}

describe('the overspend projection', () => {
  it('divides the spend so far by the share a fast day has done by now', () => {
    // 12:00: a usual day has done 12/24, a fast one 14/24. $70 spent → $120 projected.
    const j = judgeOverspend(EVEN, { hour: 12, minute: 0 }, 7_000, 5_000)
    expect(j.usualShare).toBeCloseTo(0.5, 9)
    expect(j.fastShare).toBeCloseTo(14 / 24, 9)
    expect(j.projectedMinor).toBe(12_000)
    expect(j.alert).toBe(true)
  })

  it('stays quiet below 150 % of the budget, early in the day, or when the spend so far is trivial', () => {
    expect(judgeOverspend(EVEN, { hour: 12, minute: 0 }, 4_000, 5_000).alert).toBe(false) // projects $68.57
    expect(judgeOverspend(EVEN, { hour: 3, minute: 0 }, 4_000, 5_000).alert).toBe(false) // 12.5 % of a day done
    expect(judgeOverspend(EVEN, { hour: 12, minute: 0 }, 900, 500).alert).toBe(true)
    expect(judgeOverspend(EVEN, { hour: 12, minute: 0 }, 900, 5_000).alert).toBe(false)
    expect(judgeOverspend(EVEN, { hour: 12, minute: 0 }, 7_000, 0).alert).toBe(false)
  })

  it('expects results at the share of the day done an hour ago, times the share already reported', () => {
    // 13:00 → judged at 12:00 (half the day): 20 a day → 10 by then → 2.5 of them reported at 25 %.
    expect(expectedResultsByNow(EVEN, { hour: 13, minute: 0 }, 20, 0.25)).toBeCloseTo(2.5, 9)
  })

  it("takes the same day to hold half of what a day holds the next morning: the account's curve, else the default", () => {
    // The defaults: leads 50 % in after a day → 25 % the same day; pixel purchases, slower, 40 % → 20 %.
    expect(sameDayCompleteness(arrivalCurveFor({}, 'leads'))).toBeCloseTo(0.325, 9)
    expect(sameDayCompleteness(arrivalCurveFor({}, 'purchases'))).toBeCloseTo(0.2, 9)
    // Below the next morning's share, whatever the curve: today's late clicks have had hours, not a night.
    const learned = { fractions: [0.9, 0.97, 0.99] as const, learnedFromDays: 30 }
    expect(sameDayCompleteness(learned)).toBeCloseTo(0.45, 9)
    expect(sameDayCompleteness(arrivalCurveFor({ completeness: { purchases: learned } }, 'purchases'))).toBeCloseTo(0.45, 9)
    expect(sameDayCompleteness(arrivalCurveFor({ completeness: { purchases: learned } }, 'leads'))).toBeCloseTo(0.325, 9)
  })

  it('knows quiet hours, across midnight too', () => {
    expect(withinHours(22, 21, 8)).toBe(true)
    expect(withinHours(3, 21, 8)).toBe(true)
    expect(withinHours(8, 21, 8)).toBe(false)
    expect(withinHours(12, 12, 14)).toBe(true)
    expect(withinHours(14, 12, 14)).toBe(false)
    expect(withinHours(3, 8, 8)).toBe(false)
  })
})

const DAY = { spendMinor: 24_000, impressions: 12_000, results: 16 }
const campaign = (over: Partial<CampaignToday> = {}): CampaignToday => ({
  campaignId: 'c1',
  dailyBudgetMinor: 24_000,
  hasActiveAdSet: true,
  adSets: [],
  result: RESULT_METRICS.leads,
  today: { spendMinor: 12_000, impressions: 6_000, results: 4 },
  recentDays: Array.from({ length: 7 }, () => DAY),
  ...over,
})

describe('the intraday alert rules', () => {
  const noon = { hour: 12, minute: 0 }

  it('a campaign on pace for its budget raises nothing', () => {
    expect(intradayAlerts([campaign()], EVEN, noon, 'USD')).toEqual([])
  })

  it('overspend: says how far ahead it is, with the numbers, and proposes a pause', () => {
    const [a, ...rest] = intradayAlerts([campaign({ today: { spendMinor: 24_000, impressions: 12_000, results: 8 } })], EVEN, noon, 'USD')
    expect(rest).toEqual([])
    expect(a).toMatchObject({ kind: 'overspend_today', level: 'campaign', proposePause: true, metricBaseline: 24_000 })
    expect(a?.title).toBe(
      'On pace for $411.43 today against its $240.00 daily budget (Meta may spend up to 75 % over a daily budget on one day)',
    )
    expect(a?.notice).toMatch(/^\$240\.00 spent by 12:00 .* a usual day has spent 50 % of its total/)
    expect(a?.evidence.map((e) => e.label)).toEqual([
      'Spent so far today',
      'Share of a usual day done by this hour',
      'Projected for today',
      'Daily budget',
      'Hourly pattern',
    ])
  })

  it('overspend on an ad set with its own budget is raised on that ad set', () => {
    const c = campaign({ dailyBudgetMinor: null, adSets: [{ adSetId: 's1', dailyBudgetMinor: 5_000, spentTodayMinor: 6_000 }] })
    expect(intradayAlerts([c], EVEN, noon, 'USD')).toMatchObject([{ kind: 'overspend_today', level: 'adset', adSetId: 's1' }])
  })

  it('stopped delivering: nothing today after 3 days of delivery, when a usual day has 1,000 impressions by now', () => {
    const stopped = campaign({ today: { spendMinor: 0, impressions: 0, results: 0 } })
    expect(intradayAlerts([stopped], EVEN, noon, 'USD').map((a) => a.kind)).toEqual(['stopped_delivering'])
    // At 02:00 a usual day has 1/24 done an hour before: 500 impressions expected, zero is no news.
    expect(intradayAlerts([stopped], EVEN, { hour: 2, minute: 0 }, 'USD')).toEqual([])
    // A campaign that did not deliver the day before yesterday may simply be starting or stopping: no alert.
    const gap = campaign({ today: stopped.today, recentDays: [DAY, { spendMinor: 0, impressions: 0, results: 0 }, DAY, DAY] })
    expect(intradayAlerts([gap], EVEN, noon, 'USD')).toEqual([])
    // Every ad set paused on purpose: no delivery is expected.
    expect(intradayAlerts([{ ...stopped, hasActiveAdSet: false }], EVEN, noon, 'USD')).toEqual([])
  })

  it('no results: delivering, none reported, where at least 5 are expected by now', () => {
    const none = campaign({ today: { spendMinor: 12_000, impressions: 6_000, results: 0 } })
    // 16 a day: by 23:00 (judged at 22:00) 16 × 22/24 × 32.5 % ≈ 4.8 expected with the default: too few to say anything.
    expect(intradayAlerts([none], EVEN, { hour: 23, minute: 0 }, 'USD')).toEqual([])
    // 40 a day: by 17:00 (judged at 16:00) 40 × 16/24 × 32.5 % ≈ 8.7 expected.
    const busy = { ...none, recentDays: Array.from({ length: 7 }, () => ({ ...DAY, results: 40 })) }
    const [a] = intradayAlerts([busy], EVEN, { hour: 17, minute: 0 }, 'USD')
    expect(a).toMatchObject({ kind: 'no_results_today', metricName: 'leads', proposePause: false })
    expect(a?.metricBaseline).toBeCloseTo(40 * (16 / 24) * 0.325, 9)
    expect(a?.title).toBe('No leads reported today, although a usual day has some by now')
    // The card says which share of today's results it counted on, and where that comes from.
    expect(a?.evidence.find((e) => e.label === 'Expected by now')?.value).toBe('8.7 (× 67 % of the day done × 33 % already reported)')
    expect(a?.evidence.find((e) => e.label === 'Leads reported the same day')?.value).toBe(
      "33 %: half of the 65 % of a day's leads in by the next morning (Promoly's conservative default until this account has enough re-synced days)",
    )
    // With this account's curve (90 % in by the next morning): 45 % counted on, and the card says it is learned.
    const learned = { leads: { fractions: [0.9, 0.97, 0.99] as const, learnedFromDays: 30 } }
    const [b] = intradayAlerts([{ ...busy, completeness: learned }], EVEN, { hour: 17, minute: 0 }, 'USD')
    expect(b?.metricBaseline).toBeCloseTo(40 * (16 / 24) * 0.45, 9)
    expect(b?.evidence.find((e) => e.label === 'Leads reported the same day')?.value).toMatch(
      /^45 %: half of the 90 % .* \(learned from this account's last 30 re-synced days\)$/,
    )
    // Pixel purchases arrive later: 20 % counted on by default, so 40 a day by 17:00 expects 5.3.
    const purchases = { ...busy, result: RESULT_METRICS.purchases }
    const [p] = intradayAlerts([purchases], EVEN, { hour: 17, minute: 0 }, 'USD')
    expect(p?.metricBaseline).toBeCloseTo(40 * (16 / 24) * 0.2, 9)
    // A traffic campaign has no result to count.
    expect(intradayAlerts([{ ...busy, result: null }], EVEN, { hour: 17, minute: 0 }, 'USD')).toEqual([])
  })

  it('says when the pattern is the default', () => {
    const [a] = intradayAlerts(
      [campaign({ today: { spendMinor: 30_000, impressions: 12_000, results: 8 } })],
      defaultHourlyPattern(),
      noon,
      'USD',
    )
    expect(a?.evidence.at(-1)?.value).toMatch(/no hourly figures of this account yet/)
  })
})
