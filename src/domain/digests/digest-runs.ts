import type { DigestRun, DigestSubscription, PrismaClient } from '../../generated/prisma/client.ts'
import { recordAuditEvent } from '../audit/record-audit-event.ts'
import { adminsToNotify, approvesOnRecord } from '../members/find-member.ts'
import { MAX_DIGEST_ATTEMPTS } from './due-digests.ts'

/**
 * What happens to a claimed digest run (claimDigest) once it was posted or not: SENT, FAILED (a later
 * tick claims it again while attempts are left), or, when its channel is gone, FAILED for good with
 * its subscription PAUSED.
 */

export async function findDigestRun(prisma: PrismaClient, runId: string): Promise<DigestRun | null> {
  return prisma.digestRun.findUnique({ where: { id: runId } })
}

/** The subscription of a run and the Slack team it posts to (throws when either is gone). */
export async function digestSubscriptionWithTeam(
  prisma: PrismaClient,
  subscriptionId: string,
): Promise<{ subscription: DigestSubscription; slackTeamId: string }> {
  const subscription = await prisma.digestSubscription.findUniqueOrThrow({ where: { id: subscriptionId } })
  const ws = await prisma.workspace.findUniqueOrThrow({ where: { id: subscription.workspaceId } })
  return { subscription, slackTeamId: ws.slackTeamId }
}

export async function markDigestRunSent(prisma: PrismaClient, runId: string, messageTs: string | undefined): Promise<void> {
  await prisma.digestRun.update({
    where: { id: runId },
    data: { status: 'SENT', sentAt: new Date(), messageTs: messageTs ?? null, error: null },
  })
}

/** `error` is kept to 500 characters. */
export async function markDigestRunFailed(prisma: PrismaClient, runId: string, error: string): Promise<void> {
  await prisma.digestRun.update({ where: { id: runId }, data: { status: 'FAILED', error: error.slice(0, 500) } })
}

/** The digest's channel is gone: the subscription pauses (with the reason) and the run is never retried. */
export async function pauseDigestSubscription(
  prisma: PrismaClient,
  args: { subscriptionId: string; runId: string; reason: string; error: string },
): Promise<void> {
  await prisma.$transaction([
    prisma.digestSubscription.update({ where: { id: args.subscriptionId }, data: { status: 'PAUSED', pausedReason: args.reason } }),
    prisma.digestRun.update({ where: { id: args.runId }, data: { status: 'FAILED', attempts: MAX_DIGEST_ATTEMPTS, error: args.error } }),
  ])
}

/** How a digest paused for its creator comes back: said the same way in its reason, the admins' DM and the list. */
const REVIVE_DIGEST_HINT =
  'an approver or admin who is in the channel can revive it with `/promoly digest subscribe` there (and becomes its creator)'

/**
 * Why a digest may no longer post, checked before each post: managing digests is for approvers and admins,
 * and a digest posts every account's spend, so its creator must still hold one of those roles on record
 * (a Member row saying ADMIN or APPROVER, or the installer with no row saying otherwise; someone else Promoly
 * has no row for does not count). Catches digests set up by plain members before digests had a role check, and
 * creators demoted since. Undefined: it may post.
 */
export async function digestCreatorRefusal(
  prisma: PrismaClient,
  subscription: Pick<DigestSubscription, 'workspaceId' | 'createdBySlackUserId'>,
): Promise<string | undefined> {
  const creator = subscription.createdBySlackUserId
  if (!creator) return `nobody is on record as its creator; ${REVIVE_DIGEST_HINT}`
  if (await approvesOnRecord(prisma, subscription.workspaceId, creator)) return undefined
  return `the person who set it up is not a Promoly approver or admin; ${REVIVE_DIGEST_HINT}`
}

/** At most this many admins are told by DM that a digest was paused for its creator. */
const MAX_PAUSE_DM_ADMINS = 5

/**
 * A digest whose creator may not post it (digestCreatorRefusal): paused with the reason, the run never posted nor
 * retried, audited. Returns the admins to tell (at most MAX_PAUSE_DM_ADMINS) when this call paused it — once per
 * pause, however many runs or workers see it — and an empty list when it was paused already.
 */
export async function pauseDigestForCreator(
  prisma: PrismaClient,
  args: {
    subscription: Pick<DigestSubscription, 'id' | 'workspaceId' | 'channelId' | 'createdBySlackUserId'>
    runId: string
    reason: string
  },
): Promise<{ tellAdmins: string[] }> {
  const { subscription: sub } = args
  const pausedNow = await prisma.$transaction(async (tx) => {
    const paused = await tx.digestSubscription.updateMany({
      where: { id: sub.id, status: 'ACTIVE' },
      data: { status: 'PAUSED', pausedReason: args.reason },
    })
    await tx.digestRun.update({
      where: { id: args.runId },
      data: { status: 'FAILED', attempts: MAX_DIGEST_ATTEMPTS, error: 'creator_not_allowed' },
    })
    if (paused.count === 0) return false
    await recordAuditEvent(tx, {
      workspaceId: sub.workspaceId,
      actorType: 'system',
      action: 'digest.paused',
      targetType: 'digest_subscription',
      targetId: sub.id,
      data: { reason: args.reason, channelId: sub.channelId, createdBySlackUserId: sub.createdBySlackUserId },
    })
    return true
  })
  return { tellAdmins: pausedNow ? await adminsToNotify(prisma, sub.workspaceId, MAX_PAUSE_DM_ADMINS) : [] }
}
