/**
 * Creative fatigue: the same people see the ads more often and respond less, day after day.
 * Method: trends, not means of two windows. Over each of the last 7 and 14 complete days (yesterday included: CTR and
 * frequency don't arrive late), daily frequency (impressions / reach) is regressed on the day (least squares, t-test
 * on the slope) and log CTR on the day (weighted by each day's clicks, the inverse of its binomial variance; the
 * residual variance factor never below the over-dispersion of the 28 days before, so ordinary day-to-day wobble is
 * not read as a trend). Fatigue needs BOTH a rising frequency and a falling CTR, each significant (an
 * intersection–union test: each at the window's level keeps the conjunction at that level), and big enough to matter
 * (≥ 10 % rise and fall over the window). Across the two windows the false-alarm rate is held by Bonferroni (each at
 * tail / 2; they overlap, so this is conservative). The card names the window and the slopes.
 */
import { chance, change, count, decimal, pct, roundConfidence } from '../format.ts'
import { dayAt, lastDays, type PreparedCampaign, totals, windowPhrase, windowText } from '../series.ts'
import { binomialDispersion } from '../stats/dispersion.ts'
import { linearTrend, type Trend } from '../stats/trend.ts'
import { type WeightedTrend, weightedTrend } from '../stats/weighted-trend.ts'
import type { Finding } from '../types.ts'
import type { Rule, RuleEnv } from './rule.ts'

const FATIGUE_WINDOWS = [7, 14] as const
const FATIGUE_FREQUENCY_RISE = 0.1
const FATIGUE_CTR_DROP = 0.1

interface FatigueLook {
  from: number
  to: number
  frequency: Trend
  /** Frequency fitted on the window's first and last day. */
  freqStart: number
  freqEnd: number
  ctr: WeightedTrend
  ctrStart: number
  ctrEnd: number
  /** The larger of the two one-sided p-values (both must be small). */
  p: number
}

function lookAt(c: PreparedCampaign, env: RuleEnv, n: number): FatigueLook | null {
  const { from, to } = lastDays(c, n)
  if (to - from < n || c.firstDelivery < 0 || c.firstDelivery > from) return null
  const t = totals(c.days, from, to)
  if (t.impressions < env.settings.minImpressions || t.clicks <= 0 || t.reach <= 0) return null
  const freq: Array<{ x: number; y: number }> = []
  const ctr: Array<{ x: number; y: number; w: number }> = []
  for (let i = from; i < to; i++) {
    const d = dayAt(c.days, i)
    if (d.reach <= 0 || d.impressions <= 0 || d.clicks <= 0) continue
    freq.push({ x: i - from, y: d.impressions / d.reach })
    const p = d.clicks / d.impressions
    ctr.push({ x: i - from, y: Math.log(p), w: d.clicks / (1 - p) })
  }
  if (freq.length < n - 1) return null // a day or two missing is fine; more is not a trend
  const frequency = linearTrend(freq)
  // over-dispersion of daily CTR in the 28 days before the window, in weekly blocks
  const before = c.days.slice(Math.max(0, from - 28), from).map((d) => ({ successes: d.clicks, trials: d.impressions }))
  const ctrTrend = weightedTrend(ctr, binomialDispersion(before.slice(before.length % 7), 7))
  if (!frequency || !ctrTrend) return null
  const meanX = freq.reduce((a, q) => a + q.x, 0) / freq.length
  const meanY = freq.reduce((a, q) => a + q.y, 0) / freq.length
  const freqStart = meanY - frequency.slope * meanX
  const freqEnd = freqStart + frequency.slope * (n - 1)
  const ctrStart = Math.exp(ctrTrend.intercept - ctrTrend.slope * (ctr[0]?.x ?? 0))
  const ctrEnd = ctrStart * Math.exp(ctrTrend.slope * (n - 1))
  if (freqStart <= 0 || freqEnd < freqStart * (1 + FATIGUE_FREQUENCY_RISE) || ctrEnd > ctrStart * (1 - FATIGUE_CTR_DROP)) return null
  const p = Math.max(1 - frequency.confidenceRising, 1 - ctrTrend.confidenceFalling)
  return { from, to, frequency, freqStart, freqEnd, ctr: ctrTrend, ctrStart, ctrEnd, p }
}

export const creativeFatigue: Rule = (c, env) => {
  let best: FatigueLook | null = null
  for (const n of FATIGUE_WINDOWS) {
    const look = lookAt(c, env, n)
    if (look && look.p * FATIGUE_WINDOWS.length <= env.tail && (!best || look.p < best.p)) best = look
  }
  if (!best) return null
  const { from, to } = best
  const recent = totals(c.days, from, to)
  const days = to - from
  const weeklyImpressions = (recent.impressions * 7) / days
  const lostClicks = (best.ctrStart - best.ctrEnd) * weeklyImpressions
  const confidence = 1 - Math.min(1, best.p * FATIGUE_WINDOWS.length)
  const range = windowText(c, from, to)
  const phrase = windowPhrase(c, from, to)
  const ctrPerDay = Math.exp(best.ctr.slope) - 1
  const oneAd = env.level === 'ad'
  const suggestion: Finding = {
    kind: 'creative_fatigue',
    campaignId: c.series.campaignId,
    title: `People see ${oneAd ? 'this ad' : 'the same ads'} more often (${decimal(best.freqStart)} → ${decimal(best.freqEnd)} times a day) and click less (CTR ${pct(best.ctrStart)} → ${pct(best.ctrEnd)}) over ${phrase} — ${oneAd ? 'the creative is' : 'the creatives are'} wearing out, ${chance(confidence)}`,
    evidence: [
      {
        label: 'Trend',
        value: `frequency ${best.frequency.slope >= 0 ? '+' : '−'}${decimal(Math.abs(best.frequency.slope))}/day, CTR ${change(ctrPerDay)}/day over ${phrase}`,
      },
      {
        label: `Daily frequency, ${range}, start → end of its trend line`,
        value: `${decimal(best.freqStart)} → ${decimal(best.freqEnd)} (${change(best.freqEnd / best.freqStart - 1)})`,
      },
      {
        label: `CTR, ${range}, start → end of its trend line`,
        value: `${pct(best.ctrStart)} → ${pct(best.ctrEnd)} (${change(best.ctrEnd / best.ctrStart - 1)})`,
      },
      { label: `Impressions, ${range}`, value: count(recent.impressions) },
      {
        label: 'Windows checked',
        value: `the last ${FATIGUE_WINDOWS.join(' and ')} days; the ${days}-day window shows it most clearly (chance of a false alarm kept under ${Math.round(env.tail * 100)}% across both)`,
      },
    ],
    confidence: roundConfidence(confidence),
    notice:
      'Nothing to apply through the API: rotate in fresh creatives (new image or video and copy) or widen the audience so the same people see the ads less often.',
    expectedEffect: {
      text: `≈ +${count(lostClicks)} clicks/week if CTR returns to ${pct(best.ctrStart)}`,
      basis: `the CTR at the start of the ${range} applied to its impressions (${count(weeklyImpressions)}/week)`,
    },
    metric: { name: 'ctr', value: best.ctrEnd, baseline: best.ctrStart },
  }
  return suggestion
}
