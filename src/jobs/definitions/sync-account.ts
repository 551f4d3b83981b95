import * as z from 'zod'
import { asAppError, isPermanentFailure, retryAfterMsOf } from '../../domain/meta-errors.ts'
import type { NotifyTarget } from '../../domain/notifier.ts'
import { syncAdAccount } from '../../domain/sync/sync-ad-account.ts'
import { accountInFastLoopHours } from '../fast-loop-hours.ts'
import type { JobDeps } from '../job-deps.ts'
import { type Job, type JobDefinition, type JobQueue, PermanentJobError } from '../job-queue.ts'
import { type IntradayAlertsPayload, queueIntradayAlerts } from './intraday-alerts.ts'
import { type OptimizeAccountPayload, queueOptimize } from './optimize-account.ts'

const notifySchema = z.object({ teamId: z.string(), channelId: z.string(), userId: z.string() }) satisfies z.ZodType<NotifyTarget>

export const syncAccountPayload = z.object({
  adAccountId: z.string().min(1),
  full: z.boolean().optional(),
  backfill: z.boolean().optional(),
  /** The fast loop's sync: the last 3 days only (fast-sync-tick, hourly in the account's daytime). */
  fast: z.boolean().optional(),
  /** Who asked for it (told how it went). */
  notify: notifySchema.optional(),
})
export type SyncAccountPayload = z.infer<typeof syncAccountPayload>

/**
 * Queues a sync of one account; a no-op (false) while one is already waiting or running. Regular, fast and backfill
 * syncs of an account share the key: never two at once on the same days.
 */
export function queueSync(queue: JobQueue, syncAccount: JobDefinition<SyncAccountPayload>, payload: SyncAccountPayload): Promise<boolean> {
  return queue.enqueue(syncAccount, payload, { dedupeKey: `sync-${payload.adAccountId}` })
}

/**
 * Syncs one ad account, then looks for what is worth changing. Meta's throttling is waited out;
 * an auth or permission error stops it for good (the connection pauses) and says so once.
 * A fast sync (the last 3 days) records fastSyncedAt, then runs the optimizer on the fresh recent days and checks
 * today's partial numbers for intraday alerts; a regular sync checks them too when it lands inside the account's
 * fast-loop hours (the alerts job decides what, if anything, to post).
 */
export function createSyncAccountJob(
  deps: Pick<JobDeps, 'domain' | 'notifier' | 'queue'>,
  jobs: { optimizeAccount: JobDefinition<OptimizeAccountPayload>; intradayAlerts: JobDefinition<IntradayAlertsPayload> },
): Job<SyncAccountPayload> {
  const { domain, notifier } = deps
  const syncAccount: JobDefinition<SyncAccountPayload> = {
    name: 'sync-account',
    schema: syncAccountPayload,
    attempts: 5,
    backoffMs: 5_000,
    async handler(payload, ctx) {
      try {
        const r = await syncAdAccount(domain, {
          adAccountId: payload.adAccountId,
          full: payload.full,
          backfill: payload.backfill,
          fast: payload.fast,
        })
        if (r.skipped === 'needs_reconnect') {
          if (payload.notify) await notifier.tellSyncOutcome(payload.notify, { kind: 'needs-reconnect' })
          return
        }
        if (r.skipped) return
        if (payload.fast) await domain.prisma.adAccount.update({ where: { id: r.adAccountId }, data: { fastSyncedAt: domain.now() } })
        if (payload.full) {
          // The first sync took 28 days: fetch the month before in the background for comparisons.
          await deps
            .queue()
            .enqueue(syncAccount, { adAccountId: r.adAccountId, backfill: true }, { dedupeKey: `backfill-${r.adAccountId}` })
        }
        // Fresh numbers: look for what is worth changing. After the first sync that is at once (its 28 days),
        // and again once the backfill has landed (the older days give the comparisons their baselines), so a
        // new install shows its findings without a manual sync. One optimizer run per account at a time.
        if (payload.backfill && r.metricRows === 0) return
        await queueOptimize(deps.queue(), jobs.optimizeAccount, r.adAccountId)
        if (payload.backfill) return
        if (payload.fast || (await accountInFastLoopHours(domain.prisma, r.adAccountId, domain.now())))
          await queueIntradayAlerts(deps.queue(), jobs.intradayAlerts, r.adAccountId)
        if (payload.notify) await notifier.tellSyncOutcome(payload.notify, { kind: 'synced', result: r })
      } catch (err) {
        const appErr = asAppError(err)
        const permanent = appErr !== undefined && isPermanentFailure(appErr)
        // Auth and permission errors pause the connection (sync-ad-account), so this notice is sent once.
        const retryAfterMs = appErr && retryAfterMsOf(appErr)
        if (retryAfterMs !== undefined) {
          // Meta said when it frees up: come back then instead of burning retries now.
          await deps.queue().enqueue(syncAccount, payload, { delayMs: retryAfterMs, dedupeKey: `sync-throttled-${payload.adAccountId}` })
          ctx.logger.info({ retryAfterMs }, 'Meta throttled the sync; rescheduled')
          return
        }
        if (permanent) {
          await notifier.tellSyncStopped(payload.adAccountId, payload.notify, appErr?.userMessage ?? 'Meta refused the request.')
          throw new PermanentJobError(appErr?.userMessage ?? 'sync failed', { cause: err })
        }
        if (ctx.attempt >= 5 && payload.notify)
          await notifier.tellSyncOutcome(payload.notify, { kind: 'failed', message: appErr?.userMessage })
        throw err
      }
    },
  }
  return { definition: syncAccount }
}
