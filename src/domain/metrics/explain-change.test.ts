import { describe, expect, it } from 'vitest'
import { decomposeCostPerResult, decomposeSpendMix } from './explain-change.ts'

describe('cost per result decomposition', () => {
  it('attributes the change to CPM, CTR and conversion rate, biggest first, multiplying back to the total', () => {
    // CPM ×1.2, CTR ×0.9, conversion rate ×1.0 → cost per result ×1.2/0.9 = ×1.333
    const d = decomposeCostPerResult(
      { spend: 10_000, impressions: 10_000, clicks: 100, results: 10 },
      { spend: 12_000, impressions: 10_000, clicks: 90, results: 9 },
    )
    expect(d.costPerResult.changePct).toBeCloseTo(33.33, 1)
    expect(d.drivers.map((x) => x.name)).toEqual(['CPM', 'CTR', 'conversion rate'])
    expect(d.drivers[0]!.effectOnCostPct).toBeCloseTo(20, 6)
    expect(d.drivers[1]!.effectOnCostPct).toBeCloseTo(11.11, 1)
    expect(d.drivers[2]!.effectOnCostPct).toBeCloseTo(0, 6)
    const product = d.drivers.reduce((p, x) => p * (1 + x.effectOnCostPct! / 100), 1)
    expect(product).toBeCloseTo(1 + d.costPerResult.changePct! / 100, 9)
    expect(d.note).toBeNull()
  })

  it('says why when there is nothing to compare', () => {
    const d = decomposeCostPerResult(
      { spend: 1_000, impressions: 1_000, clicks: 10, results: 0 },
      { spend: 1_000, impressions: 1_000, clicks: 10, results: 2 },
    )
    expect(d.costPerResult.changePct).toBeNull()
    expect(d.note).toMatch(/No results in the earlier period/)
    expect(d.drivers.at(-1)).toMatchObject({ name: 'conversion rate', effectOnCostPct: null })
  })

  it('separates a shift of spend towards a pricier campaign from the campaigns getting pricier', () => {
    const mix = decomposeSpendMix([
      { name: 'cheap', previous: { spend: 800, results: 80 }, current: { spend: 200, results: 20 } },
      { name: 'pricey', previous: { spend: 200, results: 5 }, current: { spend: 800, results: 20 } },
    ])
    // Same cost per result per campaign: the whole change is mix.
    expect(mix.rateEffectPct).toBeCloseTo(0, 9)
    expect(mix.mixEffectPct).toBeGreaterThan(100)
    expect(mix.campaigns[0]).toMatchObject({ shareChangePts: expect.closeTo(-60, 6) as number })
  })
})
