/**
 * The optimizer: statistically sound versions of the classic fixed-threshold rules. Pure function of the stored
 * daily metrics; run after each sync. Only ACTIVE campaigns are judged; each campaign yields at most one suggestion
 * per kind, and a more specific diagnosis silences the generic one it explains (fatigue explains a low CTR, a spike
 * explains a high cost per result, a stopped campaign explains underpacing). Every finding opens with the campaign's
 * last 7 days as `/promoly metrics` shows them (period-evidence.ts).
 */
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
import { prepareCampaign } from './series.ts'
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

/** When the key fires, the listed kinds are not reported for the same campaign. */
const SUPERSEDES: Partial<Record<SuggestionKind, readonly SuggestionKind[]>> = {
  zero_delivery: ['underpacing', 'scale_winner', 'low_ctr', 'creative_fatigue'],
  cost_spike: ['high_cost_per_result', 'scale_winner'],
  high_cost_per_result: ['scale_winner'],
  overpacing: ['scale_winner'],
  creative_fatigue: ['low_ctr'],
}

export function runOptimizer(campaigns: CampaignSeries[], ctx: OptimizerContext): Suggestion[] {
  const settings = resolveSettings(ctx)
  const prepared = campaigns.map((c) => prepareCampaign(c, ctx.today))
  const peers = buildPeerIndex(prepared, settings)
  const tail = (1 - settings.confidence) / 2
  const out: Suggestion[] = []
  prepared.forEach((c, index) => {
    if (c.series.status !== 'ACTIVE' || c.days.length === 0) return
    const env: RuleEnv = {
      ctx,
      settings,
      currency: ctx.currency,
      tail,
      peers: peers.forCampaign(index),
      result: resultMetricFor(c.series.objective),
    }
    const found: Suggestion[] = []
    const silenced = new Set<SuggestionKind>()
    for (const [kind, rule] of RULES) {
      if (silenced.has(kind)) continue
      const s = rule(c, env)
      if (!s) continue
      found.push(s)
      for (const k of SUPERSEDES[kind] ?? []) silenced.add(k)
    }
    const period = periodEvidence(c, ctx)
    out.push(...found.filter((s) => !silenced.has(s.kind)).map((s) => ({ ...s, evidence: [period, ...s.evidence] })))
  })
  return out
}
