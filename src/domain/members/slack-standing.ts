import type { PrismaClient } from '../../generated/prisma/client.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'

/**
 * What Slack says of a person in this workspace, as the surface learnt it (users.info): a full `member`, a
 * `guest` (single- or multi-channel), `external` (another organisation, or no such user), or `unknown` (Slack
 * did not answer). The domain never calls Slack: the surface supplies the answer.
 */
export type SlackStanding = 'member' | 'guest' | 'external' | 'unknown'

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
  }
}
