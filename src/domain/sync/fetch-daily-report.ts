/**
 * Reads a daily Insights report over some day ranges, page by page, the way Meta asks large reads to be made
 * (reference §3 "Async report runs", §8): a range estimated too large goes straight to an async report run; a
 * synchronous read that Meta cannot answer in time (kind `too_large`: 100/1504018, 2/1504038, 100/1487534,
 * -3/1504045) is never retried as is but read again as a report run. A run is polled with a capped backoff until it
 * is complete ("Job Completed" and 100%) or the deadline passes; a failed run is split in two halves, down to one
 * day. A range that still fails, or outlives the deadline, becomes a gap: its rows are not used, and the caller
 * leaves its stored days alone. Any other error (auth, throttling past the client's retries, …) is thrown.
 */
import { classifyMetaError, isMetaApiError, MetaApiError } from '../../integrations/meta/errors.ts'
import type { DailyReport, DailyReportRows, MetaApi } from '../../integrations/meta/meta-api.ts'
import type { Logger } from '../../lib/logger.ts'
import type { DateRange } from '../metrics/periods.ts'
import { dayCount, mergeRanges, type SyncGap, splitRange } from './sync-gaps.ts'
import type { SyncSettings } from './sync-settings.ts'

export interface ReportSource {
  meta: Pick<MetaApi, 'fetchDailyReport' | 'startDailyReport' | 'getReportRun' | 'readDailyReport'>
  token: string
  metaAccountId: string
  currency: string
  settings: SyncSettings
  logger: Logger
  now: () => Date
}

export interface ReportReadStats {
  /** Ranges read synchronously to the end. */
  syncReads: number
  /** Report runs started (splits included). */
  asyncRuns: number
  /** Synchronous reads Meta could not answer in time, read again async. */
  fallbacks: number
}

export interface ReportReadResult {
  /** The ranges whose rows were all handed to `onPage` (sorted, merged). */
  covered: DateRange[]
  gaps: SyncGap[]
  stats: ReportReadStats
}

/**
 * Reads `report` for each range: async up front when `estimateRows(range)` is above the settings' threshold,
 * otherwise synchronously with the async fallback. `onPage` gets each page as it arrives (memory bounded by a page);
 * pages of a range that ends up a gap may already have been handed over: the caller only keeps rows of `covered`.
 */
export async function readDailyReport<K extends DailyReport>(
  src: ReportSource,
  report: K,
  ranges: readonly DateRange[],
  estimateRows: (range: DateRange) => number,
  onPage: (rows: DailyReportRows[K][]) => Promise<void>,
): Promise<ReportReadResult> {
  const covered: DateRange[] = []
  const gaps: SyncGap[] = []
  const stats: ReportReadStats = { syncReads: 0, asyncRuns: 0, fallbacks: 0 }
  // One deadline for the whole read, not one per run: halves of a failed run do not each get the full wait again.
  const deadline = src.settings.clockMs() + src.settings.reportDeadlineMs

  async function runAsync(range: DateRange): Promise<void> {
    stats.asyncRuns++
    const outcome = await runReport(src, report, range, deadline, onPage)
    if (outcome.kind === 'completed') {
      covered.push(range)
    } else if (outcome.kind === 'failed' && dayCount(range) > 1) {
      src.logger.info({ report, ...range, detail: outcome.detail }, 'Meta report run failed; splitting the range')
      for (const half of splitRange(range)) await runAsync(half)
    } else {
      const at = src.now().toISOString()
      gaps.push(
        outcome.kind === 'failed'
          ? { ...range, reason: 'failed', at, ...(outcome.detail ? { detail: outcome.detail } : {}) }
          : { ...range, reason: 'deadline', at, waitedMinutes: Math.round(src.settings.reportDeadlineMs / 60_000) },
      )
      src.logger.warn({ report, ...range, outcome: outcome.kind }, 'Meta report left a gap; the next sync retries it')
    }
  }

  for (const range of mergeRanges(ranges)) {
    if (estimateRows(range) > src.settings.asyncAboveRows) {
      await runAsync(range)
      continue
    }
    try {
      for await (const page of src.meta.fetchDailyReport(src.token, src.metaAccountId, report, { ...range, currency: src.currency })) {
        await onPage(page)
      }
      stats.syncReads++
      covered.push(range)
    } catch (err) {
      if (!isMetaApiError(err) || err.kind !== 'too_large') throw err
      // "Try a smaller date range, fetch less data, or use async jobs": never the same request again.
      stats.fallbacks++
      src.logger.info({ report, ...range, code: err.code, subcode: err.subcode }, 'Insights too large to read synchronously; going async')
      await runAsync(range)
    }
  }
  return { covered: mergeRanges(covered), gaps, stats }
}

type RunOutcome = { kind: 'completed' } | { kind: 'failed'; detail: string | undefined } | { kind: 'deadline' }

/** One report run over `range`: start, poll until done or the deadline, then hand its pages to `onPage`. */
async function runReport<K extends DailyReport>(
  src: ReportSource,
  report: K,
  range: DateRange,
  deadline: number,
  onPage: (rows: DailyReportRows[K][]) => Promise<void>,
): Promise<RunOutcome> {
  const { meta, token, settings } = src
  if (settings.clockMs() >= deadline) return { kind: 'deadline' }
  try {
    const runId = await meta.startDailyReport(token, src.metaAccountId, report, range)
    let wait = settings.pollFirstMs
    for (;;) {
      const run = await meta.getReportRun(token, runId)
      if (run.completed) break
      if (run.failed) {
        refuseInvalidReport(run.error)
        return { kind: 'failed', detail: run.error?.message ?? undefined }
      }
      const left = deadline - settings.clockMs()
      if (left <= 0) return { kind: 'deadline' }
      await settings.sleep(Math.min(wait, left))
      wait = Math.min(Math.round(wait * 1.5), settings.pollMaxMs)
    }
    for await (const page of meta.readDailyReport(token, runId, report, src.currency)) await onPage(page)
    return { kind: 'completed' }
  } catch (err) {
    // A run Meta reports as failed (-2/2490547) or too large for it: the same as "Job Failed", split it.
    if (isMetaApiError(err) && (err.kind === 'report_failed' || err.kind === 'too_large')) {
      return { kind: 'failed', detail: err.userMsg ?? undefined }
    }
    throw err
  }
}

/**
 * A run that failed because the request itself is wrong (v25+ error fields: an invalid breakdown or metric, a
 * permission, the token) fails the same way however small the range: thrown, never split or retried as a gap.
 */
function refuseInvalidReport(error: { code: number | null; subcode: number | null; message: string | null } | null): void {
  if (error?.code === null || error?.code === undefined) return
  const kind = classifyMetaError({ code: error.code, subcode: error.subcode ?? undefined })
  if (kind !== 'validation' && kind !== 'permission' && kind !== 'auth') return
  throw new MetaApiError({
    message: error.message ?? `Meta's report failed (${error.code}/${error.subcode ?? '-'})`,
    kind,
    code: error.code,
    subcode: error.subcode ?? undefined,
    userMsg: error.message ?? undefined,
  })
}
