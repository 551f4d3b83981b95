/**
 * Budget pacing: utilisation = spend / daily budget on each of the recent settled days (judged at the CURRENT
 * budget), for campaigns past their learning phase for the whole window (delivery ramps up while learning).
 * A Student-t interval on the daily utilisations, so one odd day can't fire anything.
 * Underpacing (classic rule: < 80 % → raise the budget): fires when mean utilisation is credibly below 80 %. It
 * proposes NO budget change: Meta can't spend the budget it already has, so more budget buys nothing.
 * Overpacing: Meta may spend up to 75% over the daily budget on a single day but keeps a week within 7× the
 * budget, so only a mean credibly above 110 % with at least 3 days above 125 % fires; it proposes lowering the
 * budget so that spend comes back to the budgeted amount (at most maxBudgetIncreasePct at once).
 */
import { loweredBudget } from '../budget-rounding.ts'
import { chance, count, money, pct, roundConfidence } from '../format.ts'
import { lastDays, learningEnd, type PreparedCampaign, totals, windowText } from '../series.ts'
import { LEARNING_DAYS } from '../settings.ts'
import { confidenceMeanAbove, confidenceMeanBelow, type MeanInterval, meanInterval } from '../stats/inference.ts'
import type { Suggestion } from '../types.ts'
import type { Rule, RuleEnv } from './rule.ts'

const UNDERPACING_THRESHOLD = 0.8
const OVERPACING_MEAN = 1.1
const OVERPACING_DAY = 1.25
const OVERPACING_MIN_DAYS = 3

interface Utilisation {
  budget: number
  values: number[]
  mean: MeanInterval
  spend: number
  from: number
  /** "last 7 days (Sat 28 Nov – Fri 4 Dec)" */
  text: string
}

function utilisation(c: PreparedCampaign, env: RuleEnv): Utilisation | null {
  const budget = c.series.dailyBudgetMinor
  if (!budget || budget <= 0) return null
  const { from, to } = lastDays(c, env.settings.lookbackDays)
  if (to - from < env.settings.lookbackDays || from < learningEnd(c, LEARNING_DAYS)) return null
  const days = c.days.slice(from, to)
  const values = days.map((d) => d.spend / budget)
  return {
    budget,
    values,
    mean: meanInterval(values, env.tail),
    spend: totals(c.days, from, to).spend,
    from,
    text: windowText(c, from, to),
  }
}

function utilisationEvidence(u: Utilisation, env: RuleEnv) {
  const level = Math.round((1 - 2 * env.tail) * 100)
  return [
    { label: 'Daily budget', value: money(u.budget, env.currency) },
    {
      label: `Spend, ${u.text}`,
      value: `${money(u.spend, env.currency)} of ${money(u.budget * u.values.length, env.currency)}`,
    },
    {
      label: 'Utilisation',
      value: `${pct(u.mean.estimate, 0)} on average (${level}% interval ${pct(Math.max(0, u.mean.lower), 0)}–${pct(u.mean.upper, 0)})`,
    },
    { label: 'By day', value: u.values.map((v) => pct(v, 0)).join(', ') },
  ]
}

export const underpacing: Rule = (c, env) => {
  const u = utilisation(c, env)
  if (!u || u.spend <= 0) return null
  const confidence = confidenceMeanBelow(u.mean, UNDERPACING_THRESHOLD)
  if (confidence < 1 - env.tail || u.mean.upper >= UNDERPACING_THRESHOLD) return null
  const unused = (u.budget * u.values.length - u.spend) * (7 / u.values.length)
  const suggestion: Suggestion = {
    kind: 'underpacing',
    campaignId: c.series.campaignId,
    title: `Spends only ${pct(u.mean.estimate, 0)} of its ${money(u.budget, env.currency)}/day budget (last ${u.values.length} days) — ${chance(confidence)}`,
    evidence: utilisationEvidence(u, env),
    confidence: roundConfidence(confidence),
    notice:
      "Don't raise the budget: Meta isn't spending the budget it already has, so more budget buys nothing. Look at what limits delivery — a narrow audience, a bid or cost cap, rejected or too few ads, learning limited — and fix that first; if it still can't spend, lower the budget to free the money.",
    expectedEffect: {
      text: `≈ ${money(unused, env.currency)}/week of budget goes unused; raising the budget would add ≈ 0`,
      basis: `spend of the ${u.text} against the current daily budget of ${money(u.budget, env.currency)}`,
    },
    metric: { name: 'budget_utilisation', value: u.mean.estimate, baseline: 1 },
  }
  return suggestion
}

export const overpacing: Rule = (c, env) => {
  const u = utilisation(c, env)
  if (!u) return null
  const heavyDays = u.values.filter((v) => v > OVERPACING_DAY).length
  if (heavyDays < OVERPACING_MIN_DAYS) return null
  const confidence = confidenceMeanAbove(u.mean, OVERPACING_MEAN)
  if (confidence < 1 - env.tail || u.mean.lower <= OVERPACING_MEAN) return null
  const to = loweredBudget(u.budget, u.budget / u.mean.estimate, env.settings.maxBudgetIncreasePct, env.currency)
  const weeklySpend = (u.spend * 7) / u.values.length
  const saved = to === null ? 0 : weeklySpend * (1 - to / u.budget)
  const suggestion: Suggestion = {
    kind: 'overpacing',
    campaignId: c.series.campaignId,
    title: `Spends ${pct(u.mean.estimate, 0)} of its ${money(u.budget, env.currency)}/day budget (last ${u.values.length} days) — ${chance(confidence)}`,
    evidence: [
      ...utilisationEvidence(u, env),
      {
        label: `Days above ${pct(OVERPACING_DAY, 0)}`,
        value: `${count(heavyDays)} of ${count(u.values.length)} (Meta may overspend by up to 75% on a day, but should keep a week within 7× the daily budget)`,
      },
    ],
    confidence: roundConfidence(confidence),
    ...(to !== null
      ? { change: { type: 'set_daily_budget' as const, fromMinor: u.budget, toMinor: to } }
      : { notice: 'Check the ad set budgets and any recent budget change in Ads Manager.' }),
    expectedEffect: {
      text:
        to !== null
          ? `≈ −${money(saved, env.currency)}/week: ≈ ${money(to * u.mean.estimate, env.currency)}/day at the same overspend ratio${to * u.mean.estimate > u.budget * 1.05 ? ` (changes are capped at ${env.settings.maxBudgetIncreasePct}%, so reaching ${money(u.budget, env.currency)}/day takes another step)` : ''}`
          : `Spend is ≈ ${money(weeklySpend, env.currency)}/week against ${money(u.budget * 7, env.currency)} budgeted`,
      basis: `spend of the ${u.text} at ${pct(u.mean.estimate, 0)} of the budget; assumes Meta keeps overspending by the same ratio. If the budget was raised on purpose, reject this`,
    },
    metric: { name: 'budget_utilisation', value: u.mean.estimate, baseline: 1 },
  }
  return suggestion
}
