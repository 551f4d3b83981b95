/**
 * Syncs one ad account at ad level (issue 12):
 * 1. Structure: campaigns, ad sets and ads with every effective status (archived and deleted too), one request a page.
 * 2. Daily ad Insights (`level=ad`, deleted ads included) for the window and any days earlier syncs could not fetch,
 *    page by page into AdDailyMetricStage (memory bounded by a page): synchronously, or as async report runs when the
 *    range is large or Meta times out (fetch-daily-report.ts). Then Meta's campaign-day reach, and the standard
 *    periods' reach.
 * 3. ONE transaction: structure upserts (bulk), staged rows into AdDailyMetric, ad-days Meta no longer reports
 *    deleted in the fully fetched ranges, campaign-days rolled up from the ads with Meta's reach over them, period
 *    reach, the last 7 days' results for the account's arrival curve (arrival-curve.ts), bookkeeping; the stage cleared. A failed sync leaves the previous data untouched.
 * Days Meta could not deliver (a report that failed down to single days, or outlived the deadline) become gaps
 * (AdAccount.syncGaps): their stored days stay as they were and the next sync fetches them again.
 *
 * Bookkeeping: `lastSyncedAt` is when a sync last committed (fully or partly); `lastSyncedDate` is the last
 * account-local day up to which the window was fetched without a gap (unchanged when its first day is a gap);
 * `adLevelSince` the earliest day ever synced at ad level (days before it are campaign-level history).
 * An expired or revoked token pauses the connection instead of failing forever.
 * `backfill`: fetch the older days before the first sync's window instead (run once, in the background, after the
 * first sync); it leaves lastSyncedAt/lastSyncedDate as they are. `fast`: the fast loop's sync of the last 3 days
 * only (sync-window.ts), without the periods' reach.
 */
import { randomUUID } from 'node:crypto'
import { isMetaApiError } from '../../integrations/meta/errors.ts'
import type { CampaignReachDay } from '../../integrations/meta/meta-api.ts'
import { addDays, fromDbDate, type IsoDate, localDate, toDbDate } from '../../lib/dates.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { recordAuditEvent } from '../audit/record-audit-event.ts'
import { connectionToken } from '../connections/connection-token.ts'
import type { DomainDeps } from '../deps.ts'
import { asAppError } from '../meta-errors.ts'
import type { DateRange } from '../metrics/periods.ts'
import { recordArrivals } from './arrival-curve.ts'
import { writeCampaignDayReach } from './campaign-day-reach.ts'
import { type ReportReadStats, type ReportSource, readDailyReport } from './fetch-daily-report.ts'
import { rollUpCampaignDays } from './roll-up-campaign-days.ts'
import { clearRunStage, clearStaleStage, deleteUnreportedAdDays, moveStagedAdDays, newSyncRunId, stageAdDays } from './stage-ad-days.ts'
import { joinGaps, mergeRanges, readSyncGaps, type SyncGap, withoutCovered } from './sync-gaps.ts'
import { type FetchedPeriodReach, fetchPeriodReach, reachRanges, storePeriodReach } from './sync-period-reach.ts'
import { syncSettings } from './sync-settings.ts'
import { adDaysEstimate, campaignDaysEstimate, fetchStructure, insightOnlyObjects, writeStructure } from './sync-structure.ts'
import { backfillWindow, syncWindow } from './sync-window.ts'

export { BUDGET_SEEN_CHANGED } from './sync-structure.ts'

export interface SyncAdAccountResult {
  adAccountId: string
  metaAccountId: string
  /** The ad account's name (as last synced). */
  name: string
  /** The window (the sync also refetches earlier gaps). */
  since: IsoDate
  until: IsoDate
  campaigns: number
  adSets: number
  ads: number
  /** Ad-days written. */
  metricRows: number
  /** Days that could not be fetched this time (retried at the next sync). */
  gaps: SyncGap[]
  /** How the daily ad Insights were read. */
  reads?: ReportReadStats
  /** Where the time went (ms): reading Meta (staging included), staging writes alone, the commit transaction. */
  timings?: {
    fetchMs: number
    stageMs: number
    commitMs: number
    /** The commit transaction's parts: structure upserts, staged rows into AdDailyMetric, roll-ups and reach, stage cleared. */
    commitSteps: { structureMs: number; moveMs: number; rollUpMs: number; clearStageMs: number }
  }
  /** Set when nothing was fetched, with the reason. */
  skipped?: 'sync_disabled' | 'needs_reconnect'
}

export async function syncAdAccount(
  deps: DomainDeps,
  options: { adAccountId: string; full?: boolean; backfill?: boolean; fast?: boolean },
): Promise<SyncAdAccountResult> {
  const account = await deps.prisma.adAccount.findUnique({ where: { id: options.adAccountId }, include: { connection: true } })
  if (!account) throw new AppError(AppErrorCode.NOT_FOUND, 'That ad account is no longer connected.')
  const backfill = options.backfill === true
  // The account-local day the numbers are fetched on: a day's age (for its arrival curve) counts from here.
  const today = localDate(deps.now(), account.timezoneName)
  const window = backfill
    ? backfillWindow({ now: deps.now(), timeZone: account.timezoneName })
    : syncWindow({
        now: deps.now(),
        timeZone: account.timezoneName,
        lastSyncedDate: account.lastSyncedDate ? fromDbDate(account.lastSyncedDate) : null,
        // The first ad-level sync of an account synced before ad sets and ads existed takes the whole 28 days.
        full: options.full || account.adLevelSince === null,
        fast: options.fast,
      })
  const base = {
    adAccountId: account.id,
    metaAccountId: account.metaAccountId,
    name: account.name,
    ...window,
    campaigns: 0,
    adSets: 0,
    ads: 0,
    metricRows: 0,
    gaps: [],
  }
  if (!account.syncEnabled) return { ...base, skipped: 'sync_disabled' }
  if (account.connection.status !== 'ACTIVE') return { ...base, skipped: 'needs_reconnect' }
  const token = connectionToken(deps, account.connection)
  const timeZone = account.timezoneName
  const settings = syncSettings(deps.sync)
  const previousGaps = readSyncGaps(account.syncGaps)
  // A sync also fetches again the days earlier syncs could not; a backfill only its own window.
  const ranges = backfill ? [window] : mergeRanges([window, ...previousGaps])
  const syncRunId = newSyncRunId(deps.now(), randomUUID())
  const run = { syncRunId, adAccountId: account.id }
  const src: ReportSource = {
    meta: deps.meta,
    token,
    metaAccountId: account.metaAccountId,
    currency: account.currency,
    settings,
    logger: deps.logger,
    now: deps.now,
  }

  await clearStaleStage(deps.prisma, account.id, deps.now())
  const timings = { fetchMs: 0, stageMs: 0, commitMs: 0 }
  const commitSteps = { structureMs: 0, moveMs: 0, rollUpMs: 0, clearStageMs: 0 }
  const fetchStarted = performance.now()
  let fetched: Awaited<ReturnType<typeof fetchAll>>
  try {
    fetched = await fetchAll()
  } catch (err) {
    await clearRunStage(deps.prisma, syncRunId).catch((e: unknown) => deps.logger.warn({ err: e }, 'could not clear the sync stage'))
    if (isMetaApiError(err) && (err.kind === 'auth' || err.kind === 'permission'))
      await pauseConnection(deps, account.connection.id, account.workspaceId, err)
    await deps.prisma.adAccount.update({ where: { id: account.id }, data: { lastSyncError: errorText(err) } })
    throw asAppError(err) ?? err
  }
  timings.fetchMs = performance.now() - fetchStarted
  const { structure, extra, adDays, reachDays, periodReach } = fetched
  const covered = adDays.covered
  let gaps: SyncGap[] = adDays.gaps

  const runAt = deps.now()
  let metricRows = 0
  const commitStarted = performance.now()
  try {
    await deps.prisma.$transaction(
      async (tx) => {
        // One commit at a time per account (a sync and a backfill may run side by side): the bookkeeping below is
        // merged into what the account holds now, not into what it held when this run started.
        const [now] = await tx.$queryRaw<Array<{ adLevelSince: Date | null; syncGaps: unknown; lastSyncedDate: Date | null }>>`
          SELECT "adLevelSince", "syncGaps", "lastSyncedDate" FROM "AdAccount" WHERE "id" = ${account.id} FOR UPDATE`
        if (!now) throw new AppError(AppErrorCode.NOT_FOUND, 'That ad account is no longer connected.')
        gaps = joinGaps(mergeGapLists(withoutCovered(readSyncGaps(now.syncGaps), covered), adDays.gaps))
        let at = performance.now()
        const lap = (step: keyof typeof commitSteps) => {
          const t = performance.now()
          commitSteps[step] += t - at
          at = t
        }
        const idByMetaId = await writeStructure(tx, { adAccountId: account.id, workspaceId: account.workspaceId, runAt }, structure, extra)
        lap('structureMs')
        metricRows = await moveStagedAdDays(tx, { ...run, syncedAt: runAt, covered })
        lap('moveMs')
        // Ad-days Meta no longer reports (revised to no delivery) must not linger; deleted ads are in the reads.
        await deleteUnreportedAdDays(tx, { adAccountId: account.id, syncedAt: runAt, covered })
        for (const range of covered) await rollUpCampaignDays(tx, { adAccountId: account.id, ...range, syncedAt: runAt })
        await writeCampaignDayReach(tx, account.id, reachDays, covered)
        if (periodReach) await storePeriodReach(tx, account.id, idByMetaId, periodReach, runAt)
        // What the last 7 days show now, beside what they showed 1, 2 and 3 days after: the account's arrival curve.
        await recordArrivals(tx, { adAccountId: account.id, today, covered, at: runAt })
        lap('rollUpMs')
        const earliest = covered[0]?.since
        const adLevelSince =
          earliest === undefined
            ? now.adLevelSince
            : toDbDate(now.adLevelSince && fromDbDate(now.adLevelSince) < earliest ? fromDbDate(now.adLevelSince) : earliest)
        const fetchedUpTo = lastFullyFetchedDay(window, gaps, now.lastSyncedDate)
        // Never backwards: a sync that started earlier but commits later does not undo a later one's progress.
        const lastSyncedDate =
          backfill || (now.lastSyncedDate && fetchedUpTo && fetchedUpTo < now.lastSyncedDate) ? now.lastSyncedDate : fetchedUpTo
        await tx.adAccount.update({
          where: { id: account.id },
          data: {
            adLevelSince,
            syncGaps: gaps.map((g) => ({ ...g })),
            ...(backfill ? {} : { lastSyncedAt: runAt, lastSyncedDate, lastSyncError: null }),
          },
        })
        await clearRunStage(tx, syncRunId)
        lap('clearStageMs')
      },
      { timeout: 300_000, maxWait: 30_000 },
    )
  } catch (err) {
    await clearRunStage(deps.prisma, syncRunId).catch((e: unknown) => deps.logger.warn({ err: e }, 'could not clear the sync stage'))
    throw err
  }
  timings.commitMs = performance.now() - commitStarted
  const rounded = Object.fromEntries(Object.entries(commitSteps).map(([k, v]) => [k, Math.round(v)])) as typeof commitSteps
  const counts = { campaigns: structure.campaigns.length, adSets: structure.adSets.length, ads: structure.ads.length }
  deps.logger.info(
    { adAccount: account.metaAccountId, ...window, ...counts, rows: metricRows, gaps: gaps.length, reads: adDays.stats, timings },
    gaps.length > 0 ? 'ad account partly synced' : 'ad account synced',
  )
  return { ...base, ...counts, metricRows, gaps, reads: adDays.stats, timings: { ...timings, commitSteps: rounded } }

  async function fetchAll() {
    const structure = await fetchStructure(deps.meta, token, src.metaAccountId)
    const extra = insightOnlyObjects(structure)
    // A page is written while the next one is fetched: at most two pages in memory, one write at a time.
    let writing: Promise<void> = Promise.resolve()
    let adDays: Awaited<ReturnType<typeof readDailyReport>>
    try {
      adDays = await readDailyReport(src, 'ad', ranges, adDaysEstimate(structure), async (rows) => {
        extra.see(rows)
        await writing
        const started = performance.now()
        writing = stageAdDays(deps.prisma, run, rows).then(() => {
          timings.stageMs += performance.now() - started
        })
        writing.catch(() => {}) // awaited (and thrown) before the next page or below: never an unhandled rejection
      })
    } finally {
      // Let the last write settle before anything clears the stage.
      await writing.catch(() => {})
    }
    await writing
    // Meta's campaign-day reach over the fully fetched ranges; days it cannot give keep the roll-up's lower bound.
    const reachDays: CampaignReachDay[] = []
    const reach = await readDailyReport(src, 'campaign_reach', adDays.covered, campaignDaysEstimate(structure), async (rows) => {
      reachDays.push(...rows)
    })
    if (reach.gaps.length > 0) deps.logger.warn({ gaps: reach.gaps }, 'campaign-day reach not available for some days')
    // The standard periods' true reach (not a sum of days); the backfill only adds older days, so it keeps the cache.
    // A period's reach Meta cannot compute in time keeps the cached figures: not worth failing the day's numbers for.
    // The fast loop (hourly) keeps the cached period reach too: the regular sync refreshes it.
    const periodReach: FetchedPeriodReach[] | null =
      backfill || options.fast
        ? null
        : await fetchPeriodReach(deps.meta, token, src.metaAccountId, reachRanges(deps.now(), timeZone)).catch((err: unknown) => {
            if (!isMetaApiError(err) || err.kind !== 'too_large') throw err
            deps.logger.warn({ code: err.code, subcode: err.subcode }, 'period reach too large to read now; the cached reach stays')
            return null
          })
    return { structure, extra, adDays, reachDays, periodReach }
  }
}

/** The window's last day up to which every day was fetched; the previous value when its first day is a gap. */
function lastFullyFetchedDay(window: DateRange, gaps: readonly SyncGap[], previous: Date | null): Date | null {
  const inWindow = gaps.filter((g) => g.until >= window.since && g.since <= window.until)
  if (inWindow.length === 0) return toDbDate(window.until)
  const firstMissing = inWindow.map((g) => g.since).sort()[0] ?? window.until
  return firstMissing <= window.since ? previous : toDbDate(addDays(firstMissing, -1))
}

/** A backfill's gaps beside the ones already known (same days: the newer wins). */
function mergeGapLists(known: readonly SyncGap[], fresh: readonly SyncGap[]): SyncGap[] {
  const key = (g: SyncGap) => `${g.since}|${g.until}`
  return [...new Map([...known, ...fresh].map((g) => [key(g), g])).values()].sort((a, b) => (a.since < b.since ? -1 : 1))
}

function errorText(err: unknown): string {
  return err instanceof AppError ? err.userMessage : err instanceof Error ? err.message.slice(0, 500) : String(err)
}

async function pauseConnection(deps: DomainDeps, connectionId: string, workspaceId: string, err: unknown) {
  const reason = errorText(err)
  await deps.prisma.$transaction(async (tx) => {
    await tx.metaConnection.update({ where: { id: connectionId }, data: { status: 'NEEDS_RECONNECT', statusReason: reason } })
    await recordAuditEvent(tx, {
      workspaceId,
      actorType: 'system',
      action: 'meta_connection.needs_reconnect',
      targetType: 'meta_connection',
      targetId: connectionId,
      data: { reason },
    })
  })
  deps.logger.warn({ connectionId }, 'Meta token rejected: connection paused until reconnected')
}
