import { describe, expect, it } from 'vitest'
import { parseListArgs } from './ad-sets-and-ads.ts'

describe('adsets / ads arguments', () => {
  it('reads the name, then an optional period and status word in either order', () => {
    expect(parseListArgs(['Spring', 'sale'])).toEqual({ target: 'Spring sale', period: undefined, status: 'live' })
    expect(parseListArgs(['Spring', 'sale', 'last', 'week'])).toEqual({ target: 'Spring sale', period: 'last_week', status: 'live' })
    expect(parseListArgs(['Spring', 'sale', '14d', 'all'])).toEqual({ target: 'Spring sale', period: 'last_14d', status: 'all' })
    expect(parseListArgs(['Spring', 'sale', 'archived', 'yesterday'])).toEqual({
      target: 'Spring sale',
      period: 'yesterday',
      status: 'archived',
    })
    expect(parseListArgs(['123', 'Deleted'])).toEqual({ target: '123', period: undefined, status: 'archived' })
  })

  it('never takes the whole name for a status or period', () => {
    expect(parseListArgs(['all'])).toEqual({ target: 'all', period: undefined, status: 'live' })
    expect(parseListArgs(['yesterday'])).toEqual({ target: 'yesterday', period: undefined, status: 'live' })
  })

  it('refuses a period meant as one but wrong', () => {
    expect(() => parseListArgs(['Spring', 'today'])).toThrow(/complete days/)
  })
})
