import type { PrismaClient } from '../../generated/prisma/client.ts'

export interface DiscardUnusedConnectionOptions {
  workspaceId: string
  connectionId: string
}

/**
 * Deletes a Meta connection of the workspace that follows no ad account (connect abandoned before
 * choosing accounts). A connection with accounts is kept. Returns whether one was deleted.
 */
export async function discardUnusedConnection(prisma: PrismaClient, options: DiscardUnusedConnectionOptions): Promise<boolean> {
  // Prisma drops `id: undefined` from a filter: without an id this would delete every unused connection.
  if (!options.connectionId) return false
  const r = await prisma.metaConnection.deleteMany({
    where: { id: options.connectionId, workspaceId: options.workspaceId, adAccounts: { none: {} } },
  })
  return r.count > 0
}
