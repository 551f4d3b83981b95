import type { PrismaClient } from '../../generated/prisma/client.ts'

/** The Slack team of a workspace (undefined when there is no such workspace). */
export async function workspaceTeamId(prisma: PrismaClient, workspaceId: string): Promise<string | undefined> {
  const ws = await prisma.workspace.findUnique({ where: { id: workspaceId }, select: { slackTeamId: true } })
  return ws?.slackTeamId
}

/** Whether Promoly already has a workspace for this Slack team that it serves (not stopped; nothing is created). */
export async function isKnownTeam(prisma: PrismaClient, slackTeamId: string): Promise<boolean> {
  return (await prisma.workspace.count({ where: { slackTeamId, stoppedReason: null } })) > 0
}
