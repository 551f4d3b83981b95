/**
 * A period's true reach and frequency. Reach does not add up over days (the same person is reached on several days)
 * nor over campaigns: the sum of daily reach is not reach. Each sync asks Meta for the standard periods' reach
 * without time_increment (domain/sync/sync-period-reach.ts) and keeps it in PeriodReach; a surface shows reach only
 * when a row covers exactly its range, and otherwise says reach is unavailable for that range.
 */
import type { PrismaClient } from '../../generated/prisma/client.ts'
import { toDbDate } from '../../lib/dates.ts'
import type { DateRange } from './periods.ts'

export interface PeriodReachFigures {
  reach: number
  impressions: number
  frequency: number | null
  syncedAt: Date
}

/** The cached reach of the account (campaignId null) or of one campaign over exactly `range`; null when not cached. */
export async function loadPeriodReach(
  prisma: PrismaClient,
  where: { adAccountId: string; campaignId: string | null },
  range: DateRange,
): Promise<PeriodReachFigures | null> {
  const row = await prisma.periodReach.findFirst({
    where: { adAccountId: where.adAccountId, campaignId: where.campaignId, since: toDbDate(range.since), until: toDbDate(range.until) },
    orderBy: { syncedAt: 'desc' },
  })
  if (!row) return null
  const reach = Number(row.reach)
  const impressions = Number(row.impressions)
  return { reach, impressions, frequency: reach > 0 ? impressions / reach : null, syncedAt: row.syncedAt }
}

/** What a surface says when no cached period covers the range. */
export const REACH_UNAVAILABLE = 'unavailable for this range'
