import type { PrismaClient } from '../../generated/prisma/client.ts'
import { addDays, fromDbDate, type IsoDate, toDbDate } from '../../lib/dates.ts'
import { metricsFrom } from '../metrics/vocabulary.ts'
import type { CampaignSeries } from '../optimizer/index.ts'

/** Daily series of an account's campaigns for the optimizer: complete days only (before `today`). */
export async function loadCampaignSeries(prisma: PrismaClient, adAccountId: string, today: IsoDate, days = 63): Promise<CampaignSeries[]> {
  const [campaigns, rows] = await Promise.all([
    // Archived and deleted campaigns are neither judged nor anyone's peers (status or effective status).
    prisma.campaign.findMany({
      where: { adAccountId, status: { in: ['ACTIVE', 'PAUSED'] }, effectiveStatus: { notIn: ['ARCHIVED', 'DELETED'] } },
    }),
    prisma.campaignDailyMetric.findMany({
      where: { adAccountId, date: { gte: toDbDate(addDays(today, -days)), lt: toDbDate(today) } },
      orderBy: { date: 'asc' },
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
  return [...byCampaign.values()]
}
