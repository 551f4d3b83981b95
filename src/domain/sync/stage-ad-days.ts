/**
 * The staging of a sync's ad-days (AdDailyMetricStage): each Insights page is written as it arrives (one INSERT per
 * page, memory bounded by a page), then moved into AdDailyMetric by one statement inside the sync's transaction.
 * A failed sync leaves AdDailyMetric untouched; its staged rows are removed by the failing run or, after a crash,
 * by a later run of the account.
 */
import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts'
import type { AdInsightRow } from '../../integrations/meta/meta-api.ts'
import type { DateRange } from '../metrics/periods.ts'

/** Stage rows of runs older than this are a crashed run's: a later run of the account removes them. */
const STALE_RUN_MS = 6 * 3_600_000

/** Start times in run ids: base-36 milliseconds, fixed width, so ids sort by start time (short keys for the stage's index). */
function runTime(at: Date): string {
  return at.getTime().toString(36).padStart(9, '0')
}

/** A run id that sorts by start time, so stale runs can be told from running ones (a backfill may run beside a sync). */
export function newSyncRunId(startedAt: Date, random: string): string {
  return `${runTime(startedAt)}-${random.replace(/-/g, '').slice(0, 12)}`
}

/** Removes this account's stage rows left by runs that started more than 6 hours before `now` (crashed runs). */
export async function clearStaleStage(prisma: PrismaClient, adAccountId: string, now: Date): Promise<void> {
  const staleBefore = runTime(new Date(now.getTime() - STALE_RUN_MS))
  await prisma.$executeRaw`DELETE FROM "AdDailyMetricStage" WHERE "adAccountId" = ${adAccountId} AND "syncRunId" COLLATE "C" < ${staleBefore}`
}

export async function clearRunStage(db: PrismaClient | Prisma.TransactionClient, syncRunId: string): Promise<void> {
  await db.$executeRaw`DELETE FROM "AdDailyMetricStage" WHERE "syncRunId" = ${syncRunId}`
}

const METRICS = ['impressions', 'reach', 'frequency', 'clicks', 'linkClicks', 'spend', 'leads', 'purchases', 'purchaseValue'] as const

/**
 * One INSERT for a page of ad-day rows, the page passed as one JSON parameter (far cheaper to bind than 13 arrays).
 * A row Meta repeats overwrites the earlier one: a range read again after a timeout delivers the same ad-days twice.
 */
export async function stageAdDays(
  prisma: PrismaClient,
  run: { syncRunId: string; adAccountId: string },
  rows: AdInsightRow[],
): Promise<void> {
  if (rows.length === 0) return
  const unique = [...new Map(rows.map((r) => [`${r.adId}|${r.date}`, r])).values()]
  const page = JSON.stringify(
    unique.map((r) => ({
      ad: r.adId,
      adset: r.adSetId,
      campaign: r.campaignId,
      date: r.date,
      impressions: Math.round(r.impressions),
      reach: Math.round(r.reach),
      frequency: r.frequency,
      clicks: Math.round(r.clicks),
      linkClicks: Math.round(r.linkClicks),
      spend: r.spendMinor,
      leads: Math.round(r.leads),
      purchases: Math.round(r.purchases),
      purchaseValue: r.purchaseValueMinor,
    })),
  )
  await prisma.$executeRawUnsafe(
    `INSERT INTO "AdDailyMetricStage" ("syncRunId", "adAccountId", "metaAdId", "metaAdSetId", "metaCampaignId", "date", ${METRICS.map((m) => `"${m}"`).join(', ')})
     SELECT $1::text, $2::text, v.ad, v.adset, v.campaign, v.date, ${METRICS.map((m) => `v."${m}"`).join(', ')}
       FROM json_to_recordset($3::json) AS v(ad text, adset text, campaign text, date date, impressions bigint, reach bigint,
            frequency double precision, clicks bigint, "linkClicks" bigint, spend bigint, leads bigint, purchases bigint, "purchaseValue" bigint)
     ON CONFLICT ("syncRunId", "metaAdId", "date") DO UPDATE SET
       "metaAdSetId" = EXCLUDED."metaAdSetId", "metaCampaignId" = EXCLUDED."metaCampaignId",
       ${METRICS.map((m) => `"${m}" = EXCLUDED."${m}"`).join(', ')}`,
    run.syncRunId,
    run.adAccountId,
    page,
  )
}

/** `[sinces, untils]` of ranges, for `unnest($::date[], $::date[])`. */
function rangeArrays(ranges: readonly DateRange[]): [string[], string[]] {
  return [ranges.map((r) => r.since), ranges.map((r) => r.until)]
}

/**
 * Moves the run's staged rows of the `covered` ranges (non-overlapping) into AdDailyMetric, joined to the Ad rows
 * (which the structure step has created for every staged ad), stamped `syncedAt`. Returns the rows written.
 */
export async function moveStagedAdDays(
  tx: Prisma.TransactionClient,
  run: { syncRunId: string; adAccountId: string; syncedAt: Date; covered: readonly DateRange[] },
): Promise<number> {
  if (run.covered.length === 0) return 0
  const [sinces, untils] = rangeArrays(run.covered)
  return tx.$executeRawUnsafe(
    `INSERT INTO "AdDailyMetric" ("adId", "adSetId", "campaignId", "adAccountId", "date", ${METRICS.map((m) => `"${m}"`).join(', ')}, "syncedAt")
     SELECT a."id", a."adSetId", a."campaignId", s."adAccountId", s."date", ${METRICS.map((m) => `s."${m}"`).join(', ')}, $5::timestamp
       FROM "AdDailyMetricStage" s
       JOIN "Ad" a ON a."adAccountId" = s."adAccountId" AND a."metaAdId" = s."metaAdId"
       JOIN unnest($3::date[], $4::date[]) AS r(since, until) ON s."date" BETWEEN r.since AND r.until
      WHERE s."syncRunId" = $1 AND s."adAccountId" = $2
     ON CONFLICT ("adId", "date") DO UPDATE SET
       "adSetId" = EXCLUDED."adSetId", "campaignId" = EXCLUDED."campaignId",
       ${METRICS.map((m) => `"${m}" = EXCLUDED."${m}"`).join(', ')}, "syncedAt" = EXCLUDED."syncedAt"`,
    run.syncRunId,
    run.adAccountId,
    sinces,
    untils,
    run.syncedAt.toISOString(),
  )
}

/**
 * Deletes the account's ad-days in the `covered` ranges that this run did not write: Meta no longer reports them
 * (revised to no delivery). Safe because the reads include deleted and archived ads; ranges left as gaps are not
 * covered, so their days stay.
 */
export async function deleteUnreportedAdDays(
  tx: Prisma.TransactionClient,
  run: { adAccountId: string; syncedAt: Date; covered: readonly DateRange[] },
): Promise<number> {
  if (run.covered.length === 0) return 0
  const [sinces, untils] = rangeArrays(run.covered)
  return tx.$executeRawUnsafe(
    `DELETE FROM "AdDailyMetric" m USING unnest($2::date[], $3::date[]) AS r(since, until)
      WHERE m."adAccountId" = $1 AND m."date" BETWEEN r.since AND r.until AND m."syncedAt" <> $4::timestamp`,
    run.adAccountId,
    sinces,
    untils,
    run.syncedAt.toISOString(),
  )
}
