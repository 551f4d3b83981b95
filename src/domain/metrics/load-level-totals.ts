/**
 * Sums over a range for every campaign, ad set or ad of an ad account (or of one campaign or ad set), with the object's
 * name, status and parents: the one reader behind ad set and ad lists, digests' top and bottom ads and the agent's
 * drill-downs. Ad sets and ads are summed from their ad-days (AdDailyMetric); campaigns from their roll-up
 * (CampaignDailyMetric), which equals the sum of their ads for every day synced at ad level and also holds the
 * campaign-level history synced before ads were. Objects without a day in the range are listed with zeros.
 */
import type { Ad, PrismaClient } from '../../generated/prisma/client.ts'
import { toDbDate } from '../../lib/dates.ts'
import { accountRangeBranches } from './account-ranges.ts'
import type { DateRange } from './periods.ts'
import { METRIC_SUMS, type Metrics, metricsFrom, zeroMetrics } from './vocabulary.ts'

export const OBJECT_LEVELS = ['campaign', 'adset', 'ad'] as const
export type ObjectLevel = (typeof OBJECT_LEVELS)[number]

/** `live`: not archived or deleted (what Meta's own lists show); `archived`: archived or deleted only; `all`. */
export type StatusFilter = 'live' | 'archived' | 'all'

const GONE = ['ARCHIVED', 'DELETED']

export function isGone(o: { status: string; effectiveStatus: string }): boolean {
  return GONE.includes(o.status) || GONE.includes(o.effectiveStatus)
}

export interface LevelTotals extends Metrics {
  level: ObjectLevel
  /** Promoly's id. */
  id: string
  metaId: string
  name: string
  status: string
  effectiveStatus: string
  objective: string
  /** Its campaign (itself for a campaign); `metaId` is Meta's id. */
  campaign: { id: string; name: string; metaId: string }
  /** Null for campaigns. */
  adSet: { id: string; name: string; metaId: string } | null
  /** Ads only. */
  creativeName: string | null
  /** Minor units, where the budget lives on this object (campaigns and ad sets). */
  dailyBudget: number | null
  lifetimeBudget: number | null
}

export interface LoadLevelTotalsOptions {
  adAccountId: string
  level: ObjectLevel
  range: DateRange
  /** Only the ad sets or ads of this campaign (Promoly's id). */
  campaignId?: string
  /** Only the ads of this ad set (Promoly's id). */
  adSetId?: string
  /** Only this ad (Promoly's id), at level `ad`. */
  adId?: string
  /** Default `live`. */
  status?: StatusFilter
}

/** A Prisma `where` on status and effective status for campaigns, ad sets or ads. */
export function statusWhere(filter: StatusFilter) {
  if (filter === 'all') return {}
  if (filter === 'archived') return { OR: [{ status: { in: GONE } }, { effectiveStatus: { in: GONE } }] }
  return { status: { notIn: GONE }, effectiveStatus: { notIn: GONE } }
}

const num = (v: bigint | null): number | null => (v === null ? null : Number(v))

/** Per object, the sums over the range, by spend (largest first), then name. */
export async function loadLevelTotals(prisma: PrismaClient, options: LoadLevelTotalsOptions): Promise<LevelTotals[]> {
  const { adAccountId, level, range } = options
  const dates = { gte: toDbDate(range.since), lte: toDbDate(range.until) }
  const where = { adAccountId, ...statusWhere(options.status ?? 'live') }
  let items: Array<Omit<LevelTotals, keyof Metrics>>
  let sums: Map<string, Metrics>
  if (level === 'campaign') {
    const campaigns = await prisma.campaign.findMany({ where: { ...where, ...(options.campaignId ? { id: options.campaignId } : {}) } })
    items = campaigns.map((c) => ({
      level,
      id: c.id,
      metaId: c.metaCampaignId,
      name: c.name,
      status: c.status,
      effectiveStatus: c.effectiveStatus,
      objective: c.objective,
      campaign: { id: c.id, name: c.name, metaId: c.metaCampaignId },
      adSet: null,
      creativeName: null,
      dailyBudget: num(c.dailyBudget),
      lifetimeBudget: num(c.lifetimeBudget),
    }))
    const rows = await prisma.campaignDailyMetric.groupBy({
      by: ['campaignId'],
      where: { adAccountId, date: dates, campaignId: { in: items.map((i) => i.id) } },
      _sum: METRIC_SUMS,
    })
    sums = new Map(rows.map((r) => [r.campaignId, metricsFrom(r._sum)]))
  } else if (level === 'adset') {
    const adSets = await prisma.adSet.findMany({
      where: {
        ...where,
        ...(options.campaignId ? { campaignId: options.campaignId } : {}),
        ...(options.adSetId ? { id: options.adSetId } : {}),
      },
      include: { campaign: { select: CAMPAIGN_PARENT } },
    })
    items = adSets.map((s) => ({
      level,
      id: s.id,
      metaId: s.metaAdSetId,
      name: s.name,
      status: s.status,
      effectiveStatus: s.effectiveStatus,
      objective: s.campaign.objective,
      campaign: { id: s.campaign.id, name: s.campaign.name, metaId: s.campaign.metaCampaignId },
      adSet: null,
      creativeName: null,
      dailyBudget: num(s.dailyBudget),
      lifetimeBudget: num(s.lifetimeBudget),
    }))
    const rows = await prisma.adDailyMetric.groupBy({
      by: ['adSetId'],
      where: { adAccountId, date: dates, adSetId: { in: items.map((i) => i.id) } },
      _sum: METRIC_SUMS,
    })
    sums = new Map(rows.map((r) => [r.adSetId, metricsFrom(r._sum)]))
  } else {
    const ads = await prisma.ad.findMany({
      where: {
        ...where,
        ...(options.campaignId ? { campaignId: options.campaignId } : {}),
        ...(options.adSetId ? { adSetId: options.adSetId } : {}),
        ...(options.adId ? { id: options.adId } : {}),
      },
      include: AD_PARENTS,
    })
    items = ads.map(adItem)
    const rows = await prisma.adDailyMetric.groupBy({
      by: ['adId'],
      where: { adAccountId, date: dates, adId: { in: items.map((i) => i.id) } },
      _sum: METRIC_SUMS,
    })
    sums = new Map(rows.map((r) => [r.adId, metricsFrom(r._sum)]))
  }
  return items
    .map((i) => ({ ...i, ...(sums.get(i.id) ?? zeroMetrics()) }))
    .sort((a, b) => b.spend - a.spend || a.name.localeCompare(b.name))
}

const CAMPAIGN_PARENT = { id: true, name: true, objective: true, metaCampaignId: true } as const
const AD_PARENTS = {
  campaign: { select: CAMPAIGN_PARENT },
  adSet: { select: { id: true, name: true, metaAdSetId: true } },
} as const

type AdWithParents = Ad & {
  campaign: { id: string; name: string; objective: string; metaCampaignId: string }
  adSet: { id: string; name: string; metaAdSetId: string }
}

function adItem(a: AdWithParents) {
  return {
    level: 'ad' as const,
    id: a.id,
    metaId: a.metaAdId,
    name: a.name,
    status: a.status,
    effectiveStatus: a.effectiveStatus,
    objective: a.campaign.objective,
    campaign: { id: a.campaign.id, name: a.campaign.name, metaId: a.campaign.metaCampaignId },
    adSet: { id: a.adSet.id, name: a.adSet.name, metaId: a.adSet.metaAdSetId },
    creativeName: a.creativeName,
    dailyBudget: null,
    lifetimeBudget: null,
  }
}

/**
 * The ads that spent in each account's own range (one range per account: "the last 7 days" differs by time zone),
 * whatever their status (an archived or deleted ad's spend is real), with their sums, by account. Two queries
 * whatever the number of accounts or ads: one grouped sum over the ad-days, one look-up of the ads that spent.
 * Callers check the accounts are in the caller's ClientScope first.
 */
export async function loadSpendingAds(
  prisma: PrismaClient,
  ranges: Iterable<readonly [adAccountId: string, range: DateRange]>,
): Promise<Map<string, LevelTotals[]>> {
  const branches = accountRangeBranches(ranges)
  const byAccount = new Map<string, LevelTotals[]>()
  if (branches.length === 0) return byAccount
  const rows = await prisma.adDailyMetric.groupBy({
    by: ['adId'],
    where: { OR: branches },
    _sum: METRIC_SUMS,
    having: { spend: { _sum: { gt: 0 } } },
  })
  if (rows.length === 0) return byAccount
  const ads = await prisma.ad.findMany({ where: { id: { in: rows.map((r) => r.adId) } }, include: AD_PARENTS })
  const byId = new Map(ads.map((a) => [a.id, a]))
  for (const r of rows) {
    const ad = byId.get(r.adId)
    if (!ad) continue
    const list = byAccount.get(ad.adAccountId) ?? []
    list.push({ ...adItem(ad), ...metricsFrom(r._sum) })
    byAccount.set(ad.adAccountId, list)
  }
  for (const list of byAccount.values()) list.sort((a, b) => b.spend - a.spend || a.name.localeCompare(b.name))
  return byAccount
}
