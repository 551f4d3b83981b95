import * as z from 'zod'
import { type ApplyLease, applyChange } from '../../domain/changes/apply-change.ts'
import type { JobDeps } from '../job-deps.ts'
import type { Job, JobDefinition, JobQueue } from '../job-queue.ts'

export type ApplyChangePayload = { changeId: string; idempotencyKey: string }

/**
 * Queues the apply of an approved change (its idempotency key travels with it); once while one is waiting or
 * running. The recovery sweep passes a key of its own for each time a change is found stuck (see
 * recover-changes): a dead worker's job can stay "running" on Redis until BullMQ notices it stalled.
 */
export function queueApply(
  queue: JobQueue,
  applyChange: JobDefinition<ApplyChangePayload>,
  change: { id: string; idempotencyKey: string },
  dedupeKey = `apply-${change.id}`,
): Promise<boolean> {
  return queue.enqueue(applyChange, { changeId: change.id, idempotencyKey: change.idempotencyKey }, { dedupeKey })
}

/** Writes an approved change to Meta (exactly once) and brings its card up to date. */
export function createApplyChangeJob(
  deps: Pick<JobDeps, 'domain' | 'notifier' | 'queue'>,
  /** The apply lease's timings (tests shorten them); the defaults are APPLY_LEASE. */
  timings: Partial<ApplyLease> = {},
): Job<ApplyChangePayload> {
  const applyChangeJob: JobDefinition<ApplyChangePayload> = {
    name: 'apply-change',
    schema: z.object({ changeId: z.string(), idempotencyKey: z.string() }),
    attempts: 5,
    backoffMs: 5_000,
    async handler(payload, ctx) {
      const result = await applyChange(deps.domain, payload, timings)
      if (result.kind === 'throttled') {
        // Meta said when the write can go through, a lost create is settling, or another change of the campaign is
        // being applied: the change waits until then. The key names this job: a change that waits again (its
        // attempts unchanged) is rescheduled by its next job, whose own key is still held while it runs.
        await deps.queue().enqueue(applyChangeJob, payload, {
          delayMs: result.retryAfterMs,
          dedupeKey: `apply-wait-${payload.changeId}-${ctx.jobId}`,
        })
        ctx.logger.info(
          { retryAfterMs: result.retryAfterMs },
          'the change waits (Meta throttled it, a lost create is settling, or its campaign is busy); rescheduled',
        )
      }
      if (result.kind !== 'skipped') await deps.notifier.refreshChangeCard(result.change)
    },
  }
  return { definition: applyChangeJob }
}
