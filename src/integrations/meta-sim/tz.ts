/**
 * Calendar-day and time-zone helpers. Dates are `YYYY-MM-DD` strings in an ad account's time zone;
 * instants are epoch milliseconds. Only `Intl` is used (no dependencies); results are memoised
 * because insights generation asks for the same day boundaries thousands of times.
 */

import { wallClockFormatterFor } from '../../lib/dates.ts'

const DAY_MS = 86_400_000

interface WallClock {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

/** Wall-clock fields of an instant in a time zone. */
function wallClock(instantMs: number, timeZone: string): WallClock {
  const out: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 }
  for (const p of wallClockFormatterFor(timeZone).formatToParts(new Date(instantMs))) {
    if (p.type === 'year' || p.type === 'month' || p.type === 'day' || p.type === 'hour' || p.type === 'minute' || p.type === 'second') {
      out[p.type] = Number(p.value)
    }
  }
  if (out.hour === 24) out.hour = 0
  return out
}

/** Whether Intl knows this IANA zone name. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    wallClockFormatterFor(timeZone)
    return true
  } catch {
    return false
  }
}

/** UTC offset of the zone at an instant, in minutes (e.g. -300 for New York in winter). */
export function offsetMinutes(instantMs: number, timeZone: string): number {
  const w = wallClock(instantMs, timeZone)
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second)
  return Math.round((asUtc - Math.floor(instantMs / 1000) * 1000) / 60_000)
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}

/** The calendar date of an instant in a zone. */
export function localDate(instantMs: number, timeZone: string): string {
  const w = wallClock(instantMs, timeZone)
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`
}

function dateToUtcMs(date: string): number {
  const y = Number(date.slice(0, 4))
  const m = Number(date.slice(5, 7))
  const d = Number(date.slice(8, 10))
  return Date.UTC(y, m - 1, d)
}

/** True for a real calendar date in `YYYY-MM-DD` form. */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const ms = dateToUtcMs(value)
  return new Date(ms).toISOString().slice(0, 10) === value
}

export function addDays(date: string, days: number): string {
  return new Date(dateToUtcMs(date) + days * DAY_MS).toISOString().slice(0, 10)
}

/** The earlier of two `YYYY-MM-DD` dates (they order as strings). */
export function earlierDate(a: string, b: string): string {
  return a < b ? a : b
}

/** Whole days from `a` to `b` (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((dateToUtcMs(b) - dateToUtcMs(a)) / DAY_MS)
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  return new Date(dateToUtcMs(date)).getUTCDay()
}

/** Inclusive list of dates from `since` to `until`. */
export function dateRange(since: string, until: string): string[] {
  const out: string[] = []
  for (let d = since; d <= until; d = addDays(d, 1)) out.push(d)
  return out
}

const zonedCache = new Map<string, number>()

/** The instant at which a local wall-clock time occurs in a zone (DST gaps resolve forward). */
export function zonedTimeToUtc(date: string, timeZone: string, hour = 0, minute = 0, second = 0): number {
  const key = `${timeZone}|${date}|${hour}|${minute}|${second}`
  const cached = zonedCache.get(key)
  if (cached !== undefined) return cached
  const local = dateToUtcMs(date) + ((hour * 60 + minute) * 60 + second) * 1000
  let guess = local - offsetMinutes(local, timeZone) * 60_000
  guess = local - offsetMinutes(guess, timeZone) * 60_000
  if (zonedCache.size > 50_000) zonedCache.clear()
  zonedCache.set(key, guess)
  return guess
}

const boundsCache = new Map<string, { start: number; end: number }>()

/** Start (inclusive) and end (exclusive) instants of a local calendar day (memoised). */
export function dayBounds(date: string, timeZone: string): { start: number; end: number } {
  const key = `${timeZone}|${date}`
  let b = boundsCache.get(key)
  if (!b) {
    b = { start: zonedTimeToUtc(date, timeZone), end: zonedTimeToUtc(addDays(date, 1), timeZone) }
    if (boundsCache.size > 50_000) boundsCache.clear()
    boundsCache.set(key, b)
  }
  return b
}

/** Graph's timestamp format in the account's zone: `2026-11-17T09:12:45-0500`. */
export function graphTime(instantMs: number, timeZone: string): string {
  const w = wallClock(instantMs, timeZone)
  const off = offsetMinutes(instantMs, timeZone)
  const sign = off < 0 ? '-' : '+'
  const abs = Math.abs(off)
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const abbrFormatter = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Los_Angeles', timeZoneName: 'short' })

/**
 * The Pacific-time format Graph uses in token errors:
 * `Saturday, 21-Nov-26 10:00:00 PST`.
 */
export function pacificErrorTime(instantMs: number): string {
  const tz = 'America/Los_Angeles'
  const w = wallClock(instantMs, tz)
  const dayName = WEEKDAYS[weekday(`${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`)] ?? ''
  const abbr = abbrFormatter.formatToParts(new Date(instantMs)).find((p) => p.type === 'timeZoneName')?.value ?? 'PT'
  return `${dayName}, ${pad(w.day)}-${MONTHS[w.month - 1] ?? ''}-${pad(w.year % 100)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)} ${abbr}`
}
