import type { PrismaClient } from '../../generated/prisma/client.ts'

/**
 * When an account's stored daily metrics last changed: every sync stamps the rows it wrote with its run
 * time, so the latest stamp changes whenever a sync (or a backfill) lands. Null before the first sync.
 */
export async function metricsVersion(prisma: PrismaClient, adAccountId: string): Promise<number | null> {
  const r = await prisma.campaignDailyMetric.aggregate({ where: { adAccountId }, _max: { syncedAt: true } })
  return r._max.syncedAt?.getTime() ?? null
}
