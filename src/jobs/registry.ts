import { type ApplyChangePayload, createApplyChangeJob } from './definitions/apply-change.ts'
import { type BootstrapWorkspacePayload, createBootstrapWorkspaceJob } from './definitions/bootstrap-workspace.ts'
import { createDigestTickJob } from './definitions/digest-tick.ts'
import { createEvaluateOutcomesJob } from './definitions/evaluate-outcomes.ts'
import { createExpireChangesJob } from './definitions/expire-changes.ts'
import { createFastSyncTickJob } from './definitions/fast-sync-tick.ts'
import { createIntradayAlertsJob, type IntradayAlertsPayload } from './definitions/intraday-alerts.ts'
import { createOptimizeAccountJob, type OptimizeAccountPayload } from './definitions/optimize-account.ts'
import { createPostDigestJob, type PostDigestPayload } from './definitions/post-digest.ts'
import { createRecoverChangesJob } from './definitions/recover-changes.ts'
import { createSyncAccountJob, type SyncAccountPayload } from './definitions/sync-account.ts'
import { createSyncAllJob } from './definitions/sync-all.ts'
import type { JobDeps } from './job-deps.ts'
import type { EmptyPayload, Job, JobDefinition, JobQueue, RecurringJob } from './job-queue.ts'

export interface PromolyJobs {
  syncAccount: JobDefinition<SyncAccountPayload>
  syncAll: JobDefinition<EmptyPayload>
  fastSyncTick: JobDefinition<EmptyPayload>
  bootstrapWorkspace: JobDefinition<BootstrapWorkspacePayload>
  applyChange: JobDefinition<ApplyChangePayload>
  expireChanges: JobDefinition<EmptyPayload>
  evaluateOutcomes: JobDefinition<EmptyPayload>
  optimizeAccount: JobDefinition<OptimizeAccountPayload>
  intradayAlerts: JobDefinition<IntradayAlertsPayload>
  recoverChanges: JobDefinition<EmptyPayload>
  digestTick: JobDefinition<EmptyPayload>
  postDigest: JobDefinition<PostDigestPayload>
  /** Every definition (what a worker can run). */
  all: JobDefinition<unknown>[]
  /** The jobs that run on a schedule. */
  recurring: RecurringJob[]
}

/** Every job Promoly runs (one file each under ./definitions/: name, zod payload of ids only, handler, schedule). */
export function createJobs(deps: JobDeps): PromolyJobs {
  const optimizeAccount = createOptimizeAccountJob(deps)
  const intradayAlerts = createIntradayAlertsJob(deps)
  const syncAccount = createSyncAccountJob(deps, {
    optimizeAccount: optimizeAccount.definition,
    intradayAlerts: intradayAlerts.definition,
  })
  const syncAll = createSyncAllJob(deps, { syncAccount: syncAccount.definition })
  const fastSyncTick = createFastSyncTickJob(deps, { syncAccount: syncAccount.definition })
  const bootstrapWorkspace = createBootstrapWorkspaceJob(deps, { syncAccount: syncAccount.definition })
  const applyChange = createApplyChangeJob(deps)
  const recoverChanges = createRecoverChangesJob(deps, { applyChange: applyChange.definition })
  const expireChanges = createExpireChangesJob(deps)
  const evaluateOutcomes = createEvaluateOutcomesJob(deps)
  const postDigest = createPostDigestJob(deps)
  const digestTick = createDigestTickJob(deps, { postDigest: postDigest.definition })

  // Start-up runs are enqueued in this order: recover-changes, then sync-all.
  const entries: Array<Job<unknown> | RecurringJob> = [
    syncAccount,
    recoverChanges,
    syncAll,
    fastSyncTick,
    bootstrapWorkspace,
    optimizeAccount,
    intradayAlerts,
    applyChange,
    expireChanges,
    evaluateOutcomes,
    digestTick,
    postDigest,
  ]
  return {
    syncAccount: syncAccount.definition,
    syncAll: syncAll.definition,
    fastSyncTick: fastSyncTick.definition,
    bootstrapWorkspace: bootstrapWorkspace.definition,
    applyChange: applyChange.definition,
    expireChanges: expireChanges.definition,
    evaluateOutcomes: evaluateOutcomes.definition,
    optimizeAccount: optimizeAccount.definition,
    intradayAlerts: intradayAlerts.definition,
    recoverChanges: recoverChanges.definition,
    digestTick: digestTick.definition,
    postDigest: postDigest.definition,
    all: entries.map((e) => e.definition),
    recurring: entries.filter((e): e is RecurringJob => e.schedule !== undefined),
  }
}

/**
 * On a worker: puts every recurring job on its schedule (idempotent: a schedule with the same id
 * is replaced) and enqueues the start-up runs (a dedupe key each: several workers make one run).
 */
export async function scheduleJobs(queue: JobQueue, jobs: PromolyJobs): Promise<void> {
  for (const job of jobs.recurring) await queue.schedule(job.definition.name, job.definition, {}, job.schedule)
  for (const job of jobs.recurring)
    if (job.atStartup) await queue.enqueue(job.definition, {}, { dedupeKey: `${job.definition.name}-startup` })
}
