import type { Member, PrismaClient } from '../../generated/prisma/client.ts'

export interface FindMemberOptions {
  workspaceId: string
  slackUserId: string
}

/** The member row of a Slack user as it is (no Slack lookup, nothing created); null for someone Promoly has not met. */
export async function findMember(prisma: PrismaClient, options: FindMemberOptions): Promise<Member | null> {
  return prisma.member.findUnique({
    where: { workspaceId_slackUserId: { workspaceId: options.workspaceId, slackUserId: options.slackUserId } },
  })
}

/** Whether any member of the workspace holds the admin role (on record; Slack admins Promoly has not met yet do not count). */
export async function workspaceHasAdmin(prisma: PrismaClient, workspaceId: string): Promise<boolean> {
  return (await prisma.member.count({ where: { workspaceId, role: 'ADMIN' } })) > 0
}
