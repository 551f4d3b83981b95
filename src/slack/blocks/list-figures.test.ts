import { describe, expect, it } from 'vitest'
import { deriveMetrics, zeroMetrics } from '../../domain/metrics/vocabulary.ts'
import { budgetLocationText, figuresLine } from './list-figures.ts'

describe('list lines', () => {
  it('says where a campaign budget lives, a few ad set budgets one by one, more of them summed', () => {
    const text = (b: Parameters<typeof budgetLocationText>[0]) => budgetLocationText(b, 'USD')
    expect(text({ on: 'campaign', daily: 5000, lifetime: null })).toBe('campaign budget $50.00/day')
    expect(text({ on: 'campaign', daily: null, lifetime: 120000 })).toBe('campaign budget $1,200.00 lifetime')
    expect(text({ on: 'adsets', daily: [2000, 3000], lifetime: [] })).toBe('ad set budgets: $20.00 + $30.00/day')
    expect(text({ on: 'adsets', daily: [2000], lifetime: [] })).toBe('ad set budget: $20.00/day')
    expect(text({ on: 'adsets', daily: [2000], lifetime: [50000] })).toBe('ad set budgets: $20.00/day and $500.00 lifetime')
    expect(text({ on: 'adsets', daily: [2000, 3000, 2500], lifetime: [] })).toBe('ad set budgets: $20.00 + $30.00 + $25.00/day')
    expect(text({ on: 'adsets', daily: [2000, 3000, 2500, 0], lifetime: [] })).toBe('4 ad sets, $75.00/day in all')
    expect(text({ on: 'adsets', daily: [], lifetime: [1, 2, 3, 4] })).toBe('4 ad sets, $0.10 lifetime in all')
    expect(text({ on: 'adsets', daily: [1000, 2000, 500], lifetime: [50000] })).toBe(
      '4 ad sets: $35.00/day in all across 3, and $500.00 lifetime across 1',
    )
    expect(text({ on: 'none' })).toBe('no budget set')
    expect(text({ on: 'unknown' })).toBe('ad set budgets (not synced yet)')
  })

  it('a period line: spend, results and their cost, CTR, ROAS where there is revenue', () => {
    const t = { ...zeroMetrics(), spend: 12000, impressions: 10000, clicks: 120, purchases: 3, purchaseValue: 36000 }
    expect(figuresLine('7 days', { totals: t, derived: deriveMetrics(t, 'OUTCOME_SALES') }, 'USD')).toBe(
      '7 days: *$120.00* · 3 purchases · $40.00/purchase · CTR 1.20% · ROAS 3.00×',
    )
    const none = zeroMetrics()
    expect(figuresLine('Yesterday', { totals: none, derived: deriveMetrics(none, 'OUTCOME_AWARENESS') }, 'USD')).toBe(
      'Yesterday: *$0.00* · 0 impr.',
    )
  })
})
