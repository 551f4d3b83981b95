/**
 * Simulated accounts for the time-to-detection bench (issue 14): campaigns whose problem began on a known day
 * ("onset"), evaluated every morning after it on the data AS SEEN THAT MORNING. Deterministic for a seed.
 *
 * The calendar: HISTORY_DAYS of normal delivery, then the onset day (index ONSET), then the mornings. On morning m
 * (today = the onset date + m) the complete days run to the day before, so on morning d ≥ 1 the problem has shown
 * for d complete days. Each account has one arrival curve (its result type and how results reach it); the last 3
 * days' results are thinned to what had arrived by that morning (arrival-thinning.ts). The account's true curve is
 * `completeness` (an oracle: what a perfectly learned curve would be); estimatedCompleteness is the curve production
 * would learn from the same mornings' snapshots, and the bench also runs with neither (the default of a new account).
 *
 * Realism kept from planted-problems.ts: weekday seasonality of CPM, CTR and conversions; day-to-day auction noise
 * on top of Poisson/binomial sampling (over-dispersion); Meta pacing (days near the budget, one in ten pushed up to
 * +45 %); slow CTR drift; a learning phase for new campaigns (some stable campaigns started 12–40 days before the
 * onset date). Added: one day in 50 a bad auction day (cost per result × 1.3–1.8), so a stable campaign has bad
 * days too; results follow clicks (a creative that wears out costs more per result as well).
 *
 * Problems (what should fire): cost-per-result steps ×2, ×3, ×4 and a ramp to ×3 over 6 days (cost_spike);
 * creative fatigue, daily frequency 1.3 → 2.7 and CTR −50 % in a straight line over 12 days (creative_fatigue); a
 * one-day blip, cost per result ×3 on the onset day only (nothing should fire after it); stable campaigns (nothing).
 * Sizes: by results a day for cost problems, blips and stable campaigns — 1–3 (too few to conclude anything in a
 * few days), 4–9, 10–40; by impressions a day for fatigue — ~2,000, the example ($110/day, ~9,000) and
 * 20,000–50,000.
 */
import type { Completeness, DailyPoint, SuggestionKind } from '../../src/domain/optimizer/index.ts'
import { type ArrivalDay, estimateArrivalCurve, FINAL_AGE, LEARNING_DAYS } from '../../src/domain/sync/arrival-curve.ts'
import { addDays, type IsoDate } from '../../src/lib/dates.ts'
import { type Arrived, drawArrivals, seenAtAge } from './arrival-thinning.ts'
import { CONV_DOW, CPM_DOW, CTR_DOW, onWeekday } from './planted-problems.ts'
import { createRng, type Rng } from './rng.ts'

/** Days of normal delivery before the onset day (covers the 28-day baselines, 14 + 14 fatigue windows, learning). */
const HISTORY_DAYS = 70
/** Index of the onset day in every series. */
const ONSET = HISTORY_DAYS
/** Mornings a planted problem is evaluated (d = 1 … 13) and a stable campaign (1 … 28, after a warm-up morning 0). */
export const PROBLEM_MORNINGS = 13
export const STABLE_MORNINGS = 28
/** The onset date of every simulated account. */
const ONSET_DATE: IsoDate = '2026-03-02'
const FIRST_DATE = addDays(ONSET_DATE, -HISTORY_DAYS)
const DAYS = HISTORY_DAYS + STABLE_MORNINGS

export const PROBLEMS = ['cost ×2 step', 'cost ×3 step', 'cost ×4 step', 'cost ramp to ×3', 'fatigue', 'blip ×3', 'stable'] as const
export type Problem = (typeof PROBLEMS)[number]

/** What should fire for a problem; a blip and a stable campaign should raise nothing. */
export const EXPECTED: Record<Problem, SuggestionKind | null> = {
  'cost ×2 step': 'cost_spike',
  'cost ×3 step': 'cost_spike',
  'cost ×4 step': 'cost_spike',
  'cost ramp to ×3': 'cost_spike',
  fatigue: 'creative_fatigue',
  'blip ×3': null,
  stable: null,
}

export type Size = 'small' | 'medium' | 'large'
/** Size classes in words, per problem family. */
export function sizeText(problem: Problem, size: Size): string {
  if (problem === 'fatigue') return { small: '~2,000 impr./day', medium: '$110/day, ~9,000 impr.', large: '20–50k impr./day' }[size]
  return { small: '1–3 results/day', medium: '4–9 results/day', large: '10–40 results/day' }[size]
}

export interface AccountKind {
  name: string
  objective: 'OUTCOME_LEADS' | 'OUTCOME_SALES'
  result: 'leads' | 'purchases'
  fractions: readonly [number, number, number]
  /** Typical cost per result, USD. */
  cprUsd: readonly [number, number]
}

export const ACCOUNT_KINDS: readonly AccountKind[] = [
  { name: 'instant-form leads', objective: 'OUTCOME_LEADS', result: 'leads', fractions: [0.92, 0.98, 0.995], cprUsd: [12, 30] },
  { name: 'website leads (pixel)', objective: 'OUTCOME_LEADS', result: 'leads', fractions: [0.7, 0.88, 0.95], cprUsd: [15, 35] },
  { name: 'pixel purchases', objective: 'OUTCOME_SALES', result: 'purchases', fractions: [0.55, 0.8, 0.92], cprUsd: [25, 60] },
]

export interface OnsetCampaign {
  campaignId: string
  name: string
  objective: string
  dailyBudgetMinor: number
  problem: Problem
  size: Size
  /** Expected results a day before the onset, and impressions a day. */
  resultsPerDay: number
  impressionsPerDay: number
  /** Final (fully arrived) days, index 0 = the first simulated day; a campaign not yet started has no row. */
  final: Array<DailyPoint | null>
  arrived: Array<{ leads: Arrived; purchases: Arrived }>
}

export interface OnsetAccount {
  seed: number
  kind: AccountKind
  /** The account's true arrival curve, as ctx.completeness: the curve the generator thins with (an oracle). */
  completeness: Completeness
  campaigns: OnsetCampaign[]
}

interface Profile {
  budgetUsd: number
  utilisation: number
  cpmUsd: number
  ctr: number
  linkShare: number
  frequency: number
  cprUsd: number
  aovUsd: number
  ctrDrift: number
  /** Index of the first day of delivery (≤ 0: before the series). */
  start: number
}

/** Cost-per-result multiplier of the problem on day `t` (index), and the fatigue progress (0 … 1). */
function problemOn(problem: Problem, t: number): { cpr: number; fatigue: number } {
  const since = t - ONSET // 0 = the onset day
  if (since < 0) return { cpr: 1, fatigue: 0 }
  switch (problem) {
    case 'cost ×2 step':
      return { cpr: 2, fatigue: 0 }
    case 'cost ×3 step':
      return { cpr: 3, fatigue: 0 }
    case 'cost ×4 step':
      return { cpr: 4, fatigue: 0 }
    case 'cost ramp to ×3':
      return { cpr: 1 + 2 * Math.min(1, (since + 1) / 6), fatigue: 0 }
    case 'blip ×3':
      return { cpr: since === 0 ? 3 : 1, fatigue: 0 }
    case 'fatigue':
      return { cpr: 1, fatigue: Math.min(1, (since + 1) / 12) }
    default:
      return { cpr: 1, fatigue: 0 }
  }
}

function profileFor(rng: Rng, kind: AccountKind, problem: Problem, size: Size): Profile {
  const cprUsd = rng.uniform(kind.cprUsd[0], kind.cprUsd[1])
  const utilisation = rng.uniform(0.86, 0.99)
  let budgetUsd: number
  let cpmUsd = 9 * rng.lognormal(0.2)
  if (problem === 'fatigue') {
    // sized by impressions a day; the example: $110/day, ~9,000 impressions a day (CPM ≈ $12)
    if (size === 'medium') {
      budgetUsd = rng.int(100, 120)
      cpmUsd = 12.2 * rng.lognormal(0.08)
    } else {
      const impressions = size === 'small' ? rng.uniform(1_500, 2_500) : rng.uniform(20_000, 50_000)
      budgetUsd = Math.max(5, Math.round((impressions * cpmUsd) / 1000 / utilisation))
    }
  } else {
    const perDay = size === 'small' ? rng.uniform(1, 3) : size === 'medium' ? rng.uniform(4, 9) : rng.uniform(10, 40)
    budgetUsd = Math.max(5, Math.round((perDay * cprUsd) / utilisation))
  }
  return {
    budgetUsd,
    utilisation,
    cpmUsd,
    ctr: 0.022 * rng.lognormal(0.15),
    linkShare: rng.uniform(0.55, 0.7),
    frequency: problem === 'fatigue' ? 1.3 : rng.uniform(1.12, 1.35),
    cprUsd,
    aovUsd: rng.uniform(60, 160),
    ctrDrift: rng.uniform(-0.1, 0.1),
    // a few stable campaigns are new (learning phase inside the windows); the rest started long before
    start: problem === 'stable' && rng.chance(0.15) ? HISTORY_DAYS - rng.int(12, 40) : -rng.int(0, 200),
  }
}

/** Day `t`'s final figures (results not yet split into leads or purchases), or null before the campaign started. */
function simulateDay(rng: Rng, p: Profile, problem: Problem, t: number): { day: DailyPoint; results: number } | null {
  const age = t - p.start
  if (age < 0) return null
  const date = addDays(FIRST_DATE, t)
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay()
  const learning = age < 7
  const rampUp = learning ? Math.min(1, 0.5 + age / 10) : 1
  const now = problemOn(problem, t)

  let util = p.utilisation * rng.lognormal(0.08) * (rng.chance(0.1) ? rng.uniform(1.2, 1.45) : 1)
  util = Math.min(1.75, util) * rampUp
  const spendUsd = p.budgetUsd * util
  const spend = Math.round(spendUsd * 100)
  const impressions = rng.poisson((spendUsd / (p.cpmUsd * onWeekday(CPM_DOW, dow) * rng.lognormal(0.07))) * 1000)
  const frequency = p.frequency * rng.lognormal(0.03) * (1 + (2.7 / 1.3 - 1) * now.fatigue)
  const ctrFactor = 1 - 0.5 * now.fatigue
  const ctr = p.ctr * onWeekday(CTR_DOW, dow) * (1 + (p.ctrDrift * t) / DAYS) * rng.lognormal(0.06) * (learning ? 0.92 : 1) * ctrFactor
  const reach = Math.max(impressions > 0 ? 1 : 0, Math.round(impressions / frequency))
  const clicks = rng.binomial(impressions, Math.min(0.5, ctr))
  const linkClicks = rng.binomial(clicks, p.linkShare)

  // results follow clicks: fewer clicks at the same spend cost more per result
  let cpr = (p.cprUsd / onWeekday(CONV_DOW, dow)) * rng.lognormal(0.12) * (learning ? 1 + 0.6 * (1 - age / 7) : 1)
  if (rng.chance(0.02)) cpr *= rng.uniform(1.3, 1.8) // a bad auction day
  cpr *= now.cpr / ctrFactor
  const day: DailyPoint = { date, impressions, reach, clicks, linkClicks, spend, leads: 0, purchases: 0, purchaseValue: 0 }
  return { day, results: rng.poisson(spendUsd / cpr) }
}

/** The numbers of campaigns of each problem and size in one account of each kind. */
export interface Mix {
  perProblemAndSize: Partial<Record<Problem, number>>
}

/** One simulated account (see the module comment). */
export function generateOnsetAccount(seed: number, kind: AccountKind, mix: Mix): OnsetAccount {
  const rng = createRng(seed)
  const campaigns: OnsetCampaign[] = []
  for (const problem of PROBLEMS) {
    const n = mix.perProblemAndSize[problem] ?? 0
    for (const size of ['small', 'medium', 'large'] as const) {
      for (let i = 0; i < n; i++) {
        const p = profileFor(rng, kind, problem, size)
        const final: Array<DailyPoint | null> = []
        const arrived: OnsetCampaign['arrived'] = []
        let impressions = 0
        let delivered = 0
        for (let t = 0; t < DAYS; t++) {
          const raw = simulateDay(rng, p, problem, t)
          if (!raw) {
            final.push(null)
            arrived.push({ leads: [0, 0, 0], purchases: [0, 0, 0] })
            continue
          }
          const { results, day } = raw
          if (kind.result === 'leads') day.leads = results
          else {
            day.purchases = results
            day.purchaseValue = Math.round(results * p.aovUsd * rng.lognormal(0.15) * 100)
          }
          final.push(day)
          const none: Arrived = [0, 0, 0]
          const drawn = drawArrivals(rng, results, kind.fractions)
          arrived.push(kind.result === 'leads' ? { leads: drawn, purchases: none } : { leads: none, purchases: drawn })
          if (t < ONSET && t >= ONSET - 28) {
            impressions += day.impressions
            delivered++
          }
        }
        const id = `${seed}${String(campaigns.length).padStart(4, '0')}`
        campaigns.push({
          campaignId: id,
          name: `${problem} – ${size} ${campaigns.length + 1}`,
          objective: kind.objective,
          dailyBudgetMinor: p.budgetUsd * 100,
          problem,
          size,
          resultsPerDay: (p.budgetUsd * p.utilisation) / p.cprUsd,
          impressionsPerDay: delivered > 0 ? impressions / delivered : 0,
          final,
          arrived,
        })
      }
    }
  }
  const curve = { fractions: kind.fractions, learnedFromDays: 28 }
  return { seed, kind, completeness: { [kind.result]: curve }, campaigns }
}

/**
 * The account's arrival curve as production would have learned it by morning `m` (sync/arrival-curve.ts): each day's
 * account-wide results as first seen 1, 2 and 3 days after it, against its final count, over the days 7 to 42 days
 * old, through the same estimateArrivalCurve. Empty (the default applies) when that is too little history. Here every
 * first sight is a morning read; in production it is whatever the first sync after midnight saw.
 */
export function estimatedCompleteness(account: OnsetAccount, morning: number): Completeness {
  const result = account.kind.result
  const today = ONSET + morning
  const days: ArrivalDay[] = []
  for (let t = Math.max(0, today - LEARNING_DAYS); t <= today - FINAL_AGE; t++) {
    const seen = [0, 0, 0]
    let final = 0
    for (const c of account.campaigns) {
      const d = c.final[t]
      if (!d) continue
      final += d[result]
      c.arrived[t]?.[result].forEach((x, i) => {
        seen[i] = (seen[i] ?? 0) + x
      })
    }
    const [a1 = 0, a2 = 0, a3 = 0] = seen
    days.push({ atDay: [a1, a2, a3], final })
  }
  const curve = estimateArrivalCurve(days)
  return curve ? { [result]: curve } : {}
}

/** Today's date on morning `m` (m = 0: the onset day itself, nothing of the problem shown yet). */
export function todayOn(morning: number): IsoDate {
  return addDays(ONSET_DATE, morning)
}

/** The campaign's complete days as the sync had them on morning `m`: up to the day before, recent results thinned. */
export function seenOn(c: OnsetCampaign, morning: number): DailyPoint[] {
  const today = ONSET + morning
  const out: DailyPoint[] = []
  for (let t = 0; t < today; t++) {
    const d = c.final[t]
    const arrived = c.arrived[t]
    if (!d || !arrived) continue
    out.push(seenAtAge(d, arrived, today - t))
  }
  return out
}
