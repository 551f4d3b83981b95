/**
 * The windows every cost rule shares. Results (leads, purchases, link clicks) given spend are modelled as Poisson
 * counts; φ (quasi-Poisson over-dispersion, see stats/dispersion.ts) turns them into effective counts. Only days past
 * the learning phase are used; the recent window must lie entirely after it ("not judged on cost while learning").
 * The windows are SETTLED days: yesterday's results are still arriving, so it is left out, the card says so in words
 * (leftOutEvidence), and its preliminary figures may only veto an alarm (yesterdayVetoes).
 */

import { formatDay } from '../../../lib/dates.ts'
import { type DateRange, rangeText } from '../../metrics/periods.ts'
import { type ResultMetric, resultsOf } from '../../metrics/vocabulary.ts'
import { money, plural } from '../format.ts'
import {
  datesOf,
  learningEnd,
  type PreparedCampaign,
  settledDays,
  type Totals,
  totals,
  windowPhrase,
  windowText,
  yesterdayOf,
} from '../series.ts'
import { LEARNING_DAYS } from '../settings.ts'
import { poissonDispersion } from '../stats/dispersion.ts'
import { nounsOf, type RuleEnv } from './rule.ts'

export interface CostWindow {
  metric: ResultMetric
  from: number
  to: number
  /** "7 days, Fri 27 Nov – Thu 3 Dec" */
  recentText: string
  /** For titles: "the 7 days to Thu 3 Dec" (settled days never end yesterday, so never "the last 7 days"). */
  recentPhrase: string
  recent: Totals
  recentResults: number
  /** Post-learning part of the trailing baseline window (may be empty). */
  baselineFrom: number
  baseline: Totals
  /** "28 days before (Thu 30 Oct – Thu 26 Nov)", or "no days before" */
  baselineText: string
  baselineResults: number
  /** Over-dispersion of daily results over both windows. */
  phi: number
}

export function costWindow(c: PreparedCampaign, env: RuleEnv): CostWindow | null {
  const metric = env.result
  if (!metric) return null
  const { from, to } = settledDays(c, env.settings.lookbackDays)
  if (to - from < env.settings.lookbackDays) return null
  const settled = learningEnd(c, LEARNING_DAYS)
  if (from < settled) return null
  const recent = totals(c.days, from, to)
  if (recent.spend < env.settings.minSpendMinorPerUnit || recent.spend <= 0) return null
  const baselineFrom = Math.max(settled, from - env.settings.baselineDays)
  const baseline = totals(c.days, baselineFrom, from)
  const days = c.days.slice(baselineFrom, to).map((d) => ({ events: resultsOf(d, metric.kind), exposure: d.spend }))
  // blocks aligned on the end of the window, so the recent window is one block of its own
  const offset = days.length % env.settings.lookbackDays
  const phi = poissonDispersion(days.slice(offset), env.settings.lookbackDays)
  return {
    metric,
    from,
    to,
    recentText: windowText(c, from, to),
    recentPhrase: windowPhrase(c, from, to),
    recent,
    recentResults: resultsOf(recent, metric.kind),
    baselineFrom,
    baseline,
    baselineText: baseline.days > 0 ? `${baseline.days} days before (${rangeText(datesOf(c, baselineFrom, from))})` : 'no days before',
    baselineResults: resultsOf(baseline, metric.kind),
    phi,
  }
}

export interface CostReference {
  /** Cost per result in minor units. */
  cpr: number
  /** e.g. "target CPL" */
  label: string
  /** Human-readable origin of the number. */
  source: string
  /** Effective results and spend behind the reference; null for a fixed target. */
  sample: { results: number; spend: number } | null
}

/**
 * The workspace target as a cost per result: the target CPA for leads/purchases; for purchases with a ROAS target,
 * the CPA that achieves it at the campaign's average order value (AOV / target ROAS).
 */
export function targetReference(w: Pick<CostWindow, 'metric' | 'recent' | 'baseline'>, env: RuleEnv): CostReference | null {
  const own = env.ctx.targets?.byResult?.[w.metric.kind]
  const t = own ? { targetCostPerResultMinor: own.costPerResultMinor, targetRoas: own.roas } : env.ctx.targets
  if (!t) return null
  const whose = own ? 'client target' : 'workspace target'
  if (w.metric.kind === 'purchases' && t.targetRoas && t.targetRoas > 0) {
    const purchases = w.recent.purchases + w.baseline.purchases
    if (purchases > 0) {
      const aov = (w.recent.purchaseValue + w.baseline.purchaseValue) / purchases
      return {
        cpr: aov / t.targetRoas,
        label: 'target CPA (from ROAS)',
        source: `target ROAS ${t.targetRoas.toFixed(2)} at an average order of ${money(aov, env.currency)}`,
        sample: null,
      }
    }
  }
  if (t.targetCostPerResultMinor && t.targetCostPerResultMinor > 0) {
    return { cpr: t.targetCostPerResultMinor, label: `target ${w.metric.short}`, source: whose, sample: null }
  }
  return null
}

/** The same-objective peers' pooled cost per result, if there is enough of it to compare against. */
export function peerReference(w: CostWindow, env: RuleEnv, c: PreparedCampaign): CostReference | null {
  const p = env.peers
  if (p.costCampaigns < 2 || p.results < env.settings.minResults || p.spend <= 0) return null
  const span = settledDays(c, env.settings.baselineDays)
  return {
    cpr: p.spend / p.results,
    label: `account ${w.metric.short}`,
    source: `${plural(p.costCampaigns, `other ${nounsOf(env.level).one}`, `other ${nounsOf(env.level).many}`)} with this objective, ${env.settings.baselineDays} days, ${rangeText(datesOf(c, span.to - env.settings.baselineDays, span.to))} (${plural(p.results, w.metric.singular, w.metric.plural)})`,
    sample: { results: p.results, spend: p.spend },
  }
}

/** The CPR stored as a suggestion's metric: finite, so with no result at all it is the spend (a lower bound). */
export function metricCpr(spend: number, results: number): number {
  return results > 0 ? spend / results : spend
}

/** Cost per result of days [from, to); Infinity when money was spent without a result. */
function cprOf(c: PreparedCampaign, metric: ResultMetric, from: number, to: number): number {
  const t = totals(c.days, from, to)
  const k = resultsOf(t, metric.kind)
  return k > 0 ? t.spend / k : t.spend > 0 ? Infinity : Number.NaN
}

/** Sustained: both halves of the window are above `threshold` on their own. */
export function sustainedAbove(c: PreparedCampaign, w: CostWindow, threshold: number): boolean {
  const mid = w.from + Math.floor((w.to - w.from) / 2)
  return cprOf(c, w.metric, w.from, mid) > threshold && cprOf(c, w.metric, mid, w.to) > threshold
}

/** The sentence a cost card carries about yesterday: left out of the windows, and why. */
export function leftOutEvidence(c: PreparedCampaign, w: CostWindow): { label: string; value: string } {
  const yesterday: DateRange = datesOf(c, c.settled, c.settled + 1)
  return { label: 'Not counted', value: `yesterday (${formatDay(yesterday.since)}) is left out: its ${w.metric.plural} are still arriving` }
}

/**
 * Yesterday vetoes an alarm when, counted with its preliminary results (which only grow as late conversions
 * arrive), the recent window's cost per result is no longer above `threshold`: the alarm would rest on a day the
 * card leaves out.
 */
export function yesterdayVetoes(c: PreparedCampaign, w: CostWindow, threshold: number): boolean {
  const y = yesterdayOf(c)
  if (!y) return false
  const spend = w.recent.spend + y.spend
  const results = w.recentResults + resultsOf(y, w.metric.kind)
  return results > 0 && spend / results <= threshold
}
