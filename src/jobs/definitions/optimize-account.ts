import * as z from 'zod'
import { optimizeAdAccount } from '../../domain/suggestions/optimize-ad-account.ts'
import type { JobDeps } from '../job-deps.ts'
import type { Job } from '../job-queue.ts'

export type OptimizeAccountPayload = { adAccountId: string }

/** Runs the optimizer on an account's fresh numbers and posts what it newly found. */
export function createOptimizeAccountJob(deps: Pick<JobDeps, 'domain' | 'notifier'>): Job<OptimizeAccountPayload> {
  return {
    definition: {
      name: 'optimize-account',
      schema: z.object({ adAccountId: z.string().min(1) }),
      attempts: 3,
      async handler({ adAccountId }, ctx) {
        const r = await optimizeAdAccount(deps.domain, { adAccountId })
        ctx.logger.info({ adAccountId, created: r.created.length, updated: r.updated, resolved: r.resolved }, 'optimizer ran')
        const workspaceId = r.created[0]?.workspaceId
        if (workspaceId) await deps.notifier.postSuggestions(workspaceId, r.created)
      },
    },
  }
}
