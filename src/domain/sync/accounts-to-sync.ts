import type { PrismaClient } from '../../generated/prisma/client.ts'

/**
 * Ids of the ad accounts a sync covers: those with sync enabled whose connection is active, in one
 * workspace (or all of them), optionally only among `adAccountIds` (internal ids).
 */
export async function accountsToSync(prisma: PrismaClient, filter: { workspaceId?: string; adAccountIds?: string[] } = {}): Promise<string[]> {
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
