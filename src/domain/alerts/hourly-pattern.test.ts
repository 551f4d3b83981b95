import { describe, expect, it } from 'vitest'
import {
  defaultHourlyPattern,
  type HourlySpend,
  hourlyPatternOf,
  MIN_PATTERN_DAYS,
  parseHourBucket,
  shareByNow,
  storedHourlyPattern,
} from './hourly-pattern.ts'

/** A day whose spend is `perHour[h]` in each hour h. */
function day(date: string, perHour: (h: number) => number): HourlySpend[] {
  return Array.from({ length: 24 }, (_, hour) => ({ date, hour, spendMinor: perHour(hour) }))
}

describe('the hourly pattern', () => {
  it("reads Meta's hour labels", () => {
    expect(parseHourBucket('00:00:00 - 00:59:59')).toBe(0)
    expect(parseHourBucket('13:00:00 - 13:59:59')).toBe(13)
    expect(parseHourBucket('23:00:00 - 23:59:59')).toBe(23)
    expect(parseHourBucket('24:00:00 - 24:59:59')).toBeNull()
    expect(parseHourBucket('13:30')).toBeNull()
  })

  it('takes per hour the median and the 80th percentile of the cumulative share across days', () => {
    // Five even days and five that spend everything in the first 12 hours.
    const rows = [
      ...['01', '02', '03', '04', '05'].flatMap((d) => day(`2026-11-${d}`, () => 100)),
      ...['06', '07', '08', '09', '10'].flatMap((d) => day(`2026-11-${d}`, (h) => (h < 12 ? 200 : 0))),
    ]
    const p = hourlyPatternOf(rows)
    expect(p.days).toBe(10)
    // By the end of hour 5: 6/24 = 25 % on an even day, 50 % on an early one; median between, the fast day early.
    expect(p.median[5]).toBeCloseTo(0.375, 6)
    expect(p.fast[5]).toBeCloseTo(0.5, 6)
    expect(p.median[23]).toBe(1)
    for (let h = 0; h < 24; h++) expect(p.fast[h]).toBeGreaterThanOrEqual(p.median[h] ?? 0)
  })

  it('leaves out days without spend, and falls back to the default with too few days', () => {
    const rows = [
      ...day('2026-11-01', () => 0),
      ...Array.from({ length: MIN_PATTERN_DAYS - 1 }, (_, i) => day(`2026-11-1${i}`, () => 5)).flat(),
    ]
    const p = hourlyPatternOf(rows)
    expect(p).toEqual(defaultHourlyPattern())
    expect(p.days).toBe(0)
  })

  it('the default is quiet at night, done by midnight, and its fast day runs ahead', () => {
    const p = defaultHourlyPattern()
    expect(p.median[5]).toBeLessThan(0.12)
    expect(p.median[23]).toBe(1)
    expect(p.fast[12]).toBeGreaterThan(p.median[12] ?? 1)
  })

  it('interpolates within the hour', () => {
    const curve = defaultHourlyPattern().median
    expect(shareByNow(curve, 0, 0)).toBe(0)
    expect(shareByNow(curve, 10, 30)).toBeCloseTo(((curve[9] ?? 0) + (curve[10] ?? 0)) / 2, 9)
    expect(shareByNow(curve, 23, 60)).toBe(1)
  })

  it('reads back what was stored, and refuses anything malformed', () => {
    const p = defaultHourlyPattern()
    expect(storedHourlyPattern(JSON.parse(JSON.stringify(p)))).toEqual(p)
    expect(storedHourlyPattern({ median: [1], fast: [1], days: 3 })).toBeNull()
    expect(storedHourlyPattern(null)).toBeNull()
  })
})
