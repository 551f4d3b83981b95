/**
 * Cost-per-result spike against the campaign's own baseline, caught within days of its start.
 * Method: a scan (cost-scan.ts) tests the last 2, 3, 5, 7 and 14 complete days, yesterday included at its expected
 * completeness, against the post-learning days before the longest look: results given spend are Poisson with
 * quasi-Poisson over-dispersion, and each look gets the exact conditional-binomial test of "credibly ≥ 20 % dearer
 * than the baseline". The false-alarm rate is controlled across the looks by weighted Bonferroni (each look at tail / 2
 * × its share of the budget, more to the 7- and 14-day looks — half the usual error rate in all, since the scan runs
 * every morning; the looks are positively correlated, so this is conservative). Yesterday must agree (not credibly
 * back within baseline × 1.2) but never fires alone, and a 2- or 3-day look must hold with its worst day left out: a
 * spike fires the morning after its second day, a one-day blip never does (in the 5-day and longer looks it is
 * diluted below the margin). The card names the look that fired (the strongest
 * evidence) and what it is compared with, and how recent days were counted.
 * A look still within the target is left alone. Severe (CPR credibly at least doubled, above the target if any, at
 * the same level as the look's own test; the card's interval is at that level too) and sustained (at least 3 days,
 * both halves dearer than the margin) → pause; otherwise a notice.
 */

import { rangeText } from '../../metrics/periods.ts'
import { completenessText } from '../completeness.ts'
import { capitalised, chance, change, count, money, plural, roundConfidence, times } from '../format.ts'
import { datesOf, type PreparedCampaign, totals, windowPhrase, windowText } from '../series.ts'
import { rateRatioInterval } from '../stats/inference.ts'
import type { Finding } from '../types.ts'
import { type CostLook, type CostScan, costScan, dearerThan, SCAN_SHARE } from './cost-scan.ts'
import { targetReference } from './cost-window.ts'
import type { Rule } from './rule.ts'

const SPIKE_MARGIN = 0.2
export const SEVERE_RATIO = 2

/** Expected final cost per result of a look (its results at the expected completeness of its days). */
function expectedCpr(l: CostLook): number {
  return l.results > 0 ? l.exposure / l.results : Infinity
}

/** Sustained: at least 3 days, and both halves of the look dearer than `threshold` on their own. */
function sustained(c: PreparedCampaign, scan: CostScan, l: CostLook, threshold: number): boolean {
  if (l.to - l.from < 3) return false
  const mid = l.from + Math.floor((l.to - l.from) / 2)
  return dearerThan(c, scan.metric, scan.curve, l.from, mid, threshold) && dearerThan(c, scan.metric, scan.curve, mid, l.to, threshold)
}

export const costSpike: Rule = (c, env) => {
  const scan = costScan(c, env, SPIKE_MARGIN)
  const look = scan?.fired
  if (!scan || !look) return null
  const m = scan.metric
  const baseCpr = scan.baseline.spend / scan.baselineResults
  const recentCpr = expectedCpr(look)
  // a look is taken as a whole, so its target check is too
  const target = targetReference({ metric: m, recent: totals(c.days, look.from, look.to), baseline: scan.baseline }, env)
  if (target && recentCpr <= target.cpr) return null // dearer than before, but still within target

  // the interval, and the severe test on its lower end, at the level the look itself was tested at (its share of the
  // scan's error budget): a pause is never decided on weaker evidence than the finding
  const tail = env.tail * SCAN_SHARE * look.weight
  const k1 = look.results / scan.phi
  const k2 = scan.baselineResults / scan.phi
  const rateRatio = rateRatioInterval(k1, look.exposure, k2, scan.baseline.spend, tail)
  const cprLow = 1 / rateRatio.upper // lower bound of recent CPR / baseline CPR
  const cprHigh = rateRatio.lower > 0 ? 1 / rateRatio.lower : Infinity
  const severe = cprLow >= SEVERE_RATIO && (!target || baseCpr * cprLow > target.cpr)
  const pause = severe && sustained(c, scan, look, baseCpr * (1 + SPIKE_MARGIN))
  const confidence = 1 - scan.familyP
  // two-sided, so its lower end is the one-sided bound at `tail`; rounded down to 0.1 (98.5%, 99.5%), never up to 100%
  const level = Math.floor((1 - 2 * tail) * 1000 + 1e-9) / 10
  const days = look.to - look.from
  const weeklySpend = (look.spend * 7) / days
  const expectedFinal = look.exposure > 0 ? (look.results * look.spend) / look.exposure : look.results
  const missing = weeklySpend / baseCpr - (expectedFinal * 7) / days
  const range = windowText(c, look.from, look.to)
  const baselineLabel = `${scan.baseline.days} days before (${rangeText(datesOf(c, scan.baselineFrom, scan.baselineTo))})`
  const none = `no ${m.plural}`
  const recentText = Number.isFinite(recentCpr) ? money(recentCpr, env.currency) : none
  const phrase = windowPhrase(c, look.from, look.to)
  const ages = Array.from({ length: Math.min(days, scan.curve.fractions.length) }, (_, i) => i + 1)
  const late = expectedFinal > look.results + 0.5 ? `; ≈ ${count(expectedFinal)} expected once late ${m.plural} are in` : ''
  const evidence = [
    {
      label: `${m.short}, ${range}`,
      value: `${recentText} (${plural(look.results, m.singular, m.plural)} so far, ${money(look.spend, env.currency)} spent${late})`,
    },
    {
      label: `${m.short}, ${baselineLabel}`,
      value: `${money(baseCpr, env.currency)} (${plural(scan.baselineResults, m.singular, m.plural)}, ${money(scan.baseline.spend, env.currency)} spent)`,
    },
    {
      label: 'Change',
      value: `${Number.isFinite(recentCpr) ? change(recentCpr / baseCpr - 1) : none} (${level}% interval ×${cprLow.toFixed(2)}–${Number.isFinite(cprHigh) ? `×${cprHigh.toFixed(2)}` : '∞'})`,
    },
    ...(target ? [{ label: target.label, value: `${money(target.cpr, env.currency)} (${target.source})` }] : []),
    {
      label: 'Windows checked',
      value: `the last ${listOf(scan.tested.map((l) => l.to - l.from))} days, each against the same ${scan.baseline.days} days before; the ${days}-day window shows it most clearly (chance of a false alarm kept under ${Math.round(env.tail * SCAN_SHARE * 1000) / 10}% across all of them)`,
    },
    { label: 'Completeness', value: completenessText(scan.curve, ages, m.plural) },
  ]
  const causes = `check what changed — new ads or audience, the landing page or ${m.kind === 'leads' ? 'lead form' : 'checkout'}, tracking (pixel / Conversions API), or auction competition`
  const suggestion: Finding = {
    kind: 'cost_spike',
    campaignId: c.series.campaignId,
    title: Number.isFinite(recentCpr)
      ? `${capitalised(m.costLabel)} rose from ${money(baseCpr, env.currency)} to ${recentText} over ${phrase} (${times(recentCpr / baseCpr)}) — ${chance(confidence)}`
      : `No ${m.plural} at all over ${phrase} (${money(look.spend, env.currency)} spent), where ${m.plural} used to cost ${money(baseCpr, env.currency)} — ${chance(confidence)}`,
    evidence,
    confidence: roundConfidence(confidence),
    ...(pause
      ? {
          change: { type: 'pause' as const },
          ...(look.results === 0
            ? {
                notice: `No ${m.plural} at all for ${days} days often means broken tracking or a broken ${m.kind === 'leads' ? 'form' : 'checkout'}: check that before pausing.`,
              }
            : {}),
        }
      : { notice: `Nothing applied automatically: ${causes}, and refine the targeting.` }),
    expectedEffect: pause
      ? {
          text: `Saves ≈ ${money(weeklySpend, env.currency)}/week that ${Number.isFinite(recentCpr) ? `buys ${m.plural} at ${recentText}` : `bought ${none}`} (was ${money(baseCpr, env.currency)} per ${m.singular})`,
          basis: `spend and ${m.plural} of the ${range}, against the ${baselineLabel}`,
        }
      : {
          text: `≈ +${count(Math.max(0, missing))} ${m.plural}/week at the same spend if the ${m.costLabel} returns to ${money(baseCpr, env.currency)}`,
          basis: `spend of the ${range} at the ${m.costLabel} of the ${baselineLabel}`,
        },
    metric: { name: 'cost_per_result', value: Number.isFinite(recentCpr) ? recentCpr : look.spend, baseline: baseCpr },
  }
  return suggestion
}

/** "2, 3, 7 and 14" */
function listOf(ns: readonly number[]): string {
  return ns.length <= 1 ? ns.join('') : `${ns.slice(0, -1).join(', ')} and ${ns.at(-1)}`
}
