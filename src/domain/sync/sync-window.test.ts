import { describe, expect, it } from 'vitest'
import { backfillWindow, syncWindow } from './sync-window.ts'

describe('syncWindow', () => {
  const now = new Date('2026-11-25T03:00:00Z')
  it('fetches the last 28 account-local days on the first sync', () => {
    expect(syncWindow({ now, timeZone: 'America/New_York', lastSyncedDate: null })).toEqual({ since: '2026-10-28', until: '2026-11-24' })
    expect(syncWindow({ now, timeZone: 'Asia/Tokyo', lastSyncedDate: null })).toEqual({ since: '2026-10-29', until: '2026-11-25' })
  })
  it('then fetches the last 8 days, which Meta still revises (the fast loop: the last 3)', () => {
    expect(syncWindow({ now, timeZone: 'Asia/Tokyo', lastSyncedDate: '2026-11-25' })).toEqual({ since: '2026-11-18', until: '2026-11-25' })
    expect(syncWindow({ now, timeZone: 'Asia/Tokyo', lastSyncedDate: '2026-11-25', fast: true })).toEqual({
      since: '2026-11-23',
      until: '2026-11-25',
    })
  })
  it('reaches back to the last sync after downtime, but never past 28 days', () => {
    expect(syncWindow({ now, timeZone: 'Asia/Tokyo', lastSyncedDate: '2026-11-15' })).toEqual({ since: '2026-11-08', until: '2026-11-25' })
    expect(syncWindow({ now, timeZone: 'Asia/Tokyo', lastSyncedDate: '2026-01-01' })).toEqual({ since: '2026-10-29', until: '2026-11-25' })
  })
  it('a full sync always takes 28 days', () => {
    expect(syncWindow({ now, timeZone: 'UTC', lastSyncedDate: '2026-11-25', full: true }).since).toBe('2026-10-29')
  })
  it('backfills the 35 days before the first window, so 30-day comparisons have a previous period', () => {
    expect(backfillWindow({ now, timeZone: 'Asia/Tokyo' })).toEqual({ since: '2026-09-24', until: '2026-10-28' })
  })
})
