/**
 * Scale a winner: a campaign buying results credibly cheaper than the target (or, without a target, than the
 * account's other campaigns with the same objective), with enough results, past learning, delivering steadily and
 * limited by its budget (≈ 90 %: mean utilisation ≥ 85 % and its t-interval reaching 90 %; no zero day; daily spend
 * varying ≤ 30 %).
 * Method: one-sided exact Poisson test against the target / conditional-binomial rate-ratio test against the
 * peers, on over-dispersion-scaled counts, for CPR ≥ 25 % below the reference. Proposes raising the daily budget by
 * at most maxBudgetIncreasePct, rounded down to a step the currency makes sense in.
 */
import { raisedBudget } from '../budget-rounding.ts'
import { capitalised, chance, count, money, pct, plural, roundConfidence } from '../format.ts'
import { confidenceRateRatioAbove, meanInterval, poissonAtLeast, poissonRateInterval } from '../stats/inference.ts'
import type { Finding } from '../types.ts'
import { type CostReference, costWindow, leftOutEvidence, peerReference, targetReference } from './cost-window.ts'
import type { Rule } from './rule.ts'

const WINNER_MARGIN = 0.25
const WINNER_MIN_UTILISATION = 0.85
const WINNER_BUDGET_LIMITED = 0.9
const WINNER_MAX_SPEND_CV = 0.3

export const scaleWinner: Rule = (c, env) => {
  const s = env.settings
  const budget = c.series.dailyBudgetMinor
  if (!budget || budget <= 0) return null
  const w = costWindow(c, env)
  if (!w || w.recentResults < s.minResults) return null
  const m = w.metric

  // budget-limited and steady
  const spends = c.days.slice(w.from, w.to).map((d) => d.spend)
  if (spends.some((x) => x <= 0)) return null
  const meanSpend = w.recent.spend / spends.length
  const cv = Math.sqrt(spends.reduce((a, x) => a + (x - meanSpend) ** 2, 0) / (spends.length - 1)) / meanSpend
  const util = meanSpend / budget
  if (util < WINNER_MIN_UTILISATION || cv > WINNER_MAX_SPEND_CV) return null
  if (
    meanInterval(
      spends.map((x) => x / budget),
      env.tail,
    ).upper < WINNER_BUDGET_LIMITED
  )
    return null

  const ref: CostReference | null = targetReference(w, env) ?? peerReference(w, env, c)
  if (!ref) return null
  const k = w.recentResults / w.phi
  let confidence: number
  if (ref.sample) {
    confidence = confidenceRateRatioAbove(k, w.recent.spend, ref.sample.results / w.phi, ref.sample.spend, 1 / (1 - WINNER_MARGIN))
  } else {
    const expectedAtThreshold = w.recent.spend / (ref.cpr * (1 - WINNER_MARGIN)) / w.phi
    confidence = 1 - poissonAtLeast(k, expectedAtThreshold)
  }
  if (confidence < 1 - env.tail) return null

  const to = raisedBudget(budget, s.maxBudgetIncreasePct, env.currency)
  if (to === null) return null
  const cpr = w.recent.spend / w.recentResults
  const rate = poissonRateInterval(k, w.recent.spend / w.phi, env.tail)
  const cprHigh = 1 / rate.lower
  const extraSpendWeek = (to - budget) * 7 * Math.min(1, util)
  const level = Math.round((1 - 2 * env.tail) * 100)
  const suggestion: Finding = {
    kind: 'scale_winner',
    campaignId: c.series.campaignId,
    title: `${capitalised(m.costLabel)} is ${money(cpr, env.currency)} over ${w.recentPhrase}, well below the ${ref.label} of ${money(ref.cpr, env.currency)}, and the budget is what holds it back — ${chance(confidence)}`,
    evidence: [
      {
        label: `${m.short}, ${w.recentText}`,
        value: `${money(cpr, env.currency)} (${level}% interval ${money(1 / rate.upper, env.currency)}–${money(cprHigh, env.currency)}; ${plural(w.recentResults, m.singular, m.plural)})`,
      },
      { label: ref.label, value: `${money(ref.cpr, env.currency)} (${ref.source})` },
      {
        label: 'Budget utilisation',
        value: `${pct(util, 0)} of ${money(budget, env.currency)}/day, steady (daily spend varies ±${pct(cv, 0)})`,
      },
      {
        label: 'Proposed budget',
        value: `${money(budget, env.currency)} → ${money(to, env.currency)}/day (+${pct(to / budget - 1, 0)}, cap +${s.maxBudgetIncreasePct}%)`,
      },
      leftOutEvidence(c, w),
    ],
    confidence: roundConfidence(confidence),
    change: { type: 'set_daily_budget', fromMinor: budget, toMinor: to },
    expectedEffect: {
      text: `≈ +${count(extraSpendWeek / cpr)} ${m.plural}/week (≥ ${count(extraSpendWeek / cprHigh)} at the interval's upper ${m.short}) for +${money(extraSpendWeek, env.currency)}/week; diminishing returns are likely, so the extra ${m.plural} will probably cost more than ${money(cpr, env.currency)} each`,
      basis: `the ${m.costLabel} of ${w.recentText} applied to the extra budget at the current ${pct(util, 0)} utilisation`,
    },
    metric: { name: 'cost_per_result', value: cpr, baseline: ref.cpr },
  }
  return suggestion
}
