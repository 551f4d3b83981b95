import { loadSettings, type WorkspaceSettings } from '../../domain/settings/workspace-settings.ts'
import { accountsToSync } from '../../domain/sync/accounts-to-sync.ts'
import { inFastLoopHours } from '../fast-loop-hours.ts'
import type { JobDeps } from '../job-deps.ts'
import { emptyPayload, type JobDefinition, type RecurringJob } from '../job-queue.ts'
import { queueSync, type SyncAccountPayload } from './sync-account.ts'

/** How often the tick looks for accounts due a fast sync (each is synced about hourly: see FAST_SYNC_EVERY_MS). */
const TICK_EVERY_MS = 15 * 60_000
/**
 * An account synced (regular or fast) less than this long ago is not due yet. A little under an hour, so a tick that
 * runs a few minutes early or a sync that took a while still gives one sync an hour rather than one every 75 minutes.
 */
export const FAST_SYNC_EVERY_MS = 55 * 60_000

/**
 * Every 15 minutes: a fast sync (the last 3 days) of every syncing account whose local hour is inside its workspace's
 * fast-loop hours (setting `monitoring`) and that no sync has touched for about an hour. The fast sync runs the
 * optimizer and the intraday alerts after it (sync-account), so a problem that starts in the morning can be flagged
 * the same afternoon instead of at the next SYNC_INTERVAL_HOURS sync. It shares the regular sync's dedupe key, so the
 * two never run together on one account. An account never synced waits for its first (regular, 28-day) sync.
 * Skipped while sweepsOnHold, like sync-all.
 */
export function createFastSyncTickJob(
  deps: Pick<JobDeps, 'domain' | 'queue' | 'sweepsOnHold'>,
  jobs: { syncAccount: JobDefinition<SyncAccountPayload> },
): RecurringJob {
  return {
    definition: {
      name: 'fast-sync-tick',
      schema: emptyPayload,
      attempts: 1,
      async handler(_payload, ctx) {
        if (deps.sweepsOnHold?.()) {
          ctx.logger.debug('fast-sync-tick skipped: waiting for Slack to name the workspace this deployment serves (auth.test)')
          return
        }
        const { prisma } = deps.domain
        const now = deps.domain.now()
        const recent = new Date(now.getTime() - FAST_SYNC_EVERY_MS)
        const accounts = await prisma.adAccount.findMany({
          where: {
            id: { in: await accountsToSync(prisma) },
            lastSyncedAt: { not: null, lte: recent },
            OR: [{ fastSyncedAt: null }, { fastSyncedAt: { lte: recent } }],
          },
          select: { id: true, workspaceId: true, timezoneName: true },
          orderBy: { lastSyncedAt: 'asc' },
        })
        const settings = new Map<string, WorkspaceSettings>()
        let queued = 0
        for (const a of accounts) {
          let s = settings.get(a.workspaceId)
          if (!s) {
            s = await loadSettings(prisma, a.workspaceId)
            settings.set(a.workspaceId, s)
          }
          if (!inFastLoopHours(s.monitoring, now, a.timezoneName)) continue
          if (await queueSync(deps.queue(), jobs.syncAccount, { adAccountId: a.id, fast: true })) queued++
        }
        if (queued > 0) ctx.logger.info({ queued }, 'fast syncs queued')
      },
    },
    schedule: { everyMs: TICK_EVERY_MS },
  }
}
