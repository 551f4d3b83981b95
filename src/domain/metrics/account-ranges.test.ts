import { describe, expect, it } from 'vitest'
import { accountRangeBranches } from './account-ranges.ts'

describe('accountRangeBranches', () => {
  it('groups the accounts that share a date range into one branch, one branch per distinct range', () => {
    const branches = accountRangeBranches([
      ['berlin', { since: '2026-03-01', until: '2026-03-07' }],
      ['tokyo', { since: '2026-03-02', until: '2026-03-08' }],
      ['paris', { since: '2026-03-01', until: '2026-03-07' }],
    ])
    expect(branches).toEqual([
      { adAccountId: { in: ['berlin', 'paris'] }, date: { gte: new Date('2026-03-01T00:00:00Z'), lte: new Date('2026-03-07T00:00:00Z') } },
      { adAccountId: { in: ['tokyo'] }, date: { gte: new Date('2026-03-02T00:00:00Z'), lte: new Date('2026-03-08T00:00:00Z') } },
    ])
  })

  it('gives no branch for no account', () => {
    expect(accountRangeBranches([])).toEqual([])
  })
})
