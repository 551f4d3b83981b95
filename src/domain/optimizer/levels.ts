/**
 * The objects the optimizer judges inside a campaign, each as a series the rules read: its ad sets (their days are
 * the sum of all their ads' days, archived and deleted ads included) and its live ads. Where a finding belongs: creative findings (fatigue, low CTR) on the ad
 * whose creative wears out; budget findings (pacing, cost spikes, scaling, zero delivery) where the budget lives —
 * the campaign for a campaign budget, each ad set for ad set budgets (domain/campaigns/budget-location.ts).
 */

import type { IsoDate } from '../../lib/dates.ts'
import { addMetrics } from '../metrics/vocabulary.ts'
import { type PreparedCampaign, prepareCampaign } from './series.ts'
import type { AdSeries, AdSetSeries, CampaignSeries, DailyPoint, SuggestionKind } from './types.ts'

/** Judged on the ad: what the people who see it do. */
export const CREATIVE_KINDS: ReadonlySet<SuggestionKind> = new Set(['creative_fatigue', 'low_ctr'])

/** Judged where the budget lives. */
export const BUDGET_KINDS: ReadonlySet<SuggestionKind> = new Set([
  'zero_delivery',
  'cost_spike',
  'overpacing',
  'underpacing',
  'scale_winner',
])

/** Days of several series summed per date (ascending). */
function sumDays(series: ReadonlyArray<{ days: readonly DailyPoint[] }>): DailyPoint[] {
  const byDate = new Map<IsoDate, DailyPoint>()
  for (const s of series)
    for (const d of s.days) {
      const into = byDate.get(d.date)
      if (into) addMetrics(into, d)
      else byDate.set(d.date, { ...d })
    }
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
}

/** True when the campaign has no daily budget of its own and at least one of its ad sets has one. */
export function budgetOnAdSets(c: CampaignSeries): boolean {
  return c.dailyBudgetMinor === null && (c.adSets ?? []).some((s) => s.dailyBudgetMinor !== null && s.dailyBudgetMinor > 0)
}

/** An ad set as the rules read a campaign: its budget, its budget changes, the days of all its ads (retired ones too) summed. */
export function adSetAsSeries(c: CampaignSeries, s: AdSetSeries): CampaignSeries {
  return {
    campaignId: c.campaignId,
    name: s.name,
    objective: c.objective,
    status: c.status === 'ACTIVE' ? s.status : c.status,
    dailyBudgetMinor: s.dailyBudgetMinor,
    ...(s.budgetChanges ? { budgetChanges: s.budgetChanges } : {}),
    days: sumDays([...s.ads, ...(s.retiredAds ?? [])]),
  }
}

/** An ad as the rules read a campaign (it has no budget: only the creative rules judge it). */
export function adAsSeries(c: CampaignSeries, s: AdSetSeries, ad: AdSeries): CampaignSeries {
  const parentActive = c.status === 'ACTIVE' && s.status === 'ACTIVE'
  return {
    campaignId: c.campaignId,
    name: ad.name,
    objective: c.objective,
    status: parentActive ? ad.status : 'PAUSED',
    dailyBudgetMinor: null,
    days: ad.days,
  }
}

/** Every ad set of the campaigns, prepared, in order (for the ad sets' own peer index). */
export function prepareAdSets(
  campaigns: readonly CampaignSeries[],
  today: IsoDate,
): Array<{ campaign: number; adSet: AdSetSeries; prepared: PreparedCampaign }> {
  return campaigns.flatMap((c, campaign) =>
    (c.adSets ?? []).map((adSet) => ({ campaign, adSet, prepared: prepareCampaign(adSetAsSeries(c, adSet), today) })),
  )
}

/** Every ad of the campaigns, prepared, in order (for the ads' own peer index). */
export function prepareAds(
  campaigns: readonly CampaignSeries[],
  today: IsoDate,
): Array<{ campaign: number; adSetId: string; adId: string; prepared: PreparedCampaign }> {
  const out: Array<{ campaign: number; adSetId: string; adId: string; prepared: PreparedCampaign }> = []
  campaigns.forEach((c, campaign) => {
    for (const s of c.adSets ?? [])
      for (const ad of s.ads)
        out.push({ campaign, adSetId: s.adSetId, adId: ad.adId, prepared: prepareCampaign(adAsSeries(c, s, ad), today) })
  })
  return out
}
