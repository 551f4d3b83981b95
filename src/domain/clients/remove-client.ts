import type { PrismaClient } from '../../generated/prisma/client.ts'
import { formatDay } from '../../lib/dates.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { recordAuditEvent } from '../audit/record-audit-event.ts'
import { requireClientAdmin } from './client-admin.ts'
import { ensureDefaultClient } from './default-client.ts'
import { belongsToClient } from './list-clients.ts'
import type { ClientActor } from './manage-clients.ts'

/** What removing a client would affect; the person is asked with this before anything happens. */
export interface ClientRemoval {
  client: { id: string; name: string }
  /** Where its accounts go: the workspace's default client. */
  defaultClient: { id: string; name: string }
  accounts: Array<{ id: string; name: string }>
  /** Channels bound to it (they are unbound). */
  channelIds: string[]
  /** Its active digest subscriptions (they are paused). */
  subscriptions: Array<{ id: string; channelId: string; createdBySlackUserId: string | null }>
}

export interface ClientRemoved extends ClientRemoval {
  /** Whoever set up a paused subscription, once each: the surface tells them. */
  creatorsToTell: Array<{ slackUserId: string; channelIds: string[] }>
}

async function removalOf(prisma: PrismaClient, workspaceId: string, clientId: string): Promise<ClientRemoval> {
  const client = await prisma.client.findFirst({
    where: { id: clientId, workspaceId },
    include: { adAccounts: { select: { id: true, name: true }, orderBy: { name: 'asc' } }, channels: { select: { channelId: true } } },
  })
  if (!client) throw new AppError(AppErrorCode.NOT_FOUND, 'That client no longer exists.')
  if (client.isDefault)
    throw new AppError(
      AppErrorCode.BAD_INPUT,
      `*${client.name}* is the default client (new ad accounts join it), so it cannot be removed. Rename it instead.`,
    )
  const defaultClient = await ensureDefaultClient(prisma, workspaceId)
  const channelIds = client.channels.map((c) => c.channelId)
  const accountIds = new Set(client.adAccounts.map((a) => a.id))
  const active = await prisma.digestSubscription.findMany({
    where: { workspaceId, status: 'ACTIVE' },
    select: { id: true, channelId: true, adAccountIds: true, createdBySlackUserId: true },
    orderBy: { createdAt: 'asc' },
  })
  return {
    client: { id: client.id, name: client.name },
    defaultClient: { id: defaultClient.id, name: defaultClient.name },
    accounts: client.adAccounts,
    channelIds,
    subscriptions: active
      .filter((s) => belongsToClient(s, new Set(channelIds), accountIds))
      .map(({ id, channelId, createdBySlackUserId }) => ({ id, channelId, createdBySlackUserId })),
  }
}

/** What removing the client would do (admins): nothing changes; the surface asks with it. */
export async function previewClientRemoval(prisma: PrismaClient, options: ClientActor & { clientId: string }): Promise<ClientRemoval> {
  await requireClientAdmin(prisma, options.workspaceId, options.actorSlackUserId)
  return removalOf(prisma, options.workspaceId, options.clientId)
}

/**
 * Removes a client (admins, after they saw previewClientRemoval): its accounts move to the default client (their
 * history, suggestions and change requests go with them), its channels are unbound, and the digest subscriptions
 * that belonged to it are paused with the reason. Returns their creators, to be told. Audited as `client.removed`.
 */
export async function removeClient(prisma: PrismaClient, options: ClientActor & { clientId: string; now: Date }): Promise<ClientRemoved> {
  const { workspaceId, actorSlackUserId } = options
  await requireClientAdmin(prisma, workspaceId, actorSlackUserId)
  return prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Workspace" WHERE id = ${workspaceId} FOR UPDATE`
    const removal = await removalOf(tx as unknown as PrismaClient, workspaceId, options.clientId)
    const reason = `Its client *${removal.client.name}* was removed on ${formatDay(options.now.toISOString().slice(0, 10), { withYear: true })}; its accounts now belong to *${removal.defaultClient.name}*. Subscribe again if it is still wanted.`
    await tx.digestSubscription.updateMany({
      where: { id: { in: removal.subscriptions.map((s) => s.id) }, status: 'ACTIVE' },
      data: { status: 'PAUSED', pausedReason: reason.slice(0, 500) },
    })
    await tx.adAccount.updateMany({ where: { workspaceId, clientId: removal.client.id }, data: { clientId: removal.defaultClient.id } })
    await tx.clientChannel.deleteMany({ where: { workspaceId, clientId: removal.client.id } })
    await tx.client.delete({ where: { id: removal.client.id } })
    await recordAuditEvent(tx, {
      workspaceId,
      actorType: 'user',
      actorId: actorSlackUserId,
      action: 'client.removed',
      targetType: 'client',
      targetId: removal.client.id,
      data: {
        name: removal.client.name,
        accountsMovedTo: removal.defaultClient.id,
        adAccountIds: removal.accounts.map((a) => a.id),
        unboundChannelIds: removal.channelIds,
        pausedSubscriptionIds: removal.subscriptions.map((s) => s.id),
      },
    })
    const creators = new Map<string, string[]>()
    for (const s of removal.subscriptions) {
      if (!s.createdBySlackUserId) continue
      const list = creators.get(s.createdBySlackUserId) ?? []
      if (!list.includes(s.channelId)) list.push(s.channelId)
      creators.set(s.createdBySlackUserId, list)
    }
    return { ...removal, creatorsToTell: [...creators].map(([slackUserId, channelIds]) => ({ slackUserId, channelIds })) }
  })
}
