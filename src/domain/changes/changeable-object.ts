/**
 * A campaign, ad set or ad someone named (findObject) as the object of a change: its ids as proposeChange and
 * proposeBudgetChange take them, or the refusal with the reason (deleted or archived on Meta; an ad's budget).
 */
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { type FoundObject, goneWord, objectOf } from '../campaigns/find-object.ts'
import { noBudgetOnAds, objectLabel } from './change-target.ts'

/** Exactly one of the internal ids: what a change acts on. */
export type ObjectRef = { campaignId: string } | { adSetId: string } | { adId: string }

/** "Ad set “Retargeting” in campaign “Spring sale”": plain text, not mrkdwn. */
export function foundLabel(o: FoundObject): string {
  return objectLabel({ level: o.level, name: objectOf(o).name, campaignName: o.campaign.name, adSetName: o.adSet?.name ?? null })
}

/**
 * The ids of an object that can still be changed; an object deleted or archived on Meta is refused with the reason
 * (its history stays readable).
 */
export function changeableRef(o: FoundObject): ObjectRef {
  const gone = goneWord(objectOf(o))
  if (gone)
    throw new AppError(
      AppErrorCode.BAD_INPUT,
      `${foundLabel(o)} was ${gone} on Meta: it can no longer be changed. Its past changes: \`/promoly history ${objectOf(o).metaId}\`.`,
    )
  if (o.ad) return { adId: o.ad.id }
  if (o.adSet) return { adSetId: o.adSet.id }
  return { campaignId: o.campaign.id }
}

/**
 * Where a budget change on this object goes: the campaign or the ad set (proposeBudgetChange decides from there
 * whether the budget lives on it). An ad has no budget: refused, naming the ad set or campaign that holds it.
 */
export function budgetRef(o: FoundObject): { campaignId: string } | { adSetId: string } {
  const ref = changeableRef(o)
  if ('adId' in ref) {
    const money = (v: bigint | null) => (v === null ? null : Number(v))
    const campaignBudget = { daily: money(o.campaign.dailyBudget), lifetime: money(o.campaign.lifetimeBudget) }
    throw new AppError(
      AppErrorCode.BAD_INPUT,
      noBudgetOnAds({ label: foundLabel(o), adSetName: o.adSet?.name ?? null, campaignName: o.campaign.name, campaignBudget }),
    )
  }
  return ref
}
