/**
 * The looks of the cost-spike scan: the last 2, 3, 5, 7 and 14 complete days, ending YESTERDAY, each against the same
 * baseline — the campaign's own post-learning days (up to baselineDays) just before the longest look, so no look
 * overlaps it. Results are Poisson given spend, over-dispersion (φ, quasi-Poisson) measured on the baseline days.
 *
 * Recent days count at their expected completeness: a day `age` days old (yesterday = 1) still lacks its late
 * results, so its spend counts as exposure × expectedFraction(curve, age) — its results are compared with what that
 * much spend should have produced by now, not with the whole day's worth. The curve is the account's (learned from
 * re-synced days) or the conservative default.
 *
 * False alarms across the looks: the looks share their newest days and their baseline, so they are positively
 * correlated; Bonferroni (each look tested at tail / number of looks) keeps the chance that any look fires on a
 * stable campaign at or below `tail`, conservatively under that correlation. The Bonferroni is weighted: the longer
 * looks (7, 14 days) get a larger share of the error budget than the short ones (2, 3 days), since a problem a few days
 * old is seen best there and a one-day blip is diluted there; the shares sum to 1, so the bound is the same. The margin (a look must be credibly
 * more than 20 % dearer, not merely dearer), the agreement of yesterday, and for the 2- and 3-day looks the worst
 * day left out (below) only remove alarms, so they keep the bound.
 */
import { type ResultMetric, resultsOf } from '../../metrics/vocabulary.ts'
import { arrivalCurveFor, expectedFraction } from '../completeness.ts'
import { dayAt, learningEnd, type PreparedCampaign, type Totals, totals } from '../series.ts'
import { LEARNING_DAYS } from '../settings.ts'
import { poissonDispersion } from '../stats/dispersion.ts'
import { confidenceRateRatioAbove, pRateRatioNotBelow } from '../stats/inference.ts'
import type { ArrivalCurve } from '../types.ts'
import type { RuleEnv } from './rule.ts'

/**
 * The looks, in complete days ending yesterday, each with its share of the scan's error budget (weighted Bonferroni:
 * the shares of the looks tested are rescaled to sum to 1). Yesterday alone is never a look: it can only agree (see
 * below).
 */
const SCAN_LOOKS: ReadonlyArray<{ days: number; weight: number }> = [
  { days: 2, weight: 0.5 },
  { days: 3, weight: 0.5 },
  { days: 5, weight: 1 },
  { days: 7, weight: 1.5 },
  { days: 14, weight: 1.5 },
]
/** Looks this short or shorter must hold with their worst day left out: a one-day blip weighs too much in them. */
const SHORT_LOOK_DAYS = 3
const ALL_IN: ArrivalCurve = { fractions: [1, 1, 1], learnedFromDays: 0 }
/**
 * Share of the rules' one-sided error rate (tail) the whole scan may spend on a campaign each morning: it runs every
 * morning on every campaign, so a stable campaign meets it 7 times a week (see the header).
 */
export const SCAN_SHARE = 0.5
/** Fewest post-learning days a baseline needs. */
const MIN_BASELINE_DAYS = 7

export interface CostLook {
  /** Index range [from, to) of the look's days; `to` is the series' end (yesterday included). */
  from: number
  to: number
  spend: number
  /** Results reported so far. */
  results: number
  /** Spend counted at the expected completeness of each day (≤ spend). */
  exposure: number
  /** One-sided p-value of "not more than `margin` dearer than the baseline" (small: credibly dearer). */
  p: number
  /** Its share of the scan's error budget (the shares of the looks tested sum to 1). */
  weight: number
}

export interface CostScan {
  metric: ResultMetric
  curve: ArrivalCurve
  baselineFrom: number
  baselineTo: number
  baseline: Totals
  baselineResults: number
  phi: number
  /** Looks with enough spend to expect a verdict (the Bonferroni family). */
  tested: CostLook[]
  /** The look with the strongest evidence among those that fire, or null. */
  fired: CostLook | null
  /** Its p-value divided by its share of the budget (weighted Bonferroni) and by SCAN_SHARE, capped at 1. */
  familyP: number
}

/** Results, spend and completeness-weighted exposure of days [from, to). */
function lookOf(c: PreparedCampaign, metric: ResultMetric, curve: ArrivalCurve, from: number, to: number): Omit<CostLook, 'p' | 'weight'> {
  let spend = 0
  let results = 0
  let exposure = 0
  for (let i = from; i < to; i++) {
    const d = dayAt(c.days, i)
    spend += d.spend
    results += resultsOf(d, metric.kind)
    exposure += d.spend * expectedFraction(curve, c.days.length - i)
  }
  return { from, to, spend, results, exposure }
}

/** Days [from, to) cost more than `threshold` per result, at their expected completeness (none at all: yes, if money was spent). */
export function dearerThan(
  c: PreparedCampaign,
  metric: ResultMetric,
  curve: ArrivalCurve,
  from: number,
  to: number,
  threshold: number,
): boolean {
  const l = lookOf(c, metric, curve, from, to)
  if (l.exposure <= 0) return false
  return l.results === 0 || l.exposure / l.results > threshold
}

/**
 * The look without its single worst day: the day furthest below what the margin allows (exposure × `nullRate`
 * expected results, fewest seen).
 */
function withoutWorstDay(
  c: PreparedCampaign,
  metric: ResultMetric,
  curve: ArrivalCurve,
  l: CostLook,
  nullRate: number,
): { results: number; exposure: number } {
  let worst = { shortfall: -Infinity, results: 0, exposure: 0 }
  for (let i = l.from; i < l.to; i++) {
    const d = dayAt(c.days, i)
    const exposure = d.spend * expectedFraction(curve, c.days.length - i)
    const results = resultsOf(d, metric.kind)
    const shortfall = exposure * nullRate - results
    if (shortfall > worst.shortfall) worst = { shortfall, results, exposure }
  }
  return { results: l.results - worst.results, exposure: l.exposure - worst.exposure }
}

export function costScan(c: PreparedCampaign, env: RuleEnv, margin: number): CostScan | null {
  const metric = env.result
  if (!metric) return null
  const s = env.settings
  const end = c.days.length
  const learnt = learningEnd(c, LEARNING_DAYS)
  const looks = SCAN_LOOKS.filter((l) => end - l.days - learnt >= MIN_BASELINE_DAYS)
  const longest = looks.at(-1)?.days
  if (longest === undefined) return null
  const baselineTo = end - longest
  const baselineFrom = Math.max(learnt, baselineTo - s.baselineDays)
  const baseline = totals(c.days, baselineFrom, baselineTo)
  const baselineResults = resultsOf(baseline, metric.kind)
  if (baselineResults < s.minResults || baseline.spend <= 0) return null
  const daily = c.days.slice(baselineFrom, baselineTo).map((d) => ({ events: resultsOf(d, metric.kind), exposure: d.spend }))
  // weekly blocks aligned on the baseline's end, so a slow drift is not mistaken for day-to-day noise
  const phi = poissonDispersion(daily.slice(daily.length % 7), 7)
  // link clicks are counted at once; leads and purchases arrive late
  const curve = metric.kind === 'link clicks' ? ALL_IN : arrivalCurveFor(env.ctx, metric.kind)
  const baseRate = baselineResults / baseline.spend

  const tested: CostLook[] = []
  for (const { days, weight } of looks) {
    const l = lookOf(c, metric, curve, end - days, end)
    if (l.exposure * baseRate < s.minResults || l.spend < s.minSpendMinorPerUnit) continue // too little to expect a verdict
    const p = pRateRatioNotBelow(l.results / phi, l.exposure, baselineResults / phi, baseline.spend, 1 / (1 + margin))
    tested.push({ ...l, p, weight })
  }
  if (tested.length === 0) return null
  // which looks are tested depends on spend only, never on results, so rescaling their shares keeps the bound
  const budget = tested.reduce((a, l) => a + l.weight, 0)
  for (const l of tested) l.weight /= budget
  // Yesterday alone never fires (a one-day blip and the first day of a spike look the same), and no look fires unless
  // it stays credibly dearer with its single worst day left out: a spike fires the morning after its second day, a
  // one-day blip never does. Yesterday must not contradict the alarm: a yesterday credibly back within the margin
  // (at its expected completeness) stops it. "Credibly", not "on its face": yesterday holds few results yet, and a
  // ×4 spike at 16 leads a day still shows a yesterday within the margin one morning in five.
  const y = lookOf(c, metric, curve, end - 1, end)
  const yesterdayAgrees =
    y.exposure > 0 &&
    confidenceRateRatioAbove(y.results / phi, y.exposure, baselineResults / phi, baseline.spend, 1 / (1 + margin)) < 1 - env.tail
  const nullRate = baseRate / (1 + margin)
  let fired: CostLook | null = null
  for (const l of tested) {
    if (!yesterdayAgrees || l.p > env.tail * SCAN_SHARE * l.weight) continue
    if (l.to - l.from <= SHORT_LOOK_DAYS) {
      const rest = withoutWorstDay(c, metric, curve, l, nullRate)
      if (rest.exposure <= 0) continue
      // the rest is one piece of evidence, not a family: its own one-sided test at the two-sided level
      const pRest = pRateRatioNotBelow(rest.results / phi, rest.exposure, baselineResults / phi, baseline.spend, 1 / (1 + margin))
      if (pRest > 2 * env.tail) continue
    }
    if (!fired || l.p / l.weight < fired.p / fired.weight) fired = l
  }
  return {
    metric,
    curve,
    baselineFrom,
    baselineTo,
    baseline,
    baselineResults,
    phi,
    tested,
    fired,
    familyP: fired ? Math.min(1, fired.p / fired.weight / SCAN_SHARE) : 1,
  }
}
