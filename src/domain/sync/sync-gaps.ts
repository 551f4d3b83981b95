/**
 * Days a sync could not fetch (AdAccount.syncGaps): a report run that failed down to single days, or one that did not
 * finish before the deadline. Their stored days are left as they were; the next sync fetches them again; every
 * surface that shows an account's freshness says it is partly synced and names them.
 */
import { addDays, daysBetween, formatDayRange, type IsoDate } from '../../lib/dates.ts'
import type { DateRange } from '../metrics/periods.ts'

export interface SyncGap {
  since: IsoDate
  until: IsoDate
  /** `deadline`: Meta's report did not finish in time; `failed`: Meta's report failed (even one day at a time). */
  reason: 'deadline' | 'failed'
  /** When the sync gave up on these days (ISO instant). */
  at: string
  /** For `deadline`: how long the sync waited, in minutes. */
  waitedMinutes?: number
  /** For `failed`: Meta's message, when it gave one. */
  detail?: string
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/

/** AdAccount.syncGaps (JSON) as gaps; anything malformed is dropped rather than trusted. */
export function readSyncGaps(json: unknown): SyncGap[] {
  if (!Array.isArray(json)) return []
  const out: SyncGap[] = []
  for (const g of json) {
    if (g === null || typeof g !== 'object') continue
    const r = g as Record<string, unknown>
    if (typeof r.since !== 'string' || typeof r.until !== 'string' || !DATE_RE.test(r.since) || !DATE_RE.test(r.until)) continue
    if (r.since > r.until) continue
    const gap: SyncGap = {
      since: r.since,
      until: r.until,
      reason: r.reason === 'failed' ? 'failed' : 'deadline',
      at: typeof r.at === 'string' ? r.at : new Date(0).toISOString(),
    }
    if (typeof r.waitedMinutes === 'number' && Number.isFinite(r.waitedMinutes)) gap.waitedMinutes = r.waitedMinutes
    if (typeof r.detail === 'string' && r.detail !== '') gap.detail = r.detail.slice(0, 300)
    out.push(gap)
  }
  return out
}

/** "Meta's report for 1 Nov – 14 Nov did not finish within 15 min; retried at the next sync." (plain text) */
export function describeSyncGap(gap: SyncGap): string {
  const days = formatDayRange(gap.since, gap.until)
  if (gap.reason === 'failed') {
    return `Meta could not produce the report for ${days}${gap.detail ? ` (${gap.detail})` : ''}; retried at the next sync.`
  }
  const within = gap.waitedMinutes === undefined ? '' : ` within ${gap.waitedMinutes} min`
  return `Meta's report for ${days} did not finish${within}; retried at the next sync.`
}

/** "partly synced: Sat 1 Nov – Fri 14 Nov missing" for a freshness note; null without gaps. */
export function partlySyncedNote(gaps: readonly SyncGap[]): string | null {
  if (gaps.length === 0) return null
  // The most recent days first: those are the ones a reader of today's figures misses.
  const shown = [...gaps]
    .sort((a, b) => (a.since > b.since ? -1 : 1))
    .slice(0, 3)
    .map((g) => formatDayRange(g.since, g.until))
  const more = gaps.length > shown.length ? ` and ${gaps.length - shown.length} more` : ''
  return `partly synced: ${shown.join(', ')}${more} missing`
}

/** Sorted, with overlapping and adjacent ranges joined. */
export function mergeRanges(ranges: readonly DateRange[]): DateRange[] {
  const sorted = [...ranges].filter((r) => r.since <= r.until).sort((a, b) => (a.since < b.since ? -1 : a.since > b.since ? 1 : 0))
  const out: DateRange[] = []
  for (const r of sorted) {
    const last = out[out.length - 1]
    if (last && r.since <= addDays(last.until, 1)) {
      if (r.until > last.until) last.until = r.until
    } else {
      out.push({ since: r.since, until: r.until })
    }
  }
  return out
}

export function dayCount(range: DateRange): number {
  return daysBetween(range.since, range.until) + 1
}

/** Two halves of a range of at least two days: the first has the extra day of an odd count. */
export function splitRange(range: DateRange): [DateRange, DateRange] {
  const firstDays = Math.ceil(dayCount(range) / 2)
  const mid = addDays(range.since, firstDays - 1)
  return [
    { since: range.since, until: mid },
    { since: addDays(mid, 1), until: range.until },
  ]
}

/** The gaps' days that none of `covered` fetched (a gap partly fetched again keeps only its missing days). */
export function withoutCovered(gaps: readonly SyncGap[], covered: readonly DateRange[]): SyncGap[] {
  let out = [...gaps]
  for (const c of covered) {
    out = out.flatMap((g) => {
      if (c.until < g.since || c.since > g.until) return [g]
      const left = c.since > g.since ? [{ ...g, until: addDays(c.since, -1) }] : []
      const right = c.until < g.until ? [{ ...g, since: addDays(c.until, 1) }] : []
      return [...left, ...right]
    })
  }
  return out
}

/**
 * Gaps sorted, with touching or overlapping ones of the same reason joined into one (a run split down to single days
 * that all failed is one gap of those days, not one line per day); the later one's time and detail win.
 */
export function joinGaps(gaps: readonly SyncGap[]): SyncGap[] {
  const sorted = [...gaps].sort((a, b) => (a.since < b.since ? -1 : a.since > b.since ? 1 : 0))
  const out: SyncGap[] = []
  for (const g of sorted) {
    const last = out[out.length - 1]
    if (last && last.reason === g.reason && g.since <= addDays(last.until, 1)) {
      out[out.length - 1] = { ...last, ...g, since: last.since, until: [last.until, g.until].sort()[1] ?? last.until }
    } else {
      out.push({ ...g })
    }
  }
  return out
}
