import type { DigestRun, DigestSubscription, PrismaClient } from '../../generated/prisma/client.ts'
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
