import { changesNeedingApply } from '../../domain/changes/apply-change.ts'
import type { JobDeps } from '../job-deps.ts'
import { emptyPayload, type JobDefinition, type RecurringJob } from '../job-queue.ts'
import { type ApplyChangePayload, queueApply } from './apply-change.ts'

/**
 * Every 15 seconds, and once at start-up: approved changes whose job was lost (restart, retries used up) or
 * whose worker died (its apply lease, APPLY_LEASE, ran out). A crashed apply is finished within lease + 15 s.
 */
const RECOVER_EVERY_MS = 15_000

export function createRecoverChangesJob(
  deps: Pick<JobDeps, 'domain' | 'queue'>,
  jobs: { applyChange: JobDefinition<ApplyChangePayload> },
): RecurringJob {
  return {
    definition: {
      name: 'recover-changes',
      schema: emptyPayload,
      attempts: 1,
      async handler(_p, ctx) {
        const stuck = await changesNeedingApply(deps.domain)
        for (const c of stuck) await queueApply(deps.queue(), jobs.applyChange, c)
        if (stuck.length > 0) ctx.logger.info({ count: stuck.length }, 'queued approved changes again')
      },
    },
    schedule: { everyMs: RECOVER_EVERY_MS },
    atStartup: true,
  }
}
