import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { echoInput } from '../../lib/mrkdwn.ts'
import { recordAuditEvent } from '../audit/record-audit-event.ts'
import { requireClientAdmin } from './client-admin.ts'
import type { ClientActor } from './manage-clients.ts'

type Db = PrismaClient | Prisma.TransactionClient

const SLACK_CHANNEL_ID = /^[CG][A-Z0-9]{2,}$/

/**
 * Binds a channel to a client inside a transaction (no role check: the callers check). A channel of another
 * client is refused; binding again to the same client changes nothing. Returns whether it was newly bound.
 */
export async function bindChannelTx(tx: Db, options: ClientActor & { channelId: string; clientId: string }): Promise<boolean> {
  const { workspaceId, channelId, clientId } = options
  if (!SLACK_CHANNEL_ID.test(channelId))
    throw new AppError(
      AppErrorCode.BAD_INPUT,
      'Only a channel can belong to a client, not a direct message. Run this in the client’s channel.',
    )
  const bound = await tx.clientChannel.findUnique({
    where: { workspaceId_channelId: { workspaceId, channelId } },
    include: { client: { select: { name: true } } },
  })
  if (bound?.clientId === clientId) return false
  if (bound)
    throw new AppError(
      AppErrorCode.CONFLICT,
      `<#${channelId}> already belongs to the client *${echoInput(bound.client.name)}*. Unbind it there first (\`/promoly clients unbind\` in that channel).`,
    )
  // Another client's suggestions or alerts still go to this channel: binding it would post them into this client's space.
  const receiving = await tx.client.findFirst({
    where: { workspaceId, id: { not: clientId }, OR: [{ suggestionsChannelId: channelId }, { alertsChannelId: channelId }] },
    select: { name: true },
  })
  if (receiving)
    throw new AppError(
      AppErrorCode.CONFLICT,
      `<#${channelId}> receives the suggestions or alerts of the client *${echoInput(receiving.name)}*. Choose another channel for them in \`/promoly settings\` first.`,
    )
  await tx.clientChannel.create({ data: { workspaceId, channelId, clientId, boundBySlackUserId: options.actorSlackUserId } })
  await recordAuditEvent(tx, {
    workspaceId,
    actorType: 'user',
    actorId: options.actorSlackUserId,
    action: 'client.channel_bound',
    targetType: 'client',
    targetId: clientId,
    data: { channelId },
  })
  return true
}

/** Binds a channel to a client (admins): from then on it shows that client's data only. */
export async function bindChannel(prisma: PrismaClient, options: ClientActor & { channelId: string; clientId: string }): Promise<boolean> {
  await requireClientAdmin(prisma, options.workspaceId, options.actorSlackUserId)
  return prisma.$transaction(async (tx) => {
    const client = await tx.client.findFirst({ where: { id: options.clientId, workspaceId: options.workspaceId }, select: { id: true } })
    if (!client) throw new AppError(AppErrorCode.NOT_FOUND, 'That client no longer exists.')
    return bindChannelTx(tx, options)
  })
}

/**
 * Unbinds a channel (admins): it shows the whole workspace again. The client's suggestions or alerts channel
 * setting pointing at it is cleared too (they go to the admins by DM until another is chosen), and the channel's
 * active digests are paused: set up for one client, they would otherwise post every client's figures there from the
 * next day. Returns the client it belonged to (null when it belonged to none) and how many digests were paused.
 */
export async function unbindChannel(
  prisma: PrismaClient,
  options: ClientActor & { channelId: string },
): Promise<{ id: string; name: string; digestsPaused: number } | null> {
  const { workspaceId, channelId } = options
  await requireClientAdmin(prisma, workspaceId, options.actorSlackUserId)
  return prisma.$transaction(async (tx) => {
    const bound = await tx.clientChannel.findUnique({
      where: { workspaceId_channelId: { workspaceId, channelId } },
      include: { client: { select: { id: true, name: true } } },
    })
    if (!bound) return null
    await tx.clientChannel.delete({ where: { workspaceId_channelId: { workspaceId, channelId } } })
    await tx.client.updateMany({ where: { id: bound.clientId, suggestionsChannelId: channelId }, data: { suggestionsChannelId: null } })
    await tx.client.updateMany({ where: { id: bound.clientId, alertsChannelId: channelId }, data: { alertsChannelId: null } })
    const paused = await pauseChannelDigestsTx(tx, workspaceId, channelId, `the channel no longer belongs to ${bound.client.name}`)
    await recordAuditEvent(tx, {
      workspaceId,
      actorType: 'user',
      actorId: options.actorSlackUserId,
      action: 'client.channel_unbound',
      targetType: 'client',
      targetId: bound.clientId,
      data: { channelId, digestsPaused: paused },
    })
    return { ...bound.client, digestsPaused: paused }
  })
}

/** Pauses a channel's active digests (a channel leaving its client); returns how many. */
async function pauseChannelDigestsTx(tx: Db, workspaceId: string, channelId: string, reason: string): Promise<number> {
  const { count } = await tx.digestSubscription.updateMany({
    where: { workspaceId, channelId, status: 'ACTIVE' },
    data: { status: 'PAUSED', pausedReason: reason.slice(0, 200) },
  })
  return count
}
