/**
 * Creative fatigue: the same people see the ads more often and respond less. It builds over weeks, so N is twice the
 * lookback (14 days by default): the last N settled days against the N before them.
 * Method: daily frequency (impressions / reach) must rise — OLS slope over the 2N days with a one-sided t-test, and
 * the recent mean ≥ 10 % above the previous — while CTR falls by more than 10 %: a one-sided z-test on
 * log(CTR ratio) with over-dispersion-scaled counts. Both must be significant; the confidence is the product of
 * the two one-sided confidences.
 */
import { chance, change, count, decimal, pct, roundConfidence } from '../format.ts'
import { dayAt, lastDays, totals, windowText } from '../series.ts'
import { binomialDispersion } from '../stats/dispersion.ts'
import { normalCdf } from '../stats/distributions.ts'
import { linearTrend } from '../stats/trend.ts'
import type { Finding } from '../types.ts'
import type { Rule } from './rule.ts'

const FATIGUE_FREQUENCY_RISE = 0.1
const FATIGUE_CTR_DROP = 0.1

export const creativeFatigue: Rule = (c, env) => {
  const s = env.settings
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

  const lostClicks = (p1 - p2) * recent.impressions * (7 / recent.days)
  const recentText = windowText(c, recentRange.from, recentRange.to)
  const previousText = windowText(c, previousRange.from, previousRange.to)
  const oneAd = env.level === 'ad'
  const suggestion: Finding = {
    kind: 'creative_fatigue',
    campaignId: c.series.campaignId,
    title: `People see ${oneAd ? 'this ad' : 'the same ads'} more often (${decimal(freqPrevious)} → ${decimal(freqRecent)} times a day) and click less (CTR ${pct(p1)} → ${pct(p2)}) — ${oneAd ? 'the creative is' : 'the creatives are'} wearing out, ${chance(Math.min(trend.confidenceRising, ctrConfidence))}`,
    evidence: [
      {
        label: `Daily frequency, ${previousText} → ${recentText}`,
        value: `${decimal(freqPrevious)} → ${decimal(freqRecent)} (${change(freqRecent / freqPrevious - 1)})`,
      },
      {
        label: 'Frequency trend',
        value: `${trend.slope >= 0 ? '+' : ''}${decimal(trend.slope, 3)}/day over ${points.length} days (t = ${decimal(trend.t, 1)})`,
      },
      { label: `CTR, ${previousText} → ${recentText}`, value: `${pct(p1)} → ${pct(p2)} (${change(p2 / p1 - 1)})` },
      { label: `Impressions, ${recentText}`, value: count(recent.impressions) },
    ],
    confidence: roundConfidence(trend.confidenceRising * ctrConfidence),
    notice:
      'Nothing to apply through the API: rotate in fresh creatives (new image or video and copy) or widen the audience so the same people see the ads less often.',
    expectedEffect: {
      text: `≈ +${count(lostClicks)} clicks/week if CTR returns to ${pct(p1)}`,
      basis: `the CTR of ${previousText} applied to the impressions of the ${recentText}`,
    },
    metric: { name: 'ctr', value: p2, baseline: p1 },
  }
  return suggestion
}
