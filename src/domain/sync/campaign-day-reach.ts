/**
 * Meta's own reach and frequency for each campaign-day (`level=campaign&time_increment=1`): reach does not add up
 * across a campaign's ads, so after the roll-up (which can only take the largest ad's reach) the sync writes Meta's
 * figure over it, in one statement per chunk. Campaign-days are far fewer than ad-days (one per campaign and day).
 */
import type { Prisma } from '../../generated/prisma/client.ts'
import type { CampaignReachDay } from '../../integrations/meta/meta-api.ts'
import type { DateRange } from '../metrics/periods.ts'

const CHUNK = 5_000

export async function writeCampaignDayReach(
  tx: Prisma.TransactionClient,
  adAccountId: string,
  days: readonly CampaignReachDay[],
  covered: readonly DateRange[],
): Promise<void> {
  const inCovered = days.filter((d) => covered.some((r) => d.date >= r.since && d.date <= r.until))
  for (let i = 0; i < inCovered.length; i += CHUNK) {
    const chunk = inCovered.slice(i, i + CHUNK)
    await tx.$executeRawUnsafe(
      `UPDATE "CampaignDailyMetric" m SET "reach" = v.reach, "frequency" = v.frequency
         FROM unnest($2::text[], $3::date[], $4::bigint[], $5::double precision[]) AS v(meta, date, reach, frequency)
         JOIN "Campaign" c ON c."adAccountId" = $1 AND c."metaCampaignId" = v.meta
        WHERE m."campaignId" = c."id" AND m."date" = v.date`,
      adAccountId,
      chunk.map((d) => d.campaignId),
      chunk.map((d) => d.date),
      chunk.map((d) => String(Math.round(d.reach))),
      chunk.map((d) => d.frequency),
    )
  }
}
