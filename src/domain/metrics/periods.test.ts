import { describe, expect, it } from 'vitest'
import { isAppError } from '../../lib/errors.ts'
import { parsePeriod, periodKeyOf, rangeText, resolvePeriod, resolvePeriodOn, splitTrailingPeriod, unknownPeriodError } from './periods.ts'
import { deriveMetrics, emptyTotals, percentChange } from './vocabulary.ts'

function errorOf(f: () => unknown): string {
  try {
    f()
  } catch (err) {
    if (isAppError(err)) return err.userMessage
    throw err
  }
  throw new Error('no error')
}

describe('period words', () => {
  it('parses names, aliases and the words people type', () => {
    expect(parsePeriod(undefined)).toBe('last_7d')
    expect(parsePeriod('Last-30D')).toBe('last_30d')
    expect(parsePeriod('14d')).toBe('last_14d')
    expect(parsePeriod('7d')).toBe('last_7d')
    expect(parsePeriod('last 7 days')).toBe('last_7d')
    expect(parsePeriod('last_7d')).toBe('last_7d')
    expect(parsePeriod('yesterday')).toBe('yesterday')
    expect(parsePeriod('Last week')).toBe('last_week')
    expect(parsePeriod('last_week')).toBe('last_week')
    expect(parsePeriod('this month')).toBe('this_month')
    expect(parsePeriod('Month to date')).toBe('this_month')
    expect(parsePeriod('mtd')).toBe('this_month')
    expect(parsePeriod('last month')).toBe('last_month')
    expect(parsePeriod('2026-11-01..2026-11-15')).toBe('2026-11-01..2026-11-15')
    expect(parsePeriod('2026-11-1 to 2026-11-15')).toBe('2026-11-01..2026-11-15')
    expect(parsePeriod('2026-11-03')).toBe('2026-11-03..2026-11-03')
  })
  it('refuses unknown words, bad dates, reversed and too long ranges in words', () => {
    expect(errorOf(() => parsePeriod('fortnight'))).toMatch(
      /Unknown period "fortnight". Use `yesterday`, `last 7 days`.*`last week`.*2026-11-01\.\.2026-11-15/,
    )
    expect(errorOf(() => parsePeriod('2026-02-30..2026-03-02'))).toMatch(/"2026-02-30" is not a date: write dates as YYYY-MM-DD/)
    expect(errorOf(() => parsePeriod('2026-11-15..2026-11-01'))).toBe(
      '2026-11-15..2026-11-01 starts after it ends: put the earlier date first (2026-11-01..2026-11-15).',
    )
    expect(errorOf(() => parsePeriod('2026-01-01..2026-06-30'))).toBe(
      '2026-01-01..2026-06-30 is 181 days long; at most 93 days fit in one period.',
    )
    expect(errorOf(() => parsePeriod('today'))).toMatch(/today is not over yet/)
    expect(errorOf(() => parsePeriod('last 200 days'))).toMatch(/1 to 93 days/)
  })
  it('splits a trailing period of one to three words off a command', () => {
    expect(splitTrailingPeriod(['Spring', 'Sale', 'last', 'week'])).toEqual({ words: ['Spring', 'Sale'], period: 'last_week' })
    expect(splitTrailingPeriod(['Spring', 'Sale', 'month', 'to', 'date'])).toEqual({ words: ['Spring', 'Sale'], period: 'this_month' })
    expect(splitTrailingPeriod(['Spring', 'last', '7', 'days'])).toEqual({ words: ['Spring'], period: 'last_7d' })
    expect(splitTrailingPeriod(['Spring', '2026-11-01..2026-11-15'])).toEqual({ words: ['Spring'], period: '2026-11-01..2026-11-15' })
    expect(splitTrailingPeriod(['Spring', 'Sale'])).toEqual({ words: ['Spring', 'Sale'], period: undefined })
    // the name itself is never taken as a period
    expect(splitTrailingPeriod(['yesterday'])).toEqual({ words: ['yesterday'], period: undefined })
    expect(periodKeyOf('Sale last week')).toBeNull()
  })
})

describe('resolving periods', () => {
  it('uses complete days in the account time zone, yesterday included, and the same length before', () => {
    const now = new Date('2026-11-25T02:00:00Z') // still Nov 24 in New York, already Nov 25 in Tokyo
    expect(resolvePeriod('yesterday', now, 'America/New_York')).toMatchObject({
      current: { since: '2026-11-23', until: '2026-11-23' },
      previous: { since: '2026-11-22', until: '2026-11-22' },
      previousLabel: 'the day before',
    })
    expect(resolvePeriod('last_7d', now, 'Asia/Tokyo')).toMatchObject({
      label: 'Last 7 days',
      days: 7,
      current: { since: '2026-11-18', until: '2026-11-24' },
      previous: { since: '2026-11-11', until: '2026-11-17' },
      previousLabel: 'the 7 days before',
    })
  })
  it('puts the same instant on different days across the date line', () => {
    const now = new Date('2026-12-05T11:30:00Z') // Dec 6 01:30 in Kiritimati (UTC+14), Dec 5 00:30 in Pago Pago (UTC−11)
    expect(resolvePeriod('yesterday', now, 'Pacific/Kiritimati').current).toEqual({ since: '2026-12-05', until: '2026-12-05' })
    expect(resolvePeriod('yesterday', now, 'Pacific/Pago_Pago').current).toEqual({ since: '2026-12-04', until: '2026-12-04' })
    expect(resolvePeriod('last_7d', now, 'Pacific/Kiritimati').current).toEqual({ since: '2026-11-29', until: '2026-12-05' })
    expect(resolvePeriod('last_7d', now, 'Pacific/Pago_Pago').current).toEqual({ since: '2026-11-28', until: '2026-12-04' })
  })
  it('counts calendar days across a DST change', () => {
    // Europe/Berlin springs forward on 2026-03-29 at 01:00 UTC; 00:30 UTC is still 01:30 local on the 29th.
    const p = resolvePeriod('last_7d', new Date('2026-03-29T00:30:00Z'), 'Europe/Berlin')
    expect(p.current).toEqual({ since: '2026-03-22', until: '2026-03-28' })
    // New York falls back on 2026-11-01: the 23:30 local of Nov 1 is 04:30 UTC on Nov 2.
    expect(resolvePeriod('yesterday', new Date('2026-11-02T04:30:00Z'), 'America/New_York').current.since).toBe('2026-10-31')
  })
  it('resolves last week as the previous ISO week, Monday to Sunday', () => {
    expect(resolvePeriodOn('last_week', '2026-12-05')).toMatchObject({
      // a Saturday
      label: 'Last week',
      days: 7,
      current: { since: '2026-11-23', until: '2026-11-29' },
      previous: { since: '2026-11-16', until: '2026-11-22' },
      previousLabel: 'the week before',
    })
    // on a Monday, last week ends yesterday
    expect(resolvePeriodOn('last_week', '2026-11-30').current).toEqual({ since: '2026-11-23', until: '2026-11-29' })
    // on a Sunday, the week in progress is not last week
    expect(resolvePeriodOn('last_week', '2026-11-29').current).toEqual({ since: '2026-11-16', until: '2026-11-22' })
  })
  it('resolves month to date, last month, the leap day and the 1st', () => {
    expect(resolvePeriodOn('this_month', '2026-12-05')).toMatchObject({
      label: 'Month to date',
      current: { since: '2026-12-01', until: '2026-12-04' },
      previous: { since: '2026-11-27', until: '2026-11-30' },
      previousLabel: 'the 4 days before',
    })
    expect(errorOf(() => resolvePeriodOn('this_month', '2026-12-01'))).toMatch(/this month has no complete day yet.*`last month`/)
    expect(resolvePeriodOn('last_month', '2026-12-01')).toMatchObject({
      days: 30,
      current: { since: '2026-11-01', until: '2026-11-30' },
      previous: { since: '2026-10-02', until: '2026-10-31' },
      previousLabel: 'the 30 days before',
    })
    expect(resolvePeriodOn('last_month', '2028-03-15').current).toEqual({ since: '2028-02-01', until: '2028-02-29' })
    expect(resolvePeriodOn('last_month', '2027-01-10').current).toEqual({ since: '2026-12-01', until: '2026-12-31' })
    expect(resolvePeriodOn('yesterday', '2028-03-01').current.since).toBe('2028-02-29')
  })
  it('accepts a range of past complete days and refuses one that reaches today', () => {
    expect(resolvePeriodOn('2026-11-01..2026-11-15', '2026-12-05')).toMatchObject({
      label: 'Sun 1 Nov – Sun 15 Nov',
      days: 15,
      current: { since: '2026-11-01', until: '2026-11-15' },
      previous: { since: '2026-10-17', until: '2026-10-31' },
      previousLabel: 'the 15 days before',
    })
    expect(errorOf(() => resolvePeriodOn('2026-12-01..2026-12-05', '2026-12-05'))).toBe(
      '2026-12-01..2026-12-05 reaches today: periods are made of complete days, and the last complete day is Fri 4 Dec (2026-12-04).',
    )
    expect(errorOf(() => resolvePeriodOn('2026-12-10..2026-12-12', '2026-12-05'))).toMatch(/reaches the future/)
    expect(resolvePeriodOn('2026-12-04..2026-12-04', '2026-12-05').label).toBe('Fri 4 Dec')
    expect(rangeText({ since: '2026-11-28', until: '2026-12-04' })).toBe('Sat 28 Nov – Fri 4 Dec')
  })
})

describe('metrics vocabulary', () => {
  it('derives rates from sums, results by objective, and guards divisions by zero', () => {
    const t = {
      ...emptyTotals('USD'),
      impressions: 10_000,
      reach: 8_000,
      clicks: 150,
      linkClicks: 120,
      spend: 45_000,
      leads: 9,
      purchases: 2,
      purchaseValue: 90_000,
    }
    const leads = deriveMetrics(t, 'OUTCOME_LEADS')
    expect(leads.ctr).toBeCloseTo(1.5)
    expect(leads.cpc).toBeCloseTo(300)
    expect(leads.cpm).toBeCloseTo(4500)
    expect(leads.results).toBe(9)
    expect(leads.costPerResult).toBeCloseTo(5000)
    expect(leads.roas).toBeNull() // ROAS only where purchases are sought
    expect(deriveMetrics(t, 'OUTCOME_SALES').roas).toBeCloseTo(2)
    expect(deriveMetrics(t, 'OUTCOME_TRAFFIC')).toMatchObject({ resultLabel: 'link clicks', results: 120 })
    expect(deriveMetrics(t, 'OUTCOME_AWARENESS')).toMatchObject({ resultLabel: null, costPerResult: null })
    expect(deriveMetrics(emptyTotals('USD'), 'OUTCOME_LEADS')).toMatchObject({ ctr: null, cpc: null, costPerResult: null, roas: null })
    expect(percentChange(120, 100)).toBeCloseTo(20)
    expect(percentChange(5, 0)).toBeNull()
  })
})

describe('unknownPeriodError', () => {
  it('reads a mistyped or unsupported period at the end of a look-up as one, and names or ordinary words as nothing', () => {
    expect(unknownPeriodError('lastweek')?.userMessage).toContain('"lastweek" is not a period Promoly knows. Did you mean `last week`?')
    expect(unknownPeriodError('yesterdy')?.userMessage).toContain('Did you mean `yesterday`?')
    expect(unknownPeriodError('maximum')?.userMessage).toContain('"maximum" is not a period Promoly knows. Use')
    expect(unknownPeriodError('Retargeting')).toBeNull()
    expect(unknownPeriodError('sale')).toBeNull()
    expect(unknownPeriodError('120221412600000019')).toBeNull()
  })
})
