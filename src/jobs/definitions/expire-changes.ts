import { expireChanges } from '../../domain/changes/decide-change.ts'
import type { JobDeps } from '../job-deps.ts'
import { emptyPayload, type RecurringJob } from '../job-queue.ts'

/** Every 5 minutes: pending changes past their expiry become EXPIRED, and their cards say so. */
export function createExpireChangesJob(deps: Pick<JobDeps, 'domain' | 'notifier'>): RecurringJob {
  return {
    definition: {
      name: 'expire-changes',
      schema: emptyPayload,
      attempts: 1,
      async handler() {
        for (const c of await expireChanges(deps.domain)) await deps.notifier.refreshChangeCard(c)
      },
    },
    schedule: { everyMs: 5 * 60_000 },
  }
}
