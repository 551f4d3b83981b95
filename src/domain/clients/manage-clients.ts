import type { Client, PrismaClient } from '../../generated/prisma/client.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { recordAuditEvent } from '../audit/record-audit-event.ts'
import { requireClientAdmin, requireFreeName, validClientName } from './client-admin.ts'
import { ensureDefaultClient } from './default-client.ts'

/** At most this many clients per workspace. */
const MAX_CLIENTS = 200

export interface ClientActor {
  workspaceId: string
  /** The Promoly admin doing it (recorded in the audit trail). */
  actorSlackUserId: string
}

/** Adds a client (admins): a unique, valid name; audited as `client.added`. */
export async function addClient(prisma: PrismaClient, options: ClientActor & { name: string }): Promise<Client> {
  const name = validClientName(options.name)
  const { workspaceId, actorSlackUserId } = options
  await requireClientAdmin(prisma, workspaceId, actorSlackUserId)
  // The default client exists first, so that a workspace's first added client never becomes its default.
  await ensureDefaultClient(prisma, workspaceId)
  return prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Workspace" WHERE id = ${workspaceId} FOR UPDATE`
    await requireFreeName(tx, workspaceId, name)
    if ((await tx.client.count({ where: { workspaceId } })) >= MAX_CLIENTS)
      throw new AppError(AppErrorCode.BAD_INPUT, `A workspace has at most ${MAX_CLIENTS} clients. Remove one first.`)
    const client = await tx.client.create({ data: { workspaceId, name } })
    await recordAuditEvent(tx, {
      workspaceId,
      actorType: 'user',
      actorId: actorSlackUserId,
      action: 'client.added',
      targetType: 'client',
      targetId: client.id,
      data: { name },
    })
    return client
  })
}

/** Renames a client (admins; the default one too): a unique, valid name; audited as `client.renamed`. */
export async function renameClient(prisma: PrismaClient, options: ClientActor & { clientId: string; name: string }): Promise<Client> {
  const name = validClientName(options.name)
  const { workspaceId, actorSlackUserId, clientId } = options
  await requireClientAdmin(prisma, workspaceId, actorSlackUserId)
  return prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Workspace" WHERE id = ${workspaceId} FOR UPDATE`
    const before = await tx.client.findFirst({ where: { id: clientId, workspaceId } })
    if (!before) throw new AppError(AppErrorCode.NOT_FOUND, 'That client no longer exists.')
    if (before.name === name) return before
    await requireFreeName(tx, workspaceId, name, clientId)
    const client = await tx.client.update({ where: { id: clientId }, data: { name } })
    await recordAuditEvent(tx, {
      workspaceId,
      actorType: 'user',
      actorId: actorSlackUserId,
      action: 'client.renamed',
      targetType: 'client',
      targetId: clientId,
      data: { before: before.name, after: name },
    })
    return client
  })
}
