import { describe, expect, it } from 'vitest'
import { minimumBudgets } from './currency.ts'
import { simMinimumKind } from './minimum-budget-table.ts'

describe("the simulator's minimum budget per optimisation goal (from Meta's docs)", () => {
  it('pins conversions → low_freq, clicks → high_freq, ThruPlay → video_views, reach → imp', () => {
    expect(simMinimumKind('OFFSITE_CONVERSIONS')).toBe('low_freq')
    expect(simMinimumKind('LINK_CLICKS')).toBe('high_freq')
    expect(simMinimumKind('THRUPLAY')).toBe('video_views')
    expect(simMinimumKind('REACH')).toBe('imp')
  })

  it('the low-frequency minimum is the highest of the four, as Meta publishes ($40 against $1 and $5 in USD)', () => {
    const m = minimumBudgets('USD')
    expect(m.min_daily_budget_low_freq).toBeGreaterThan(m.min_daily_budget_high_freq)
    expect(m.min_daily_budget_high_freq).toBeGreaterThan(m.min_daily_budget_imp)
  })
})
