import { describe, expect, it } from 'vitest'
import { type ArrivalDay, estimateArrivalCurve, recordedDates } from './arrival-curve.ts'

/** `n` final days of `final` results each, seen at ages 1–3 with these fractions of it (rounded). */
function days(n: number, final: number, fractions: [number, number, number]): ArrivalDay[] {
  return Array.from({ length: n }, () => ({
    atDay: [Math.round(final * fractions[0]), Math.round(final * fractions[1]), Math.round(final * fractions[2])],
    final,
  }))
}

describe('estimateArrivalCurve', () => {
  it('is the share of the final results present at each age, over the days seen at that age', () => {
    const curve = estimateArrivalCurve(days(10, 20, [0.6, 0.85, 0.95]))
    expect(curve?.learnedFromDays).toBe(10)
    expect(curve?.fractions[0]).toBeCloseTo(0.6, 6)
    expect(curve?.fractions[1]).toBeCloseTo(0.85, 6)
    expect(curve?.fractions[2]).toBeCloseTo(0.95, 6)
  })

  it('weights days by their results (a ratio of sums, not a mean of ratios)', () => {
    // 7 days of 100 results at 90 % after a day, 7 days of 2 results with none after a day.
    const big = days(7, 100, [0.9, 1, 1])
    const small = days(7, 2, [0, 1, 1])
    const curve = estimateArrivalCurve([...big, ...small])
    expect(curve?.fractions[0]).toBeCloseTo(630 / 714, 6)
    expect(curve?.learnedFromDays).toBe(14)
  })

  it('only counts a day at an age a sync saw it at', () => {
    const seenAt1Only: ArrivalDay[] = Array.from({ length: 7 }, () => ({ atDay: [5, null, null], final: 10 }))
    const full = days(7, 10, [0.8, 0.9, 1])
    const curve = estimateArrivalCurve([...seenAt1Only, ...full])
    expect(curve?.fractions[0]).toBeCloseTo((35 + 56) / 140, 6)
    expect(curve?.fractions[1]).toBeCloseTo(0.9, 6)
    expect(curve?.learnedFromDays).toBe(14)
  })

  it('is absent with fewer than 7 final days or fewer than 20 final results at an age (the default applies)', () => {
    expect(estimateArrivalCurve(days(6, 100, [0.5, 0.8, 0.9]))).toBeUndefined()
    expect(estimateArrivalCurve(days(10, 1, [0.5, 0.8, 0.9]))).toBeUndefined()
    // Enough at ages 1 and 2 but day 3 was seen only 3 times.
    const gaps: ArrivalDay[] = days(10, 10, [0.5, 0.8, 0.9]).map((d, i) => ({
      ...d,
      atDay: [d.atDay[0], d.atDay[1], i < 3 ? d.atDay[2] : null],
    }))
    expect(estimateArrivalCurve(gaps)).toBeUndefined()
    expect(estimateArrivalCurve([])).toBeUndefined()
  })

  it('clamps to [0.05, 1] and never falls from one age to the next', () => {
    // Revised away: more at day 1 than at the end (fraction above 1), then less at day 2 than at day 1.
    const curve = estimateArrivalCurve(days(10, 10, [1.3, 0.7, 0.8]))
    expect(curve?.fractions).toEqual([1, 1, 1])
    const none = estimateArrivalCurve(days(10, 10, [0, 0.5, 0.4]))
    expect(none?.fractions).toEqual([0.05, 0.5, 0.5])
  })
})

describe('recordedDates', () => {
  it('takes the covered days seen 1 to 7 days after they ended: not today, not older backfilled days', () => {
    expect(recordedDates('2026-11-25', [{ since: '2026-10-29', until: '2026-11-25' }])).toEqual([
      '2026-11-18',
      '2026-11-19',
      '2026-11-20',
      '2026-11-21',
      '2026-11-22',
      '2026-11-23',
      '2026-11-24',
    ])
    // The fast loop's 3 days; a gap refetched beside the window.
    expect(recordedDates('2026-11-25', [{ since: '2026-11-23', until: '2026-11-25' }])).toEqual(['2026-11-23', '2026-11-24'])
    expect(
      recordedDates('2026-11-25', [
        { since: '2026-11-01', until: '2026-11-19' },
        { since: '2026-11-24', until: '2026-11-25' },
      ]),
    ).toEqual(['2026-11-18', '2026-11-19', '2026-11-24'])
    expect(recordedDates('2026-11-25', [{ since: '2026-09-01', until: '2026-10-28' }])).toEqual([])
  })
})
