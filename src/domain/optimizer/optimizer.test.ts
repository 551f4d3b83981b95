import { describe, expect, it } from 'vitest'
import { classicRules } from '../../../bench/optimizer/classic-rules.ts'
import {
  GENERATOR_TODAY,
  generateLabelledCampaigns,
  type LabelledCampaign,
  PLANTED_KINDS,
} from '../../../bench/optimizer/planted-problems.ts'
import { scoreSuggestions } from '../../../bench/optimizer/scoring.ts'
import { addDays, formatDay, type IsoDate } from '../../lib/dates.ts'
import { formatMoney } from '../../lib/money.ts'
import { budgetStepMinor, loweredBudget, raisedBudget } from './budget-rounding.ts'
import { runOptimizer } from './index.ts'
import { SEVERE_RATIO } from './rules/cost-spike.ts'
import { gammaQuantile, normalQuantile, studentTQuantile } from './stats/distributions.ts'
import { poissonRateInterval, rateRatioInterval, wilsonInterval } from './stats/inference.ts'
import type { CampaignSeries, DailyPoint, OptimizerContext, Suggestion } from './types.ts'

const TODAY: IsoDate = '2026-03-02'
const USD: OptimizerContext = { currency: 'USD', today: TODAY }

/** A healthy lead-gen day: 2.5 % CTR, $100 spend, 4 leads ($25 CPL). */
const HEALTHY: Omit<DailyPoint, 'date'> = {
  impressions: 10_000,
  reach: 8_000,
  clicks: 250,
  linkClicks: 160,
  spend: 10_000,
  leads: 4,
  purchases: 0,
  purchaseValue: 0,
}

/**
 * A hand-built campaign: `row(k)` gives the day k days before TODAY (k = 1 is yesterday, k = 0 today), or null for
 * no row (no delivery).
 */
function campaign(
  id: string,
  row: (k: number) => Partial<Omit<DailyPoint, 'date'>> | null,
  opts: { days?: number; objective?: string; status?: string; budget?: number | null; withToday?: boolean } = {},
): CampaignSeries {
  const days: DailyPoint[] = []
  for (let k = opts.days ?? 60; k >= (opts.withToday ? 0 : 1); k--) {
    const r = row(k)
    if (r) days.push({ ...HEALTHY, ...r, date: addDays(TODAY, -k) })
  }
  return {
    campaignId: id,
    name: `Campaign ${id}`,
    objective: opts.objective ?? 'OUTCOME_LEADS',
    status: opts.status ?? 'ACTIVE',
    dailyBudgetMinor: opts.budget === undefined ? 10_000 : opts.budget,
    days,
  }
}

/** Four steady same-objective campaigns: the account baseline (2.5 % CTR, $25 CPL). */
function peers(objective = 'OUTCOME_LEADS', day: Partial<Omit<DailyPoint, 'date'>> = {}): CampaignSeries[] {
  return ['p1', 'p2', 'p3', 'p4'].map((id) => campaign(id, () => day, { objective }))
}

function forCampaign(suggestions: Suggestion[], id: string): Suggestion[] {
  return suggestions.filter((s) => s.campaignId === id)
}

function kinds(suggestions: Suggestion[], id: string): string[] {
  return forCampaign(suggestions, id).map((s) => s.kind)
}

describe('planted problems', () => {
  // One account of 70 campaigns: one of each planted problem among 63 noise-only campaigns.
  const account = generateLabelledCampaigns({ seed: 12, count: 70, days: 90, currency: 'USD', plantedShare: 0.1 })
  const ctx: OptimizerContext = { currency: 'USD', today: GENERATOR_TODAY }
  const suggestions = runOptimizer(
    account.map((l) => l.series),
    ctx,
  )
  const plantedOf = (kind: string): LabelledCampaign => account.find((l) => l.planted === kind)!

  it('plants exactly one of each problem, deterministically', () => {
    expect(
      account
        .filter((l) => l.planted !== null)
        .map((l) => l.planted)
        .sort(),
    ).toEqual([...PLANTED_KINDS].sort())
    expect(generateLabelledCampaigns({ seed: 12, count: 70, days: 90, currency: 'USD', plantedShare: 0.1 })).toEqual(account)
    expect(
      runOptimizer(
        account.map((l) => l.series),
        ctx,
      ),
    ).toEqual(suggestions)
  })

  it.each(PLANTED_KINDS)('detects the planted %s with the right kind, and nothing else fires', (kind) => {
    const l = plantedOf(kind)
    expect(kinds(suggestions, l.series.campaignId)).toEqual([kind])
  })

  it('flags no noise-only campaign of this account', () => {
    const noise = new Set(account.filter((l) => l.planted === null).map((l) => l.series.campaignId))
    expect(suggestions.filter((s) => noise.has(s.campaignId))).toEqual([])
  })

  it('winner → a set_daily_budget change of at most +20 %, on a round step, with its expected effect', () => {
    const l = plantedOf('scale_winner')
    const s = forCampaign(suggestions, l.series.campaignId)[0]!
    const from = l.series.dailyBudgetMinor!
    expect(s.change).toMatchObject({ type: 'set_daily_budget', fromMinor: from })
    const to = s.change!.type === 'set_daily_budget' ? s.change!.toMinor : 0
    expect(to).toBeGreaterThan(from)
    expect(to).toBeLessThanOrEqual(from * 1.2)
    expect(to % budgetStepMinor(to, 'USD')).toBe(0)
    expect(s.expectedEffect.text).toMatch(/leads|purchases/)
    expect(s.expectedEffect.text).toMatch(/diminishing returns/)
    expect(s.metric.value).toBeLessThan(s.metric.baseline! * 0.75)
  })

  it('overspend → lower the budget by at most the cap; underspend → never raise it', () => {
    const over = forCampaign(suggestions, plantedOf('overpacing').series.campaignId)[0]!
    const budget = plantedOf('overpacing').series.dailyBudgetMinor!
    expect(over.change).toMatchObject({ type: 'set_daily_budget', fromMinor: budget })
    const to = over.change!.type === 'set_daily_budget' ? over.change!.toMinor : 0
    expect(to).toBeLessThan(budget)
    expect(to).toBeGreaterThanOrEqual(budget * 0.8)
    const under = forCampaign(suggestions, plantedOf('underpacing').series.campaignId)[0]!
    expect(under.change).toBeUndefined()
    expect(under.notice).toMatch(/Don't raise the budget/)
    expect(under.metric.value).toBeLessThan(0.8)
  })

  it('fatigue, low CTR, zero delivery → a notice, no API change; a spike not credibly doubled → a notice, no pause', () => {
    for (const kind of ['creative_fatigue', 'low_ctr', 'zero_delivery'] as const) {
      const s = forCampaign(suggestions, plantedOf(kind).series.campaignId)[0]!
      expect(s.change, kind).toBeUndefined()
      expect(s.notice, kind).toBeTruthy()
    }
    // The planted spike (seed 12) is CPL ×2.4, but its interval starts below ×2 (SEVERE_RATIO): only a severe,
    // sustained spike is paused (that case is below, under "today and yesterday").
    const spike = forCampaign(suggestions, plantedOf('cost_spike').series.campaignId)[0]!
    const interval = /interval ×([\d.]+)–/.exec(spike.evidence.find((e) => e.label === 'Change')!.value)
    expect(Number(interval![1])).toBeLessThan(SEVERE_RATIO)
    expect(spike.change).toBeUndefined()
    expect(spike.notice).toMatch(/^Nothing applied automatically: check what changed/)
    expect(spike.expectedEffect.text).toMatch(/^≈ \+\d+ leads\/week at the same spend/)
  })

  it('every suggestion explains itself: evidence, a statistical confidence, an expected effect with its basis', () => {
    expect(suggestions.length).toBeGreaterThanOrEqual(7)
    for (const s of suggestions) {
      expect(s.title).not.toMatch(/\n/)
      expect(s.evidence.length).toBeGreaterThanOrEqual(3)
      for (const e of s.evidence) expect(e.value).not.toMatch(/NaN|undefined/)
      expect(s.confidence).toBeGreaterThanOrEqual(0.95)
      expect(s.confidence).toBeLessThan(1)
      expect(s.expectedEffect.text.length).toBeGreaterThan(10)
      expect(s.expectedEffect.basis.length).toBeGreaterThan(10)
      expect(s.change !== undefined || s.notice !== undefined).toBe(true)
      expect(Number.isFinite(s.metric.value)).toBe(true)
    }
    const money = suggestions.flatMap((s) => s.evidence.map((e) => e.value)).filter((v) => v.includes('$'))
    expect(money.length).toBeGreaterThan(5)
    for (const v of money) expect(v).toMatch(/\$[\d,]+\.\d\d/)
  })
})

/** The generator's days hold all their results at once (no late arrivals): tell the optimizer so. */
const ALL_IN = { fractions: [1, 1, 1] as const, learnedFromDays: 90 }

describe('precision and recall on a seeded set of ~300 labelled campaigns', () => {
  const set = generateLabelledCampaigns({ seed: 2026, count: 300, days: 90, currency: 'USD' })
  const ctx: OptimizerContext = { currency: 'USD', today: GENERATOR_TODAY, completeness: { leads: ALL_IN, purchases: ALL_IN } }
  const ours = scoreSuggestions(
    set,
    runOptimizer(
      set.map((l) => l.series),
      ctx,
    ),
  )
  const classic = scoreSuggestions(
    set,
    classicRules(
      set.map((l) => l.series),
      ctx,
    ),
  )

  it('runOptimizer: precision ≥ 0.9 and recall ≥ 0.85 overall (measured 0.97 / 0.93), every planted kind recall ≥ 0.6', () => {
    expect(ours.overall.precision).toBeGreaterThanOrEqual(0.9)
    expect(ours.overall.recall).toBeGreaterThanOrEqual(0.85)
    for (const kind of PLANTED_KINDS) expect(ours.byKind[kind].recall, kind).toBeGreaterThanOrEqual(0.6)
  })

  it('classicRules is clearly worse on precision (measured 0.24) and flags most noise-only campaigns', () => {
    expect(classic.overall.precision).toBeLessThanOrEqual(0.4)
    expect(ours.overall.precision - classic.overall.precision).toBeGreaterThanOrEqual(0.5)
    expect(classic.noiseCampaignsFlagged).toBeGreaterThan(classic.noiseCampaigns / 2)
    expect(ours.noiseCampaignsFlagged).toBeLessThanOrEqual(5)
  })

  it('at most one suggestion per campaign and kind; confidence from the statistics, not a constant', () => {
    const all = runOptimizer(
      set.map((l) => l.series),
      ctx,
    )
    const keys = all.map((s) => `${s.campaignId}:${s.kind}`)
    expect(new Set(keys).size).toBe(keys.length)
    expect(new Set(all.map((s) => s.confidence)).size).toBeGreaterThan(3)
    for (const s of all) expect(s.confidence).toBeGreaterThanOrEqual(0.95)
  })
})

describe('noise-only campaigns', () => {
  it('get (almost) no suggestion: false-positive budget of 1.5 % over 1,000 seeded campaigns (measured 1.1 %)', () => {
    let campaigns = 0
    let flagged = 0
    let classicFlagged = 0
    for (const seed of [31, 32, 33, 34, 35]) {
      const set = generateLabelledCampaigns({ seed, count: 200, days: 90, currency: 'USD', plantedShare: 0 })
      const series = set.map((l) => l.series)
      const ctx: OptimizerContext = { currency: 'USD', today: GENERATOR_TODAY }
      campaigns += set.length
      flagged += new Set(runOptimizer(series, ctx).map((s) => s.campaignId)).size
      classicFlagged += new Set(classicRules(series, ctx).map((s) => s.campaignId)).size
    }
    expect(campaigns).toBe(1000)
    expect(flagged).toBeLessThanOrEqual(15)
    expect(classicFlagged).toBeGreaterThan(500)
  })
})

describe('minimum data', () => {
  it('does not judge a tiny campaign that crosses the classic thresholds by chance', () => {
    // 100 impressions and 1 click a day (1 % CTR), $9 a day, one lead a week ($63 CPL)
    const tiny = campaign(
      'tiny',
      (k) => ({ impressions: 100, reach: 90, clicks: 1, linkClicks: 1, spend: 900, leads: k % 7 === 3 ? 1 : 0 }),
      { budget: 1_000 },
    )
    const all = [...peers(), tiny]
    expect(kinds(runOptimizer(all, USD), 'tiny')).toEqual([])
    expect(kinds(classicRules(all, USD), 'tiny')).toEqual(expect.arrayContaining(['low_ctr', 'high_cost_per_result']))
  })

  it('needs the minimum impressions for CTR and the minimum results for cost, both configurable', () => {
    // CTR 0.5 % on 140 impressions a day: 980 in a week, under 1,000
    const small = campaign('small', () => ({ impressions: 140, reach: 120, clicks: 1, linkClicks: 1, spend: 300, leads: 0 }), {
      budget: 300,
    })
    expect(kinds(runOptimizer([...peers(), small], USD), 'small')).toEqual([])
    expect(kinds(runOptimizer([...peers(), small], { ...USD, settings: { minImpressions: 500 } }), 'small')).toEqual(['low_ctr'])
  })

  it('does not judge cost during the learning phase (first 7 days of delivery)', () => {
    const expensive = (k: number) => ({ spend: 20_000, leads: k % 2 === 0 ? 2 : 3 }) // $80 CPL vs the account's $25
    const fresh = campaign('fresh', expensive, { days: 10, budget: 20_000 })
    const settled = campaign('settled', expensive, { days: 40, budget: 20_000 })
    const out = runOptimizer([...peers(), fresh, settled], USD)
    expect(kinds(out, 'fresh')).toEqual([])
    expect(kinds(out, 'settled')).toEqual(['high_cost_per_result'])
    expect(forCampaign(out, 'settled')[0]!.evidence.map((e) => e.label)).toContain('account CPL')
  })

  it('gives paused campaigns nothing', () => {
    const lowCtr = (status: string) => campaign(`ctr-${status}`, () => ({ clicks: 80 }), { status })
    const out = runOptimizer([...peers(), lowCtr('ACTIVE'), lowCtr('PAUSED')], USD)
    expect(kinds(out, 'ctr-ACTIVE')).toEqual(['low_ctr'])
    expect(kinds(out, 'ctr-PAUSED')).toEqual([])
  })
})

describe('targets', () => {
  it('judges cost per result against the target CPA when one is set', () => {
    const dear = campaign('dear', () => ({ spend: 20_000, leads: 4 }), { budget: 20_000 }) // $50 CPL
    const tight = runOptimizer([...peers(), dear], { ...USD, targets: { targetCostPerResultMinor: 2_500 } })
    expect(kinds(tight, 'dear')).toEqual(['high_cost_per_result'])
    expect(forCampaign(tight, 'dear')[0]!.evidence.find((e) => e.label === 'target CPL')!.value).toContain('$25.00')
    expect(forCampaign(tight, 'dear')[0]!.metric).toEqual({ name: 'cost_per_result', value: 5_000, baseline: 2_500 })
    expect(kinds(runOptimizer([...peers(), dear], { ...USD, targets: { targetCostPerResultMinor: 6_000 } }), 'dear')).toEqual([])
  })

  it('turns a ROAS target into a CPA at the campaign’s average order value', () => {
    // $500 a day for 10 purchases of $100: CPA $50, ROAS 2
    const shop = campaign('shop', () => ({ spend: 50_000, leads: 0, purchases: 10, purchaseValue: 100_000 }), {
      objective: 'OUTCOME_SALES',
      budget: 50_000,
    })
    const sales = peers('OUTCOME_SALES', { spend: 50_000, leads: 0, purchases: 10, purchaseValue: 100_000 })
    const out = runOptimizer([...sales, shop], { ...USD, targets: { targetRoas: 4 } })
    expect(kinds(out, 'shop')).toEqual(['high_cost_per_result'])
    expect(forCampaign(out, 'shop')[0]!.metric.baseline).toBeCloseTo(2_500, 6) // $100 / 4
    expect(kinds(runOptimizer([...sales, shop], { ...USD, targets: { targetRoas: 2 } }), 'shop')).toEqual([])
  })
})

describe('targets per result type (a client’s)', () => {
  it('judges lead campaigns against the lead target and never against another result type’s', () => {
    const dear = campaign('dear', () => ({ spend: 20_000, leads: 4 }), { budget: 20_000 }) // $50 CPL
    const byLeads = runOptimizer([...peers(), dear], { ...USD, targets: { byResult: { leads: { costPerResultMinor: 2_500 } } } })
    expect(kinds(byLeads, 'dear')).toEqual(['high_cost_per_result'])
    expect(forCampaign(byLeads, 'dear')[0]!.metric.baseline).toBe(2_500)
    expect(forCampaign(byLeads, 'dear')[0]!.evidence.find((e) => e.label === 'target CPL')!.value).toContain('$25.00')
    // A purchases target says nothing about leads; the client's own target wins over the workspace's.
    expect(
      kinds(runOptimizer([...peers(), dear], { ...USD, targets: { byResult: { purchases: { costPerResultMinor: 2_500 } } } }), 'dear'),
    ).toEqual([])
    const both = { targetCostPerResultMinor: 2_500, byResult: { leads: { costPerResultMinor: 6_000 } } }
    expect(kinds(runOptimizer([...peers(), dear], { ...USD, targets: both }), 'dear')).toEqual([])
  })
})

describe('today and yesterday', () => {
  it('ignores today and does not read yesterday’s missing conversions as a spike', () => {
    // yesterday: only part of its leads reported yet; today: a partial day
    const c = campaign(
      'c',
      (k) => (k === 0 ? { impressions: 3_000, reach: 2_900, clicks: 20, spend: 4_000, leads: 0 } : k === 1 ? { leads: 0 } : {}),
      { withToday: true },
    )
    const out = runOptimizer([...peers(), c], USD)
    expect(kinds(out, 'c')).toEqual([])
    expect(kinds(classicRules([...peers(), c], USD), 'c')).toContain('cost_spike')
  })

  it('gives the same answer with or without today’s row', () => {
    const spike = (k: number) => (k >= 2 && k <= 9 ? { leads: 1 } : k === 0 ? { spend: 99_999, leads: 0, clicks: 0 } : {})
    const withToday = campaign('s', spike, { withToday: true })
    const without = campaign('s', spike)
    expect(runOptimizer([...peers(), withToday], USD)).toEqual(runOptimizer([...peers(), without], USD))
  })

  it('a spike over the last days, yesterday included, fires (too few leads to be credibly doubled: a notice); on yesterday alone it does not', () => {
    const recent = campaign('recent', (k) => (k <= 7 ? { leads: 1 } : {}))
    const yesterdayOnly = campaign('yesterday', (k) => (k === 1 ? { leads: 0, spend: 17_000 } : {}))
    const out = runOptimizer([...peers(), recent, yesterdayOnly], USD)
    const spike = forCampaign(out, 'recent')
    expect(spike.map((s) => s.kind)).toEqual(['cost_spike'])
    // 7 leads for $700 against $25: ×3.5, but with so few leads not credibly doubled (interval from ×1.66) → a notice
    expect(spike[0]!.change).toBeUndefined()
    expect(spike[0]!.notice).toMatch(/^Nothing applied automatically/)
    expect(spike[0]!.metric.baseline).toBe(2_500)
    expect(spike[0]!.metric.value).toBeGreaterThan(2 * 2_500)
    expect(kinds(out, 'yesterday')).toEqual([])
  })

  it('conversions that stopped altogether (e.g. broken tracking) are a spike with a finite metric', () => {
    const broken = campaign('broken', (k) => (k <= 8 ? { leads: 0 } : {}))
    const out = runOptimizer([...peers(), broken], USD)
    const s = forCampaign(out, 'broken')
    expect(s.map((x) => x.kind)).toEqual(['cost_spike'])
    expect(s[0]!.metric).toEqual({ name: 'cost_per_result', value: 70_000, baseline: 2_500 })
    expect(s[0]!.evidence[1]!.value).toContain('no leads')
    expect(s[0]!.change).toEqual({ type: 'pause' })
    expect(s[0]!.notice).toMatch(/tracking/)
  })

  it('a card opens with the last 7 days as metrics shows them, names the window that fired and how recent days count', () => {
    const recent = campaign('recent', (k) => (k <= 7 ? { leads: 1 } : {}))
    const s = forCampaign(runOptimizer([...peers(), recent], USD), 'recent')[0]!
    expect(s.evidence[0]).toEqual({
      label: 'Last 7 days (Mon 23 Feb – Sun 1 Mar)',
      value: '$700.00 spent · CTR 2.50% · 7 leads at $100.00 each',
    })
    // the window that fired ends yesterday and is named by its dates; the baseline is the days before the longest look
    expect(s.evidence[1]!.label).toMatch(/^CPL, last \d+ days \(.* – Sun 1 Mar\)$/)
    expect(s.evidence[2]!.label).toMatch(/^CPL, \d+ days before \(/)
    expect(s.evidence.find((e) => e.label === 'Completeness')!.value).toBe(
      "Recent days counted at their expected completeness: yesterday 65% of final leads, the day before 85%, 3 days ago 93% (Promoly's conservative default — 65%, 85%, 93% — until this account has enough re-synced days)",
    )
    expect(s.evidence.map((e) => e.value).join(' ')).not.toMatch(/left out/)
    expect(s.title).toMatch(/^Cost per lead rose from \$25\.00 to \$[\d.]+ over the last \d+ days \(×/)
  })

  it('titles say "the last 7 days" only for the 7 days ending yesterday', () => {
    const low = campaign('low', (k) => (k <= 7 ? { clicks: 60 } : {}))
    const ctr = forCampaign(runOptimizer([...peers(), low], USD), 'low').find((x) => x.kind === 'low_ctr')!
    expect(ctr.title).toContain('(the last 7 days)')
    const broken = campaign('broken', (k) => (k <= 8 ? { leads: 0 } : {}))
    const none = forCampaign(runOptimizer([...peers(), broken], USD), 'broken')[0]!
    expect(none.title).toMatch(/^No leads at all over the last \d+ days /)
  })

  it('a yesterday credibly back within the margin stops a spike alarm', () => {
    const bestYesterday = campaign('best', (k) => (k >= 2 && k <= 8 ? { leads: 1 } : k === 1 ? { leads: 30 } : {}))
    expect(kinds(runOptimizer([...peers(), bestYesterday], USD), 'best')).not.toContain('cost_spike')
    const dear = campaign('dear', (k) => (k >= 2 && k <= 8 ? { leads: 1 } : k === 1 ? { leads: 30 } : {}))
    expect(kinds(runOptimizer([...peers(), dear], { ...USD, targets: { targetCostPerResultMinor: 2_500 } }), 'dear')).not.toContain(
      'cost_spike',
    )
  })

  it('CTR and pacing windows are the last complete days, yesterday included, with their dates', () => {
    const low = campaign('low', (k) => (k <= 7 ? { clicks: 60 } : {}))
    const s = forCampaign(runOptimizer([...peers(), low], USD), 'low').find((x) => x.kind === 'low_ctr')!
    expect(s.evidence[1]).toMatchObject({ label: 'CTR, last 7 days (Mon 23 Feb – Sun 1 Mar)' })
    expect(s.evidence[0]!.label).toBe('Last 7 days (Mon 23 Feb – Sun 1 Mar)')
    expect(s.evidence.map((e) => e.label)).toContain('Account CTR, same objective, last 28 days (Mon 2 Feb – Sun 1 Mar)')
  })

  it('zero delivery: needs ≥ 2 settled quiet days; yesterday can veto it but never raise it', () => {
    const stopped = campaign('stopped', (k) => (k <= 3 ? null : {}))
    const resumed = campaign('resumed', (k) => (k === 2 || k === 3 ? null : {}))
    const onlyYesterday = campaign('only-yesterday', (k) => (k <= 1 ? null : {}))
    const oneSettled = campaign('one-settled', (k) => (k <= 2 ? null : {}))
    const noBudget = campaign('no-budget', (k) => (k <= 3 ? null : {}), { budget: null })
    const out = runOptimizer([...peers(), stopped, resumed, onlyYesterday, oneSettled, noBudget], USD)
    expect(kinds(out, 'stopped')).toEqual(['zero_delivery'])
    const s = forCampaign(out, 'stopped')[0]!
    expect(s.metric).toEqual({ name: 'days_without_delivery', value: 3, baseline: null })
    expect(s.evidence[1]!.value).toBe(`${formatDay(addDays(TODAY, -3))} (3 complete days, yesterday included)`)
    expect(s.notice).toBeTruthy()
    for (const id of ['resumed', 'only-yesterday', 'one-settled', 'no-budget']) expect(kinds(out, id), id).toEqual([])
  })
})

describe('budgets and currencies', () => {
  it('rounds raised and lowered budgets to a step of the currency, never past the cap', () => {
    expect(raisedBudget(5_000, 20, 'JPY')).toBe(6_000) // ¥5,000 → ¥6,000
    expect(raisedBudget(12_345, 30, 'JPY')).toBe(16_000) // ¥16,048 → ¥16,000
    expect(raisedBudget(4_750, 30, 'USD')).toBe(6_100) // $47.50 → $61.00
    expect(raisedBudget(123_456, 20, 'USD')).toBe(148_000) // $1,234.56 → $1,481.47 → $1,480
    expect(raisedBudget(100, 20, 'USD')).toBe(120) // $1.00 → $1.20: too small for a whole-dollar step
    expect(raisedBudget(1, 20, 'JPY')).toBeNull() // ¥1 can't go up by 20 %
    expect(loweredBudget(12_200, 7_740, 20, 'USD')).toBe(9_800) // capped at −20 %, rounded up to $98
    expect(loweredBudget(18_300, 11_600, 30, 'JPY')).toBe(12_900) // ¥12,810 → ¥12,900
  })

  it('proposes a JPY winner budget in whole yen, on a round step, within maxBudgetIncreasePct', () => {
    // account: ¥30,000/day for 10 leads (¥3,000 CPL); the winner: 25 leads for ¥29,500 (¥1,180 CPL)
    const jpyPeers = peers('OUTCOME_LEADS', { spend: 30_000, leads: 10 })
    const winner = (budget: number) => campaign(`w${budget}`, () => ({ spend: Math.round(budget * 0.97), leads: 25 }), { budget })
    const ctx: OptimizerContext = { currency: 'JPY', today: TODAY }
    const out = runOptimizer([...jpyPeers, winner(30_000), winner(12_345)], ctx)
    expect(forCampaign(out, 'w30000')[0]!.change).toEqual({ type: 'set_daily_budget', fromMinor: 30_000, toMinor: 36_000 })
    const capped = runOptimizer([...jpyPeers, winner(12_345)], { ...ctx, settings: { maxBudgetIncreasePct: 30 } })
    const change = forCampaign(capped, 'w12345')[0]!.change
    expect(change).toEqual({ type: 'set_daily_budget', fromMinor: 12_345, toMinor: 16_000 })
    const text = forCampaign(out, 'w30000')[0]!
      .evidence.map((e) => e.value)
      .join(' ')
    expect(text).toContain('¥30,000 → ¥36,000')
    expect(text).not.toMatch(/¥[\d,]+\.\d/)
  })

  it('keeps generated JPY winners in whole yen and within +20 %', () => {
    const set = generateLabelledCampaigns({ seed: 12, count: 70, days: 90, currency: 'JPY', plantedShare: 0.1 })
    const out = runOptimizer(
      set.map((l) => l.series),
      { currency: 'JPY', today: GENERATOR_TODAY },
    )
    const raises = out.filter((s) => s.kind === 'scale_winner')
    expect(raises.length).toBeGreaterThanOrEqual(1)
    for (const s of raises) {
      const c = s.change!
      if (c.type !== 'set_daily_budget') throw new Error('expected a budget change')
      expect(Number.isInteger(c.toMinor)).toBe(true)
      expect(c.toMinor % 100).toBe(0)
      expect(c.toMinor).toBeLessThanOrEqual(c.fromMinor * 1.2)
    }
  })

  it('underpacing: explains instead of raising the budget (the classic rule raises it)', () => {
    const slow = campaign('slow', (k) => ({ spend: 4_000 + (k % 3) * 500, leads: 2 }))
    const out = runOptimizer([...peers(), slow], USD)
    expect(kinds(out, 'slow')).toEqual(['underpacing'])
    expect(forCampaign(out, 'slow')[0]!.change).toBeUndefined()
    expect(forCampaign(classicRules([...peers(), slow], USD), 'slow').find((s) => s.kind === 'underpacing')!.change).toMatchObject({
      type: 'set_daily_budget',
    })
  })
})

describe('pacing after a budget change', () => {
  const wobble = (k: number) => (k % 3) * 300
  const raise = { date: addDays(TODAY, -2), fromMinor: 15_000, toMinor: 22_500 }

  it('judges each day against the budget then in force: a raise 2 days ago after full delivery is not underspending', () => {
    const full = (k: number) => ({ spend: k >= 3 ? 15_000 - wobble(k) : 22_500 - wobble(k) })
    const raised = { ...campaign('raised', full, { budget: 22_500 }), budgetChanges: [raise] }
    expect(kinds(runOptimizer([...peers(), raised], USD), 'raised')).toEqual([])
  })

  it('a campaign that truly underspends is still flagged, with the right budgets, days and amounts', () => {
    const slow = (k: number) => ({ spend: k >= 3 ? 9_000 + wobble(k) : 13_500 + wobble(k) })
    const c = { ...campaign('slow', slow, { budget: 22_500 }), budgetChanges: [raise] }
    const s = forCampaign(runOptimizer([...peers(), c], USD), 'slow')
    expect(s.map((x) => x.kind)).toEqual(['underpacing'])
    const u = s[0]!
    expect(u.title).toMatch(
      /^Spends only 6\d% of its daily budget \(\$150\.00\/day \(Mon 23 Feb – Fri 27 Feb\), then \$225\.00\/day \(Sun 1 Mar\)\) over 6 of the last 7 days \(Mon 23 Feb – Sun 1 Mar\) \(Sat 28 Feb left out: the budget changed that day\)/,
    )
    const spend = [7, 6, 5, 4, 3].reduce((a, k) => a + 9_000 + wobble(k), 0) + 13_500 + wobble(1)
    const spendLine = u.evidence.find((e) => e.label.startsWith('Spend, '))!
    expect(spendLine.value).toBe(`${formatMoney(spend, 'USD')} of $975.00`)
    expect(u.evidence.find((e) => e.label === 'By day')!.value.split(', ')).toHaveLength(6)
  })

  it('too few days at a known budget: says nothing', () => {
    const slow = (k: number) => ({ spend: 9_000 + wobble(k) })
    const unknown = { date: addDays(TODAY, -3), fromMinor: null, toMinor: 15_000 }
    const c = { ...campaign('unknown', slow, { budget: 15_000 }), budgetChanges: [unknown] }
    expect(kinds(runOptimizer([...peers(), c], USD), 'unknown')).toEqual([])
  })

  it('overspend is judged only at the current budget', () => {
    // $100/day spent at 150 % until a raise to $150 2 days ago; since then on budget: no overpacing.
    const over = (k: number) => ({ spend: k >= 3 ? 15_000 + wobble(k) : 15_000 - wobble(k) })
    const c = {
      ...campaign('over', over, { budget: 15_000 }),
      budgetChanges: [{ date: addDays(TODAY, -2), fromMinor: 10_000, toMinor: 15_000 }],
    }
    expect(kinds(runOptimizer([...peers(), c], USD), 'over')).toEqual([])
  })
})

describe('statistics', () => {
  it('matches reference quantiles and intervals', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5)
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228139, 5)
    expect(studentTQuantile(0.95, 6)).toBeCloseTo(1.94318, 4)
    expect(gammaQuantile(0.5, 1)).toBeCloseTo(Math.LN2, 8)
    // Garwood 95 % interval for 10 events: [4.795, 18.390]
    const p = poissonRateInterval(10, 1, 0.025)
    expect(p.lower).toBeCloseTo(4.795, 2)
    expect(p.upper).toBeCloseTo(18.39, 2)
    // Wilson 95 % for 10/100: [0.0552, 0.1744]
    const w = wilsonInterval(10, 100, 0.025)
    expect(w.lower).toBeCloseTo(0.0552, 3)
    expect(w.upper).toBeCloseTo(0.1744, 3)
    // equal rates: the ratio interval straddles 1
    const r = rateRatioInterval(50, 1, 50, 1, 0.025)
    expect(r.lower).toBeLessThan(1)
    expect(r.upper).toBeGreaterThan(1)
  })
})
