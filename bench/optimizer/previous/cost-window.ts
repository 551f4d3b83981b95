/**
 * Frozen copy of the issue-13 rules, the baseline issue 14 asks for (copied from src/domain/optimizer at 58dcdd2).
 * cost-window.ts's settled window: the last 7 SETTLED days (yesterday left out) against the 28 post-learning days
 * before them, results as over-dispersed Poisson counts given spend; yesterday's preliminary figures may only veto.
 * The card's words are left out (the bench reads only whether a rule fires).
 */
import { type ResultMetric, resultsOf } from '../../../src/domain/metrics/vocabulary.ts'
import { poissonDispersion } from '../../../src/domain/optimizer/stats/dispersion.ts'
import { learningEnd, type PreparedCampaign, settledDays, type Totals, totals, yesterdayOf } from './prepared.ts'

/** The issue-13 defaults (src/domain/optimizer/settings.ts at 58dcdd2); the bench sets none of its own. */
export const PREVIOUS_SETTINGS = {
  minImpressions: 1_000,
  minResults: 10,
  lookbackDays: 7,
  baselineDays: 28,
  confidence: 0.9,
  learningDays: 7,
} as const

export interface PreviousEnv {
  /** Minimum spend of a window, in minor units (one major unit of the currency). */
  minSpendMinor: number
  /** One-sided error rate of each bound: (1 − confidence) / 2. */
  tail: number
  result: ResultMetric | null
}

export interface CostWindow {
  metric: ResultMetric
  from: number
  to: number
  recent: Totals
  recentResults: number
  baseline: Totals
  baselineResults: number
  phi: number
}

export function costWindow(c: PreparedCampaign, env: PreviousEnv): CostWindow | null {
  const s = PREVIOUS_SETTINGS
  const metric = env.result
  if (!metric) return null
  const { from, to } = settledDays(c, s.lookbackDays)
  if (to - from < s.lookbackDays) return null
  const settled = learningEnd(c, s.learningDays)
  if (from < settled) return null
  const recent = totals(c.days, from, to)
  if (recent.spend < env.minSpendMinor || recent.spend <= 0) return null
  const baselineFrom = Math.max(settled, from - s.baselineDays)
  const baseline = totals(c.days, baselineFrom, from)
  const days = c.days.slice(baselineFrom, to).map((d) => ({ events: resultsOf(d, metric.kind), exposure: d.spend }))
  // blocks aligned on the end of the window, so the recent window is one block of its own
  const offset = days.length % s.lookbackDays
  const phi = poissonDispersion(days.slice(offset), s.lookbackDays)
  return {
    metric,
    from,
    to,
    recent,
    recentResults: resultsOf(recent, metric.kind),
    baseline,
    baselineResults: resultsOf(baseline, metric.kind),
    phi,
  }
}

/**
 * Yesterday vetoes an alarm when, counted with its preliminary results, the recent window's cost per result is no
 * longer above `threshold`.
 */
export function yesterdayVetoes(c: PreparedCampaign, w: CostWindow, threshold: number): boolean {
  const y = yesterdayOf(c)
  if (!y) return false
  const spend = w.recent.spend + y.spend
  const results = w.recentResults + resultsOf(y, w.metric.kind)
  return results > 0 && spend / results <= threshold
}
