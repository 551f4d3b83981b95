/**
 * An ad account's structure as Meta serves it: campaigns, ad sets and ads with every effective status (archived and
 * deleted included, reference §8), written in bulk (one statement per chunk) inside the sync's transaction.
 * - Every listed object is stamped `seenAt`; an object stored earlier that Meta's filtered lists no longer return at
 *   all is marked DELETED (status and effective status), never left ACTIVE.
 * - Objects only known from Insights rows (deleted before Promoly first saw them) or named as a parent by a listed
 *   child are created with status DELETED, so their days keep a home.
 * - A daily budget that changed on Meta since the last sync is audited (BUDGET_SEEN_CHANGED) for campaigns and for
 *   ad sets (targetType 'adset'): pacing judges each day against the budget in force that day.
 */
import type { Prisma } from '../../generated/prisma/client.ts'
import type { AdInsightRow, MetaAd, MetaAdSet, MetaApi, MetaCampaign } from '../../integrations/meta/meta-api.ts'
import type { DateRange } from '../metrics/periods.ts'
import { dayCount } from './sync-gaps.ts'

export interface AccountStructure {
  campaigns: MetaCampaign[]
  adSets: MetaAdSet[]
  ads: MetaAd[]
  /** Wall-clock time the lists were started: rows created in the database after it are not judged by these lists. */
  listedAt: Date
}

/** Audit action of a daily budget the sync saw change on Meta (not through Promoly, or applied since the last sync). */
export const BUDGET_SEEN_CHANGED = 'campaign.budget_changed_on_meta'

/** Statement size of the bulk upserts (objects per statement). */
const CHUNK = 1_000

/** The three lists, page by page (one request per page); 4,000 ads are a few MB in memory. */
export async function fetchStructure(meta: MetaApi, token: string, metaAccountId: string): Promise<AccountStructure> {
  // The wall clock (not DomainDeps.now): it is compared with rows' createdAt, which the database stamps.
  const listedAt = new Date()
  const campaigns = await meta.listCampaigns(token, metaAccountId)
  const adSets: MetaAdSet[] = []
  for await (const page of meta.listAdSets(token, metaAccountId)) adSets.push(...page)
  const ads: MetaAd[] = []
  for await (const page of meta.listAds(token, metaAccountId)) ads.push(...page)
  return { campaigns, adSets, ads, listedAt }
}

const GONE = new Set(['ARCHIVED', 'DELETED'])

/**
 * Estimated ad-day rows of a range: ads that can have delivered in it (not archived or deleted, or created since
 * its first day) × its days. An upper bound: a paused ad may have delivered earlier in the range.
 */
export function adDaysEstimate(structure: AccountStructure): (range: DateRange) => number {
  return (range) => {
    const ads = structure.ads.filter(
      (a) => !GONE.has(a.effectiveStatus ?? '') || (a.createdTime !== null && a.createdTime.slice(0, 10) >= range.since),
    ).length
    return ads * dayCount(range)
  }
}

/** Campaign-day rows of a range, estimated the same way. */
export function campaignDaysEstimate(structure: AccountStructure): (range: DateRange) => number {
  return (range) => structure.campaigns.filter((c) => !GONE.has(c.effectiveStatus ?? '')).length * dayCount(range)
}

/** What Insights rows name that the lists did not return: kept as the rows stream by (small: deleted objects only). */
export interface InsightOnlyObjects {
  see(rows: readonly AdInsightRow[]): void
  readonly ads: ReadonlyMap<string, AdInsightRow>
}

export function insightOnlyObjects(structure: AccountStructure): InsightOnlyObjects {
  const listed = new Set(structure.ads.map((a) => a.id))
  const ads = new Map<string, AdInsightRow>()
  return {
    ads,
    see(rows) {
      for (const r of rows) if (!listed.has(r.adId) && !ads.has(r.adId)) ads.set(r.adId, r)
    },
  }
}

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK))
  return out
}

const str = (v: number | null) => (v === null ? null : String(v))

/**
 * Writes the structure (listed objects, placeholders for the others, DELETED for the vanished, budget audits).
 * Returns Promoly's campaign ids by Meta id.
 */
export async function writeStructure(
  tx: Prisma.TransactionClient,
  ctx: { adAccountId: string; workspaceId: string; runAt: Date },
  structure: AccountStructure,
  extra: InsightOnlyObjects,
): Promise<Map<string, string>> {
  const { adAccountId, runAt } = ctx
  await auditBudgetChanges(tx, ctx, structure)

  // Parents nobody listed (deleted before Promoly saw them), named by listed children or by Insights rows.
  const campaignIds = new Set(structure.campaigns.map((c) => c.id))
  const adSetIds = new Set(structure.adSets.map((s) => s.id))
  const missingCampaigns = new Map<string, { name: string; objective: string }>()
  const missingAdSets = new Map<string, { name: string; campaignId: string }>()
  // Insights rows first: they carry names; a parent only named by a listed child is called by its id.
  const noteCampaign = (id: string, name?: string, objective?: string | null) => {
    if (!campaignIds.has(id) && !missingCampaigns.has(id))
      missingCampaigns.set(id, { name: name?.trim() || id, objective: objective ?? 'UNKNOWN' })
  }
  const noteAdSet = (id: string, campaignId: string, name?: string) => {
    if (!adSetIds.has(id) && !missingAdSets.has(id)) missingAdSets.set(id, { name: name?.trim() || id, campaignId })
  }
  for (const r of extra.ads.values()) {
    noteCampaign(r.campaignId, r.campaignName, r.objective)
    noteAdSet(r.adSetId, r.campaignId, r.adSetName)
  }
  for (const s of structure.adSets) noteCampaign(s.campaignId)
  for (const a of structure.ads) {
    noteCampaign(a.campaignId)
    noteAdSet(a.adSetId, a.campaignId)
  }

  for (const chunk of chunks([...missingCampaigns])) {
    await tx.$executeRawUnsafe(
      `INSERT INTO "Campaign" ("id", "adAccountId", "metaCampaignId", "name", "objective", "status", "effectiveStatus", "createdAt", "updatedAt")
       SELECT gen_random_uuid()::text, $1::text, v.meta, v.name, v.objective, 'DELETED', 'DELETED', now(), now()
         FROM unnest($2::text[], $3::text[], $4::text[]) AS v(meta, name, objective)
       ON CONFLICT ("adAccountId", "metaCampaignId") DO NOTHING`,
      adAccountId,
      chunk.map(([id]) => id),
      chunk.map(([, c]) => c.name),
      chunk.map(([, c]) => c.objective),
    )
  }
  for (const chunk of chunks(structure.campaigns)) {
    await tx.$executeRawUnsafe(
      `INSERT INTO "Campaign" ("id", "adAccountId", "metaCampaignId", "name", "objective", "status", "effectiveStatus", "dailyBudget",
                               "lifetimeBudget", "metaCreatedAt", "seenAt", "createdAt", "updatedAt")
       SELECT gen_random_uuid()::text, $1::text, v.meta, v.name, v.objective, v.status, v.eff, v.daily, v.lifetime, v.created::timestamptz,
              $2::timestamp, now(), now()
         FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::bigint[], $10::text[])
              AS v(meta, name, objective, status, eff, daily, lifetime, created)
       ON CONFLICT ("adAccountId", "metaCampaignId") DO UPDATE SET
         "name" = EXCLUDED."name", "objective" = EXCLUDED."objective", "status" = EXCLUDED."status",
         "effectiveStatus" = EXCLUDED."effectiveStatus", "dailyBudget" = EXCLUDED."dailyBudget",
         "lifetimeBudget" = EXCLUDED."lifetimeBudget", "metaCreatedAt" = COALESCE(EXCLUDED."metaCreatedAt", "Campaign"."metaCreatedAt"),
         "seenAt" = EXCLUDED."seenAt", "updatedAt" = now()`,
      adAccountId,
      runAt.toISOString(),
      chunk.map((c) => c.id),
      chunk.map((c) => c.name),
      chunk.map((c) => c.objective ?? 'UNKNOWN'),
      chunk.map((c) => c.status ?? 'UNKNOWN'),
      chunk.map((c) => c.effectiveStatus ?? c.status ?? 'UNKNOWN'),
      chunk.map((c) => str(c.dailyBudgetMinor)),
      chunk.map((c) => str(c.lifetimeBudgetMinor)),
      chunk.map((c) => c.createdTime),
    )
  }

  for (const chunk of chunks([...missingAdSets])) {
    await tx.$executeRawUnsafe(
      `INSERT INTO "AdSet" ("id", "adAccountId", "campaignId", "metaAdSetId", "name", "status", "effectiveStatus", "createdAt", "updatedAt")
       SELECT gen_random_uuid()::text, $1::text, c."id", v.meta, v.name, 'DELETED', 'DELETED', now(), now()
         FROM unnest($2::text[], $3::text[], $4::text[]) AS v(meta, name, campaign)
         JOIN "Campaign" c ON c."adAccountId" = $1 AND c."metaCampaignId" = v.campaign
       ON CONFLICT ("adAccountId", "metaAdSetId") DO NOTHING`,
      adAccountId,
      chunk.map(([id]) => id),
      chunk.map(([, s]) => s.name),
      chunk.map(([, s]) => s.campaignId),
    )
  }
  for (const chunk of chunks(structure.adSets)) {
    await tx.$executeRawUnsafe(
      `INSERT INTO "AdSet" ("id", "adAccountId", "campaignId", "metaAdSetId", "name", "status", "effectiveStatus", "dailyBudget", "lifetimeBudget",
                            "bidStrategy", "bidAmount", "optimizationGoal", "billingEvent", "startTime", "endTime", "learningStage",
                            "metaCreatedAt", "seenAt", "createdAt", "updatedAt")
       SELECT gen_random_uuid()::text, $1::text, c."id", v.meta, v.name, v.status, v.eff, v.daily, v.lifetime, v.bid_strategy, v.bid_amount,
              v.goal, v.billing, v.start_time::timestamptz, v.end_time::timestamptz, v.learning, v.created::timestamptz, $2::timestamp, now(), now()
         FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::bigint[], $10::text[], $11::bigint[],
                     $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[])
              AS v(meta, campaign, name, status, eff, daily, lifetime, bid_strategy, bid_amount, goal, billing, start_time, end_time, learning, created)
         JOIN "Campaign" c ON c."adAccountId" = $1 AND c."metaCampaignId" = v.campaign
       ON CONFLICT ("adAccountId", "metaAdSetId") DO UPDATE SET
         "campaignId" = EXCLUDED."campaignId", "name" = EXCLUDED."name", "status" = EXCLUDED."status",
         "effectiveStatus" = EXCLUDED."effectiveStatus", "dailyBudget" = EXCLUDED."dailyBudget", "lifetimeBudget" = EXCLUDED."lifetimeBudget",
         "bidStrategy" = EXCLUDED."bidStrategy", "bidAmount" = EXCLUDED."bidAmount", "optimizationGoal" = EXCLUDED."optimizationGoal",
         "billingEvent" = EXCLUDED."billingEvent", "startTime" = EXCLUDED."startTime", "endTime" = EXCLUDED."endTime",
         "learningStage" = EXCLUDED."learningStage", "metaCreatedAt" = COALESCE(EXCLUDED."metaCreatedAt", "AdSet"."metaCreatedAt"),
         "seenAt" = EXCLUDED."seenAt", "updatedAt" = now()`,
      adAccountId,
      runAt.toISOString(),
      chunk.map((s) => s.id),
      chunk.map((s) => s.campaignId),
      chunk.map((s) => s.name),
      chunk.map((s) => s.status ?? 'UNKNOWN'),
      chunk.map((s) => s.effectiveStatus ?? s.status ?? 'UNKNOWN'),
      chunk.map((s) => str(s.dailyBudgetMinor)),
      chunk.map((s) => str(s.lifetimeBudgetMinor)),
      chunk.map((s) => s.bidStrategy),
      chunk.map((s) => str(s.bidAmountMinor)),
      chunk.map((s) => s.optimizationGoal),
      chunk.map((s) => s.billingEvent),
      chunk.map((s) => s.startTime),
      chunk.map((s) => s.endTime),
      chunk.map((s) => s.learningStage),
      chunk.map((s) => s.createdTime),
    )
  }

  for (const chunk of chunks([...extra.ads.values()])) {
    await tx.$executeRawUnsafe(
      `INSERT INTO "Ad" ("id", "adAccountId", "campaignId", "adSetId", "metaAdId", "name", "status", "effectiveStatus", "createdAt", "updatedAt")
       SELECT gen_random_uuid()::text, $1::text, s."campaignId", s."id", v.meta, v.name, 'DELETED', 'DELETED', now(), now()
         FROM unnest($2::text[], $3::text[], $4::text[]) AS v(meta, name, adset)
         JOIN "AdSet" s ON s."adAccountId" = $1 AND s."metaAdSetId" = v.adset
       ON CONFLICT ("adAccountId", "metaAdId") DO NOTHING`,
      adAccountId,
      chunk.map((r) => r.adId),
      chunk.map((r) => r.adName.trim() || r.adId),
      chunk.map((r) => r.adSetId),
    )
  }
  for (const chunk of chunks(structure.ads)) {
    await tx.$executeRawUnsafe(
      `INSERT INTO "Ad" ("id", "adAccountId", "campaignId", "adSetId", "metaAdId", "name", "status", "effectiveStatus", "creativeId",
                         "creativeName", "thumbnailUrl", "headline", "primaryText", "metaCreatedAt", "seenAt", "createdAt", "updatedAt")
       SELECT gen_random_uuid()::text, $1::text, s."campaignId", s."id", v.meta, v.name, v.status, v.eff, v.creative, v.creative_name,
              v.thumbnail, v.headline, v.body, v.created::timestamptz, $2::timestamp, now(), now()
         FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
                     $12::text[], $13::text[])
              AS v(meta, adset, name, status, eff, creative, creative_name, thumbnail, headline, body, created)
         JOIN "AdSet" s ON s."adAccountId" = $1 AND s."metaAdSetId" = v.adset
       ON CONFLICT ("adAccountId", "metaAdId") DO UPDATE SET
         "campaignId" = EXCLUDED."campaignId", "adSetId" = EXCLUDED."adSetId", "name" = EXCLUDED."name", "status" = EXCLUDED."status",
         "effectiveStatus" = EXCLUDED."effectiveStatus", "creativeId" = EXCLUDED."creativeId", "creativeName" = EXCLUDED."creativeName",
         "thumbnailUrl" = EXCLUDED."thumbnailUrl", "headline" = EXCLUDED."headline", "primaryText" = EXCLUDED."primaryText",
         "metaCreatedAt" = COALESCE(EXCLUDED."metaCreatedAt", "Ad"."metaCreatedAt"), "seenAt" = EXCLUDED."seenAt", "updatedAt" = now()`,
      adAccountId,
      runAt.toISOString(),
      chunk.map((a) => a.id),
      chunk.map((a) => a.adSetId),
      chunk.map((a) => a.name),
      chunk.map((a) => a.status ?? 'UNKNOWN'),
      chunk.map((a) => a.effectiveStatus ?? a.status ?? 'UNKNOWN'),
      chunk.map((a) => a.creativeId),
      chunk.map((a) => a.creativeName),
      chunk.map((a) => a.thumbnailUrl),
      chunk.map((a) => a.headline),
      chunk.map((a) => a.primaryText),
      chunk.map((a) => a.createdTime),
    )
  }

  // Stored objects the lists no longer return at all are gone on Meta: DELETED, not their last (ACTIVE) status.
  // Rows created after the lists were read (a campaign Promoly just created) are left for the next sync to judge.
  for (const table of ['Campaign', 'AdSet', 'Ad'] as const) {
    await tx.$executeRawUnsafe(
      `UPDATE "${table}" SET "status" = 'DELETED', "effectiveStatus" = 'DELETED', "updatedAt" = now()
        WHERE "adAccountId" = $1 AND ("seenAt" IS NULL OR "seenAt" <> $2::timestamp) AND "createdAt" < $3::timestamp
          AND ("status" <> 'DELETED' OR "effectiveStatus" <> 'DELETED')`,
      adAccountId,
      runAt.toISOString(),
      structure.listedAt.toISOString(),
    )
  }

  const campaigns = await tx.campaign.findMany({ where: { adAccountId }, select: { id: true, metaCampaignId: true } })
  return new Map(campaigns.map((c) => [c.metaCampaignId, c.id]))
}

/** Audits each campaign and ad set daily budget that differs from the stored one (both set). */
async function auditBudgetChanges(
  tx: Prisma.TransactionClient,
  ctx: { adAccountId: string; workspaceId: string; runAt: Date },
  structure: AccountStructure,
): Promise<void> {
  const [campaigns, adSets] = await Promise.all([
    tx.campaign.findMany({
      where: { adAccountId: ctx.adAccountId, dailyBudget: { not: null } },
      select: { id: true, metaCampaignId: true, dailyBudget: true },
    }),
    tx.adSet.findMany({
      where: { adAccountId: ctx.adAccountId, dailyBudget: { not: null } },
      select: { id: true, metaAdSetId: true, dailyBudget: true },
    }),
  ])
  const campaignBudget = new Map(structure.campaigns.map((c) => [c.id, c.dailyBudgetMinor]))
  const adSetBudget = new Map(structure.adSets.map((s) => [s.id, s.dailyBudgetMinor]))
  const changed = (before: bigint | null, now: number | null | undefined) =>
    before !== null && now !== null && now !== undefined && Number(before) !== now
  const events = [
    ...campaigns
      .filter((c) => changed(c.dailyBudget, campaignBudget.get(c.metaCampaignId)))
      .map((c) => ({
        targetType: 'campaign',
        targetId: c.id,
        fromMinor: Number(c.dailyBudget),
        toMinor: campaignBudget.get(c.metaCampaignId),
      })),
    ...adSets
      .filter((s) => changed(s.dailyBudget, adSetBudget.get(s.metaAdSetId)))
      .map((s) => ({ targetType: 'adset', targetId: s.id, fromMinor: Number(s.dailyBudget), toMinor: adSetBudget.get(s.metaAdSetId) })),
  ]
  if (events.length === 0) return
  await tx.auditEvent.createMany({
    data: events.map((e) => ({
      workspaceId: ctx.workspaceId,
      actorType: 'system',
      action: BUDGET_SEEN_CHANGED,
      targetType: e.targetType,
      targetId: e.targetId,
      data: { fromMinor: e.fromMinor, toMinor: e.toMinor as number },
      createdAt: ctx.runAt,
    })),
  })
}
