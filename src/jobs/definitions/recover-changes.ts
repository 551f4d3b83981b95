import { changesNeedingApply } from '../../domain/changes/apply-change.ts'
import type { JobDeps } from '../job-deps.ts'
import { emptyPayload, type JobDefinition, type RecurringJob } from '../job-queue.ts'
import { type ApplyChangePayload, queueApply } from './apply-change.ts'

/**
 * Every 15 seconds, and once at start-up: approved changes whose job was lost (restart, retries used up) or
 * whose worker died (its apply lease, APPLY_LEASE 30 s, ran out). A crashed apply is taken up again within
 * lease + 15 s = 45 s of the crash (or of the restart, whichever is later) — measured on Redis with BullMQ in
 * recover-changes.int.test.ts. Each time a change is found stuck, its apply is queued under a key of its own
 * (the change and since when it is stuck): the dead worker's job may still count as running on Redis (until
 * BullMQ's stalled-job check, up to another minute), and would swallow a re-enqueue under the usual key.
 */
export const RECOVER_EVERY_MS = 15_000

export function createRecoverChangesJob(
  deps: Pick<JobDeps, 'domain' | 'queue'>,
  jobs: { applyChange: JobDefinition<ApplyChangePayload> },
  everyMs = RECOVER_EVERY_MS,
): RecurringJob {
  return {
    definition: {
      name: 'recover-changes',
      schema: emptyPayload,
      attempts: 1,
      async handler(_p, ctx) {
        const stuck = await changesNeedingApply(deps.domain)
        for (const c of stuck) await queueApply(deps.queue(), jobs.applyChange, c, `apply-recover-${c.id}-${c.stuckSince.getTime()}`)
        if (stuck.length > 0) ctx.logger.info({ count: stuck.length }, 'queued approved changes again')
      },
    },
    schedule: { everyMs },
    atStartup: true,
  }
}
