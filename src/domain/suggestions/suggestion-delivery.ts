import type { PrismaClient } from '../../generated/prisma/client.ts'
import { adminsToNotify } from '../members/find-member.ts'

/** At most this many admins get a DM about new suggestions while no suggestions channel is chosen. */
const MAX_SUGGESTION_DM_ADMINS = 5

/**
 * Where new suggestions of a workspace go: the suggestions channel an admin chose; until then the
 * Promoly admins by DM (`adminUserIds`, at most MAX_SUGGESTION_DM_ADMINS: the installer first while they
 * are an admin, then the admins on record, longest-standing first). Never the channel Promoly happened to
 * be used in first: it may be shared with a client. Throws when there is no such workspace.
 */
export async function suggestionsDestination(
  prisma: PrismaClient,
  workspaceId: string,
): Promise<{ slackTeamId: string; channelId: string | undefined; adminUserIds: string[] }> {
  const ws = await prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } })
  if (ws.suggestionsChannelId) return { slackTeamId: ws.slackTeamId, channelId: ws.suggestionsChannelId, adminUserIds: [] }
  return {
    slackTeamId: ws.slackTeamId,
    channelId: undefined,
    adminUserIds: await adminsToNotify(prisma, workspaceId, MAX_SUGGESTION_DM_ADMINS),
  }
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
