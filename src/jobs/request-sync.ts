import type { DomainDeps } from '../domain/deps.ts'
import { accountsToSync, type SyncRequest, type SyncRequestResult } from '../domain/sync/accounts-to-sync.ts'
import { queueSync, type SyncAccountPayload } from './definitions/sync-account.ts'
import type { JobDefinition, JobQueue } from './job-queue.ts'

/** Queues a sync of a workspace's accounts: how many were queued, how many were already syncing. */
export async function requestSync(
  deps: { domain: Pick<DomainDeps, 'prisma'>; queue: JobQueue; syncAccount: JobDefinition<SyncAccountPayload> },
  req: SyncRequest,
): Promise<SyncRequestResult> {
  const ids = await accountsToSync(deps.domain.prisma, { workspaceId: req.workspaceId, adAccountIds: req.adAccountIds })
  let queued = 0
  for (const id of ids) {
    if (await queueSync(deps.queue, deps.syncAccount, { adAccountId: id, full: req.full, notify: req.notify })) queued++
  }
  return { queued, alreadyRunning: ids.length - queued }
}
