/**
 * High cost per result (classic rule: CPL > 50 → refine targeting), judged against the workspace target when set,
 * else against the pooled CPR of the account's other campaigns with the same objective.
 * Method: against a fixed target, an exact Poisson test — are this few results plausible if the CPR were only 20 %
 * over target? Against peers, the conditional-binomial rate-ratio test with a 50 % margin (campaigns differ).
 * Counts are over-dispersion-scaled. Severe (credibly ≥ 2× the reference) and sustained (both halves) → pause, unless
 * yesterday (left out: its results still arrive) already brings it below 2×; within the margin, nothing fires.
 */
import { capitalised, chance, count, money, plural, roundConfidence, times } from '../format.ts'
import { confidenceRateRatioBelow, poissonAtMost, poissonRateInterval, rateRatioInterval } from '../stats/inference.ts'
import type { Finding } from '../types.ts'
import {
  type CostReference,
  costWindow,
  leftOutEvidence,
  metricCpr,
  peerReference,
  sustainedAbove,
  targetReference,
  yesterdayVetoes,
} from './cost-window.ts'
import type { Rule } from './rule.ts'

const TARGET_MARGIN = 0.2
const PEER_MARGIN = 0.5

export const highCostPerResult: Rule = (c, env) => {
  const s = env.settings
  const w = costWindow(c, env)
  if (!w) return null
  const m = w.metric
  const target = targetReference(w, env)
  const ref: CostReference | null = target ?? peerReference(w, env, c)
  if (!ref) return null
  if (w.recent.spend / ref.cpr < s.minResults) return null // at the reference CPR we'd expect too few results to judge

  const k = w.recentResults / w.phi
  const margin = ref.sample ? PEER_MARGIN : TARGET_MARGIN
  let confidence: number
  let lowRatio: number // lower bound of CPR / reference
  if (ref.sample) {
    const k2 = ref.sample.results / w.phi
    confidence = confidenceRateRatioBelow(k, w.recent.spend, k2, ref.sample.spend, 1 / (1 + margin))
    lowRatio = 1 / rateRatioInterval(k, w.recent.spend, k2, ref.sample.spend, env.tail).upper
  } else {
    const expectedAtThreshold = w.recent.spend / (ref.cpr * (1 + margin)) / w.phi
    confidence = 1 - poissonAtMost(k, expectedAtThreshold)
    const rate = poissonRateInterval(k, w.recent.spend / w.phi, env.tail)
    lowRatio = 1 / (rate.upper * ref.cpr)
  }
  if (confidence < 1 - env.tail) return null
  if (yesterdayVetoes(c, w, ref.cpr * (1 + margin))) return null // yesterday alone already brings it back

  const recentCpr = w.recentResults > 0 ? w.recent.spend / w.recentResults : Infinity
  // No pause on a window that leaves out a day good enough to make it less than severe.
  const pause = lowRatio >= 2 && sustainedAbove(c, w, ref.cpr * (1 + margin)) && !yesterdayVetoes(c, w, ref.cpr * 2)
  const weeklySpend = (w.recent.spend * 7) / w.recent.days
  const extra = weeklySpend / ref.cpr - (w.recentResults * 7) / w.recent.days
  const level = Math.round((1 - 2 * env.tail) * 100)
  const suggestion: Finding = {
    kind: 'high_cost_per_result',
    campaignId: c.series.campaignId,
    title: Number.isFinite(recentCpr)
      ? `${capitalised(m.costLabel)} is ${money(recentCpr, env.currency)} over ${w.recentPhrase}, ${times(recentCpr / ref.cpr)} the ${ref.label} of ${money(ref.cpr, env.currency)} — ${chance(confidence)}`
      : `No ${m.plural} over ${w.recentPhrase} for ${money(w.recent.spend, env.currency)} spent, against a ${ref.label} of ${money(ref.cpr, env.currency)} — ${chance(confidence)}`,
    evidence: [
      {
        label: `${m.short}, ${w.recentText}`,
        value: `${Number.isFinite(recentCpr) ? money(recentCpr, env.currency) : `no ${m.plural}`} (${plural(w.recentResults, m.singular, m.plural)}, ${money(w.recent.spend, env.currency)} spent)`,
      },
      { label: ref.label, value: `${money(ref.cpr, env.currency)} (${ref.source})` },
      { label: `${level}% lower bound`, value: `${money(ref.cpr * lowRatio, env.currency)} (×${lowRatio.toFixed(2)} the ${ref.label})` },
      leftOutEvidence(c, w),
    ],
    confidence: roundConfidence(confidence),
    ...(pause
      ? { change: { type: 'pause' as const } }
      : {
          notice: `Nothing applied automatically: refine the targeting (exclude audiences and placements that don't convert), test new creatives or a stronger offer, and check the landing page or form.`,
        }),
    expectedEffect: pause
      ? {
          text: `Saves ≈ ${money(weeklySpend, env.currency)}/week spent at ${Number.isFinite(recentCpr) ? `×${(recentCpr / ref.cpr).toFixed(1)} the ${ref.label}` : `no ${m.plural} at all`}`,
          basis: `spend and ${m.plural} of ${w.recentText}`,
        }
      : {
          text: `≈ +${count(Math.max(0, extra))} ${m.plural}/week at the same spend if the ${m.costLabel} reached ${money(ref.cpr, env.currency)}`,
          basis: `spend of ${w.recentText} at the ${ref.label}`,
        },
    metric: { name: 'cost_per_result', value: metricCpr(w.recent.spend, w.recentResults), baseline: ref.cpr },
  }
  return suggestion
}
