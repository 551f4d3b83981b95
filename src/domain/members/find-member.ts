import type { Member, PrismaClient } from '../../generated/prisma/client.ts'
import { installerOf } from '../workspaces/installations.ts'
import { workspaceTeamId } from '../workspaces/workspace-team.ts'

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

type AdminsDb = PrismaClient

/** Who installed Promoly for the workspace (kept across uninstalls; an org-wide install too), when recorded. */
async function installerOfWorkspace(prisma: AdminsDb, workspaceId: string): Promise<string | undefined> {
  const teamId = await workspaceTeamId(prisma, workspaceId)
  return (teamId ? await installerOf(prisma, teamId) : null) ?? undefined
}

/**
 * Whether someone is a Promoly admin or approver as far as the records go: their Member row says ADMIN or
 * APPROVER, or they installed Promoly and no row says otherwise (the installer is an admin until an admin says
 * otherwise, also before Promoly has met them). No Slack lookup.
 */
export async function approvesOnRecord(prisma: AdminsDb, workspaceId: string, slackUserId: string): Promise<boolean> {
  const row = await prisma.member.findUnique({
    where: { workspaceId_slackUserId: { workspaceId, slackUserId } },
    select: { role: true },
  })
  if (row) return row.role === 'ADMIN' || row.role === 'APPROVER'
  return (await installerOfWorkspace(prisma, workspaceId)) === slackUserId
}

/**
 * The Promoly admins to tell something by DM, at most `limit`: the installer first while they are an admin (no
 * row saying otherwise), then the admins on record, longest-standing first.
 */
export async function adminsToNotify(prisma: AdminsDb, workspaceId: string, limit: number): Promise<string[]> {
  const installer = await installerOfWorkspace(prisma, workspaceId)
  const admins = await prisma.member.findMany({
    where: { workspaceId, role: 'ADMIN' },
    orderBy: [{ createdAt: 'asc' }, { slackUserId: 'asc' }],
    select: { slackUserId: true },
    take: limit + 1,
  })
  const installerRow = installer
    ? await prisma.member.findUnique({
        where: { workspaceId_slackUserId: { workspaceId, slackUserId: installer } },
        select: { role: true },
      })
    : null
  const installerIsAdmin = installer !== undefined && (installerRow === null || installerRow.role === 'ADMIN')
  const ids = [...(installerIsAdmin ? [installer] : []), ...admins.map((a) => a.slackUserId)]
  return [...new Set(ids)].slice(0, limit)
}
