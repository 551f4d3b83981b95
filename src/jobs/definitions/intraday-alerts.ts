import * as z from 'zod'
import { checkIntradayAlerts } from '../../domain/alerts/check-intraday-alerts.ts'
import type { JobDeps } from '../job-deps.ts'
import type { Job, JobDefinition, JobQueue } from '../job-queue.ts'

export type IntradayAlertsPayload = { adAccountId: string }

/** Queues an intraday-alerts check of one account (a no-op while one is waiting). */
export function queueIntradayAlerts(
  queue: JobQueue,
  intradayAlerts: JobDefinition<IntradayAlertsPayload>,
  adAccountId: string,
): Promise<boolean> {
  return queue.enqueue(intradayAlerts, { adAccountId }, { dedupeKey: `intraday-alerts-${adAccountId}` })
}

/** After a fast-loop sync: today's partial numbers against the account's usual day (domain/alerts). */
export function createIntradayAlertsJob(deps: Pick<JobDeps, 'domain' | 'notifier'>): Job<IntradayAlertsPayload> {
  return {
    definition: {
      name: 'intraday-alerts',
      schema: z.object({ adAccountId: z.string().min(1) }),
      attempts: 3,
      async handler({ adAccountId }, ctx) {
        const r = await checkIntradayAlerts(deps.domain, { adAccountId })
        ctx.logger.info({ adAccountId, created: r.created.length }, 'intraday alerts checked')
        // Each alert's row was inserted once (its key is unique per object, kind and day): only its inserter posts it.
        const workspaceId = r.created[0]?.workspaceId
        if (workspaceId) await deps.notifier.postAlerts(workspaceId, r.created)
      },
    },
  }
}
