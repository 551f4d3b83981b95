import type { PrismaClient } from '../../generated/prisma/client.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { recordAuditEvent } from '../audit/record-audit-event.ts'
import { requireClientAdmin } from './client-admin.ts'
import type { ClientActor } from './manage-clients.ts'

export interface AccountMoved {
  account: { id: string; name: string }
  from: { id: string; name: string }
  to: { id: string; name: string }
  /** Subscriptions in the old client's channels that listed the account: it was taken out of them. */
  subscriptionsTrimmed: number
  /** Of those, the ones that listed only this account: paused (an empty list would mean all of the old client). */
  subscriptionsPaused: Array<{ id: string; channelId: string; createdBySlackUserId: string | null }>
}

/**
 * Moves an ad account to another client (admins). Its history, suggestions and change requests reference the
 * account, so they follow it; the old client's channels stop showing it (scopes read the account's client).
 * Digest subscriptions in the old client's channels that listed it drop it (one that listed only it is paused
 * with the reason). Audited as `client.account_moved`.
 */
export async function moveAdAccount(
  prisma: PrismaClient,
  options: ClientActor & { adAccountId: string; toClientId: string },
): Promise<AccountMoved> {
  const { workspaceId, actorSlackUserId } = options
  await requireClientAdmin(prisma, workspaceId, actorSlackUserId)
  return prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Workspace" WHERE id = ${workspaceId} FOR UPDATE`
    const account = await tx.adAccount.findFirst({
      where: { id: options.adAccountId, workspaceId },
      select: { id: true, name: true, client: { select: { id: true, name: true } } },
    })
    if (!account) throw new AppError(AppErrorCode.NOT_FOUND, 'That ad account is not connected any more.')
    const to = await tx.client.findFirst({ where: { id: options.toClientId, workspaceId }, select: { id: true, name: true } })
    if (!to) throw new AppError(AppErrorCode.NOT_FOUND, 'That client no longer exists.')
    const from = account.client
    const result: AccountMoved = {
      account: { id: account.id, name: account.name },
      from,
      to,
      subscriptionsTrimmed: 0,
      subscriptionsPaused: [],
    }
    if (from.id === to.id) return result
    await tx.adAccount.update({ where: { id: account.id }, data: { clientId: to.id } })
    const oldChannels = (await tx.clientChannel.findMany({ where: { workspaceId, clientId: from.id }, select: { channelId: true } })).map(
      (c) => c.channelId,
    )
    const listing = await tx.digestSubscription.findMany({
      where: { workspaceId, channelId: { in: oldChannels }, adAccountIds: { has: account.id } },
    })
    for (const s of listing) {
      const rest = s.adAccountIds.filter((id) => id !== account.id)
      result.subscriptionsTrimmed++
      if (rest.length > 0) {
        await tx.digestSubscription.update({ where: { id: s.id }, data: { adAccountIds: rest } })
        continue
      }
      await tx.digestSubscription.update({
        where: { id: s.id },
        // The list is kept (an empty one would mean "every account of the channel's client"); the post-time scope
        // leaves the moved account out, so the paused digest shows nothing of it.
        data: {
          ...(s.status === 'ACTIVE'
            ? {
                status: 'PAUSED',
                pausedReason: `Its only ad account, *${account.name}*, moved from *${from.name}* to another client.`.slice(0, 500),
              }
            : {}),
        },
      })
      if (s.status === 'ACTIVE')
        result.subscriptionsPaused.push({ id: s.id, channelId: s.channelId, createdBySlackUserId: s.createdBySlackUserId })
    }
    await recordAuditEvent(tx, {
      workspaceId,
      actorType: 'user',
      actorId: actorSlackUserId,
      action: 'client.account_moved',
      targetType: 'ad_account',
      targetId: account.id,
      data: {
        from: from.id,
        to: to.id,
        trimmedSubscriptionIds: listing.map((s) => s.id),
        pausedSubscriptionIds: result.subscriptionsPaused.map((s) => s.id),
      },
    })
    return result
  })
}
