/** The fast loop's hours: the account's wall-clock hour, and [from, until) with equal bounds off and wrapping past midnight. */
import { describe, expect, it } from 'vitest'
import { parseSettings } from '../domain/settings/workspace-settings.ts'
import { wallClockTime, withinHours } from '../lib/dates.ts'
import { inFastLoopHours } from './fast-loop-hours.ts'

describe('fast-loop hours', () => {
  it("reads the hour on the account's own clock", () => {
    const at = new Date('2026-11-25T15:30:00Z')
    expect(wallClockTime(at, 'UTC').hour).toBe(15)
    expect(wallClockTime(at, 'America/New_York').hour).toBe(10)
    expect(wallClockTime(at, 'Asia/Tokyo').hour).toBe(0)
    expect(wallClockTime(at, 'Asia/Kolkata').hour).toBe(21)
  })

  it('includes the first hour and excludes the last; equal bounds are never; a later start wraps past midnight', () => {
    expect([6, 7, 20, 21].map((h) => withinHours(h, 7, 21))).toEqual([false, true, true, false])
    expect([0, 9, 23].map((h) => withinHours(h, 9, 9))).toEqual([false, false, false])
    expect([21, 23, 0, 7, 8, 12].map((h) => withinHours(h, 21, 8))).toEqual([true, true, true, true, false, false])
    expect([0, 23].map((h) => withinHours(h, 0, 24))).toEqual([true, true])
  })

  it('uses the default 7–21 until an admin changes it', () => {
    const { monitoring } = parseSettings({})
    expect(inFastLoopHours(monitoring, new Date('2026-11-25T12:00:00Z'), 'America/New_York')).toBe(true)
    expect(inFastLoopHours(monitoring, new Date('2026-11-25T03:00:00Z'), 'America/New_York')).toBe(false)
  })
})
