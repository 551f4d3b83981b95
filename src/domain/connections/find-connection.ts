import type { PrismaClient } from '../../generated/prisma/client.ts'

/** Whether the workspace has any Meta connection (active or not). */
export async function hasMetaConnection(prisma: PrismaClient, workspaceId: string): Promise<boolean> {
  return (await prisma.metaConnection.count({ where: { workspaceId } })) > 0
}

/**
 * Who connected the Meta token an ad account syncs with (to tell them when its sync stops), with
 * the account's name and Slack team. Undefined when the account is gone or the creator is unknown.
 */
export async function connectionCreatorOf(
  prisma: PrismaClient,
  adAccountId: string,
): Promise<{ slackUserId: string; slackTeamId: string; adAccountName: string } | undefined> {
  const account = await prisma.adAccount.findUnique({ where: { id: adAccountId }, include: { connection: true, workspace: true } })
  const slackUserId = account?.connection.createdBySlackUserId
  if (!account || !slackUserId) return undefined
  return { slackUserId, slackTeamId: account.workspace.slackTeamId, adAccountName: account.name }
}
