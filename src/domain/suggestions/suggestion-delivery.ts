import type { PrismaClient } from '../../generated/prisma/client.ts'

/**
 * Where new suggestions of a workspace go: the suggestions channel an admin chose, until then the
 * channel where Promoly was first used, else the installer's DM (channelId undefined: nowhere yet).
 * Throws when there is no such workspace.
 */
export async function suggestionsDestination(
  prisma: PrismaClient,
  workspaceId: string,
): Promise<{ slackTeamId: string; channelId: string | undefined }> {
  const ws = await prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } })
  const installer = await prisma.slackInstallation.findFirst({ where: { workspaceId }, select: { installerUserId: true } })
  return { slackTeamId: ws.slackTeamId, channelId: ws.suggestionsChannelId ?? ws.firstChannelId ?? installer?.installerUserId ?? undefined }
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

export async function campaignNameOf(prisma: PrismaClient, campaignId: string): Promise<string | undefined> {
  const campaign = await prisma.campaign.findUnique({ where: { id: campaignId }, select: { name: true } })
  return campaign?.name
}
