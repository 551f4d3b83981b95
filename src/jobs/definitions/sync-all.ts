import { accountsToSync } from '../../domain/sync/accounts-to-sync.ts'
import type { JobDeps } from '../job-deps.ts'
import { emptyPayload, type JobDefinition, type RecurringJob } from '../job-queue.ts'
import { queueSync, type SyncAccountPayload } from './sync-account.ts'

/** Every SYNC_INTERVAL_HOURS, and once at start-up: a sync of every account that syncs (skipped while sweepsOnHold). */
export function createSyncAllJob(
  deps: Pick<JobDeps, 'domain' | 'queue' | 'syncIntervalMs' | 'sweepsOnHold'>,
  jobs: { syncAccount: JobDefinition<SyncAccountPayload> },
): RecurringJob {
  return {
    definition: {
      name: 'sync-all',
      schema: emptyPayload,
      attempts: 1,
      async handler(_payload, ctx) {
        if (deps.sweepsOnHold?.()) {
          ctx.logger.warn('sync-all skipped: waiting for Slack to name the workspace this deployment serves (auth.test)')
          return
        }
        for (const id of await accountsToSync(deps.domain.prisma)) await queueSync(deps.queue(), jobs.syncAccount, { adAccountId: id })
      },
    },
    schedule: { everyMs: deps.syncIntervalMs },
    atStartup: true,
  }
}
