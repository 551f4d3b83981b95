import type { PrismaClient } from '../../generated/prisma/client.ts'
import { ensureDefaultClient } from '../clients/default-client.ts'
import { adminsToNotify } from '../members/find-member.ts'

/** At most this many admins get a DM about new suggestions while no suggestions channel is chosen. */
const MAX_SUGGESTION_DM_ADMINS = 5

/**
 * Where new suggestions of a client go: the client's suggestions channel, chosen by an admin; until then the
 * Promoly admins by DM (`adminUserIds`, at most MAX_SUGGESTION_DM_ADMINS: the installer first while they are an
 * admin, then the admins on record, longest-standing first). Never the channel Promoly happened to be used in
 * first: it may be shared with a client. Without a client: the workspace's default client. Throws when there
 * is no such workspace.
 */
export async function suggestionsDestination(
  prisma: PrismaClient,
  workspaceId: string,
  clientId?: string,
): Promise<{ slackTeamId: string; channelId: string | undefined; adminUserIds: string[] }> {
  const ws = await prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { slackTeamId: true } })
  const client = clientId
    ? await prisma.client.findFirst({ where: { id: clientId, workspaceId }, select: { suggestionsChannelId: true } })
    : await ensureDefaultClient(prisma, workspaceId)
  if (client?.suggestionsChannelId) return { slackTeamId: ws.slackTeamId, channelId: client.suggestionsChannelId, adminUserIds: [] }
  return {
    slackTeamId: ws.slackTeamId,
    channelId: undefined,
    adminUserIds: await adminsToNotify(prisma, workspaceId, MAX_SUGGESTION_DM_ADMINS),
  }
}

/** New suggestions grouped by the client of their ad account (each client's go to its own channel). */
export async function suggestionsByClient<T extends { adAccountId: string }>(
  prisma: PrismaClient,
  suggestions: T[],
): Promise<Array<{ clientId: string; suggestions: T[] }>> {
  const accounts = await prisma.adAccount.findMany({
    where: { id: { in: [...new Set(suggestions.map((s) => s.adAccountId))] } },
    select: { id: true, clientId: true },
  })
  const clientOf = new Map(accounts.map((a) => [a.id, a.clientId]))
  const groups = new Map<string, T[]>()
  for (const s of suggestions) {
    const clientId = clientOf.get(s.adAccountId)
    if (!clientId) continue
    groups.set(clientId, [...(groups.get(clientId) ?? []), s])
  }
  return [...groups].map(([clientId, list]) => ({ clientId, suggestions: list }))
}

/** Where a suggestion was posted (its change's card, or its own notice). */
export async function recordSuggestionPosted(
  prisma: PrismaClient,
  suggestionId: string,
  channelId: string | null,
  messageTs: string | null,
): Promise<void> {
  await prisma.suggestion.update({ where: { id: suggestionId }, data: { postedChannelId: channelId, postedTs: messageTs } })
}
