import type { PrismaClient } from '../../generated/prisma/client.ts'
import { suggestionsDestination } from '../suggestions/suggestion-delivery.ts'

/**
 * Where a client's intraday alerts go: its alerts channel, else where its suggestions go (its suggestions channel,
 * else the Promoly admins by DM). Only ever that client's own channels.
 */
export async function alertsDestination(
  prisma: PrismaClient,
  workspaceId: string,
  clientId: string,
): Promise<{ slackTeamId: string; channelId: string | undefined; adminUserIds: string[] }> {
  const client = await prisma.client.findFirst({ where: { id: clientId, workspaceId }, select: { alertsChannelId: true } })
  if (!client?.alertsChannelId) return suggestionsDestination(prisma, workspaceId, clientId)
  const ws = await prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { slackTeamId: true } })
  return { slackTeamId: ws.slackTeamId, channelId: client.alertsChannelId, adminUserIds: [] }
}
