import { addDays, daysBetween, type IsoDate, localDate } from '../../lib/dates.ts'

/** Days of history fetched on an account's first sync. */
const FIRST_SYNC_DAYS = 28
/**
 * Meta still revises recent days (late conversions arrive for days): every regular sync fetches the last 8 again, so
 * each day is seen 1, 2, 3 … 7 days after it ended and the account's arrival curve can be learned (arrival-curve.ts).
 */
const REVISION_DAYS = 8
/** The fast loop (hourly in the account's daytime) fetches only today, yesterday and the day before. */
export const FAST_SYNC_DAYS = 3

/**
 * Which account-local days to fetch: the last 28 on the first sync, then the last 8 (`fast`: the last 3) — reaching
 * further back if the previous sync is older than that (the process was down), up to 28 days.
 */
export function syncWindow(options: { now: Date; timeZone: string; lastSyncedDate: IsoDate | null; full?: boolean; fast?: boolean }): {
  since: IsoDate
  until: IsoDate
} {
  const until = localDate(options.now, options.timeZone)
  const earliest = addDays(until, -(FIRST_SYNC_DAYS - 1))
  if (options.full || options.lastSyncedDate === null) return { since: earliest, until }
  const revision = options.fast ? FAST_SYNC_DAYS : REVISION_DAYS
  let since = addDays(until, -(revision - 1))
  const resumeFrom = addDays(options.lastSyncedDate, -(revision - 1))
  if (daysBetween(resumeFrom, since) > 0) since = resumeFrom
  if (daysBetween(earliest, since) < 0) since = earliest
  return { since, until }
}

/** Older days fetched in the background after the first sync: with its 28, enough for last_30d against the 30 days before. */
const BACKFILL_DAYS = 35

/** The days before the first sync's window, so 14- and 30-day comparisons have a previous period. */
export function backfillWindow(options: { now: Date; timeZone: string }): { since: IsoDate; until: IsoDate } {
  const today = localDate(options.now, options.timeZone)
  return { since: addDays(today, -(BACKFILL_DAYS + FIRST_SYNC_DAYS - 1)), until: addDays(today, -FIRST_SYNC_DAYS) }
}
