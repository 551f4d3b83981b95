import type { PrismaClient } from '../../generated/prisma/client.ts'

export interface ListUnsettledUsersOptions {
  workspaceId: string
  slackUserIds: string[]
}

/**
 * Of these Slack users, those whose role no admin has set explicitly (including people Promoly has
 * not met): their role still follows Slack's owner/admin flags, so resolve them (resolveMember)
 * before giving them a role, or a Slack admin would lose the admin role.
 */
export async function listUnsettledUsers(prisma: PrismaClient, options: ListUnsettledUsersOptions): Promise<string[]> {
  const settled = await prisma.member.findMany({
    where: { workspaceId: options.workspaceId, slackUserId: { in: options.slackUserIds }, roleSetExplicitly: true },
    select: { slackUserId: true },
  })
  const known = new Set(settled.map((m) => m.slackUserId))
  return options.slackUserIds.filter((id) => !known.has(id))
}
