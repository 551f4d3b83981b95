import { describe, expect, it } from 'vitest'
import type { LevelTotals } from '../metrics/load-level-totals.ts'
import { zeroMetrics } from '../metrics/vocabulary.ts'
import { rankAds } from './rank-ads.ts'

let n = 0
function ad(
  name: string,
  spend: number,
  results: number,
  over: Partial<Pick<LevelTotals, 'objective' | 'status' | 'effectiveStatus' | 'creativeName'>> = {},
): LevelTotals {
  const objective = over.objective ?? 'OUTCOME_LEADS'
  const field = objective === 'OUTCOME_SALES' ? 'purchases' : objective === 'OUTCOME_TRAFFIC' ? 'linkClicks' : 'leads'
  n++
  return {
    ...zeroMetrics(),
    spend,
    [field]: results,
    level: 'ad',
    id: `ad${n}`,
    metaId: String(n),
    name,
    status: over.status ?? 'ACTIVE',
    effectiveStatus: over.effectiveStatus ?? over.status ?? 'ACTIVE',
    objective,
    campaign: { id: 'c', name: 'Spring', metaId: '9' },
    adSet: { id: 's', name: 'Prospecting', metaId: '99' },
    creativeName: over.creativeName ?? `${name} creative`,
    dailyBudget: null,
    lifetimeBudget: null,
  }
}

describe('rankAds', () => {
  it('names the cheapest ads with enough results and the dearest that spent enough, against the pooled cost', () => {
    const ads = [
      ad('Cheap', 2_000, 10), // $2.00 per lead
      ad('Cheaper but few', 300, 3), // $1.00 but only 3 leads: not judged as best
      ad('Average', 5_000, 10), // $5.00
      ad('Dear', 9_000, 6), // $15.00
      ad('Nothing', 4_000, 0), // spent without a lead
      ad('Nothing yet', 1_000, 0), // too little spent to judge
    ]
    // pooled: 21,300 / 29 leads = 734.5 minor; threshold 5 × 734.5 → 3,673
    const [r, ...others] = rankAds(ads, 'USD')
    expect(others).toEqual([])
    expect(r?.resultKind).toBe('leads')
    expect(r?.pooledCostPerResultMinor).toBeCloseTo(21_300 / 29, 9)
    expect(r?.minSpendMinor).toBe(Math.ceil((5 * 21_300) / 29))
    expect(r?.adsWithSpend).toBe(6)
    expect(r?.best.map((a) => a.name)).toEqual(['Cheap', 'Average'])
    expect(r?.worst.map((a) => a.name)).toEqual(['Nothing', 'Dear'])
    expect(r?.best[0]?.reason).toBe('$2.00 per lead (10 leads, $20.00 spent)')
    expect(r?.worst[0]?.reason).toBe('$40.00 spent without a lead')
    expect(r?.worst[1]).toMatchObject({ costPerResultMinor: 1_500, reason: '$15.00 per lead (6 leads, $90.00 spent)' })
  })

  it('needs the threshold: an ad without a result just below it is not named, at it is', () => {
    const base = [ad('A', 5_000, 10), ad('B', 5_000, 10)] // pooled $5.00 with the zero ad: 10,000 + x over 20
    const below = rankAds([...base, ad('Zero', 2_700, 0)], 'USD')[0]
    // pooled 12,700 / 20 = 635 → threshold 3,175
    expect(below?.minSpendMinor).toBe(3_175)
    expect(below?.worst).toEqual([])
    const at = rankAds([...base, ad('Zero', 3_400, 0)], 'USD')[0]
    // pooled 13,400 / 20 = 670 → threshold 3,350
    expect(at?.worst.map((a) => a.name)).toEqual(['Zero'])
  })

  it('keeps result types apart, most spend first, and labels archived, deleted and paused ads', () => {
    const ranked = rankAds(
      [
        ad('Lead A', 1_000, 10),
        ad('Lead B', 3_000, 10, { status: 'DELETED' }),
        ad('Sale A', 10_000, 10, { objective: 'OUTCOME_SALES', status: 'ARCHIVED' }),
        ad('Sale B', 30_000, 10, { objective: 'OUTCOME_SALES', effectiveStatus: 'ADSET_PAUSED' }),
        ad('Awareness', 50_000, 0, { objective: 'OUTCOME_AWARENESS' }),
      ],
      'EUR',
    )
    expect(ranked.map((r) => [r.resultKind, r.best.map((a) => [a.name, a.state]), r.worst.map((a) => [a.name, a.state])])).toEqual([
      ['purchases', [['Sale A', 'archived']], [['Sale B', 'paused']]],
      ['leads', [['Lead A', 'active']], [['Lead B', 'deleted']]],
    ])
  })

  it('says nothing without enough data: a lone ad, no result at all, no spend, nothing past either bar', () => {
    expect(rankAds([], 'USD')).toEqual([])
    expect(rankAds([ad('Alone', 10_000, 40)], 'USD')).toEqual([])
    expect(rankAds([ad('A', 5_000, 0), ad('B', 9_000, 0)], 'USD')).toEqual([])
    expect(rankAds([ad('A', 0, 0), ad('B', 500, 10)], 'USD')).toEqual([])
    // Few results each, equal costs: nobody is best (too few results) or dearer than the pool.
    expect(rankAds([ad('A', 300, 3), ad('B', 300, 3)], 'USD')).toEqual([])
  })

  it('names at most three per list', () => {
    const ads = [
      ...Array.from({ length: 10 }, (_, i) => ad(`Good ${i}`, 1_000 + i, 10)),
      ...Array.from({ length: 10 }, (_, i) => ad(`Bad ${i}`, 20_000 + i, 0)),
    ]
    const [r] = rankAds(ads, 'USD')
    expect(r?.best.map((a) => a.name)).toEqual(['Good 0', 'Good 1', 'Good 2'])
    expect(r?.worst.map((a) => a.name)).toEqual(['Bad 9', 'Bad 8', 'Bad 7'])
  })
})
