import type { DigestSubscription, Member, PrismaClient } from '../../generated/prisma/client.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { canApprove } from '../changes/decide-change.ts'
import { accountsInScope, type ClientScope } from '../clients/client-scope.ts'

export interface ListDigestSubscriptionsOptions {
  /** The workspace's digests, or (a client's channel) only those of that client's channels, naming only its accounts. */
  scope: ClientScope
  /**
   * Who asks, and in which conversation: admins and approvers (who manage digests) see every digest; anyone
   * else only the digests of the channel they ask in, which they are in (a digest's channel may be private).
   */
  viewer: { member: Pick<Member, 'role'>; channelId: string }
}

/** A digest subscription with the names of its ad accounts (empty: every syncing account). */
export type DigestSubscriptionWithAccounts = DigestSubscription & { accountNames: string[] }

/** The digest subscriptions the viewer may see in the scope, oldest first. An account that is gone shows as its id. */
export async function listDigestSubscriptions(
  prisma: PrismaClient,
  options: ListDigestSubscriptionsOptions,
): Promise<DigestSubscriptionWithAccounts[]> {
  const { scope } = options
  const onlyHere = canApprove(options.viewer.member) ? {} : { channelId: options.viewer.channelId }
  const clientChannels = scope.client
    ? (
        await prisma.clientChannel.findMany({
          where: { workspaceId: scope.workspaceId, clientId: scope.client.id },
          select: { channelId: true },
        })
      ).map((c) => c.channelId)
    : null
  const [subs, accounts, elsewhere] = await Promise.all([
    prisma.digestSubscription.findMany({
      where: { workspaceId: scope.workspaceId, ...onlyHere, ...(clientChannels ? { channelId: { in: clientChannels } } : {}) },
      orderBy: { createdAt: 'asc' },
    }),
    prisma.adAccount.findMany({ where: accountsInScope(scope), select: { id: true, name: true } }),
    // Accounts listed in this client's digests that have moved to another client: not posted there, and not named.
    scope.client
      ? prisma.adAccount.findMany({ where: { workspaceId: scope.workspaceId, NOT: { clientId: scope.client.id } }, select: { id: true } })
      : [],
  ])
  const name = new Map(accounts.map((a) => [a.id, a.name]))
  const hidden = new Set(elsewhere.map((a) => a.id))
  return subs.map((s) => ({ ...s, accountNames: s.adAccountIds.filter((id) => !hidden.has(id)).map((id) => name.get(id) ?? id) }))
}

/**
 * What each active digest of a channel covers (its account ids; empty: all of the channel's scope), oldest first;
 * no digest at all: one entry for all. A channel whose digests are all paused gets none: they were paused because
 * what they covered changed (a client removed, the channel unbound, their account moved), so posting them now
 * could show what the channel no longer should (BAD_INPUT, with the reason).
 */
export async function channelDigestAccounts(
  prisma: PrismaClient,
  options: { workspaceId: string; channelId: string },
): Promise<string[][]> {
  const subs = await prisma.digestSubscription.findMany({
    where: { workspaceId: options.workspaceId, channelId: options.channelId },
    orderBy: { createdAt: 'asc' },
    select: { adAccountIds: true, status: true, pausedReason: true },
  })
  const active = subs.filter((s) => s.status === 'ACTIVE')
  if (subs.length === 0) return [[]]
  const [paused] = subs.filter((s) => s.status !== 'ACTIVE')
  if (active.length === 0 && paused)
    throw new AppError(
      AppErrorCode.BAD_INPUT,
      `This channel's daily digest is paused${paused.pausedReason ? ` (${paused.pausedReason.replace(/[.]$/, '')})` : ''}, so nothing is posted now. \`/promoly digest\` here sets up a new one.`,
    )
  const chosen = active
  const seen = new Set<string>()
  return chosen
    .map((s) => [...s.adAccountIds].sort())
    .filter((ids) => {
      const key = ids.join(',')
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
}
