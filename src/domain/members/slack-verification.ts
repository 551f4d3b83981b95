import type { Member, PrismaClient } from '../../generated/prisma/client.ts'

const HOUR_MS = 60 * 60_000

/** How long Slack's word that someone is a full member lets them in while Slack does not answer. */
const SLACK_VERIFIED_FOR_MS = 7 * 24 * HOUR_MS
/** Slack's word is written down at most this often per person (it is read on every request). */
export const SLACK_VERIFIED_REFRESH_MS = HOUR_MS

/**
 * Whether Slack confirmed this person as a full member of the workspace recently enough to let them in while
 * Slack does not answer. A member row alone proves nothing: before issue 10 every caller got one, guests too.
 */
export function recentlyVerified(member: Pick<Member, 'slackVerifiedAt'> | null, now: Date): boolean {
  const at = member?.slackVerifiedAt
  if (!at) return false
  const age = now.getTime() - at.getTime()
  // A mark in the future (a clock that jumped) is not trusted.
  return age >= 0 && age < SLACK_VERIFIED_FOR_MS
}

export interface SlackVerifiedOptions {
  workspaceId: string
  slackUserId: string
  now: Date
}

/**
 * Notes that Slack just confirmed this person as a full member (no more than hourly: an older mark is
 * refreshed). Someone Promoly has no member row for gets none here. `noted`: the mark is now recent;
 * `no_member`: there is no row to mark yet.
 */
export async function noteSlackVerified(
  prisma: Pick<PrismaClient, 'member'>,
  options: SlackVerifiedOptions,
): Promise<'noted' | 'no_member'> {
  const { workspaceId, slackUserId, now } = options
  const stale = new Date(now.getTime() - SLACK_VERIFIED_REFRESH_MS)
  const { count } = await prisma.member.updateMany({
    where: {
      workspaceId,
      slackUserId,
      OR: [{ slackVerifiedAt: null }, { slackVerifiedAt: { lt: stale } }, { slackVerifiedAt: { gt: now } }],
    },
    data: { slackVerifiedAt: now },
  })
  if (count > 0) return 'noted'
  const exists = await prisma.member.count({ where: { workspaceId, slackUserId } })
  return exists > 0 ? 'noted' : 'no_member'
}

/** Slack says this person is a guest, of another organisation or unknown: they are no longer let in on a Slack hiccup. */
export async function forgetSlackVerified(prisma: Pick<PrismaClient, 'member'>, options: Omit<SlackVerifiedOptions, 'now'>): Promise<void> {
  await prisma.member.updateMany({
    where: { workspaceId: options.workspaceId, slackUserId: options.slackUserId, slackVerifiedAt: { not: null } },
    data: { slackVerifiedAt: null },
  })
}
