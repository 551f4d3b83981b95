import * as z from 'zod'
import type { JobDeps } from '../job-deps.ts'
import type { Job } from '../job-queue.ts'

export type PostDigestPayload = { runId: string }

/** Posts one claimed digest run. */
export function createPostDigestJob(deps: Pick<JobDeps, 'notifier'>): Job<PostDigestPayload> {
  return {
    definition: {
      name: 'post-digest',
      schema: z.object({ runId: z.string().min(1) }),
      // A failed post is marked FAILED and claimed again by a later tick (never posted twice by a retry here).
      attempts: 1,
      async handler({ runId }) {
        await deps.notifier.postDigestRun(runId)
      },
    },
  }
}
