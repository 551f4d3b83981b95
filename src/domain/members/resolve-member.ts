import type { Member, MemberRole, PrismaClient } from '../../generated/prisma/client.ts'
import { recordAuditEvent } from '../audit/record-audit-event.ts'

/** What the surface knows about a Slack user, looked up only when a role matters. */
export interface SlackUserFacts {
  isOwner: boolean
  isAdmin: boolean
}

export interface ResolveMemberOptions {
  workspaceId: string
  slackUserId: string
  /** The installing user of this workspace (OAuth), if known: a value, or a look-up run only when the role is not set explicitly. */
  installerUserId?: string | null | (() => Promise<string | null>)
  /** Reads users.info; called only when the role is not set explicitly. */
  lookupSlackUser: (slackUserId: string) => Promise<SlackUserFacts | undefined>
}

/**
 * Finds or creates the member. Until an admin sets a role explicitly, the installing user (of the
 * first install) and the Slack workspace's owners and admins are Promoly admins, and everyone else is
 * a member. A role that changes this way is audited (`member.role_changed`, actor `system`).
 */
export async function resolveMember(prisma: PrismaClient, options: ResolveMemberOptions): Promise<Member> {
  const existing = await prisma.member.findUnique({
    where: { workspaceId_slackUserId: { workspaceId: options.workspaceId, slackUserId: options.slackUserId } },
  })
  if (existing?.roleSetExplicitly) return existing
  let role: MemberRole = 'MEMBER'
  const installer = typeof options.installerUserId === 'function' ? await options.installerUserId() : options.installerUserId
  const isInstaller = Boolean(installer) && installer === options.slackUserId
  if (isInstaller) role = 'ADMIN'
  else {
    const facts = await options.lookupSlackUser(options.slackUserId).catch(() => undefined)
    // Slack did not answer: keep what we knew rather than demote an admin on a hiccup.
    if (!facts && existing) return existing
    if (facts?.isOwner || facts?.isAdmin) role = 'ADMIN'
  }
  if (existing && existing.role === role) return existing
  const member = await prisma.member.upsert({
    where: { workspaceId_slackUserId: { workspaceId: options.workspaceId, slackUserId: options.slackUserId } },
    create: { workspaceId: options.workspaceId, slackUserId: options.slackUserId, role },
    update: { role },
  })
  // A role that follows Slack changed (or someone arrived as an admin): on the record like an admin's change.
  if (existing || role !== 'MEMBER')
    await recordAuditEvent(prisma, {
      workspaceId: options.workspaceId,
      actorType: 'system',
      action: 'member.role_changed',
      targetType: 'member',
      targetId: options.slackUserId,
      data: { before: existing?.role ?? null, after: role, why: role === 'ADMIN' && isInstaller ? 'installer' : 'slack_flags' },
    })
  return member
}

export function isAdmin(member: Pick<Member, 'role'>): boolean {
  return member.role === 'ADMIN'
}
