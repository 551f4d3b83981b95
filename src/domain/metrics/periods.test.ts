import { describe, expect, it } from 'vitest'
import { parsePeriod, resolvePeriod } from './periods.ts'
import { deriveMetrics, emptyTotals, percentChange } from './vocabulary.ts'

describe('periods', () => {
  it('parses names and aliases, and rejects others with the list', () => {
    expect(parsePeriod(undefined)).toBe('last_7d')
    expect(parsePeriod('Last-30D')).toBe('last_30d')
    expect(parsePeriod('14d')).toBe('last_14d')
    expect(() => parsePeriod('fortnight')).toThrow(/Unknown period "fortnight". Use one of: yesterday, last_7d/)
  })
  it('uses complete days in the account time zone and the same length before', () => {
    const now = new Date('2026-11-25T02:00:00Z') // still Nov 24 in New York, already Nov 25 in Tokyo
    expect(resolvePeriod('yesterday', now, 'America/New_York')).toMatchObject({
      current: { since: '2026-11-23', until: '2026-11-23' },
      previous: { since: '2026-11-22', until: '2026-11-22' },
    })
    expect(resolvePeriod('last_7d', now, 'Asia/Tokyo')).toMatchObject({
      current: { since: '2026-11-18', until: '2026-11-24' },
      previous: { since: '2026-11-11', until: '2026-11-17' },
    })
  })
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
