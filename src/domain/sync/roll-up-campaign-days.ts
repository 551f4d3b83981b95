/**
 * Campaign-days as the sum of their ads' days: AdDailyMetric is the source of truth, CampaignDailyMetric its
 * per-campaign roll-up, rewritten for the synced range in the sync's transaction so that a campaign's figures always
 * equal the sum of its ads. Reach and frequency do not add up across ads: a new roll-up row takes the largest ad's reach
 * (a lower bound) until the caller writes Meta's campaign-level reach for the day; an existing row keeps its reach.
 * Days of the range with no ad rows lose their campaign row (no delivery at ad level = no delivery).
 */
import type { Prisma } from '../../generated/prisma/client.ts'
import type { IsoDate } from '../../lib/dates.ts'
import { METRIC_FIELDS } from '../metrics/vocabulary.ts'

const SUMMED = METRIC_FIELDS.filter((f) => f !== 'reach')

export async function rollUpCampaignDays(
  tx: Prisma.TransactionClient,
  range: { adAccountId: string; since: IsoDate; until: IsoDate; syncedAt: Date },
): Promise<void> {
  const { adAccountId, since, until, syncedAt } = range
  await tx.$executeRawUnsafe(
    `INSERT INTO "CampaignDailyMetric" ("campaignId", "adAccountId", "date", "reach", "frequency", ${SUMMED.map((f) => `"${f}"`).join(', ')}, "syncedAt")
     SELECT "campaignId", "adAccountId", "date", MAX("reach"),
            CASE WHEN MAX("reach") > 0 THEN SUM("impressions")::double precision / MAX("reach") ELSE 0 END,
            ${SUMMED.map((f) => `SUM("${f}")`).join(', ')}, $4::timestamp
       FROM "AdDailyMetric"
      WHERE "adAccountId" = $1 AND "date" BETWEEN $2::date AND $3::date
      GROUP BY "campaignId", "adAccountId", "date"
     ON CONFLICT ("campaignId", "date") DO UPDATE SET
       ${SUMMED.map((f) => `"${f}" = EXCLUDED."${f}"`).join(', ')}, "syncedAt" = EXCLUDED."syncedAt"`,
    adAccountId,
    since,
    until,
    syncedAt.toISOString(),
  )
  // Every campaign-day with ads was just stamped `syncedAt`: the others of the range had no ad delivering.
  await tx.$executeRawUnsafe(
    `DELETE FROM "CampaignDailyMetric" WHERE "adAccountId" = $1 AND "date" BETWEEN $2::date AND $3::date AND "syncedAt" <> $4::timestamp`,
    adAccountId,
    since,
    until,
    syncedAt.toISOString(),
  )
}
