import * as z from 'zod'
import { optimizeAdAccount } from '../../domain/suggestions/optimize-ad-account.ts'
import { metricsVersion } from '../../domain/sync/metrics-version.ts'
import type { JobDeps } from '../job-deps.ts'
import type { Job, JobDefinition, JobQueue } from '../job-queue.ts'

export type OptimizeAccountPayload = { adAccountId: string }

/** At most this many runs in one job (a run is repeated only when a sync landed while it ran). */
const MAX_RUNS = 3

/**
 * Queues an optimizer run for one account. Never two at once for an account: while one is waiting this is a
 * no-op (the waiting run reads the fresh numbers); while one is running, that run goes again when it sees
 * numbers that landed during it.
 */
export function queueOptimize(
  queue: JobQueue,
  optimizeAccount: JobDefinition<OptimizeAccountPayload>,
  adAccountId: string,
): Promise<boolean> {
  return queue.enqueue(optimizeAccount, { adAccountId }, { dedupeKey: `optimize-${adAccountId}` })
}

/**
 * Runs the optimizer on an account's fresh numbers and posts what it newly found. When a sync lands while it
 * runs (the first start: the 28 days, then the backfill of the month before), it runs again on the new numbers.
 */
export function createOptimizeAccountJob(deps: Pick<JobDeps, 'domain' | 'notifier'>): Job<OptimizeAccountPayload> {
  return {
    definition: {
      name: 'optimize-account',
      schema: z.object({ adAccountId: z.string().min(1) }),
      attempts: 3,
      async handler({ adAccountId }, ctx) {
        for (let run = 1; run <= MAX_RUNS; run++) {
          const version = await metricsVersion(deps.domain.prisma, adAccountId)
          const r = await optimizeAdAccount(deps.domain, { adAccountId })
          ctx.logger.info(
            { adAccountId, run, created: r.created.length, updated: r.updated, redrawn: r.changed.length, resolved: r.resolved },
            'optimizer ran',
          )
          const workspaceId = r.created[0]?.workspaceId
          if (workspaceId) await deps.notifier.postSuggestions(workspaceId, r.created)
          // Open findings whose numbers moved: their messages are redrawn in place, not posted again.
          if (r.changed.length > 0) await deps.notifier.redrawSuggestions(r.changed)
          // Findings that no longer hold: their expired proposals' cards lose the Approve button now, not on a click.
          for (const change of r.expired) await deps.notifier.refreshChangeCard(change)
          if ((await metricsVersion(deps.domain.prisma, adAccountId)) === version) return
        }
      },
    },
  }
}
