import type { PrismaClient } from '../../generated/prisma/client.ts'

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
  const installation = await prisma.slackInstallation.findFirst({ where: { workspaceId }, select: { installerUserId: true } })
  const installer = installation?.installerUserId ?? undefined
  const admins = await prisma.member.findMany({
    where: { workspaceId, role: 'ADMIN' },
    orderBy: [{ createdAt: 'asc' }, { slackUserId: 'asc' }],
    select: { slackUserId: true },
    take: MAX_SUGGESTION_DM_ADMINS + 1,
  })
  // The installer is an admin until an admin says otherwise, also before Promoly has met them.
  const installerRow = installer
    ? await prisma.member.findUnique({
        where: { workspaceId_slackUserId: { workspaceId, slackUserId: installer } },
        select: { role: true },
      })
    : null
  const installerIsAdmin = installer !== undefined && (installerRow === null || installerRow.role === 'ADMIN')
  const ids = [...(installerIsAdmin ? [installer] : []), ...admins.map((a) => a.slackUserId)]
  return { slackTeamId: ws.slackTeamId, channelId: undefined, adminUserIds: [...new Set(ids)].slice(0, MAX_SUGGESTION_DM_ADMINS) }
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
