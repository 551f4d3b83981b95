import { claimDigest, dueDigests } from '../../domain/digests/due-digests.ts'
import type { JobDeps } from '../job-deps.ts'
import { emptyPayload, type JobDefinition, type RecurringJob } from '../job-queue.ts'
import type { PostDigestPayload } from './post-digest.ts'

/**
 * Every minute (BullMQ's scheduler with Redis, node-cron in-process): claims the digests whose
 * local time has come and queues their posts (none while sweepsOnHold).
 */
export function createDigestTickJob(
  deps: Pick<JobDeps, 'domain' | 'queue' | 'sweepsOnHold'>,
  jobs: { postDigest: JobDefinition<PostDigestPayload> },
): RecurringJob {
  return {
    definition: {
      name: 'digest-tick',
      schema: emptyPayload,
      attempts: 1,
      async handler(_payload, ctx) {
        if (deps.sweepsOnHold?.()) {
          ctx.logger.debug('digest-tick skipped: waiting for Slack to name the workspace this deployment serves (auth.test)')
          return
        }
        for (const due of await dueDigests(deps.domain.prisma, deps.domain.now())) {
          const run = await claimDigest(deps.domain.prisma, due.subscription.id, due.localDate)
          if (run) await deps.queue().enqueue(jobs.postDigest, { runId: run.id }, { dedupeKey: `digest-${run.id}-${run.attempts}` })
        }
      },
    },
    schedule: { cron: '* * * * *' },
  }
}
