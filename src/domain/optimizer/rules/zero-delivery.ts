/**
 * Zero delivery: an active campaign with a budget that delivered before and has had no impressions and no spend on
 * its last k ≥ 3 complete days, yesterday included (two settled days and yesterday: a late row of yesterday's
 * delivery would veto it).
 * Method: the chance of the k − 1 settled quiet days in a row by luck is q^(k−1), where q is the campaign's own rate of quiet days
 * while it was delivering (Jeffreys-smoothed, (z + ½) / (n + 1)); fires when 1 − q^(k−1) reaches the confidence level.
 */

import { formatDay } from '../../../lib/dates.ts'
import { rangeText } from '../../metrics/periods.ts'
import { resultsOf } from '../../metrics/vocabulary.ts'
import { chance, count, money, plural, roundConfidence } from '../format.ts'
import { datesOf, dayAt, totals } from '../series.ts'
import type { Finding } from '../types.ts'
import type { Rule } from './rule.ts'

export const zeroDelivery: Rule = (c, env) => {
  const budget = c.series.dailyBudgetMinor
  if (!budget || budget <= 0 || c.firstDelivery < 0) return null
  let k = 0
  for (let i = c.days.length - 1; i >= 0; i--) {
    const d = dayAt(c.days, i)
    if (d.impressions > 0 || d.spend > 0) break
    k++
  }
  const runStart = c.days.length - k
  if (k < 3 || runStart <= c.firstDelivery) return null
  const history = runStart - c.firstDelivery
  if (history < 3) return null
  let quiet = 0
  for (let i = c.firstDelivery; i < runStart; i++) if (dayAt(c.days, i).impressions <= 0) quiet++
  const q = (quiet + 0.5) / (history + 1)
  // yesterday only vetoes (a late row may still show delivery): the chance counts the settled quiet days
  const confidence = 1 - q ** (k - 1)
  if (confidence < 1 - env.tail) return null

  const beforeFrom = Math.max(c.firstDelivery, runStart - 7)
  const before = totals(c.days, beforeFrom, runStart)
  const perDay = (x: number) => x / before.days
  const m = env.result
  const results = m ? resultsOf(before, m.kind) : 0
  const suggestion: Finding = {
    kind: 'zero_delivery',
    campaignId: c.series.campaignId,
    title: `No impressions for ${plural(k, 'day', 'days')} in a row, after ${count(perDay(before.impressions))} a day before — ${chance(confidence)}`,
    evidence: [
      {
        label: 'No impressions since',
        value: `${formatDay(dayAt(c.days, runStart).date)} (${plural(k, 'complete day', 'complete days')}, yesterday included)`,
      },
      {
        label: `Before, ${before.days}-day average (${rangeText(datesOf(c, beforeFrom, runStart))})`,
        value: `${count(perDay(before.impressions))} impressions and ${money(perDay(before.spend), env.currency)} a day${m ? `, ${perDay(results).toFixed(1)} ${m.plural} a day` : ''}`,
      },
      { label: 'Status / daily budget', value: `${c.series.status}, ${money(budget, env.currency)}` },
      { label: 'Quiet days while delivering', value: `${count(quiet)} of ${count(history)}` },
    ],
    confidence: roundConfidence(confidence),
    notice: `Nothing to apply through the API: check in Ads Manager why it stopped — rejected ads, ${env.level === 'adset' ? 'its schedule ended' : 'ad sets ended or paused'}, the account spending limit, or a payment problem.`,
    expectedEffect: {
      text: `Restoring delivery ≈ ${money(perDay(before.spend), env.currency)} and ${count(perDay(before.impressions))} impressions a day${m && results > 0 ? `, ≈ ${(perDay(results) * 7).toFixed(0)} ${m.plural}/week` : ''}`,
      basis: `average of the ${before.days} days before delivery stopped`,
    },
    metric: { name: 'days_without_delivery', value: k, baseline: null },
  }
  return suggestion
}
