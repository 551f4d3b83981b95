import type { PrismaClient } from '../../generated/prisma/client.ts'
import type { ChangeWithContext } from './change-include.ts'

const LIVE = { status: 'ACTIVE', effectiveStatus: { notIn: ['ARCHIVED', 'DELETED'] } }

/**
 * What pausing an ad or an ad set does beyond itself, when it is the last active one of its parent: "the ad set
 * spends nothing while it is paused". Null otherwise (its siblings keep delivering), and for other changes.
 */
export async function pauseEffect(
  prisma: Pick<PrismaClient, 'ad' | 'adSet'>,
  change: Pick<ChangeWithContext, 'type' | 'level' | 'ad' | 'adSet' | 'campaign'>,
): Promise<string | null> {
  if (change.type !== 'PAUSE') return null
  if (change.level === 'ad' && change.ad && change.adSet) {
    const others = await prisma.ad.count({ where: { adSetId: change.adSet.id, id: { not: change.ad.id }, ...LIVE } })
    return others > 0
      ? null
      : `“${change.ad.name}” is the last active ad of ad set “${change.adSet.name}”: once it is paused, that ad set delivers nothing (it stays active) until another ad runs.`
  }
  if (change.level === 'adset' && change.adSet && change.campaign) {
    const others = await prisma.adSet.count({ where: { campaignId: change.campaign.id, id: { not: change.adSet.id }, ...LIVE } })
    return others > 0
      ? null
      : `“${change.adSet.name}” is the last active ad set of campaign “${change.campaign.name}”: once it is paused, the campaign delivers nothing until another ad set runs.`
  }
  return null
}
