import { describe, expect, it } from 'vitest'
import { startOfLocalDay } from './dates.ts'

describe('startOfLocalDay', () => {
  it('finds local midnight across time zones and daylight-saving changes', () => {
    expect(startOfLocalDay('2026-03-16', 'Asia/Tokyo').toISOString()).toBe('2026-03-15T15:00:00.000Z')
    expect(startOfLocalDay('2026-03-08', 'America/New_York').toISOString()).toBe('2026-03-08T05:00:00.000Z') // DST starts at 02:00
    expect(startOfLocalDay('2026-03-09', 'America/New_York').toISOString()).toBe('2026-03-09T04:00:00.000Z')
    expect(startOfLocalDay('2026-10-25', 'Europe/Berlin').toISOString()).toBe('2026-10-24T22:00:00.000Z')
  })
})
