/**
 * Cost-per-result spike against the campaign's own trailing baseline.
 * Method: results given spend are Poisson; the ratio of the recent to the baseline result rate gets an exact
 * conditional-binomial (Clopper–Pearson) interval on over-dispersion-scaled counts, so both windows' noise counts.
 * Fires when the recent CPR is credibly ≥ 20 % above the baseline CPR (and above the target, if one is set).
 * Severe (CPR credibly at least doubled, above the target if any) and sustained (both halves of the window) → pause,
 * unless yesterday (left out: its results still arrive) already brings it below double; if it brings it back within
 * the margin, nothing fires.
 */

import { capitalised, chance, change, count, money, plural, roundConfidence, times } from '../format.ts'
import { confidenceRateRatioBelow, rateRatioInterval } from '../stats/inference.ts'
import type { Finding } from '../types.ts'
import { costWindow, leftOutEvidence, metricCpr, sustainedAbove, targetReference, yesterdayVetoes } from './cost-window.ts'
import type { Rule } from './rule.ts'

const SPIKE_MARGIN = 0.2
export const SEVERE_RATIO = 2

export const costSpike: Rule = (c, env) => {
  const s = env.settings
  const w = costWindow(c, env)
  if (!w || w.baselineResults < s.minResults || w.baseline.spend <= 0) return null
  const m = w.metric
  const baseRate = w.baselineResults / w.baseline.spend
  if (w.recent.spend * baseRate < s.minResults) return null // not enough spend to expect a verdict

  const k1 = w.recentResults / w.phi
  const k2 = w.baselineResults / w.phi
  const confidence = confidenceRateRatioBelow(k1, w.recent.spend, k2, w.baseline.spend, 1 / (1 + SPIKE_MARGIN))
  if (confidence < 1 - env.tail) return null
  const rateRatio = rateRatioInterval(k1, w.recent.spend, k2, w.baseline.spend, env.tail)
  const cprLow = 1 / rateRatio.upper // lower bound of recent CPR / baseline CPR
  const cprHigh = rateRatio.lower > 0 ? 1 / rateRatio.lower : Infinity
  const baseCpr = w.baseline.spend / w.baselineResults
  const recentCpr = w.recentResults > 0 ? w.recent.spend / w.recentResults : Infinity
  const target = targetReference(w, env)
  if (target && recentCpr <= target.cpr) return null // dearer than before, but still within target
  if (yesterdayVetoes(c, w, baseCpr * (1 + SPIKE_MARGIN))) return null // yesterday alone already brings it back

  const severe = cprLow >= SEVERE_RATIO && (!target || baseCpr * cprLow > target.cpr)
  // No pause on a window that leaves out a day good enough to make it less than severe.
  const pause = severe && sustainedAbove(c, w, baseCpr * (1 + SPIKE_MARGIN)) && !yesterdayVetoes(c, w, baseCpr * SEVERE_RATIO)
  const level = Math.round((1 - 2 * env.tail) * 100)
  const weeklySpend = (w.recent.spend * 7) / w.recent.days
  const missing = weeklySpend / baseCpr - (w.recentResults * 7) / w.recent.days
  const range = w.recentText
  const recentLabel = w.recentText
  const baselineLabel = w.baselineText
  const none = `no ${m.plural}`
  const recentText = Number.isFinite(recentCpr) ? money(recentCpr, env.currency) : none
  const evidence = [
    {
      label: `${m.short}, ${recentLabel}`,
      value: `${recentText} (${plural(w.recentResults, m.singular, m.plural)}, ${money(w.recent.spend, env.currency)} spent)`,
    },
    {
      label: `${m.short}, ${baselineLabel}`,
      value: `${money(baseCpr, env.currency)} (${plural(w.baselineResults, m.singular, m.plural)})`,
    },
    {
      label: 'Change',
      value: `${Number.isFinite(recentCpr) ? change(recentCpr / baseCpr - 1) : none} (${level}% interval ×${cprLow.toFixed(2)}–${Number.isFinite(cprHigh) ? `×${cprHigh.toFixed(2)}` : '∞'})`,
    },
    ...(target ? [{ label: target.label, value: `${money(target.cpr, env.currency)} (${target.source})` }] : []),
    leftOutEvidence(c, w),
  ]
  const causes = `check what changed — new ads or audience, the landing page or ${m.kind === 'leads' ? 'lead form' : 'checkout'}, tracking (pixel / Conversions API), or auction competition`
  const suggestion: Finding = {
    kind: 'cost_spike',
    campaignId: c.series.campaignId,
    title: Number.isFinite(recentCpr)
      ? `${capitalised(m.costLabel)} rose from ${money(baseCpr, env.currency)} to ${recentText} over ${w.recentPhrase} (${times(recentCpr / baseCpr)}) — ${chance(confidence)}`
      : `No ${m.plural} at all over ${w.recentPhrase} (${money(w.recent.spend, env.currency)} spent), where ${m.plural} used to cost ${money(baseCpr, env.currency)} — ${chance(confidence)}`,
    evidence,
    confidence: roundConfidence(confidence),
    ...(pause
      ? {
          change: { type: 'pause' as const },
          ...(w.recentResults === 0
            ? {
                notice: `No ${m.plural} at all for ${w.recent.days} days often means broken tracking or a broken ${m.kind === 'leads' ? 'form' : 'checkout'}: check that before pausing.`,
              }
            : {}),
        }
      : { notice: `Nothing applied automatically: ${causes}, and refine the targeting.` }),
    expectedEffect: pause
      ? {
          text: `Saves ≈ ${money(weeklySpend, env.currency)}/week that ${Number.isFinite(recentCpr) ? `buys ${m.plural} at ${recentText}` : `bought ${none}`} (was ${money(baseCpr, env.currency)} per ${m.singular})`,
          basis: `spend and ${m.plural} of ${range}, against the ${baselineLabel}`,
        }
      : {
          text: `≈ +${count(Math.max(0, missing))} ${m.plural}/week at the same spend if the ${m.costLabel} returns to ${money(baseCpr, env.currency)}`,
          basis: `spend of ${range} at the ${m.costLabel} of the ${baselineLabel}`,
        },
    metric: { name: 'cost_per_result', value: metricCpr(w.recent.spend, w.recentResults), baseline: baseCpr },
  }
  return suggestion
}
