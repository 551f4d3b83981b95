/**
 * Time to detection: the two examples as series, one-day blips, and the false-alarm rate of the scans on many
 * seeded stable campaigns. The campaigns are simulated here day by day, with late results: each day's final leads
 * arrive over 3 days, and a day is seen as it would be on the morning of `today`.
 */
import { describe, expect, it } from 'vitest'
import { createRng, type Rng } from '../../../bench/optimizer/rng.ts'
import { addDays, type IsoDate } from '../../lib/dates.ts'
import { runOptimizer } from './index.ts'
import type { ArrivalCurve, CampaignSeries, DailyPoint, OptimizerContext, Suggestion } from './types.ts'

const TODAY: IsoDate = '2026-03-02'
/** How leads really arrive in these simulations: 60 % by the next morning, 85 % after 2 days, 95 % after 3. */
const TRUE_ARRIVAL = [0.6, 0.85, 0.95] as const
const LEARNED: ArrivalCurve = { fractions: TRUE_ARRIVAL, learnedFromDays: 24 }

// Sunday … Saturday
const CONV_DOW = [0.9, 1.05, 1.07, 1.04, 1.0, 0.95, 0.88]
const CTR_DOW = [1.03, 0.99, 0.98, 0.99, 1.0, 1.01, 1.04]

interface Shape {
  days?: number
  /** Daily spend, minor units. */
  spend: number
  /** Final cost per lead, minor units. */
  cpl: number
  impressions?: number
  ctr?: number
  frequency?: number
  /** Day-to-day over-dispersion of leads (coefficient of variation of a gamma multiplier). */
  leadNoise?: number
  /** CPL multiplier of the day `k` days before today (k = 1 is yesterday). */
  cplFactor?: (k: number) => number
  /** CTR and frequency multipliers of the day `k` days before today. */
  ctrFactor?: (k: number) => number
  frequencyAdd?: (k: number) => number
}

function gamma(rng: Rng, cv: number): number {
  if (cv <= 0) return 1
  // Wilson–Hilferty-free shortcut: a lognormal with the same mean and CV is close enough for day-level noise
  return rng.lognormal(Math.sqrt(Math.log(1 + cv * cv)))
}

/** One simulated campaign seen on the morning of `today`: leads of the last 3 days still arriving. */
function simulate(id: string, shape: Shape, rng: Rng, today: IsoDate = TODAY): CampaignSeries {
  const days: DailyPoint[] = []
  const n = shape.days ?? 60
  for (let k = n; k >= 1; k--) {
    const date = addDays(today, -k)
    const dow = new Date(`${date}T00:00:00Z`).getUTCDay()
    const spend = Math.round(shape.spend * rng.lognormal(0.08))
    const finalMean = ((spend / shape.cpl) * (CONV_DOW[dow] ?? 1) * gamma(rng, shape.leadNoise ?? 0.15)) / (shape.cplFactor?.(k) ?? 1)
    const final = rng.poisson(finalMean)
    // the day's leads by arrival: by the next morning, by the one after, by the third (drawn for every day, so a
    // campaign's days are the same whichever morning it is seen on)
    const first = rng.binomial(final, TRUE_ARRIVAL[0])
    const second = rng.binomial(final - first, (TRUE_ARRIVAL[1] - TRUE_ARRIVAL[0]) / (1 - TRUE_ARRIVAL[0]))
    const third = rng.binomial(final - first - second, (TRUE_ARRIVAL[2] - TRUE_ARRIVAL[1]) / (1 - TRUE_ARRIVAL[1]))
    const leads = k === 1 ? first : k === 2 ? first + second : k === 3 ? first + second + third : final
    const impressions = Math.round((shape.impressions ?? 9_000) * (spend / shape.spend))
    const ctr = (shape.ctr ?? 0.015) * (CTR_DOW[dow] ?? 1) * rng.lognormal(0.05) * (shape.ctrFactor?.(k) ?? 1)
    const clicks = rng.binomial(impressions, ctr)
    const frequency = ((shape.frequency ?? 1.3) + (shape.frequencyAdd?.(k) ?? 0)) * rng.lognormal(0.03)
    days.push({
      date,
      impressions,
      reach: Math.round(impressions / frequency),
      clicks,
      linkClicks: Math.round(clicks * 0.6),
      spend,
      leads,
      purchases: 0,
      purchaseValue: 0,
    })
  }
  return { campaignId: id, name: `Campaign ${id}`, objective: 'OUTCOME_LEADS', status: 'ACTIVE', dailyBudgetMinor: shape.spend, days }
}

const ctxOn = (today: IsoDate, completeness?: ArrivalCurve): OptimizerContext => ({
  currency: 'USD',
  today,
  ...(completeness ? { completeness: { leads: completeness } } : {}),
})

function kindsOf(out: Suggestion[], id: string): string[] {
  return out.filter((s) => s.campaignId === id).map((s) => s.kind)
}

/** The spike: $240/day, ~16 leads a day ($15 CPL), ×4 from `onset` complete days ago (and today). */
const spikeShape = (onset: number, lastDay = 0): Shape => ({
  spend: 24_000,
  cpl: 1_500,
  cplFactor: (k) => (k <= onset && k > lastDay ? 4 : 1),
})

describe('cost spike: the last 2, 3, 7 and 14 days, yesterday at its expected completeness', () => {
  it('flags the issue’s ×4 CPL spike over the last 3 complete days, naming the window and the completeness', () => {
    for (const [seed, completeness] of [
      [1, undefined],
      [2, LEARNED],
      [3, LEARNED],
    ] as const) {
      const c = simulate('spike', spikeShape(3), createRng(seed))
      const leadsSince = c.days.slice(-3).reduce((a, d) => a + d.leads, 0)
      expect(leadsSince / 3).toBeLessThanOrEqual(6)
      const out = runOptimizer([c], ctxOn(TODAY, completeness))
      const s = out.find((x) => x.kind === 'cost_spike')
      expect(s, `seed ${seed}`).toBeDefined()
      const labels = s!.evidence.map((e) => e.label)
      expect(labels.some((l) => /^CPL, last [23] days \(/.test(l))).toBe(true)
      expect(labels.some((l) => /^CPL, \d+ days before \(/.test(l))).toBe(true)
      const line = s!.evidence.find((e) => e.label === 'Completeness')!.value
      expect(line).toMatch(/^Recent days counted at their expected completeness: yesterday \d+% of final leads/)
      expect(line).toContain(
        completeness ? "learned from this account's last 24 re-synced days" : "Promoly's conservative default — 65%, 85%, 93%",
      )
      expect(s!.evidence.map((e) => e.value).join(' ')).not.toMatch(/left out/)
    }
  })

  it('fires the morning after the spike’s second day, not after its first', () => {
    let firstDay = 0
    let secondDay = 0
    for (let seed = 10; seed < 30; seed++) {
      if (kindsOf(runOptimizer([simulate('s', spikeShape(1), createRng(seed))], ctxOn(TODAY, LEARNED)), 's').includes('cost_spike'))
        firstDay++
      if (kindsOf(runOptimizer([simulate('s', spikeShape(2), createRng(seed))], ctxOn(TODAY, LEARNED)), 's').includes('cost_spike'))
        secondDay++
    }
    // the first day alone fires only when the day before it happened to be dear as well (measured 1 of 20)
    expect(firstDay).toBeLessThanOrEqual(2)
    // by the morning after its second day in more than half the cases: a median of at most 2 days (measured 12 of 20)
    expect(secondDay).toBeGreaterThanOrEqual(11)
  })

  it('does not flag a one-day ×3 blip three days ago (normal since), nor one two days ago', () => {
    for (let seed = 40; seed < 60; seed++) {
      for (const day of [2, 3]) {
        const c = simulate('blip', { spend: 24_000, cpl: 1_500, cplFactor: (k) => (k === day ? 3 : 1) }, createRng(seed))
        expect(kindsOf(runOptimizer([c], ctxOn(TODAY, LEARNED)), 'blip'), `seed ${seed}, day ${day}`).not.toContain('cost_spike')
      }
    }
  })

  it('says nothing on a small campaign where nothing can be concluded yet', () => {
    // $30/day at $15: 2 leads a day; a ×4 spike over 2 days is 1 lead missing in expectation
    const c = simulate('small', { spend: 3_000, cpl: 1_500, cplFactor: (k) => (k <= 2 ? 4 : 1) }, createRng(7))
    expect(kindsOf(runOptimizer([c], ctxOn(TODAY, LEARNED)), 'small')).not.toContain('cost_spike')
  })
})

/** The fatigue: $110/day, ~9,000 impressions; from `onset` days ago frequency 1.3 → 2.7 over 12 days, CTR halves. */
const fatigueShape = (onset: number): Shape => ({
  spend: 11_000,
  cpl: 2_000,
  impressions: 9_000,
  ctr: 0.015,
  frequency: 1.3,
  frequencyAdd: (k) => (k <= onset ? ((onset - k + 1) * 1.4) / 12 : 0),
  ctrFactor: (k) => (k <= onset ? 1 - (0.5 * (onset - k + 1)) / 12 : 1),
})

describe('creative fatigue: frequency rising and CTR falling, as slopes over the recent days', () => {
  it('flags the issue’s example within 7 days of onset, naming the window and the slopes', () => {
    let within7 = 0
    for (let seed = 100; seed < 110; seed++) {
      const found = [3, 4, 5, 6, 7].find((onset) =>
        kindsOf(runOptimizer([simulate('f', fatigueShape(onset), createRng(seed))], ctxOn(TODAY)), 'f').includes('creative_fatigue'),
      )
      if (found !== undefined) within7++
    }
    expect(within7).toBeGreaterThanOrEqual(8) // measured 9 of 10 (the tenth on day 9)
    const s = runOptimizer([simulate('f', fatigueShape(7), createRng(100))], ctxOn(TODAY)).find((x) => x.kind === 'creative_fatigue')!
    expect(s.title).toMatch(/over the last (7|14) days/)
    expect(s.evidence.map((e) => e.value).join(' ')).toMatch(/frequency \+\d\.\d\d\/day, CTR −\d+%\/day over the last (7|14) days/)
  })
})

describe('false alarms on stable campaigns', () => {
  it('the cost and fatigue scans flag at most 1 in 100 stable campaign-weeks (2,000 seeded campaigns, 7 mornings each)', () => {
    const rng = createRng(2026)
    const shapes: Shape[] = []
    for (let i = 0; i < 2_000; i++) {
      const spend = Math.round(2_000 * Math.exp(rng.uniform(0, Math.log(30)))) // $20 … $600 a day
      shapes.push({
        spend,
        cpl: Math.round(rng.uniform(800, 6_000)),
        impressions: Math.round((spend / 1_000) * rng.uniform(800, 1_400) * 10) / 10,
        ctr: rng.uniform(0.006, 0.03),
        frequency: rng.uniform(1.05, 2),
        leadNoise: rng.uniform(0.05, 0.3),
      })
    }
    const flagged = new Set<number>()
    for (let morning = 0; morning < 7; morning++) {
      const today = addDays(TODAY, morning)
      // the same campaigns (same first day, same seed) seen one day later each morning
      const series = shapes.map((shape, i) => simulate(String(i), { ...shape, days: 60 + morning }, createRng(10_000 + i), today))
      const out = runOptimizer(series, ctxOn(today, LEARNED))
      for (const s of out) if (s.kind === 'cost_spike' || s.kind === 'creative_fatigue') flagged.add(Number(s.campaignId))
    }
    // 2,000 campaign-weeks: at most 20 (1 per 100, the goal); measured 12
    expect(flagged.size).toBeLessThanOrEqual(20)
  }, 120_000) // 14,000 simulated campaign-mornings: ~20 s
})
