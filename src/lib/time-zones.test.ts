import { describe, expect, it } from 'vitest'
import { canonicalTimeZone, closestTimeZones, timeZoneNames, utcOffsetLabel } from './time-zones.ts'

describe('time zones', () => {
  it('lists every IANA zone Intl supports, and UTC', () => {
    expect(timeZoneNames()).toContain('Europe/Berlin')
    expect(timeZoneNames()).toContain('UTC')
    expect(timeZoneNames().length).toBeGreaterThan(300)
  })

  it('reads a typed zone whatever its case or spaces, and names Intl knows but does not list', () => {
    expect(canonicalTimeZone('europe/berlin')).toBe('Europe/Berlin')
    expect(canonicalTimeZone(' America/New York ')).toBe('America/New_York')
    expect(canonicalTimeZone('utc')).toBe('UTC')
    expect(canonicalTimeZone('Asia/Kolkata')).toBe('Asia/Kolkata')
    expect(canonicalTimeZone('Europe/Berln')).toBeUndefined()
    expect(canonicalTimeZone('')).toBeUndefined()
  })

  it('offers the closest zones for a near miss, by the whole name or the city, and nothing for garbage', () => {
    expect(closestTimeZones('Europe/Berln')[0]).toBe('Europe/Berlin')
    expect(closestTimeZones('Amerca/Chicago')[0]).toBe('America/Chicago')
    expect(closestTimeZones('Tokio')[0]).toBe('Asia/Tokyo')
    expect(closestTimeZones('new york')[0]).toBe('America/New_York')
    expect(closestTimeZones('Mars/Olympus_Mons')).toEqual([])
  })

  it('labels a zone with its offset at a given moment', () => {
    const winter = new Date('2026-01-15T12:00:00Z')
    expect(utcOffsetLabel('Asia/Kolkata', winter)).toBe('UTC+05:30')
    expect(utcOffsetLabel('America/New_York', winter)).toBe('UTC-05:00')
    expect(utcOffsetLabel('Europe/Berlin', new Date('2026-07-15T12:00:00Z'))).toBe('UTC+02:00')
    expect(utcOffsetLabel('UTC', winter)).toBe('UTC+00:00')
  })
})
