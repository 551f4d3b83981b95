import type { PrismaClient } from '../../generated/prisma/client.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'

/**
 * What Slack says of a person in this workspace, as the surface learnt it (users.info): a full `member`, a
 * `guest` (single- or multi-channel), `external` (another organisation, or no such user), a `bot` (an app's
 * bot user, Promoly itself, or Slackbot), `deleted` (a deactivated account), or `unknown` (Slack did not
 * answer). Only a `member` is a person who can hold a role. The domain never calls Slack: the surface
 * supplies the answer.
 */
export type SlackStanding = 'member' | 'guest' | 'external' | 'bot' | 'deleted' | 'unknown'

/** Asks Slack about one person (supplied by the surface). */
export type StandingCheck = (slackUserId: string) => Promise<SlackStanding>

export interface RequireFullMembersOptions {
  workspaceId: string
  /** The people about to be given a role. */
  slackUserIds: string[]
  standingOf: StandingCheck
}

/**
 * Only full members of the workspace can be given a role: a guest, someone of another organisation or
 * someone Slack did not vouch for just now refuses the whole change. People who already hold a role
 * (admin or approver) are not asked again.
 */
export async function requireFullMembers(prisma: Pick<PrismaClient, 'member'>, options: RequireFullMembersOptions): Promise<void> {
  if (options.slackUserIds.length === 0) return
  const holding = await prisma.member.findMany({
    where: { workspaceId: options.workspaceId, slackUserId: { in: options.slackUserIds }, role: { in: ['ADMIN', 'APPROVER'] } },
    select: { slackUserId: true },
  })
  const held = new Set(holding.map((m) => m.slackUserId))
  for (const id of options.slackUserIds.filter((x) => !held.has(x))) {
    const standing = await options.standingOf(id)
    if (standing === 'unknown')
      throw new AppError(AppErrorCode.CONFLICT, 'Slack did not tell me who the people you chose are. Please try again in a minute.')
    if (standing === 'guest')
      throw new AppError(
        AppErrorCode.BAD_INPUT,
        `Guests cannot be Promoly admins or approvers, and one of the people you chose (${id}) is a guest of this workspace.`,
      )
    if (standing === 'external')
      throw new AppError(
        AppErrorCode.BAD_INPUT,
        `Only members of this workspace can be Promoly admins or approvers, and one of the people you chose (${id}) is not.`,
      )
    if (standing === 'bot')
      throw new AppError(
        AppErrorCode.BAD_INPUT,
        `Bots (Promoly itself, Slackbot, other apps) cannot be Promoly admins or approvers, and one of the people you chose (${id}) is a bot. Choose people.`,
      )
    if (standing === 'deleted')
      throw new AppError(
        AppErrorCode.BAD_INPUT,
        `Deactivated Slack accounts cannot be Promoly admins or approvers, and one of the people you chose (${id}) is a deactivated Slack account. Choose people who are still in the workspace.`,
      )
  }
}

/**
 * The "never without an admin" rule counts people only: when a save changes who the admins are, at least
 * one of the new admins must be a full member by Slack's word now (never only bots or deactivated
 * accounts that hold the role from an older release). Slack is asked about the new admins first (already
 * vouched for by requireFullMembers), then about the ones who kept the role, until one is a person.
 */
export async function requireAHumanAdmin(
  prisma: Pick<PrismaClient, 'member'>,
  options: { workspaceId: string; adminSlackUserIds: string[]; standingOf: StandingCheck },
): Promise<void> {
  const before = await prisma.member.findMany({ where: { workspaceId: options.workspaceId, role: 'ADMIN' }, select: { slackUserId: true } })
  const held = new Set(before.map((m) => m.slackUserId))
  const admins = options.adminSlackUserIds
  if (admins.length === held.size && admins.every((id) => held.has(id))) return
  let unknown = false
  for (const id of [...admins.filter((x) => !held.has(x)), ...admins.filter((x) => held.has(x))]) {
    const standing = await options.standingOf(id)
    if (standing === 'member') return
    if (standing === 'unknown') unknown = true
  }
  if (unknown)
    throw new AppError(AppErrorCode.CONFLICT, 'Slack did not tell me who the people you chose are. Please try again in a minute.')
  throw new AppError(
    AppErrorCode.BAD_INPUT,
    'Promoly needs at least one admin who is a person: keep a member of this workspace in the admins (bots and deactivated accounts do not count). Nothing was changed.',
  )
}
