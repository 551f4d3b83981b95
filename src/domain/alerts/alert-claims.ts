/**
 * Who posts an intraday alert, so that it reaches Slack at least once and never twice. Inserting the alert's row is not
 * enough: a failed post, or a worker that dies between the insert and the post, would leave a row that no retry posts
 * (the retry's insert is skipped on the alert's key). So every check posts the account's alerts of the day that were
 * never posted, each claimed first: the claim writes a marker in `postedChannelId` (no schema change) with a
 * compare-and-set on the value just read, so of two workers only one gets it. Posting replaces the marker with the
 * real channel and message; a post that failed gives the claim back for the retry, and a claim left by a worker that
 * died is taken over once it is older than STALE_CLAIM_MS.
 */
import { randomUUID } from 'node:crypto'
import type { Suggestion as SuggestionRow } from '../../generated/prisma/client.ts'
import type { IsoDate } from '../../lib/dates.ts'
import type { DomainDeps } from '../deps.ts'

const CLAIM_PREFIX = 'posting:'
/** Longer than any post of an account's alerts takes; shorter than the fast loop's hour, so the next check delivers. */
export const STALE_CLAIM_MS = 10 * 60 * 1000

/** The marker written by one claim: `posting:<ISO time>#<random>` (the random part tells two claims of one instant apart). */
function claimMarker(at: Date): string {
  return `${CLAIM_PREFIX}${at.toISOString()}#${randomUUID()}`
}

/** Whether the row's alert is free to claim: never posted, and not being posted by a live worker. */
export function claimable(row: Pick<SuggestionRow, 'postedChannelId' | 'postedTs'>, now: Date): boolean {
  if (row.postedTs !== null) return false
  if (row.postedChannelId === null) return true
  // A real channel without a message: Slack took the post (it gave no ts), so it is not posted again.
  if (!row.postedChannelId.startsWith(CLAIM_PREFIX)) return false
  const at = new Date(row.postedChannelId.slice(CLAIM_PREFIX.length).split('#')[0] ?? '')
  // A marker that cannot be read would never be freed: taken over.
  return Number.isNaN(at.getTime()) || now.getTime() - at.getTime() >= STALE_CLAIM_MS
}

export interface AlertClaim {
  /** The marker on the claimed rows (give them back with releaseUnpostedAlerts). */
  marker: string
  /** The account's open alerts of the day, never posted, now this worker's to post. */
  alerts: SuggestionRow[]
}

/** Claims the account's open alerts of `day` that were never posted and that no live worker is posting. */
export async function claimUnpostedAlerts(deps: DomainDeps, adAccountId: string, day: IsoDate): Promise<AlertClaim> {
  const now = deps.now()
  const marker = claimMarker(now)
  const candidates = await deps.prisma.suggestion.findMany({
    where: { adAccountId, status: 'OPEN', alertKey: { endsWith: `|${day}` }, postedTs: null },
    orderBy: { createdAt: 'asc' },
  })
  const alerts: SuggestionRow[] = []
  for (const row of candidates) {
    if (!claimable(row, now)) continue
    // Compare-and-set on the value read: a concurrent claim (or post) changed it, and this one matches nothing.
    const won = await deps.prisma.suggestion.updateMany({
      where: { id: row.id, postedTs: null, postedChannelId: row.postedChannelId },
      data: { postedChannelId: marker },
    })
    if (won.count === 1) alerts.push({ ...row, postedChannelId: marker })
  }
  return { marker, alerts }
}

/**
 * Gives back the claimed alerts that are still unposted (their post failed, or they had nowhere to go), so the job's
 * retry or the next check posts them. Returns how many.
 */
export async function releaseUnpostedAlerts(deps: DomainDeps, marker: string): Promise<number> {
  const released = await deps.prisma.suggestion.updateMany({
    where: { postedChannelId: marker, postedTs: null },
    data: { postedChannelId: null },
  })
  return released.count
}
