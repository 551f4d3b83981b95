import type { PrismaClient } from '../../generated/prisma/client.ts'
import { addDays, fromDbDate, type IsoDate, localDate, toDbDate } from '../../lib/dates.ts'
import { metricsFrom } from '../metrics/vocabulary.ts'
import type { CampaignSeries } from '../optimizer/index.ts'

/** `{ dailyBudgetMinor }` of a change's current or proposed value, or null. */
function dailyBudgetOf(value: unknown): number | null {
  const v = (value as { dailyBudgetMinor?: unknown } | null)?.dailyBudgetMinor
  return typeof v === 'number' ? v : null
}

/**
 * Daily series of an account's campaigns for the optimizer: complete days only (before `today`), with the daily-budget
 * changes applied through Promoly in the period (dated on the account's calendar, `timeZone`).
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
  for (const ch of changes) {
    const series = ch.campaignId ? byCampaign.get(ch.campaignId) : undefined
    if (!series || !ch.appliedAt) continue
    series.budgetChanges ??= []
    series.budgetChanges.push({
      date: localDate(ch.appliedAt, timeZone),
      fromMinor: dailyBudgetOf(ch.currentValue),
      toMinor: dailyBudgetOf(ch.proposedValue),
    })
  }
  return [...byCampaign.values()]
}
