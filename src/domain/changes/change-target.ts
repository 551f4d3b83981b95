import type { PrismaClient } from '../../generated/prisma/client.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import type { ChangeLevel } from './change-include.ts'

/** What a proposal acts on: its level, the ids of it and its parents. */
export interface ChangeTargetIds {
  level: ChangeLevel
  adAccountId: string
  campaignId: string | null
  adSetId: string | null
  adId: string | null
}

/** An existing object a change acts on, as last synced (money in minor units of the account currency). */
export interface ChangeTargetState extends ChangeTargetIds {
  campaignId: string
  /** "Campaign “X”", "Ad set “X” in campaign “Y”", "Ad “X” in ad set “Y” (campaign “Z”)": plain text, not mrkdwn. */
  label: string
  name: string
  status: string
  /** Meta's effective status: CAMPAIGN_PAUSED / ADSET_PAUSED when a parent is paused. */
  effectiveStatus: string
  dailyBudget: number | null
  lifetimeBudget: number | null
  /** The campaign's name, for an ad set or an ad. */
  campaignName: string
  /** The ad set's name, for an ad. */
  adSetName: string | null
  /** The campaign's own budgets (null, null when its budgets live on its ad sets). */
  campaignBudget: { daily: number | null; lifetime: number | null }
}

const money = (v: bigint | null) => (v === null ? null : Number(v))

/** Plain-text label of an object with its parents: what a card or an error names. */
export function objectLabel(o: { level: ChangeLevel; name: string; campaignName: string | null; adSetName: string | null }): string {
  if (o.level === 'ad') return `Ad “${o.name}” in ad set “${o.adSetName ?? '?'}” (campaign “${o.campaignName ?? '?'}”)`
  if (o.level === 'adset') return `Ad set “${o.name}” in campaign “${o.campaignName ?? '?'}”`
  return `Campaign “${o.name}”`
}

/**
 * The campaign, ad set or ad a change acts on (exactly one of the ids), in this workspace, with what the checks
 * of a proposal need. Throws NOT_FOUND when it is not (or no longer) known to Promoly.
 */
export async function loadChangeTarget(
  prisma: Pick<PrismaClient, 'campaign' | 'adSet' | 'ad'>,
  options: { workspaceId: string; campaignId?: string; adSetId?: string; adId?: string },
): Promise<ChangeTargetState> {
  const given = [options.campaignId, options.adSetId, options.adId].filter(Boolean).length
  if (given !== 1) throw new AppError(AppErrorCode.BAD_INPUT, 'Name one campaign, ad set or ad to change.')
  const inWorkspace = { adAccount: { workspaceId: options.workspaceId } }
  if (options.adId) {
    const ad = await prisma.ad.findFirst({
      where: { id: options.adId, ...inWorkspace },
      include: { adSet: true, campaign: true },
    })
    if (!ad) throw new AppError(AppErrorCode.NOT_FOUND, 'That ad is not known to Promoly (try /promoly sync).')
    const base = { level: 'ad' as const, name: ad.name, campaignName: ad.campaign.name, adSetName: ad.adSet.name }
    return {
      ...base,
      adAccountId: ad.adAccountId,
      campaignId: ad.campaignId,
      adSetId: ad.adSetId,
      adId: ad.id,
      label: objectLabel(base),
      status: ad.status,
      effectiveStatus: ad.effectiveStatus,
      dailyBudget: null,
      lifetimeBudget: null,
      campaignBudget: { daily: money(ad.campaign.dailyBudget), lifetime: money(ad.campaign.lifetimeBudget) },
    }
  }
  if (options.adSetId) {
    const adSet = await prisma.adSet.findFirst({ where: { id: options.adSetId, ...inWorkspace }, include: { campaign: true } })
    if (!adSet) throw new AppError(AppErrorCode.NOT_FOUND, 'That ad set is not known to Promoly (try /promoly sync).')
    const base = { level: 'adset' as const, name: adSet.name, campaignName: adSet.campaign.name, adSetName: null }
    return {
      ...base,
      adAccountId: adSet.adAccountId,
      campaignId: adSet.campaignId,
      adSetId: adSet.id,
      adId: null,
      label: objectLabel(base),
      status: adSet.status,
      effectiveStatus: adSet.effectiveStatus,
      dailyBudget: money(adSet.dailyBudget),
      lifetimeBudget: money(adSet.lifetimeBudget),
      campaignBudget: { daily: money(adSet.campaign.dailyBudget), lifetime: money(adSet.campaign.lifetimeBudget) },
    }
  }
  const campaign = await prisma.campaign.findFirst({ where: { id: options.campaignId, ...inWorkspace } })
  if (!campaign) throw new AppError(AppErrorCode.NOT_FOUND, 'That campaign is not known to Promoly (try /promoly sync).')
  const base = { level: 'campaign' as const, name: campaign.name, campaignName: null, adSetName: null }
  return {
    ...base,
    campaignName: campaign.name,
    adAccountId: campaign.adAccountId,
    campaignId: campaign.id,
    adSetId: null,
    adId: null,
    label: objectLabel(base),
    status: campaign.status,
    effectiveStatus: campaign.effectiveStatus,
    dailyBudget: money(campaign.dailyBudget),
    lifetimeBudget: money(campaign.lifetimeBudget),
    campaignBudget: { daily: money(campaign.dailyBudget), lifetime: money(campaign.lifetimeBudget) },
  }
}

/** Why an ad's budget cannot be changed: ads have none. */
export function noBudgetOnAds(o: Pick<ChangeTargetState, 'label' | 'adSetName' | 'campaignName' | 'campaignBudget'>): string {
  const where =
    o.campaignBudget.daily !== null || o.campaignBudget.lifetime !== null
      ? `its campaign “${o.campaignName}”`
      : `its ad set “${o.adSetName ?? '?'}”`
  return `${o.label} has no budget of its own: ads spend the budget of ${where}. Change that one instead.`
}

/** Why this object has no budget of this kind, and where its budget lives instead. */
export function budgetElsewhere(o: ChangeTargetState, kind: 'daily' | 'lifetime'): string {
  const other = kind === 'daily' ? o.lifetimeBudget : o.dailyBudget
  if (other !== null) return `${o.label} has a ${kind === 'daily' ? 'lifetime' : 'daily'} budget, not a ${kind} one.`
  if (o.level === 'adset') {
    const campaignHas = o.campaignBudget.daily !== null || o.campaignBudget.lifetime !== null
    return campaignHas
      ? `${o.label} uses its campaign's budget (a campaign budget): change the budget of campaign “${o.campaignName}” instead.`
      : `${o.label} has no budget on record (try /promoly sync).`
  }
  return `${o.label} has no campaign budget: its budgets are set on its ad sets. Change an ad set's budget, or name the campaign to propose a change for each of its active ad sets.`
}

/**
 * Why resuming an active object would change nothing: it is active, and a paused parent keeps it from delivering
 * (Meta's effective status CAMPAIGN_PAUSED / ADSET_PAUSED) — say which parent to resume. Plain "already active" else.
 */
export function alreadyActive(o: Pick<ChangeTargetState, 'label' | 'effectiveStatus' | 'campaignName' | 'adSetName'>): string {
  if (o.effectiveStatus === 'CAMPAIGN_PAUSED')
    return `${o.label} is already active, but its campaign “${o.campaignName}” is paused, so it delivers nothing: resume the campaign instead (\`/promoly resume ${o.campaignName}\`).`
  if (o.effectiveStatus === 'ADSET_PAUSED')
    return `${o.label} is already active, but its ad set “${o.adSetName ?? '?'}” is paused, so it delivers nothing: resume the ad set instead (\`/promoly resume ${o.adSetName ?? '?'}\`).`
  return `${o.label} is already active.`
}
