import { evaluateOutcomes } from '../../domain/changes/evaluate-outcomes.ts'
import type { JobDeps } from '../job-deps.ts'
import { emptyPayload, type RecurringJob } from '../job-queue.ts'

/** Every 6 hours: judges what applied changes did to their campaigns. */
export function createEvaluateOutcomesJob(deps: Pick<JobDeps, 'domain'>): RecurringJob {
  return {
    definition: {
      name: 'evaluate-outcomes',
      schema: emptyPayload,
      attempts: 2,
      async handler(_p, ctx) {
        const judged = await evaluateOutcomes(deps.domain)
        if (judged > 0) ctx.logger.info({ judged }, 'evaluated applied changes')
      },
    },
    schedule: { everyMs: 6 * 3_600_000 },
  }
}
