import type { Client, Prisma, PrismaClient } from '../../generated/prisma/client.ts'

type Db = PrismaClient | Prisma.TransactionClient

/** The name a workspace's default client gets when the workspace has no name yet. */
const DEFAULT_CLIENT_NAME = 'Our accounts'

/**
 * The workspace's default client (new ad accounts join it), created on first need. Concurrent callers get the
 * same row: at most one default per workspace is enforced by a partial unique index.
 */
export async function ensureDefaultClient(db: Db, workspaceId: string): Promise<Client> {
  const existing = await db.client.findFirst({ where: { workspaceId, isDefault: true } })
  if (existing) return existing
  const ws = await db.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { name: true } })
  const wanted = ws.name.trim().slice(0, 80) || DEFAULT_CLIENT_NAME
  const taken = await db.client.findFirst({ where: { workspaceId, name: wanted }, select: { id: true } })
  try {
    return await db.client.create({ data: { workspaceId, name: taken ? `${wanted} (default)` : wanted, isDefault: true } })
  } catch (err) {
    if ((err as { code?: string }).code !== 'P2002') throw err
    return db.client.findFirstOrThrow({ where: { workspaceId, isDefault: true } })
  }
}
