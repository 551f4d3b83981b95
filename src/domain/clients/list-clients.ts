import type { PrismaClient } from '../../generated/prisma/client.ts'

export interface ClientSummary {
  id: string
  name: string
  isDefault: boolean
  suggestionsChannelId: string | null
  alertsChannelId: string | null
  accounts: Array<{ id: string; name: string; metaAccountId: string; currency: string; syncEnabled: boolean }>
  /** Channels bound to the client (its own channels: they show its data only). */
  channelIds: string[]
  /** Active digest subscriptions that belong to it (in one of its channels, or listing only its accounts). */
  activeDigests: number
  openSuggestions: number
}

/** The workspace's clients, the default first then by name, with their accounts, channels and counts. */
export async function listClients(prisma: PrismaClient, workspaceId: string): Promise<ClientSummary[]> {
  const [clients, subscriptions, suggestions] = await Promise.all([
    prisma.client.findMany({
      where: { workspaceId },
      orderBy: [{ isDefault: 'desc' }, { name: 'asc' }],
      include: {
        adAccounts: {
          select: { id: true, name: true, metaAccountId: true, currency: true, syncEnabled: true },
          orderBy: { name: 'asc' },
        },
        channels: { select: { channelId: true }, orderBy: { createdAt: 'asc' } },
      },
    }),
    prisma.digestSubscription.findMany({ where: { workspaceId, status: 'ACTIVE' }, select: { channelId: true, adAccountIds: true } }),
    prisma.suggestion.groupBy({ by: ['adAccountId'], where: { workspaceId, status: 'OPEN' }, _count: { _all: true } }),
  ])
  const openBy = new Map(suggestions.map((s) => [s.adAccountId, s._count._all]))
  return clients.map((c) => {
    const accountIds = new Set(c.adAccounts.map((a) => a.id))
    const channelIds = c.channels.map((ch) => ch.channelId)
    return {
      id: c.id,
      name: c.name,
      isDefault: c.isDefault,
      suggestionsChannelId: c.suggestionsChannelId,
      alertsChannelId: c.alertsChannelId,
      accounts: c.adAccounts,
      channelIds,
      activeDigests: subscriptions.filter((s) => belongsToClient(s, new Set(channelIds), accountIds)).length,
      openSuggestions: c.adAccounts.reduce((n, a) => n + (openBy.get(a.id) ?? 0), 0),
    }
  })
}

/** A digest subscription belongs to a client when it posts in one of its channels or lists only its accounts. */
export function belongsToClient(
  subscription: { channelId: string; adAccountIds: string[] },
  channelIds: ReadonlySet<string>,
  accountIds: ReadonlySet<string>,
): boolean {
  if (channelIds.has(subscription.channelId)) return true
  return subscription.adAccountIds.length > 0 && subscription.adAccountIds.every((id) => accountIds.has(id))
}

/** The workspace's clients by name (the default first), for a picker. */
export function listClientNames(prisma: PrismaClient, workspaceId: string): Promise<Array<{ id: string; name: string }>> {
  return prisma.client.findMany({
    where: { workspaceId },
    orderBy: [{ isDefault: 'desc' }, { name: 'asc' }],
    select: { id: true, name: true },
  })
}
