import type { DigestRun, DigestSubscription, PrismaClient } from '../../generated/prisma/client.ts'
import { type IsoDate, localDate, toDbDate } from '../../lib/dates.ts'

const timeFormatters = new Map<string, Intl.DateTimeFormat>()

/** HH:MM it is at `at` in `timeZone` (DST-correct: computed from the zone's rules, not an offset). */
export function localClock(at: Date, timeZone: string): string {
  let f = timeFormatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    timeFormatters.set(timeZone, f)
  }
  return f.format(at)
}

/** Failed posts are retried (on later ticks of the same local day) this many times in all. */
export const MAX_DIGEST_ATTEMPTS = 3
/** A claim older than this whose worker never finished (crash, lost job) is taken over. */
const STALE_CLAIM_MS = 15 * 60_000

function staleClaim(run: { status: string; claimedAt: Date; attempts: number }): boolean {
  return run.status === 'CLAIMED' && run.claimedAt.getTime() < Date.now() - STALE_CLAIM_MS && run.attempts < MAX_DIGEST_ATTEMPTS
}

/**
 * The digests to post now: each active subscription whose local time has come today (in its own
 * time zone) and whose run for today is not sent — including ones missed while the process was
 * down, as long as their local day has not passed. The caller claims each before posting.
 */
export async function dueDigests(
  prisma: PrismaClient,
  now: Date,
): Promise<Array<{ subscription: DigestSubscription; localDate: IsoDate }>> {
  const subs = await prisma.digestSubscription.findMany({ where: { status: 'ACTIVE' } })
  const due: Array<{ subscription: DigestSubscription; localDate: IsoDate }> = []
  const candidates = subs.map((s) => ({ s, day: localDate(now, s.timeZone) })).filter(({ s }) => localClock(now, s.timeZone) >= s.localTime)
  if (candidates.length === 0) return due
  const runs = await prisma.digestRun.findMany({
    where: { OR: candidates.map(({ s, day }) => ({ subscriptionId: s.id, localDate: toDbDate(day) })) },
  })
  const byKey = new Map(runs.map((r) => [`${r.subscriptionId}|${r.localDate.toISOString().slice(0, 10)}`, r]))
  for (const { s, day } of candidates) {
    // Subscribed today after today's time: the first digest is tomorrow's, not one right away.
    if (localDate(s.createdAt, s.timeZone) === day && localClock(s.createdAt, s.timeZone) > s.localTime) continue
    const run = byKey.get(`${s.id}|${day}`)
    if (!run || (run.status === 'FAILED' && run.attempts < MAX_DIGEST_ATTEMPTS) || staleClaim(run))
      due.push({ subscription: s, localDate: day })
  }
  return due
}

/**
 * Claims the digest of (subscription, local date) for this worker: one INSERT on a unique key, or
 * taking over a FAILED run (or a claim abandoned for 15 minutes) with attempts left. Exactly one of
 * any number of workers gets it.
 */
export async function claimDigest(prisma: PrismaClient, subscriptionId: string, day: IsoDate): Promise<DigestRun | null> {
  try {
    return await prisma.digestRun.create({ data: { subscriptionId, localDate: toDbDate(day) } })
  } catch (err) {
    if ((err as { code?: string }).code !== 'P2002') throw err
  }
  const retried = await prisma.digestRun.updateMany({
    where: {
      subscriptionId,
      localDate: toDbDate(day),
      attempts: { lt: MAX_DIGEST_ATTEMPTS },
      OR: [{ status: 'FAILED' }, { status: 'CLAIMED', claimedAt: { lt: new Date(Date.now() - STALE_CLAIM_MS) } }],
    },
    data: { status: 'CLAIMED', attempts: { increment: 1 }, claimedAt: new Date() },
  })
  return retried.count === 1
    ? prisma.digestRun.findUnique({ where: { subscriptionId_localDate: { subscriptionId, localDate: toDbDate(day) } } })
    : null
}
