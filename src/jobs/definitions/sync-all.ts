import { accountsToSync } from '../../domain/sync/accounts-to-sync.ts'
import type { JobDeps } from '../job-deps.ts'
import { emptyPayload, type JobDefinition, type RecurringJob } from '../job-queue.ts'
import { queueSync, type SyncAccountPayload } from './sync-account.ts'

/** Every SYNC_INTERVAL_HOURS, and once at start-up: a sync of every account that syncs. */
export function createSyncAllJob(
  deps: Pick<JobDeps, 'domain' | 'queue' | 'syncIntervalMs'>,
  jobs: { syncAccount: JobDefinition<SyncAccountPayload> },
): RecurringJob {
  return {
    definition: {
      name: 'sync-all',
      schema: emptyPayload,
      attempts: 1,
      async handler() {
        for (const id of await accountsToSync(deps.domain.prisma)) await queueSync(deps.queue(), jobs.syncAccount, { adAccountId: id })
      },
    },
    schedule: { everyMs: deps.syncIntervalMs },
    atStartup: true,
  }
}
