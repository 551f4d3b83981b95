import type { DigestSubscription, Member, PrismaClient } from '../../generated/prisma/client.ts'
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
 * What each digest of a channel covers (its account ids; empty: all of the channel's scope), oldest first: the
 * active ones (the paused ones when none is active); no digest: one entry for all.
 */
export async function channelDigestAccounts(
  prisma: PrismaClient,
  options: { workspaceId: string; channelId: string },
): Promise<string[][]> {
  const subs = await prisma.digestSubscription.findMany({
    where: { workspaceId: options.workspaceId, channelId: options.channelId },
    orderBy: { createdAt: 'asc' },
    select: { adAccountIds: true, status: true },
  })
  const active = subs.filter((s) => s.status === 'ACTIVE')
  const chosen = active.length > 0 ? active : subs
  if (chosen.length === 0) return [[]]
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
