/**
 * Frozen copy of the issue-13 rules, the baseline issue 14 asks for (copied from src/domain/optimizer at 58dcdd2).
 * Creative fatigue: the last 14 complete days against the 14 before them. Daily frequency must rise (OLS slope over
 * the 28 days, one-sided t-test, and the recent mean ≥ 10 % above the previous) while CTR falls by more than 10 %
 * (one-sided z-test on log(CTR ratio) with over-dispersion-scaled counts). The card's words are left out.
 */
import { pct } from '../../../src/domain/optimizer/format.ts'
import { binomialDispersion } from '../../../src/domain/optimizer/stats/dispersion.ts'
import { normalCdf } from '../../../src/domain/optimizer/stats/distributions.ts'
import { linearTrend } from '../../../src/domain/optimizer/stats/trend.ts'
import { PREVIOUS_SETTINGS, type PreviousEnv } from './cost-window.ts'
import { dayAt, lastDays, type PreparedCampaign, type PreviousFinding, totals } from './prepared.ts'

const FATIGUE_FREQUENCY_RISE = 0.1
const FATIGUE_CTR_DROP = 0.1

export function previousCreativeFatigue(c: PreparedCampaign, env: PreviousEnv): PreviousFinding | null {
  const s = PREVIOUS_SETTINGS
  const n = 2 * s.lookbackDays
  const recentRange = lastDays(c, n)
  const previousRange = lastDays(c, n, n)
  if (previousRange.to - previousRange.from < n || c.firstDelivery < 0 || c.firstDelivery > previousRange.from) return null
  const recent = totals(c.days, recentRange.from, recentRange.to)
  const previous = totals(c.days, previousRange.from, previousRange.to)
  if (recent.impressions < s.minImpressions || previous.impressions < s.minImpressions) return null
  if (recent.clicks <= 0 || previous.clicks <= 0 || recent.reach <= 0 || previous.reach <= 0) return null

  // Frequency trend over the 2N days
  const points: Array<{ x: number; y: number }> = []
  let freqRecent = 0
  let freqPrevious = 0
  let nRecent = 0
  let nPrevious = 0
  for (let i = previousRange.from; i < recentRange.to; i++) {
    const d = dayAt(c.days, i)
    if (d.reach <= 0 || d.impressions <= 0) continue
    const f = d.impressions / d.reach
    points.push({ x: i, y: f })
    if (i >= recentRange.from) {
      freqRecent += f
      nRecent++
    } else {
      freqPrevious += f
      nPrevious++
    }
  }
  if (points.length < Math.max(8, n) || nRecent < 3 || nPrevious < 3) return null
  freqRecent /= nRecent
  freqPrevious /= nPrevious
  const trend = linearTrend(points)
  if (!trend || trend.slope <= 0 || freqRecent < freqPrevious * (1 + FATIGUE_FREQUENCY_RISE)) return null
  if (trend.confidenceRising < 1 - env.tail) return null

  // CTR drop, previous N → recent N, beyond a 10 % margin
  const daily = c.days.slice(previousRange.from, recentRange.to).map((d) => ({ successes: d.clicks, trials: d.impressions }))
  const phi = binomialDispersion(daily, n)
  const x1 = previous.clicks / phi
  const n1 = previous.impressions / phi
  const x2 = recent.clicks / phi
  const n2 = recent.impressions / phi
  const p1 = x1 / n1
  const p2 = x2 / n2
  const se = Math.sqrt((1 - p1) / x1 + (1 - p2) / x2)
  const zDrop = (Math.log(1 - FATIGUE_CTR_DROP) - Math.log(p2 / p1)) / se
  const ctrConfidence = normalCdf(zDrop)
  if (ctrConfidence < 1 - env.tail) return null
  return {
    kind: 'creative_fatigue',
    campaignId: c.series.campaignId,
    title: `Frequency ${freqPrevious.toFixed(2)} → ${freqRecent.toFixed(2)}, CTR ${pct(p1)} → ${pct(p2)}`,
  }
}
