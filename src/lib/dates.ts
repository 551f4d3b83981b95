/** Calendar days as 'YYYY-MM-DD' strings, computed in a given IANA time zone. */
export type IsoDate = string

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    formatters.set(timeZone, f)
  }
  return f
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone)
    return true
  } catch {
    return false
  }
}

/** The calendar day it is at `at` in `timeZone`. */
export function localDate(at: Date, timeZone: string): IsoDate {
  return formatterFor(timeZone).format(at)
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)
}

const wallClockFormatters = new Map<string, Intl.DateTimeFormat>()

/** A formatter of the full wall-clock time in `timeZone` (built once per zone, like formatterFor); the Meta simulator uses it too. */
export function wallClockFormatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = wallClockFormatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    wallClockFormatters.set(timeZone, f)
  }
  return f
}

/** The UTC instant at which `date` begins in `timeZone`. */
export function startOfLocalDay(date: IsoDate, timeZone: string): Date {
  const wall = Date.parse(`${date}T00:00:00Z`)
  const parts = wallClockFormatterFor(timeZone)
  const offsetAt = (t: number) => {
    const p = Object.fromEntries(parts.formatToParts(new Date(t)).map((x) => [x.type, x.value]))
    return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) - t
  }
  let guess = wall - offsetAt(wall)
  guess = wall - offsetAt(guess)
  return new Date(guess)
}

/** A DATE column value (Prisma maps @db.Date to a Date at UTC midnight). */
export function toDbDate(date: IsoDate): Date {
  return new Date(`${date}T00:00:00Z`)
}

export function fromDbDate(d: Date): IsoDate {
  return d.toISOString().slice(0, 10)
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/**
 * Promoly's one date format, on every surface (cards, history, digests, metrics, suggestions): "Thu 4 Dec" for a
 * day, "4 Dec 2026" when the year matters (`withYear`). Fixed English names, whatever the runtime's ICU data.
 */
export function formatDay(date: IsoDate, options: { withYear?: boolean } = {}): string {
  const at = new Date(`${date}T00:00:00Z`)
  const day = `${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]}`
  return options.withYear ? `${day} ${at.getUTCFullYear()}` : `${WEEKDAYS[at.getUTCDay()]} ${day}`
}

/** A day range in the one format: "Thu 4 Dec", or "Mon 1 Dec – Thu 4 Dec". */
export function formatDayRange(since: IsoDate, until: IsoDate): string {
  return since === until ? formatDay(since) : `${formatDay(since)} – ${formatDay(until)}`
}

/** A moment in the one format, at UTC: "Thu 4 Dec, 14:05 UTC". */
export function formatDateTime(at: Date): string {
  return `${formatDay(at.toISOString().slice(0, 10))}, ${at.toISOString().slice(11, 16)} UTC`
}

/** Text with every ISO day in it ("2026-12-04") written in the one format ("Fri 4 Dec"): for stored sentences. */
export function withFormattedDays(text: string): string {
  return text.replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, (iso, y: string, m: string, d: string) => {
    const at = new Date(`${iso}T00:00:00Z`)
    const valid = at.getUTCFullYear() === Number(y) && at.getUTCMonth() + 1 === Number(m) && at.getUTCDate() === Number(d)
    return valid ? formatDay(iso) : iso
  })
}

/** Hour (0–23) and minute on the wall clock of `timeZone` at `at`. */
export function wallClockTime(at: Date, timeZone: string): { hour: number; minute: number } {
  const parts = Object.fromEntries(
    wallClockFormatterFor(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  )
  return { hour: Number(parts.hour) % 24, minute: Number(parts.minute) }
}

/**
 * Whether `hour` falls in [from, until): equal bounds mean never (a setting's "off"), and a start after the end wraps
 * past midnight (from 22 until 6 covers 22:00–05:59).
 */
export function withinHours(hour: number, from: number, until: number): boolean {
  if (from === until) return false
  return from < until ? hour >= from && hour < until : hour >= from || hour < until
}
