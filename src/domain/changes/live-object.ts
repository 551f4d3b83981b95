import type { Prisma } from '../../generated/prisma/client.ts'
import { isMetaApiError } from '../../integrations/meta/errors.ts'
import type { MetaApi } from '../../integrations/meta/meta-api.ts'
import type { ChangeLevel } from './change-include.ts'

/** A campaign, ad set or ad as Meta reports it now (money in minor units; an ad has no budget). */
export interface LiveObject {
  level: ChangeLevel
  id: string
  name: string
  status: string | null
  effectiveStatus: string | null
  dailyBudgetMinor: number | null
  lifetimeBudgetMinor: number | null
  /** The Meta id of the campaign the object belongs to (itself for a campaign). */
  metaCampaignId: string
  objective: string | null
}

/** What a change writes: a status, or one budget. */
export type LiveWrite = { status: 'PAUSED' | 'ACTIVE' } | { dailyBudgetMinor: number } | { lifetimeBudgetMinor: number }

/** Reads one object from Meta (a deleted one too: Meta answers with status DELETED). */
export async function readLive(meta: MetaApi, token: string, level: ChangeLevel, metaId: string): Promise<LiveObject> {
  if (level === 'adset') {
    const s = await meta.getAdSet(token, metaId)
    return { ...s, level, metaCampaignId: s.campaignId, objective: null }
  }
  if (level === 'ad') {
    const a = await meta.getAd(token, metaId)
    return {
      level,
      id: a.id,
      name: a.name,
      status: a.status,
      effectiveStatus: a.effectiveStatus,
      dailyBudgetMinor: null,
      lifetimeBudgetMinor: null,
      metaCampaignId: a.campaignId,
      objective: null,
    }
  }
  const c = await meta.getCampaign(token, metaId)
  return { ...c, level, metaCampaignId: c.id }
}

/** Writes a status or a budget to the object on Meta. */
export async function writeLive(meta: MetaApi, token: string, level: ChangeLevel, metaId: string, write: LiveWrite): Promise<void> {
  if (level === 'ad') {
    if (!('status' in write)) throw new Error('an ad has no budget to write')
    await meta.updateAd(token, metaId, write)
  } else if (level === 'adset') await meta.updateAdSet(token, metaId, write)
  else await meta.updateCampaign(token, metaId, write)
}

/** What a change records as its outcome: the object as Meta reported it after the write. */
export function outcomeOf(live: LiveObject): Record<string, string | number | null> {
  return {
    status: live.status,
    effectiveStatus: live.effectiveStatus,
    dailyBudgetMinor: live.dailyBudgetMinor,
    lifetimeBudgetMinor: live.lifetimeBudgetMinor,
    name: live.name,
    metaCampaignId: live.metaCampaignId,
    ...(live.level === 'adset' ? { metaAdSetId: live.id } : live.level === 'ad' ? { metaAdId: live.id } : {}),
  }
}

const bigintOrNull = (minor: number | null) => (minor === null ? null : BigInt(minor))

/** Brings the stored ad set or ad row up to what Meta reported after the write (campaigns: see applyChange). */
export async function storeReadBack(
  tx: Pick<Prisma.TransactionClient, 'adSet' | 'ad'>,
  ids: { adSetId: string | null; adId: string | null },
  live: LiveObject,
): Promise<void> {
  const status = { status: live.status ?? undefined, effectiveStatus: live.effectiveStatus ?? undefined }
  if (live.level === 'adset' && ids.adSetId)
    await tx.adSet.update({
      where: { id: ids.adSetId },
      data: { ...status, dailyBudget: bigintOrNull(live.dailyBudgetMinor), lifetimeBudget: bigintOrNull(live.lifetimeBudgetMinor) },
    })
  if (live.level === 'ad' && ids.adId) await tx.ad.update({ where: { id: ids.adId }, data: status })
}

/** How long Meta blocks an object's budget after answering a budget write with 17 or 613/1487632 (its docs: an hour). */
export const BUDGET_BLOCK_MS = 3_600_000

/**
 * True for Meta's answers to a budget write that block the object's budget for an hour: code 17 (any subcode) and
 * 613/1487632 (more than 4 budget changes of the object in an hour).
 */
export function isBudgetWriteBlock(err: unknown): boolean {
  if (!isMetaApiError(err) || err.kind !== 'throttled') return false
  return err.code === 17 || (err.code === 613 && err.subcode === 1487632)
}

/**
 * Marks the object's budget as blocked by Meta until `until` (the Campaign or AdSet row): its budget changes wait
 * APPROVED until then, and new proposals and approvals say when it frees up.
 */
export async function blockBudgetWrites(
  db: Pick<Prisma.TransactionClient, 'campaign' | 'adSet'>,
  target: { level: string; campaignId: string | null; adSetId: string | null },
  until: Date,
): Promise<void> {
  if (target.level === 'adset' && target.adSetId)
    await db.adSet.update({ where: { id: target.adSetId }, data: { budgetWritesBlockedUntil: until } })
  else if (target.level === 'campaign' && target.campaignId)
    await db.campaign.update({ where: { id: target.campaignId }, data: { budgetWritesBlockedUntil: until } })
}

/**
 * Until when Meta blocks budget writes to the object, or null when it does not (or the block is over at `now`, which is
 * the database's clock: the block is stamped by it).
 */
export async function budgetBlockedUntil(
  db: Pick<Prisma.TransactionClient, 'campaign' | 'adSet'>,
  target: { level: string; campaignId: string | null; adSetId?: string | null },
  now: Date,
): Promise<Date | null> {
  let until: Date | null = null
  if (target.level === 'adset' && target.adSetId)
    until =
      (await db.adSet.findUnique({ where: { id: target.adSetId }, select: { budgetWritesBlockedUntil: true } }))
        ?.budgetWritesBlockedUntil ?? null
  else if (target.level === 'campaign' && target.campaignId)
    until =
      (await db.campaign.findUnique({ where: { id: target.campaignId }, select: { budgetWritesBlockedUntil: true } }))
        ?.budgetWritesBlockedUntil ?? null
  return until && until > now ? until : null
}
