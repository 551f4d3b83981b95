import type { ChangeRequest, PrismaClient } from '../../generated/prisma/client.ts'

/** A change request with what every view of it names: its ad account and its campaign. */
export type ChangeWithContext = ChangeRequest & {
  adAccount: { id: string; name: string; currency: string; metaAccountId: string; client: { name: string } }
  campaign: { id: string; name: string; metaCampaignId: string } | null
  /** The ad set acted on, or the ad set of the ad acted on (null for campaign-level changes). */
  adSet: { id: string; name: string; metaAdSetId: string } | null
  /** The ad acted on (null unless `level` is 'ad'). */
  ad: { id: string; name: string; metaAdId: string } | null
  /** The proposal this one replaced (an edit): who asked for what. */
  replaces?: { requestedBySlackUserId: string | null; proposedValue: unknown; source: ChangeRequest['source'] } | null
}

/** The Prisma `include` that loads a change request as a ChangeWithContext. */
export const CHANGE_INCLUDE = {
  adAccount: { select: { id: true, name: true, currency: true, metaAccountId: true, client: { select: { name: true } } } },
  campaign: { select: { id: true, name: true, metaCampaignId: true } },
  adSet: { select: { id: true, name: true, metaAdSetId: true } },
  ad: { select: { id: true, name: true, metaAdId: true } },
  replaces: { select: { requestedBySlackUserId: true, proposedValue: true, source: true } },
} as const

/** One change with its context (throws when there is no such change). */
export async function loadChange(prisma: PrismaClient, changeId: string): Promise<ChangeWithContext> {
  return prisma.changeRequest.findUniqueOrThrow({ where: { id: changeId }, include: CHANGE_INCLUDE })
}

/** The level a change writes to Meta at. */
export type ChangeLevel = 'campaign' | 'adset' | 'ad'

/**
 * The object a change writes to on Meta, with its parents' names: "Ad set *X* in campaign *Y*". Null for a create
 * whose campaign does not exist yet.
 */
export function changeTargetOf(change: Pick<ChangeWithContext, 'level' | 'campaign' | 'adSet' | 'ad'>): {
  level: ChangeLevel
  id: string
  metaId: string
  name: string
  campaignName: string | null
  adSetName: string | null
} | null {
  const campaignName = change.campaign?.name ?? null
  if (change.level === 'ad' && change.ad)
    return {
      level: 'ad',
      id: change.ad.id,
      metaId: change.ad.metaAdId,
      name: change.ad.name,
      campaignName,
      adSetName: change.adSet?.name ?? null,
    }
  if (change.level === 'adset' && change.adSet)
    return { level: 'adset', id: change.adSet.id, metaId: change.adSet.metaAdSetId, name: change.adSet.name, campaignName, adSetName: null }
  if (change.campaign)
    return {
      level: 'campaign',
      id: change.campaign.id,
      metaId: change.campaign.metaCampaignId,
      name: change.campaign.name,
      campaignName: null,
      adSetName: null,
    }
  return null
}

/** The parts shown on one card with `change`: its group's, in the order they were proposed (or just itself). */
export async function loadChangeGroup(prisma: PrismaClient, change: Pick<ChangeRequest, 'id' | 'groupId'>): Promise<ChangeWithContext[]> {
  if (!change.groupId) return [await loadChange(prisma, change.id)]
  return prisma.changeRequest.findMany({
    where: { groupId: change.groupId },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    include: CHANGE_INCLUDE,
  })
}
