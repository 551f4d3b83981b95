/**
 * Simulated ad accounts with PLANTED problems, for testing and benchmarking the optimizer. Deterministic for a
 * seed. Each call is one ad account: campaigns share the account's typical CTR, CPM and cost per result, and differ
 * by a modest campaign effect. Days run up to yesterday (complete days); yesterday's conversions are preliminary
 * (about 60 % reported yet, the day before ~93 %), as Meta's are.
 *
 * The realism the rules must survive:
 *   - weekly seasonality of CPM, CTR and conversion rate; day-to-day auction noise on top of Poisson/binomial
 *     sampling (over-dispersion); Meta pacing (most days near the budget, some pushed days up to +45 %);
 *   - a learning phase: the first 7 days spend less and pay ~60 % more per result;
 *   - campaigns of every size: small ones (a few dollars a day) cross fixed thresholds by chance all the time;
 *   - new campaigns, paused ones, campaigns with ad-set budgets (no campaign budget), slow CTR drift.
 *
 * Planted problems (label = the SuggestionKind that should fire): creative_fatigue (frequency up 50–80 % and CTR
 * down 35–50 % over the last 2–3 weeks), cost_spike (CPR × 2–2.6 over the last 8–10 days), overpacing (spending
 * 130–160 % of the budget for 2–3 weeks), underpacing (30–60 % for the whole series), scale_winner (CPR 40–55 % of
 * the account's, budget-limited), zero_delivery (nothing for the last 3–6 days after delivering), low_ctr
 * (CTR 35–50 % of the account's). Planted problems are put in campaigns big enough for the problem to be visible
 * (≥ $40/day; ≥ $150/day for cost problems, which need results to count). Everything else is noise-only: label null.
 */
import type { CampaignSeries, DailyPoint, SuggestionKind } from '../../src/domain/optimizer/index.ts'
import { addDays, type IsoDate } from '../../src/lib/dates.ts'
import { currencyOffset } from '../../src/lib/money.ts'
import { must } from '../must.ts'
import { createRng, type Rng } from './rng.ts'

export interface GenerateOptions {
  seed: number
  count: number
  /** Complete days per campaign, ending yesterday. */
  days: number
  currency: string
  /** The account's "today"; the series end the day before. */
  today?: IsoDate
  /** Share of campaigns with a planted problem (default 0.35, spread evenly over the planted kinds). */
  plantedShare?: number
}

export interface LabelledCampaign {
  series: CampaignSeries
  planted: SuggestionKind | null
}

export const GENERATOR_TODAY: IsoDate = '2026-03-02'

export const PLANTED_KINDS: readonly SuggestionKind[] = [
  'creative_fatigue',
  'cost_spike',
  'overpacing',
  'underpacing',
  'scale_winner',
  'zero_delivery',
  'low_ctr',
]

type Objective = 'OUTCOME_LEADS' | 'OUTCOME_SALES' | 'OUTCOME_TRAFFIC'

/** Account-wide typical values (USD) per objective. */
const ACCOUNT: Record<Objective, { ctr: number; cprUsd: number }> = {
  OUTCOME_LEADS: { ctr: 0.024, cprUsd: 26 },
  OUTCOME_SALES: { ctr: 0.021, cprUsd: 55 },
  OUTCOME_TRAFFIC: { ctr: 0.03, cprUsd: 0.45 },
}

// Sunday … Saturday
export const CPM_DOW = [0.92, 1.03, 1.04, 1.03, 1.0, 0.97, 0.9]
export const CTR_DOW = [1.03, 0.99, 0.98, 0.99, 1.0, 1.01, 1.04]
export const CONV_DOW = [0.9, 1.05, 1.07, 1.04, 1.0, 0.95, 0.88]
/** The factor of weekday `dow` (0 = Sunday) in one of the tables above. */
export const onWeekday = (table: readonly number[], dow: number): number => must(table[dow], `weekday ${dow} of a weekday table`)

export const THEMES = [
  'Spring Sale',
  'Summer Launch',
  'Evergreen',
  'Black Friday',
  'Webinar',
  'Free Trial',
  'Lookalike Test',
  'Retargeting',
  'Brand Story',
  'New Collection',
  'Lead Magnet',
  'App Promo',
  'Clearance',
  'Catalog',
  'Demo Request',
]
export const AUDIENCES = [
  'Broad',
  'LAL 1%',
  'Interests',
  'Site Visitors',
  'Engagers',
  'Advantage+',
  'Cold',
  'Warm',
  'Video Viewers',
  'Customers',
]

interface Plant {
  kind: SuggestionKind
  /** Day index the problem starts. */
  from: number
  strength: number
  strength2: number
  zeroRows: boolean
}

export interface Profile {
  objective: Objective
  budgetUsd: number
  campaignBudget: boolean
  cpmUsd: number
  ctr: number
  linkShare: number
  frequency: number
  cprUsd: number
  aovUsd: number
  utilisation: number
  /** Day index of the first day of delivery (≤ 0: started before the series). */
  start: number
  /** Day index from which a paused campaign has no delivery, or null. */
  pausedFrom: number | null
  ctrDrift: number
  plant: Plant | null
  /** The values before a problem was planted (a healthy sibling of a planted ad set or ad). */
  healthy: Pick<Profile, 'utilisation' | 'cprUsd' | 'ctr'>
}

function budgetFor(rng: Rng, minUsd: number): number {
  const r = rng.next()
  if (minUsd <= 15 && r < 0.3) return rng.int(5, 15)
  if (r < 0.8) return rng.int(Math.max(minUsd, 40), Math.max(150, 2 * minUsd))
  return 10 * rng.int(20, 80)
}

export function makeProfile(rng: Rng, kind: SuggestionKind | null, days: number): Profile {
  const costKind = kind === 'cost_spike' || kind === 'scale_winner'
  const objective: Objective = costKind
    ? rng.chance(0.6)
      ? 'OUTCOME_LEADS'
      : 'OUTCOME_SALES'
    : rng.pick([
        'OUTCOME_LEADS',
        'OUTCOME_LEADS',
        'OUTCOME_LEADS',
        'OUTCOME_LEADS',
        'OUTCOME_LEADS',
        'OUTCOME_SALES',
        'OUTCOME_SALES',
        'OUTCOME_SALES',
        'OUTCOME_TRAFFIC',
        'OUTCOME_TRAFFIC',
      ] as const)
  const base = ACCOUNT[objective]
  const noise = kind === null
  const p: Profile = {
    objective,
    budgetUsd: budgetFor(rng, noise ? 5 : costKind ? 150 : 40),
    campaignBudget: kind !== null || rng.chance(0.85),
    cpmUsd: 9 * rng.lognormal(0.2),
    ctr: base.ctr * rng.lognormal(0.12),
    linkShare: rng.uniform(0.55, 0.7),
    frequency: rng.uniform(1.12, 1.35),
    cprUsd: base.cprUsd * rng.lognormal(0.12),
    aovUsd: rng.uniform(110, 160),
    utilisation: rng.uniform(0.86, 0.99),
    start: 0,
    pausedFrom: null,
    ctrDrift: rng.uniform(-0.1, 0.1),
    plant: null,
    healthy: { utilisation: 0, cprUsd: 0, ctr: 0 },
  }
  // When the campaign started: most before the series; noise campaigns may be new (some still learning).
  if (noise && rng.chance(0.2)) p.start = rng.int(Math.max(0, days - 40), days - 3)
  else p.start = -rng.int(0, 200)
  if (noise && rng.chance(0.06)) p.pausedFrom = rng.int(Math.max(p.start + 3, days - 30), days - 2)
  p.healthy = { utilisation: p.utilisation, cprUsd: p.cprUsd, ctr: p.ctr }
  if (!kind) return p
  const plant: Plant = { kind, from: 0, strength: 1, strength2: 1, zeroRows: rng.chance(0.5) }
  switch (kind) {
    case 'creative_fatigue':
      plant.from = days - rng.int(14, 21)
      plant.strength = rng.uniform(0.5, 0.8) // frequency rise at the end
      plant.strength2 = rng.uniform(0.35, 0.5) // CTR drop at the end
      break
    case 'cost_spike':
      // started 8–10 days ago: the optimizer runs after every sync, so an older spike would have been reported already
      plant.from = days - rng.int(8, 10)
      plant.strength = rng.uniform(2, 2.6)
      break
    case 'overpacing':
      plant.from = days - rng.int(14, 21)
      plant.strength = rng.uniform(1.3, 1.6)
      break
    case 'underpacing':
      p.utilisation = rng.uniform(0.3, 0.6)
      break
    case 'scale_winner':
      p.cprUsd = base.cprUsd * rng.uniform(0.4, 0.55)
      p.utilisation = rng.uniform(0.95, 0.99)
      break
    case 'zero_delivery':
      plant.from = days - rng.int(3, 6)
      break
    case 'low_ctr':
      p.ctr = base.ctr * rng.uniform(0.35, 0.5)
      break
    default:
      break
  }
  p.plant = plant
  return p
}

export function simulate(rng: Rng, p: Profile, days: number, firstDate: IsoDate, unit: number): DailyPoint[] {
  const rows: DailyPoint[] = []
  for (let t = 0; t < days; t++) {
    const date = addDays(firstDate, t)
    const age = t - p.start
    if (age < 0) continue
    if (p.pausedFrom !== null && t >= p.pausedFrom) continue
    const plant = p.plant
    const active = plant !== null && t >= plant.from
    const progress = plant && active ? Math.min(1, (t - plant.from + 1) / (days - plant.from)) : 0
    if (plant?.kind === 'zero_delivery' && active) {
      if (plant.zeroRows)
        rows.push({ date, impressions: 0, reach: 0, clicks: 0, linkClicks: 0, spend: 0, leads: 0, purchases: 0, purchaseValue: 0 })
      continue
    }
    const dow = new Date(`${date}T00:00:00Z`).getUTCDay()
    const learning = age < 7
    const rampUp = learning ? Math.min(1, 0.5 + age / 10) : 1

    // Spend: budget-limited campaigns sit near the budget, with Meta's pushed days; underpacers follow the auction.
    let util: number
    if (plant?.kind === 'underpacing') util = p.utilisation * (2 - onWeekday(CPM_DOW, dow)) * rng.lognormal(0.15)
    else if (plant?.kind === 'overpacing' && active) util = plant.strength * rng.lognormal(0.08)
    else util = p.utilisation * rng.lognormal(0.08) * (rng.chance(0.1) ? rng.uniform(1.2, 1.45) : 1)
    util = Math.min(1.75, util) * rampUp
    const spendUsd = p.budgetUsd * util
    const spend = Math.round(spendUsd * unit)
    if (spend <= 0) continue

    const impressions = rng.poisson((spendUsd / (p.cpmUsd * onWeekday(CPM_DOW, dow) * rng.lognormal(0.07))) * 1000)
    let frequency = p.frequency * rng.lognormal(0.03)
    let ctr = p.ctr * onWeekday(CTR_DOW, dow) * (1 + (p.ctrDrift * t) / days) * rng.lognormal(0.06) * (learning ? 0.92 : 1)
    if (plant?.kind === 'creative_fatigue' && active) {
      frequency *= 1 + plant.strength * progress
      ctr *= 1 - plant.strength2 * progress
    }
    const reach = Math.max(impressions > 0 ? 1 : 0, Math.round(impressions / frequency))
    const clicks = rng.binomial(impressions, Math.min(0.5, ctr))
    const linkClicks = rng.binomial(clicks, p.linkShare)

    let cpr = (p.cprUsd / onWeekday(CONV_DOW, dow)) * rng.lognormal(0.1) * (learning ? 1 + 0.6 * (1 - age / 7) : 1)
    if (plant?.kind === 'cost_spike' && active) cpr *= plant.strength
    // conversions still arriving: yesterday ~60 % reported, the day before ~93 %
    const reported = t === days - 1 ? 0.6 : t === days - 2 ? 0.93 : 1
    let leads = 0
    let purchases = 0
    let purchaseValue = 0
    if (p.objective === 'OUTCOME_LEADS') leads = rng.binomial(rng.poisson(spendUsd / cpr), reported)
    if (p.objective === 'OUTCOME_SALES') {
      purchases = rng.binomial(rng.poisson(spendUsd / cpr), reported)
      purchaseValue = Math.round(purchases * p.aovUsd * rng.lognormal(0.15) * unit)
    }
    rows.push({ date, impressions, reach, clicks, linkClicks, spend, leads, purchases, purchaseValue })
  }
  return rows
}

/** Labelled campaigns of one simulated ad account (see the module comment). */
export function generateLabelledCampaigns(options: GenerateOptions): LabelledCampaign[] {
  const { seed, count, days, currency } = options
  const today = options.today ?? GENERATOR_TODAY
  const firstDate = addDays(today, -days)
  // minor units per US dollar: cents, or ~150 for zero-decimal currencies such as JPY
  const unit = currencyOffset(currency) === 100 ? 100 : 150
  const rng = createRng(seed)
  const planted = Math.round(count * (options.plantedShare ?? 0.35))
  const labels: Array<SuggestionKind | null> = Array.from({ length: count }, (_, i) =>
    i < planted ? must(PLANTED_KINDS[i % PLANTED_KINDS.length], 'a planted kind') : null,
  )
  for (let i = labels.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1))
    ;[labels[i], labels[j]] = [must(labels[j], `label ${j}`), must(labels[i], `label ${i}`)]
  }
  return labels.map((kind, i) => {
    const profile = makeProfile(rng, kind, days)
    const budgetMinor = Math.round((profile.budgetUsd * unit) / 100) * 100 // whole dollars; ¥100 steps
    const series: CampaignSeries = {
      campaignId: `${seed}${String(i).padStart(5, '0')}`,
      name: `${rng.pick(THEMES)} – ${rng.pick(AUDIENCES)} ${i + 1}`,
      objective: profile.objective,
      status: profile.pausedFrom !== null ? 'PAUSED' : 'ACTIVE',
      dailyBudgetMinor: profile.campaignBudget ? budgetMinor : null,
      days: simulate(rng, profile, days, firstDate, unit),
    }
    return { series, planted: kind }
  })
}
