import type { PrismaClient } from '../../generated/prisma/client.ts'
import { toDbDate } from '../../lib/dates.ts'
import type { DateRange } from './periods.ts'
import { METRIC_SUMS, type Metrics, metricsFrom } from './vocabulary.ts'

export interface LoadCampaignTotalsOptions {
  workspaceId: string
  adAccountId: string
  range: DateRange
}

/** One campaign's sums over a range (money in minor units of the account currency). */
export interface CampaignTotals extends Metrics {
  campaignId: string
  name: string
  objective: string
}

/** Per campaign of an ad account, the sums over a range: campaigns without a metrics row in it are absent. */
export async function loadCampaignTotals(prisma: PrismaClient, options: LoadCampaignTotalsOptions): Promise<CampaignTotals[]> {
  const { range } = options
  const rows = await prisma.campaignDailyMetric.groupBy({
    by: ['campaignId'],
    where: {
      adAccountId: options.adAccountId,
      adAccount: { workspaceId: options.workspaceId },
      date: { gte: toDbDate(range.since), lte: toDbDate(range.until) },
    },
    _sum: METRIC_SUMS,
  })
  if (rows.length === 0) return []
  const campaigns = await prisma.campaign.findMany({
    where: { id: { in: rows.map((r) => r.campaignId) } },
    select: { id: true, name: true, objective: true },
  })
  const byId = new Map(campaigns.map((c) => [c.id, c]))
  return rows.map((r) => ({
    campaignId: r.campaignId,
    name: byId.get(r.campaignId)?.name ?? r.campaignId,
    objective: byId.get(r.campaignId)?.objective ?? 'UNKNOWN',
    ...metricsFrom(r._sum),
  }))
}
