/**
 * The IANA time zones people choose from (Intl.supportedValuesOf('timeZone') and UTC), and what a typed one
 * means: the zone whatever its case or spaces ("europe/berlin", "America/New York"), else the closest names.
 */
import { isValidTimeZone } from './dates.ts'
import { editDistance } from './edit-distance.ts'

let zones: readonly string[] | undefined

/** Every selectable time zone, sorted, UTC included. */
export function timeZoneNames(): readonly string[] {
  zones ??= [...new Set([...Intl.supportedValuesOf('timeZone'), 'UTC'])].sort()
  return zones
}

const key = (typed: string) => typed.trim().replace(/\s+/g, '_').toLowerCase()

/** A supported zone's name, canonical case, for what was typed ("europe/berlin" → "Europe/Berlin"); undefined if none. */
export function canonicalTimeZone(typed: string): string | undefined {
  const k = key(typed)
  if (k === '') return undefined
  const listed = timeZoneNames().find((z) => z.toLowerCase() === k)
  if (listed) return listed
  // Names Intl knows but does not list (Asia/Kolkata where it lists Asia/Calcutta, US/Eastern, Etc/GMT+5): as typed.
  const name = typed.trim().replace(/\s+/g, '_')
  return isValidTimeZone(name) ? name : undefined
}

/**
 * The zones closest to a typed name that is none ("Europe/Berln", "Berlin", "new york"), best first: by the whole
 * name or by its city; at most `n`, only near misses.
 */
export function closestTimeZones(typed: string, n = 3): string[] {
  const k = key(typed)
  if (k === '') return []
  const max = Math.max(2, Math.floor(k.length / 4))
  const scored: Array<{ zone: string; d: number }> = []
  for (const zone of timeZoneNames()) {
    const z = zone.toLowerCase()
    const city = z.slice(z.lastIndexOf('/') + 1)
    const d = Math.min(editDistance(k, z, max), editDistance(k, city, max))
    if (d <= max) scored.push({ zone, d })
  }
  return scored
    .sort((a, b) => a.d - b.d || a.zone.localeCompare(b.zone))
    .slice(0, n)
    .map((s) => s.zone)
}

/** "UTC+01:00" now (or at `at`): the zone's offset from UTC, as Intl writes it ("UTC+00:00" for UTC). */
export function utcOffsetLabel(timeZone: string, at: Date = new Date()): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value
  return !part || part === 'GMT' ? 'UTC+00:00' : part.replace('GMT', 'UTC')
}
