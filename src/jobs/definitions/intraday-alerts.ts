import * as z from 'zod'
import { releaseUnpostedAlerts } from '../../domain/alerts/alert-claims.ts'
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
        // Yesterday's pause proposals just expired: their cards lose the Approve button now, not when someone clicks.
        for (const change of r.expired) await deps.notifier.refreshChangeCard(change)
        const alerts = r.claim?.alerts ?? []
        ctx.logger.info({ adAccountId, created: r.created, posting: alerts.length }, 'intraday alerts checked')
        const workspaceId = alerts[0]?.workspaceId
        if (!r.claim || !workspaceId) return
        // This check claimed these alerts (new ones, and any of today's never posted): it posts them, and gives back
        // what did not go out so the retry (or the next check) posts it; an alert is posted by one worker only.
        let unposted = 0
        try {
          await deps.notifier.postAlerts(workspaceId, alerts)
        } finally {
          unposted = await releaseUnpostedAlerts(deps.domain, r.claim.marker)
        }
        if (unposted > 0)
          throw new Error(
            `${unposted} of ${alerts.length} intraday alerts could not be posted (Slack refused them, or the client has nowhere to post them yet); the retry or the next check posts them`,
          )
      },
    },
  }
}
