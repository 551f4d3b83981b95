import type { PrismaClient } from '../../generated/prisma/client.ts'
import { addDays, fromDbDate, type IsoDate, localDate, toDbDate } from '../../lib/dates.ts'
import { metricsFrom } from '../metrics/vocabulary.ts'
import type { CampaignSeries } from '../optimizer/index.ts'
import { BUDGET_SEEN_CHANGED } from '../sync/sync-ad-account.ts'

/** `{ dailyBudgetMinor }` of a change's current or proposed value, or null. */
function dailyBudgetOf(value: unknown): number | null {
  const v = (value as { dailyBudgetMinor?: unknown } | null)?.dailyBudgetMinor
  return typeof v === 'number' ? v : null
}

/**
 * Daily series of an account's campaigns for the optimizer: complete days only (before `today`), with the daily-budget
 * changes in the period (dated on the account's calendar, `timeZone`): those applied through Promoly, and those the
 * sync saw on Meta (made in Ads Manager; dated when seen, so their day is left out like any change day).
 */
export async function loadCampaignSeries(
  prisma: PrismaClient,
  adAccountId: string,
  today: IsoDate,
  timeZone: string,
  days = 63,
): Promise<CampaignSeries[]> {
  const since = toDbDate(addDays(today, -days - 1))
  const [campaigns, rows, changes] = await Promise.all([
    // Archived and deleted campaigns are neither judged nor anyone's peers (status or effective status).
    prisma.campaign.findMany({
      where: { adAccountId, status: { in: ['ACTIVE', 'PAUSED'] }, effectiveStatus: { notIn: ['ARCHIVED', 'DELETED'] } },
    }),
    prisma.campaignDailyMetric.findMany({
      where: { adAccountId, date: { gte: toDbDate(addDays(today, -days)), lt: toDbDate(today) } },
      orderBy: { date: 'asc' },
    }),
    prisma.changeRequest.findMany({
      where: { adAccountId, type: 'SET_DAILY_BUDGET', status: 'APPLIED', appliedAt: { gte: since }, campaignId: { not: null } },
      orderBy: { appliedAt: 'asc' },
      select: { campaignId: true, appliedAt: true, currentValue: true, proposedValue: true },
    }),
  ])
  const account = await prisma.adAccount.findUnique({ where: { id: adAccountId }, select: { workspaceId: true } })
  const seenOnMeta =
    account && campaigns.length > 0
      ? await prisma.auditEvent.findMany({
          where: {
            workspaceId: account.workspaceId,
            action: BUDGET_SEEN_CHANGED,
            createdAt: { gte: since },
            targetId: { in: campaigns.map((c) => c.id) },
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
  const dated = [
    ...changes.flatMap((ch) =>
      ch.campaignId && ch.appliedAt
        ? [{ campaignId: ch.campaignId, at: ch.appliedAt, from: dailyBudgetOf(ch.currentValue), to: dailyBudgetOf(ch.proposedValue) }]
        : [],
    ),
    ...seenOnMeta.flatMap((e) =>
      e.targetId
        ? [
            {
              campaignId: e.targetId,
              at: e.createdAt,
              from: dailyBudgetOf({ dailyBudgetMinor: (e.data as { fromMinor?: unknown })?.fromMinor }),
              to: dailyBudgetOf({ dailyBudgetMinor: (e.data as { toMinor?: unknown })?.toMinor }),
            },
          ]
        : [],
    ),
  ].sort((a, b) => a.at.getTime() - b.at.getTime())
  for (const ch of dated) {
    const series = byCampaign.get(ch.campaignId)
    if (!series) continue
    series.budgetChanges ??= []
    series.budgetChanges.push({ date: localDate(ch.at, timeZone), fromMinor: ch.from, toMinor: ch.to })
  }
  return [...byCampaign.values()]
}
