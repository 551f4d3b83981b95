import type { PrismaClient } from '../../generated/prisma/client.ts'
import { addDays, fromDbDate, type IsoDate, localDate, toDbDate } from '../../lib/dates.ts'
import { METRIC_FIELDS, type MetricField, metricsFrom } from '../metrics/vocabulary.ts'
import type { AdSetSeries, CampaignSeries } from '../optimizer/index.ts'
import type { BudgetChange } from '../optimizer/types.ts'
import { BUDGET_SEEN_CHANGED } from '../sync/sync-ad-account.ts'

/** `{ dailyBudgetMinor }` of a change's current or proposed value, or null. */
function dailyBudgetOf(value: unknown): number | null {
  const v = (value as { dailyBudgetMinor?: unknown } | null)?.dailyBudgetMinor
  return typeof v === 'number' ? v : null
}

/** The ad, the day and the metrics of an ad-day. */
const AD_DAY_SELECT = { adId: true, date: true, ...Object.fromEntries(METRIC_FIELDS.map((f) => [f, true])) } as {
  adId: true
  date: true
} & Record<MetricField, true>

/** Live: neither archived nor deleted (status or effective status). */
const LIVE = { status: { in: ['ACTIVE', 'PAUSED'] }, effectiveStatus: { notIn: ['ARCHIVED', 'DELETED'] } }

/** LIVE, of a loaded row. */
function isLive(o: { status: string; effectiveStatus: string }): boolean {
  return LIVE.status.in.includes(o.status) && !LIVE.effectiveStatus.notIn.includes(o.effectiveStatus)
}

/**
 * Daily series of an account's campaigns for the optimizer: complete days only (before `today`), with the daily-budget
 * changes in the period (dated on the account's calendar, `timeZone`): those applied through Promoly, and those the
 * sync saw on Meta (made in Ads Manager; dated when seen, so their day is left out like any change day). Each campaign
 * carries its live ad sets (their budgets and budget changes) and their ads with the ads' own days (AdDailyMetric):
 * the live ones, and the archived and deleted ones apart (never judged, but their days are the ad set's); the
 * campaign's days are its roll-up (CampaignDailyMetric), which also holds the history synced before ads were.
 */
export async function loadCampaignSeries(
  prisma: PrismaClient,
  adAccountId: string,
  today: IsoDate,
  timeZone: string,
  days = 63,
): Promise<CampaignSeries[]> {
  const since = toDbDate(addDays(today, -days - 1))
  const dates = { gte: toDbDate(addDays(today, -days)), lt: toDbDate(today) }
  const [campaigns, rows, adSets, ads, adRows, changes] = await Promise.all([
    // Archived and deleted campaigns are neither judged nor anyone's peers (status or effective status).
    prisma.campaign.findMany({ where: { adAccountId, ...LIVE } }),
    prisma.campaignDailyMetric.findMany({ where: { adAccountId, date: dates }, orderBy: { date: 'asc' } }),
    prisma.adSet.findMany({ where: { adAccountId, ...LIVE }, orderBy: { name: 'asc' } }),
    // Every ad, archived and deleted ones included: what they delivered counts in their ad set's days.
    prisma.ad.findMany({
      where: { adAccountId },
      orderBy: { name: 'asc' },
      select: { id: true, adSetId: true, name: true, status: true, effectiveStatus: true },
    }),
    // Only what the optimizer reads of each ad-day (an account may have thousands of ads × 63 days).
    prisma.adDailyMetric.findMany({ where: { adAccountId, date: dates }, orderBy: { date: 'asc' }, select: AD_DAY_SELECT }),
    prisma.changeRequest.findMany({
      where: { adAccountId, type: 'SET_DAILY_BUDGET', status: 'APPLIED', appliedAt: { gte: since }, level: { in: ['campaign', 'adset'] } },
      orderBy: { appliedAt: 'asc' },
      select: { campaignId: true, adSetId: true, level: true, appliedAt: true, currentValue: true, proposedValue: true },
    }),
  ])
  const account = await prisma.adAccount.findUnique({ where: { id: adAccountId }, select: { workspaceId: true } })
  const seenOnMeta =
    account && campaigns.length + adSets.length > 0
      ? await prisma.auditEvent.findMany({
          where: {
            workspaceId: account.workspaceId,
            action: BUDGET_SEEN_CHANGED,
            createdAt: { gte: since },
            targetId: { in: [...campaigns.map((c) => c.id), ...adSets.map((s) => s.id)] },
          },
          select: { targetId: true, createdAt: true, data: true },
        })
      : []
  const byCampaign = new Map<string, CampaignSeries>()
  for (const c of campaigns) {
    byCampaign.set(c.id, {
      campaignId: c.id,
      name: c.name,
      objective: c.objective,
      status: c.status,
      dailyBudgetMinor: c.dailyBudget === null ? null : Number(c.dailyBudget),
      days: [],
    })
  }
  for (const r of rows) {
    byCampaign.get(r.campaignId)?.days.push({ date: fromDbDate(r.date), ...metricsFrom(r) })
  }
  const byAdSet = new Map<string, AdSetSeries>()
  for (const s of adSets) {
    const campaign = byCampaign.get(s.campaignId)
    if (!campaign) continue
    const series: AdSetSeries = {
      adSetId: s.id,
      name: s.name,
      status: s.status,
      dailyBudgetMinor: s.dailyBudget === null ? null : Number(s.dailyBudget),
      ads: [],
    }
    byAdSet.set(s.id, series)
    campaign.adSets = [...(campaign.adSets ?? []), series]
  }
  const byAd = new Map<string, CampaignSeries['days']>()
  for (const a of ads) {
    const adSet = byAdSet.get(a.adSetId)
    if (!adSet) continue
    const own: CampaignSeries['days'] = []
    byAd.set(a.id, own)
    const series = { adId: a.id, name: a.name, status: a.status, days: own }
    if (isLive(a)) adSet.ads.push(series)
    else adSet.retiredAds = [...(adSet.retiredAds ?? []), series]
  }
  for (const r of adRows) byAd.get(r.adId)?.push({ date: fromDbDate(r.date), ...metricsFrom(r) })

  const dated = [
    ...changes.flatMap((ch) => {
      const targetId = ch.level === 'adset' ? ch.adSetId : ch.campaignId
      return targetId && ch.appliedAt
        ? [{ targetId, at: ch.appliedAt, from: dailyBudgetOf(ch.currentValue), to: dailyBudgetOf(ch.proposedValue) }]
        : []
    }),
    ...seenOnMeta.flatMap((e) =>
      e.targetId
        ? [
            {
              targetId: e.targetId,
              at: e.createdAt,
              from: dailyBudgetOf({ dailyBudgetMinor: (e.data as { fromMinor?: unknown })?.fromMinor }),
              to: dailyBudgetOf({ dailyBudgetMinor: (e.data as { toMinor?: unknown })?.toMinor }),
            },
          ]
        : [],
    ),
  ].sort((a, b) => a.at.getTime() - b.at.getTime())
  for (const ch of dated) {
    const series: { budgetChanges?: BudgetChange[] } | undefined = byCampaign.get(ch.targetId) ?? byAdSet.get(ch.targetId)
    if (!series) continue
    series.budgetChanges ??= []
    series.budgetChanges.push({ date: localDate(ch.at, timeZone), fromMinor: ch.from, toMinor: ch.to })
  }
  return [...byCampaign.values()]
}
