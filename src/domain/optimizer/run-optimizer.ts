/**
 * The optimizer: statistically sound versions of the classic fixed-threshold rules. Pure function of the stored
 * daily metrics; run after each sync. Only ACTIVE campaigns (and their active ad sets and ads) are judged, each
 * object where its cause lives (levels.ts): creative fatigue and low CTR per ad (and on the campaign, for what no
 * single ad explains); pacing, cost spikes, scaling and zero delivery where the budget lives; a high cost per result
 * on the campaign. Each object yields at most one suggestion per kind, and a campaign's findings are reduced to one
 * per cause (one-per-cause.ts). Every finding opens with its object's last 7 days as `/promoly metrics` shows them
 * (period-evidence.ts).
 */
import { isDelivering, withAdActions } from './ad-action.ts'
import { BUDGET_KINDS, budgetOnAdSets, CREATIVE_KINDS, prepareAdSets, prepareAds } from './levels.ts'
import { onePerCause } from './one-per-cause.ts'
import { buildPeerIndex } from './peers.ts'
import { periodEvidence } from './period-evidence.ts'
import { resultMetricFor } from './results.ts'
import { costSpike } from './rules/cost-spike.ts'
import { creativeFatigue } from './rules/creative-fatigue.ts'
import { highCostPerResult } from './rules/high-cost.ts'
import { lowCtr } from './rules/low-ctr.ts'
import { overpacing, underpacing } from './rules/pacing.ts'
import type { Rule, RuleEnv } from './rules/rule.ts'
import { scaleWinner } from './rules/scale-winner.ts'
import { zeroDelivery } from './rules/zero-delivery.ts'
import { type PreparedCampaign, prepareCampaign } from './series.ts'
import { resolveSettings } from './settings.ts'
import type { CampaignSeries, OptimizerContext, Suggestion, SuggestionKind } from './types.ts'

const RULES: ReadonlyArray<readonly [SuggestionKind, Rule]> = [
  ['zero_delivery', zeroDelivery],
  ['cost_spike', costSpike],
  ['high_cost_per_result', highCostPerResult],
  ['creative_fatigue', creativeFatigue],
  ['low_ctr', lowCtr],
  ['overpacing', overpacing],
  ['underpacing', underpacing],
  ['scale_winner', scaleWinner],
]
const KIND_ORDER = RULES.map(([kind]) => kind)

type Where = Pick<Suggestion, 'level' | 'adSetId' | 'adId'>

export function runOptimizer(campaigns: CampaignSeries[], ctx: OptimizerContext): Suggestion[] {
  const settings = resolveSettings(ctx)
  const prepared = campaigns.map((c) => prepareCampaign(c, ctx.today))
  const peers = buildPeerIndex(prepared, settings)
  // Ad sets are judged against the account's other ad sets with the same objective (their siblings included).
  const adSets = prepareAdSets(campaigns, ctx.today)
  const adSetPeers = buildPeerIndex(
    adSets.map((s) => s.prepared),
    settings,
  )
  const adSetsOf = new Map<number, Array<(typeof adSets)[number] & { peer: number }>>()
  adSets.forEach((s, peer) => {
    adSetsOf.set(s.campaign, [...(adSetsOf.get(s.campaign) ?? []), { ...s, peer }])
  })
  // Ads are judged against the account's other ads with the same objective.
  const ads = prepareAds(campaigns, ctx.today)
  const adPeers = buildPeerIndex(
    ads.map((a) => a.prepared),
    settings,
  )
  const adsOf = new Map<number, Array<(typeof ads)[number] & { peer: number }>>()
  ads.forEach((a, peer) => {
    adsOf.set(a.campaign, [...(adsOf.get(a.campaign) ?? []), { ...a, peer }])
  })
  const tail = (1 - settings.confidence) / 2
  const out: Suggestion[] = []
  prepared.forEach((c, index) => {
    if (c.series.status !== 'ACTIVE' || c.days.length === 0) return
    const base = { ctx, settings, currency: ctx.currency, tail, result: resultMetricFor(c.series.objective) }
    const campaignEnv: RuleEnv = { ...base, peers: peers.forCampaign(index), level: 'campaign' }
    const found: Suggestion[] = []
    const judge = (o: PreparedCampaign, env: RuleEnv, where: Where, kinds: (k: SuggestionKind) => boolean) => {
      for (const [kind, rule] of RULES) {
        if (!kinds(kind)) continue
        const f = rule(o, env)
        if (f) found.push({ ...f, ...where, evidence: [periodEvidence(o, ctx), ...f.evidence] })
      }
    }
    const campaignAds = adsOf.get(index) ?? []
    const onAdSets = budgetOnAdSets(c.series) && campaignAds.some((a) => a.prepared.days.length > 0)
    judge(c, campaignEnv, { level: 'campaign' }, (k) => !(onAdSets && BUDGET_KINDS.has(k)))
    if (onAdSets)
      for (const { adSet: s, prepared: adSet, peer } of adSetsOf.get(index) ?? []) {
        if (s.status !== 'ACTIVE' || !s.dailyBudgetMinor || adSet.days.length === 0) continue
        const env: RuleEnv = { ...base, peers: adSetPeers.forCampaign(peer), level: 'adset' }
        judge(adSet, env, { level: 'adset', adSetId: s.adSetId }, (k) => BUDGET_KINDS.has(k))
      }
    for (const a of campaignAds) {
      if (a.prepared.series.status !== 'ACTIVE' || a.prepared.days.length === 0) continue
      const env: RuleEnv = { ...base, peers: adPeers.forCampaign(a.peer), level: 'ad' }
      judge(a.prepared, env, { level: 'ad', adSetId: a.adSetId, adId: a.adId }, (k) => CREATIVE_KINDS.has(k))
    }
    const delivering = campaignAds.filter((a) => isDelivering(a.prepared)).map((a) => a.adId)
    out.push(...withAdActions(onePerCause(found, delivering, KIND_ORDER), campaignAds))
  })
  return out
}
