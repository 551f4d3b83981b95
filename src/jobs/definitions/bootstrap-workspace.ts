import * as z from 'zod'
import { ensureDefaultConnection } from '../../domain/connections/ensure-default-connection.ts'
import { hasMetaConnection } from '../../domain/connections/find-connection.ts'
import type { JobDeps } from '../job-deps.ts'
import type { Job, JobDefinition, JobQueue } from '../job-queue.ts'
import { queueSync, type SyncAccountPayload } from './sync-account.ts'

export type BootstrapWorkspacePayload = { workspaceId: string }

/** Queues the bootstrap of a new workspace (once while one is waiting or running). */
export function queueBootstrap(
  queue: JobQueue,
  bootstrapWorkspace: JobDefinition<BootstrapWorkspacePayload>,
  workspaceId: string,
): Promise<boolean> {
  return queue.enqueue(bootstrapWorkspace, { workspaceId }, { dedupeKey: `bootstrap-${workspaceId}` })
}

/** A new workspace without any Meta connection gets the deployment's own token, and a first full sync. */
export function createBootstrapWorkspaceJob(
  deps: Pick<JobDeps, 'domain' | 'queue' | 'defaultConnection'>,
  jobs: { syncAccount: JobDefinition<SyncAccountPayload> },
): Job<BootstrapWorkspacePayload> {
  return {
    definition: {
      name: 'bootstrap-workspace',
      schema: z.object({ workspaceId: z.string() }),
      attempts: 5,
      backoffMs: 10_000,
      async handler({ workspaceId }) {
        if (!deps.defaultConnection) return
        if (await hasMetaConnection(deps.domain.prisma, workspaceId)) return
        const accounts = await ensureDefaultConnection(deps.domain, workspaceId, deps.defaultConnection)
        for (const a of accounts) await queueSync(deps.queue(), jobs.syncAccount, { adAccountId: a.id, full: true })
      },
    },
  }
}
