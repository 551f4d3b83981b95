/**
 * How the sync reads Insights: when it goes async up front, how long it waits for Meta's report runs, and how it
 * polls them. Defaults suit production; tests and benches override them through `DomainDeps.sync`.
 */

export interface SyncSettings {
  /** Estimated ad-day rows (ads that can have delivered × days) above which a range is read as an async report run. */
  asyncAboveRows: number
  /** How long one async report run may take before its days become a gap (retried at the next sync). */
  reportDeadlineMs: number
  /** First wait between two polls of a report run; it grows ×1.5 per poll up to `pollMaxMs`. */
  pollFirstMs: number
  pollMaxMs: number
  sleep: (ms: number) => Promise<void>
  /** A monotonic clock in ms (for the deadline; the domain's `now` may be frozen in tests). */
  clockMs: () => number
}

/** Meta says a report run "may take up to an hour"; a sync waits this long, then retries the days at the next one. */
const DEFAULT_REPORT_DEADLINE_MS = 15 * 60_000

/** Above this many estimated rows a synchronous Insights request risks Meta's timeout (100/1504018, 2/1504038). */
const DEFAULT_ASYNC_ABOVE_ROWS = 20_000

export function syncSettings(overrides: Partial<SyncSettings> | undefined): SyncSettings {
  return {
    asyncAboveRows: DEFAULT_ASYNC_ABOVE_ROWS,
    reportDeadlineMs: DEFAULT_REPORT_DEADLINE_MS,
    pollFirstMs: 2_000,
    pollMaxMs: 30_000,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    clockMs: () => performance.now(),
    ...overrides,
  }
}
