import { describe, expect, it } from 'vitest'
import { budgetLocation } from './budget-location.ts'

const none = { dailyBudget: null, lifetimeBudget: null }

describe('where a campaign budget lives', () => {
  it('on the campaign when it has one, whatever its ad sets hold', () => {
    expect(budgetLocation({ dailyBudget: 5000, lifetimeBudget: null }, [{ dailyBudget: 100, lifetimeBudget: null }], true)).toEqual({
      on: 'campaign',
      daily: 5000,
      lifetime: null,
    })
    expect(budgetLocation({ dailyBudget: null, lifetimeBudget: 90000 }, [], false)).toEqual({
      on: 'campaign',
      daily: null,
      lifetime: 90000,
    })
  })

  it('on the ad sets otherwise, daily and lifetime apart', () => {
    const sets = [
      { dailyBudget: 2000, lifetimeBudget: null },
      none,
      { dailyBudget: null, lifetimeBudget: 50000 },
      { dailyBudget: 3000, lifetimeBudget: null },
    ]
    expect(budgetLocation(none, sets, true)).toEqual({ on: 'adsets', daily: [2000, 3000], lifetime: [50000] })
  })

  it('nowhere: none set, or not known until the ad sets are synced', () => {
    expect(budgetLocation(none, [none], true)).toEqual({ on: 'none' })
    expect(budgetLocation(none, [], true)).toEqual({ on: 'none' })
    expect(budgetLocation(none, [], false)).toEqual({ on: 'unknown' })
  })
})
