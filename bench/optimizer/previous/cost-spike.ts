/**
 * Frozen copy of the issue-13 rules, the baseline issue 14 asks for (copied from src/domain/optimizer at 58dcdd2).
 * Cost-per-result spike: the settled 7 days' result rate against the 28 days before, an exact conditional-binomial
 * test on over-dispersion-scaled counts; fires when the recent CPR is credibly ≥ 20 % above the baseline, unless
 * yesterday's preliminary figures bring it back. Left out of the copy: targets (the bench sets none, so the original
 * never reads them), the pause/notice choice and the card's words (they do not decide whether it fires).
 */
import { money } from '../../../src/domain/optimizer/format.ts'
import { confidenceRateRatioBelow } from '../../../src/domain/optimizer/stats/inference.ts'
import { costWindow, PREVIOUS_SETTINGS, type PreviousEnv, yesterdayVetoes } from './cost-window.ts'
import type { PreparedCampaign, PreviousFinding } from './prepared.ts'

const SPIKE_MARGIN = 0.2

export function previousCostSpike(c: PreparedCampaign, env: PreviousEnv, currency: string): PreviousFinding | null {
  const s = PREVIOUS_SETTINGS
  const w = costWindow(c, env)
  if (!w || w.baselineResults < s.minResults || w.baseline.spend <= 0) return null
  const baseRate = w.baselineResults / w.baseline.spend
  if (w.recent.spend * baseRate < s.minResults) return null // not enough spend to expect a verdict

  const k1 = w.recentResults / w.phi
  const k2 = w.baselineResults / w.phi
  const confidence = confidenceRateRatioBelow(k1, w.recent.spend, k2, w.baseline.spend, 1 / (1 + SPIKE_MARGIN))
  if (confidence < 1 - env.tail) return null
  const baseCpr = w.baseline.spend / w.baselineResults
  const recentCpr = w.recentResults > 0 ? w.recent.spend / w.recentResults : Infinity
  if (yesterdayVetoes(c, w, baseCpr * (1 + SPIKE_MARGIN))) return null // yesterday alone already brings it back
  return {
    kind: 'cost_spike',
    campaignId: c.series.campaignId,
    title: `${w.metric.short} ${money(baseCpr, currency)} → ${Number.isFinite(recentCpr) ? money(recentCpr, currency) : `no ${w.metric.plural}`}`,
  }
}
