/** The optimizer judges each finding where its cause lives: creative findings per ad, budget findings where the budget is. */
import { describe, expect, it } from 'vitest'
import { addDays, type IsoDate } from '../../lib/dates.ts'
import { runOptimizer } from './index.ts'
import type { AdSeries, AdSetSeries, CampaignSeries, DailyPoint, OptimizerContext } from './types.ts'

const TODAY: IsoDate = '2026-03-02'
const USD: OptimizerContext = { currency: 'USD', today: TODAY }
const DAYS = 60

type Day = Omit<DailyPoint, 'date'>

/** A steady ad-day k days before TODAY: ~5,000 impressions, 2.5 % CTR, $90, 4 leads. */
function steady(k: number, spend = 9_000, scale = 1): Day {
  const impressions = Math.round((5_000 + ([0, 150, -100, 50, -150, 100, -50][k % 7] ?? 0)) * scale)
  return {
    impressions,
    reach: Math.round(impressions / 1.2),
    clicks: Math.round(impressions * 0.025),
    linkClicks: 80,
    spend,
    leads: 4,
    purchases: 0,
    purchaseValue: 0,
  }
}

/** Frequency 1.2 → 2.3 and CTR 2.5 % → 1.2 % over the last 28 days. */
function fatigued(k: number, scale = 1): Day {
  const day = steady(k, 9_000, scale)
  const p = k > 28 ? 0 : (28 - k + 1) / 28
  return { ...day, reach: Math.round(day.impressions / (1.2 + 1.1 * p)), clicks: Math.round(day.impressions * (0.025 - 0.013 * p)) }
}

function ad(adId: string, day: (k: number) => Day | null, status = 'ACTIVE'): AdSeries {
  const days: DailyPoint[] = []
  for (let k = DAYS; k >= 1; k--) {
    const d = day(k)
    if (d) days.push({ ...d, date: addDays(TODAY, -k) })
  }
  return { adId, name: `Ad ${adId}`, status, days }
}

function adSet(adSetId: string, ads: AdSeries[], dailyBudgetMinor: number | null = null): AdSetSeries {
  return { adSetId, name: `Ad set ${adSetId}`, status: 'ACTIVE', dailyBudgetMinor, ads }
}

/** A campaign whose days are its ads' sums (as the sync rolls them up). */
function campaign(campaignId: string, adSets: AdSetSeries[], dailyBudgetMinor: number | null): CampaignSeries {
  const byDate = new Map<string, DailyPoint>()
  for (const s of adSets)
    for (const a of s.ads)
      for (const d of a.days) {
        const into = byDate.get(d.date)
        if (!into) byDate.set(d.date, { ...d })
        else
          for (const f of ['impressions', 'reach', 'clicks', 'linkClicks', 'spend', 'leads', 'purchases', 'purchaseValue'] as const)
            into[f] += d[f]
      }
  return {
    campaignId,
    name: `Campaign ${campaignId}`,
    objective: 'OUTCOME_LEADS',
    status: 'ACTIVE',
    dailyBudgetMinor,
    days: [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1)),
    adSets,
  }
}

const where = (s: { kind: string; level: string; adSetId?: string; adId?: string; change?: unknown }) => [
  s.kind,
  s.level,
  s.adSetId ?? null,
  s.adId ?? null,
]

describe('creative findings per ad', () => {
  it('a worn-out ad among delivering siblings: one suggestion, on the ad, proposing to pause it (not a second one for its campaign)', () => {
    // The worn-out ad gets 3× its siblings' impressions, so its campaign looks fatigued as well.
    const c = campaign(
      'c1',
      [adSet('s1', [ad('worn', (k) => fatigued(k, 3)), ad('b', (k) => steady(k)), ad('c', (k) => steady(k))])],
      30_000,
    )
    const found = runOptimizer([c], USD)
    expect(found.map(where)).toEqual([['creative_fatigue', 'ad', 's1', 'worn']])
    expect(found[0]?.change).toEqual({ type: 'pause' })
    expect(found[0]?.notice).toMatch(/^Pause this ad: 2 other ads of its ad set keep delivering/)
    expect(found[0]?.evidence[0]?.label).toMatch(/^Last 7 days/)
    expect(found[0]?.title).toMatch(/^People see this ad more often \(.*\) over the last (7|14) days — the creative is wearing out, /)
    // Without its ads, the same campaign is a campaign-level finding (as before ads were synced).
    const { adSets: _ads, ...alone } = c
    const onCampaign = runOptimizer([alone], USD)
    expect(onCampaign.map(where)).toEqual([['creative_fatigue', 'campaign', null, null]])
    expect(onCampaign[0]?.title).toMatch(
      /^People see the same ads more often \(.*\) over the last (7|14) days — the creatives are wearing out, /,
    )
  })

  it('the only ad delivering in its ad set: a notice to add creatives, nothing to apply', () => {
    const c = campaign(
      'c1',
      [
        adSet('s1', [ad('worn', (k) => fatigued(k)), ad('off', (k) => (k > 20 ? steady(k) : null))]),
        adSet('s2', [ad('b', (k) => steady(k))]),
      ],
      20_000,
    )
    const found = runOptimizer([c], USD)
    expect(found.map(where)).toEqual([['creative_fatigue', 'ad', 's1', 'worn']])
    expect(found[0]?.change).toBeUndefined()
    expect(found[0]?.notice).toMatch(/only ad delivering in its ad set, so pausing it would stop the ad set/)
  })

  it('most of the delivering ads worn out: one finding for the campaign (its audience or offer), none per ad', () => {
    const c = campaign('c1', [adSet('s1', [ad('a', (k) => fatigued(k)), ad('b', (k) => fatigued(k)), ad('c', (k) => steady(k))])], 30_000)
    expect(runOptimizer([c], USD).map(where)).toEqual([['creative_fatigue', 'campaign', null, null]])
  })

  it('an ad few people click: judged against the account’s other ads, and its words name the ad', () => {
    const dull = (k: number) => ({ ...steady(k), clicks: Math.round(steady(k).impressions * 0.005) })
    const c = campaign('c1', [adSet('s1', [ad('dull', dull), ad('b', (k) => steady(k)), ad('c', (k) => steady(k))])], 30_000)
    const found = runOptimizer([c], USD)
    expect(found.map(where)).toEqual([['low_ctr', 'ad', 's1', 'dull']])
    expect(found[0]?.title).toMatch(/^Only 0\.50% of people who see this ad click \(.*\), against 2\.50% for the account's similar ads — /)
    expect(found[0]?.evidence.find((e) => e.label.startsWith('Account CTR'))?.value).toMatch(/\(2 other ads\)$/)
  })

  it('judges no ad below the minimum impressions, and no paused ad', () => {
    const small = campaign(
      'c1',
      [adSet('s1', [ad('tiny', (k) => fatigued(k, 0.005)), ad('b', (k) => steady(k)), ad('c', (k) => steady(k))])],
      30_000,
    )
    expect(runOptimizer([small], USD).filter((s) => s.level === 'ad')).toEqual([])
    const paused = campaign(
      'c2',
      [adSet('s1', [ad('worn', (k) => fatigued(k), 'PAUSED'), ad('b', (k) => steady(k)), ad('c', (k) => steady(k))])],
      30_000,
    )
    expect(runOptimizer([paused], USD).filter((s) => s.level === 'ad')).toEqual([])
  })
})

describe('budget findings where the budget lives', () => {
  // Spending more for proportionally more leads: a pacing problem, not a cost one.
  const hot = (k: number) => (k <= 14 ? { ...steady(k, 7_000), leads: 6 } : steady(k, 4_500))
  const calm = (k: number) => steady(k, 4_500)

  it('ad set budgets: the overspending ad set gets a lower budget of its own; its sibling and the campaign get nothing', () => {
    const c = campaign(
      'c1',
      [adSet('hot', [ad('h1', hot), ad('h2', hot)], 10_000), adSet('calm', [ad('k1', calm), ad('k2', calm)], 10_000)],
      null,
    )
    const found = runOptimizer([c], USD)
    expect(found.map(where)).toEqual([['overpacing', 'adset', 'hot', null]])
    expect(found[0]?.change).toEqual({ type: 'set_daily_budget', fromMinor: 10_000, toMinor: 8_000 })
    expect(found[0]?.campaignId).toBe('c1')
  })

  it('a campaign budget: pacing is the campaign’s, whatever its ad sets do', () => {
    const c = campaign('c1', [adSet('hot', [ad('h1', hot), ad('h2', hot)]), adSet('calm', [ad('k1', hot), ad('k2', hot)])], 20_000)
    expect(runOptimizer([c], USD).map(where)).toEqual([['overpacing', 'campaign', null, null]])
  })

  it('an ad set that stopped delivering: zero delivery on it, and it silences its ads’ creative findings', () => {
    const stopped = (k: number) => (k <= 4 ? null : fatigued(k))
    const c = campaign(
      'c1',
      [adSet('gone', [ad('g1', stopped), ad('g2', stopped)], 10_000), adSet('fine', [ad('f1', calm), ad('f2', calm)], 10_000)],
      null,
    )
    const found = runOptimizer([c], USD)
    expect(found.map(where)).toEqual([['zero_delivery', 'adset', 'gone', null]])
    expect(found[0]?.notice).toBe(
      'Nothing to apply through the API: check in Ads Manager why it stopped — rejected ads, its schedule ended, the account spending limit, or a payment problem.',
    )
  })

  it('an ad set buying leads far cheaper than its siblings, held back by its budget: scale it, judged against the other ad sets', () => {
    // No other campaign in the account: the peers are the ad set's siblings (same objective), not campaigns.
    const cheap = (k: number) => ({ ...steady(k, 9_500 - (k % 3) * 100), leads: 20 })
    const c = campaign(
      'c1',
      [
        adSet('win', [ad('w1', cheap), ad('w2', cheap)], 20_000),
        adSet('s2', [ad('a1', calm), ad('a2', calm)], 10_000),
        adSet('s3', [ad('b1', calm), ad('b2', calm)], 10_000),
      ],
      null,
    )
    const found = runOptimizer([c], USD)
    expect(found.map(where)).toEqual([['scale_winner', 'adset', 'win', null]])
    expect(found[0]?.change).toMatchObject({ type: 'set_daily_budget', fromMinor: 20_000 })
    const reference = found[0]?.evidence.find((e) => e.label === 'account CPL')?.value
    expect(reference).toMatch(/\(2 other ad sets with this objective, /)
    expect(found[0]?.title).toContain('well below the account CPL of $11.25')
  })
})
