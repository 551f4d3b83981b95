/**
 * Low CTR (classic rule: CTR < 2 % → refresh creatives).
 * Method: the campaign's CTR over the recent window gets a Wilson score interval on over-dispersion-scaled
 * clicks/impressions; the baseline is the pooled CTR of the account's other campaigns with the same objective over
 * the baseline window (its own Wilson lower bound). Fires only when the campaign's UPPER bound is below the baseline's
 * lower bound less a 30 % margin: "credibly far below what this account usually gets", not "below 2 %".
 */
import { rangeText } from '../../metrics/periods.ts'
import { chance, change, count, pct, plural, roundConfidence } from '../format.ts'
import { datesOf, lastDays, totals, windowPhrase, windowText } from '../series.ts'
import { binomialDispersion } from '../stats/dispersion.ts'
import { confidenceProportionBelow, wilsonInterval } from '../stats/inference.ts'
import type { Finding } from '../types.ts'
import { nounsOf, type Rule } from './rule.ts'

/** How far below the baseline CTR a campaign must credibly be. */
const LOW_CTR_MARGIN = 0.3

export const lowCtr: Rule = (c, env) => {
  const s = env.settings
  const { from, to } = lastDays(c, s.lookbackDays)
  const t = totals(c.days, from, to)
  if (t.impressions < s.minImpressions || t.spend < s.minSpendMinorPerUnit) return null
  const p = env.peers
  const nouns = nounsOf(env.level)
  if (p.campaigns < 2 || p.impressions < 10 * s.minImpressions || p.clicks <= 0) return null

  const base = wilsonInterval(p.clicks, p.impressions, env.tail)
  const threshold = base.lower * (1 - LOW_CTR_MARGIN)
  const span = lastDays(c, s.lookbackDays + s.baselineDays)
  const daily = c.days.slice(span.from, span.to).map((d) => ({ successes: d.clicks, trials: d.impressions }))
  const phi = binomialDispersion(daily.slice(daily.length % s.lookbackDays), s.lookbackDays)
  const x = t.clicks / phi
  const n = t.impressions / phi
  const ci = wilsonInterval(x, n, env.tail)
  const confidence = confidenceProportionBelow(x, n, threshold)
  if (ci.upper >= threshold || confidence < 1 - env.tail) return null

  const level = Math.round((1 - 2 * env.tail) * 100)
  const recentText = windowText(c, from, to)
  const weeklyImpressions = (t.impressions * 7) / t.days
  const extraClicks = (base.estimate - ci.estimate) * weeklyImpressions
  const suggestion: Finding = {
    kind: 'low_ctr',
    campaignId: c.series.campaignId,
    title: `Only ${pct(ci.estimate)} of people who see ${env.level === 'ad' ? 'this ad' : 'the ads'} click (${windowPhrase(c, from, to)}), against ${pct(base.estimate)} for the account's similar ${nouns.many} — ${chance(confidence)}`,
    evidence: [
      { label: `CTR, ${recentText}`, value: `${pct(ci.estimate)} (${level}% interval ${pct(ci.lower)}–${pct(ci.upper)})` },
      {
        label: `Account CTR, same objective, last ${s.baselineDays} days (${rangeText(datesOf(c, c.days.length - s.baselineDays, c.days.length))})`,
        value: `${pct(base.estimate)} (${plural(p.campaigns, `other ${nouns.one}`, `other ${nouns.many}`)})`,
      },
      { label: 'Difference', value: change(ci.estimate / base.estimate - 1) },
      { label: 'Clicks / impressions', value: `${count(t.clicks)} / ${count(t.impressions)}` },
    ],
    confidence: roundConfidence(confidence),
    notice:
      'Nothing to apply through the API: refresh the creatives (new image or video, a sharper hook and offer) and check that the audience matches the ad.',
    expectedEffect: {
      text: `≈ +${count(extraClicks)} clicks/week if new creatives reach the account's ${pct(base.estimate)} CTR`,
      basis: `impressions of the ${recentText} (${count(weeklyImpressions)}/week) × the gap to the account CTR; assumes delivery stays the same`,
    },
    metric: { name: 'ctr', value: ci.estimate, baseline: base.estimate },
  }
  return suggestion
}
