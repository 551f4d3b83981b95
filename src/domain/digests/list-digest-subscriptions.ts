import type { DigestSubscription, Member, PrismaClient } from '../../generated/prisma/client.ts'
import { canApprove } from '../changes/decide-change.ts'

export interface ListDigestSubscriptionsOptions {
  workspaceId: string
  /**
   * Who asks, and in which conversation: admins and approvers (who manage digests) see every digest; anyone
   * else only the digests of the channel they ask in, which they are in (a digest's channel may be private).
   */
  viewer: { member: Pick<Member, 'role'>; channelId: string }
}

/** A digest subscription with the names of its ad accounts (empty: every syncing account). */
export type DigestSubscriptionWithAccounts = DigestSubscription & { accountNames: string[] }

/** The workspace's digest subscriptions the viewer may see, oldest first. An account that is gone shows as its id. */
export async function listDigestSubscriptions(
  prisma: PrismaClient,
  options: ListDigestSubscriptionsOptions,
): Promise<DigestSubscriptionWithAccounts[]> {
  const onlyHere = canApprove(options.viewer.member) ? {} : { channelId: options.viewer.channelId }
  const [subs, accounts] = await Promise.all([
    prisma.digestSubscription.findMany({ where: { workspaceId: options.workspaceId, ...onlyHere }, orderBy: { createdAt: 'asc' } }),
    prisma.adAccount.findMany({ where: { workspaceId: options.workspaceId }, select: { id: true, name: true } }),
  ])
  const name = new Map(accounts.map((a) => [a.id, a.name]))
  return subs.map((s) => ({ ...s, accountNames: s.adAccountIds.map((id) => name.get(id) ?? id) }))
}
