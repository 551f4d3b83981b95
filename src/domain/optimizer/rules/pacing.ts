/**
 * Budget pacing: utilisation = spend / daily budget on each of the last complete days, each day against the budget
 * IN FORCE that day (from the budget changes applied through Promoly; the day of a change is left out, part of it ran
 * at each budget), for campaigns past their learning phase for the whole window (delivery ramps up while learning).
 * Fewer than MIN_PACING_DAYS judged days: nothing. Limit: a budget changed in Ads Manager reaches us only as the
 * campaign's new budget, with no date, so the days before it are judged at the new budget (see budgetOn).
 * A Student-t interval on the daily utilisations, so one odd day can't fire anything.
 * Underpacing (classic rule: < 80 % → raise the budget): fires when mean utilisation is credibly below 80 %. It
 * proposes NO budget change: Meta can't spend the budget it already has, so more budget buys nothing.
 * Overpacing: Meta may spend up to 75% over the daily budget on a single day but keeps a week within 7× the
 * budget, so only a mean credibly above 110 % with at least 3 days above 125 % fires; it proposes lowering the
 * budget so that spend comes back to the budgeted amount (at most maxBudgetIncreasePct at once).
 */

import { formatDay } from '../../../lib/dates.ts'
import { rangeText } from '../../metrics/periods.ts'
import { loweredBudget } from '../budget-rounding.ts'
import { chance, count, money, pct, roundConfidence } from '../format.ts'
import { datesOf, dayAt, lastDays, learningEnd, type PreparedCampaign, windowText } from '../series.ts'
import { LEARNING_DAYS } from '../settings.ts'
import { confidenceMeanAbove, confidenceMeanBelow, type MeanInterval, meanInterval } from '../stats/inference.ts'
import type { Finding } from '../types.ts'
import type { Rule, RuleEnv } from './rule.ts'

const UNDERPACING_THRESHOLD = 0.8
const OVERPACING_MEAN = 1.1
const OVERPACING_DAY = 1.25
const OVERPACING_MIN_DAYS = 3

/** Fewer judged days than this and pacing says nothing (a budget change leaves too little at a known budget). */
const MIN_PACING_DAYS = 5

interface Utilisation {
  /** The budget in force now. */
  budget: number
  /** Budget in force on each judged day. */
  budgets: number[]
  values: number[]
  mean: MeanInterval
  spend: number
  /** Sum of `budgets`. */
  budgeted: number
  /** "last 7 days (Sat 28 Nov – Fri 4 Dec)", or "6 of the last 7 days (…; Thu 3 Dec left out: the budget changed that day)" */
  text: string
  /** "$150.00/day (Fri 27 Nov – Tue 1 Dec), then $225.00/day (Thu 3 Dec)", or one budget. */
  budgetText: string
}

/**
 * The budget in force for the whole of `date`: the current one after the last applied change, the change's "from"
 * before it; null on a day a change was applied (part of the day at each budget) or when the earlier budget is unknown.
 */
function budgetOn(c: PreparedCampaign, date: string, current: number): number | null {
  const next = (c.series.budgetChanges ?? []).find((ch) => ch.date >= date)
  if (!next) return current
  if (next.date === date) return null
  return next.fromMinor
}

/** Consecutive judged days at the same budget, in words. */
function budgetHistory(c: PreparedCampaign, judged: number[], budgets: number[], currency: string): string {
  const runs: Array<{ budget: number; first: number; last: number }> = []
  judged.forEach((i, k) => {
    const b = budgets[k] as number
    const run = runs.at(-1)
    if (run && run.budget === b) run.last = i
    else runs.push({ budget: b, first: i, last: i })
  })
  const [only] = runs
  if (runs.length === 1 && only) return `${money(only.budget, currency)}/day`
  return runs.map((r) => `${money(r.budget, currency)}/day (${rangeText(datesOf(c, r.first, r.last + 1))})`).join(', then ')
}

/**
 * Utilisation over the last `lookbackDays` complete days, each day against the budget in force that day. With
 * `currentOnly`, only the days at the current budget (after the last change) are judged.
 */
function utilisation(c: PreparedCampaign, env: RuleEnv, currentOnly = false): Utilisation | null {
  const budget = c.series.dailyBudgetMinor
  if (!budget || budget <= 0) return null
  const { from, to } = lastDays(c, env.settings.lookbackDays)
  if (to - from < env.settings.lookbackDays || from < learningEnd(c, LEARNING_DAYS)) return null
  const judged: number[] = []
  const budgets: number[] = []
  const leftOut: number[] = []
  for (let i = from; i < to; i++) {
    const b = budgetOn(c, dayAt(c.days, i).date, budget)
    if (b === null || b <= 0 || (currentOnly && b !== budget)) leftOut.push(i)
    else {
      judged.push(i)
      budgets.push(b)
    }
  }
  if (judged.length < MIN_PACING_DAYS) return null
  const values = judged.map((i, k) => dayAt(c.days, i).spend / (budgets[k] as number))
  const spend = judged.reduce((sum, i) => sum + dayAt(c.days, i).spend, 0)
  const window = windowText(c, from, to)
  const text =
    leftOut.length === 0
      ? window
      : `${judged.length} of the ${window} (${leftOut.map((i) => formatDay(dayAt(c.days, i).date)).join(', ')} left out: ${currentOnly ? 'before the budget changed' : 'the budget changed that day'})`
  return {
    budget,
    budgets,
    values,
    mean: meanInterval(values, env.tail),
    spend,
    budgeted: budgets.reduce((a, b) => a + b, 0),
    text,
    budgetText: budgetHistory(c, judged, budgets, env.currency),
  }
}

/** "the last 7 days (…)" or "6 of the last 7 days (…)" */
function overText(u: Utilisation): string {
  return /^\d/.test(u.text) ? u.text : `the ${u.text}`
}

/** "its $150.00/day budget" or "its daily budget ($150.00/day (…), then $225.00/day (…))" */
function budgetPhrase(u: Utilisation, env: RuleEnv): string {
  return u.budgets.every((b) => b === u.budget) ? `its ${money(u.budget, env.currency)}/day budget` : `its daily budget (${u.budgetText})`
}

function utilisationEvidence(u: Utilisation, env: RuleEnv) {
  const level = Math.round((1 - 2 * env.tail) * 100)
  return [
    { label: 'Daily budget', value: u.budgetText },
    {
      label: `Spend, ${u.text}`,
      value: `${money(u.spend, env.currency)} of ${money(u.budgeted, env.currency)}`,
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
  // Judged at the current budget: what a week at today's budget would leave unused at the same utilisation.
  const unused = u.budget * 7 * Math.max(0, 1 - u.mean.estimate)
  const suggestion: Finding = {
    kind: 'underpacing',
    campaignId: c.series.campaignId,
    title: `Spends only ${pct(u.mean.estimate, 0)} of ${budgetPhrase(u, env)} over ${overText(u)} — ${chance(confidence)}`,
    evidence: utilisationEvidence(u, env),
    confidence: roundConfidence(confidence),
    notice:
      "Don't raise the budget: Meta isn't spending the budget it already has, so more budget buys nothing. Look at what limits delivery — a narrow audience, a bid or cost cap, rejected or too few ads, learning limited — and fix that first; if it still can't spend, lower the budget to free the money.",
    expectedEffect: {
      text: `≈ ${money(unused, env.currency)}/week of budget goes unused; raising the budget would add ≈ 0`,
      basis: `spend of ${overText(u)}, each day against the budget then in force, applied to the current daily budget of ${money(u.budget, env.currency)}`,
    },
    metric: { name: 'budget_utilisation', value: u.mean.estimate, baseline: 1 },
  }
  return suggestion
}

export const overpacing: Rule = (c, env) => {
  // Only the days at the current budget: an overspend at an earlier budget says nothing about this one.
  const u = utilisation(c, env, true)
  if (!u) return null
  const heavyDays = u.values.filter((v) => v > OVERPACING_DAY).length
  if (heavyDays < OVERPACING_MIN_DAYS) return null
  const confidence = confidenceMeanAbove(u.mean, OVERPACING_MEAN)
  if (confidence < 1 - env.tail || u.mean.lower <= OVERPACING_MEAN) return null
  const to = loweredBudget(u.budget, u.budget / u.mean.estimate, env.settings.maxBudgetIncreasePct, env.currency)
  const weeklySpend = (u.spend * 7) / u.values.length
  const saved = to === null ? 0 : weeklySpend * (1 - to / u.budget)
  const suggestion: Finding = {
    kind: 'overpacing',
    campaignId: c.series.campaignId,
    title: `Spends ${pct(u.mean.estimate, 0)} of ${budgetPhrase(u, env)} over ${overText(u)} — ${chance(confidence)}`,
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
      basis: `spend of ${overText(u)} at ${pct(u.mean.estimate, 0)} of the budget; assumes Meta keeps overspending by the same ratio. If the budget was raised on purpose, reject this`,
    },
    metric: { name: 'budget_utilisation', value: u.mean.estimate, baseline: 1 },
  }
  return suggestion
}
