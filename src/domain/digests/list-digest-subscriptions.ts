import type { DigestSubscription, PrismaClient } from '../../generated/prisma/client.ts'

export interface ListDigestSubscriptionsOptions {
  workspaceId: string
}

/** A digest subscription with the names of its ad accounts (empty: every syncing account). */
export type DigestSubscriptionWithAccounts = DigestSubscription & { accountNames: string[] }

/** The workspace's digest subscriptions, oldest first. An account that is gone shows as its id. */
export async function listDigestSubscriptions(
  prisma: PrismaClient,
  options: ListDigestSubscriptionsOptions,
): Promise<DigestSubscriptionWithAccounts[]> {
  const [subs, accounts] = await Promise.all([
    prisma.digestSubscription.findMany({ where: { workspaceId: options.workspaceId }, orderBy: { createdAt: 'asc' } }),
    prisma.adAccount.findMany({ where: { workspaceId: options.workspaceId }, select: { id: true, name: true } }),
  ])
  const name = new Map(accounts.map((a) => [a.id, a.name]))
  return subs.map((s) => ({ ...s, accountNames: s.adAccountIds.map((id) => name.get(id) ?? id) }))
}
