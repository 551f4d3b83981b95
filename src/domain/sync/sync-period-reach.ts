/**
 * The standard periods' true reach, fetched by each sync (see domain/metrics/period-reach.ts): for each period,
 * one Insights request without time_increment at campaign level and one for the account total — reach over days
 * and campaigns is deduplicated by Meta, never summed here. 2 requests per period (more only past 500 campaigns).
 */
import type { Prisma } from '../../generated/prisma/client.ts'
import type { MetaApi, PeriodReachRow } from '../../integrations/meta/meta-api.ts'
import type { DateRange, PeriodName } from '../metrics/periods.ts'
import { resolvePeriod } from '../metrics/periods.ts'

/** The periods whose reach every sync caches: the ones `/promoly metrics` and the agent offer. */
export const REACH_PERIODS: readonly PeriodName[] = ['yesterday', 'last_7d', 'last_14d', 'last_30d']

export interface FetchedPeriodReach {
  range: DateRange
  rows: PeriodReachRow[]
}

/** The distinct ranges of REACH_PERIODS as of `now` in the account's time zone. */
export function reachRanges(now: Date, timeZone: string): DateRange[] {
  const byKey = new Map<string, DateRange>()
  for (const name of REACH_PERIODS) {
    const { current } = resolvePeriod(name, now, timeZone)
    byKey.set(`${current.since}|${current.until}`, current)
  }
  return [...byKey.values()]
}

export async function fetchPeriodReach(
  meta: MetaApi,
  token: string,
  metaAccountId: string,
  ranges: readonly DateRange[],
): Promise<FetchedPeriodReach[]> {
  const out: FetchedPeriodReach[] = []
  for (const range of ranges) {
    const [campaigns, account] = await Promise.all([
      meta.fetchPeriodReach(token, metaAccountId, { ...range, level: 'campaign' }),
      meta.fetchPeriodReach(token, metaAccountId, { ...range, level: 'account' }),
    ])
    out.push({ range, rows: [...account.slice(0, 1), ...campaigns.filter((r) => r.campaignId !== null)] })
  }
  return out
}

/** Replaces the account's cached period reach with `fetched` (campaigns by Meta id → Promoly id; unknown ones skipped), in bulk. */
export async function storePeriodReach(
  tx: Prisma.TransactionClient,
  adAccountId: string,
  idByMetaId: ReadonlyMap<string, string>,
  fetched: readonly FetchedPeriodReach[],
  syncedAt: Date,
): Promise<void> {
  await tx.periodReach.deleteMany({ where: { adAccountId } })
  const rows: Array<Record<string, string | number | null>> = []
  for (const { range, rows: reach } of fetched) {
    for (const r of reach) {
      const campaignId = r.campaignId === null ? null : idByMetaId.get(r.campaignId)
      if (campaignId === undefined) continue
      rows.push({
        campaignId,
        since: range.since,
        until: range.until,
        reach: Math.round(r.reach),
        impressions: Math.round(r.impressions),
        frequency: r.frequency,
      })
    }
  }
  if (rows.length === 0) return
  await tx.$executeRawUnsafe(
    `INSERT INTO "PeriodReach" ("id", "adAccountId", "campaignId", "since", "until", "reach", "impressions", "frequency", "syncedAt")
     SELECT gen_random_uuid()::text, $1::text, v."campaignId", v.since, v.until, v.reach, v.impressions, v.frequency, $2::timestamp
       FROM json_to_recordset($3::json) AS v("campaignId" text, since date, until date, reach bigint, impressions bigint, frequency double precision)`,
    adAccountId,
    syncedAt.toISOString(),
    JSON.stringify(rows),
  )
}
