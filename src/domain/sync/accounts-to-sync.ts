import type { PrismaClient } from '../../generated/prisma/client.ts'
import type { NotifyTarget } from '../notifier.ts'

/** A person's (or a surface's) request to sync a workspace's accounts now. */
export interface SyncRequest {
  workspaceId: string
  /** Internal AdAccount ids; all syncing accounts of the workspace when absent. */
  adAccountIds?: string[]
  full?: boolean
  /** Who to tell when it is done (an ephemeral message in that channel). */
  notify?: NotifyTarget
}

/** How many syncs a request queued, and how many accounts were already syncing. */
export interface SyncRequestResult {
  queued: number
  alreadyRunning: number
}

/**
 * Ids of the ad accounts a sync covers: those with sync enabled whose connection is active, in one
 * workspace (or all of them), optionally only among `adAccountIds` (internal ids).
 */
export async function accountsToSync(
  prisma: PrismaClient,
  filter: { workspaceId?: string; adAccountIds?: string[] } = {},
): Promise<string[]> {
  const accounts = await prisma.adAccount.findMany({
    where: {
      ...(filter.workspaceId !== undefined ? { workspaceId: filter.workspaceId } : {}),
      syncEnabled: true,
      connection: { status: 'ACTIVE' },
      ...(filter.adAccountIds ? { id: { in: filter.adAccountIds } } : {}),
    },
    select: { id: true },
  })
  return accounts.map((a) => a.id)
}
