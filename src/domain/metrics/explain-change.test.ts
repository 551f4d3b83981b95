import { describe, expect, it } from 'vitest'
import { type ChildPeriods, decomposeByChild, decomposeCostPerResult, decomposeSpendMix } from './explain-change.ts'

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

describe("drill-down: each child's part of the change in cost per result", () => {
  const child = (name: string, previous: [number, number], current: [number, number]): ChildPeriods => ({
    id: name,
    name,
    previous: { spend: previous[0], results: previous[1] },
    current: { spend: current[0], results: current[1] },
  })
  const sumOf = (xs: Array<number | null>) => xs.reduce<number>((n, x) => n + (x ?? 0), 0)

  it('splits the change into parts that add up to it exactly, naming new and stopped children', () => {
    const d = decomposeByChild([
      child('Steady', [10_000, 20], [10_000, 20]), // $5.00 both periods, same volume
      child('Worse', [6_000, 20], [6_000, 10]), // lost half its results for the same spend
      child('New', [0, 0], [4_000, 5]), // $8.00, dearer than the parent
      child('Stopped', [2_000, 10], [0, 0]), // $2.00, cheaper than the parent: its loss makes the parent dearer
    ])
    // before: 18,000 / 50 = 360; after: 20,000 / 35 = 571.43
    expect(d.costPerResult.previous).toBe(360)
    expect(d.costPerResult.current).toBeCloseTo(20_000 / 35, 9)
    expect(d.costPerResult.change).toBeCloseTo(20_000 / 35 - 360, 9)
    expect(sumOf(d.children.map((c) => c.costContribution))).toBeCloseTo(d.costPerResult.change!, 9)
    expect(sumOf(d.children.map((c) => c.costSharePct))).toBeCloseTo(100, 9)
    const by = Object.fromEntries(d.children.map((c) => [c.name, c]))
    expect(by.Steady!.costContribution).toBeCloseTo(0, 9)
    expect(by.Worse!.costContribution).toBeGreaterThan(0)
    expect(by.New!.costContribution).toBeGreaterThan(0)
    expect(by.Stopped!.costContribution).toBeGreaterThan(0)
    expect([by.New!.change, by.Stopped!.change, by.Steady!.change]).toEqual(['new', 'stopped', 'continuing'])
    // Stopped: ½[(−2,000 + 360 × 10) / 35 + (−2,000 + 571.43 × 10) / 50] = 60; New: ½[(4,000 − 1,800) / 35 + (4,000 − 2,857.14) / 50] = 42.86
    expect(by.Stopped!.costContribution).toBeCloseTo(60, 9)
    expect(by.New!.costContribution).toBeCloseTo(300 / 7, 9)
    expect(d.children.map((c) => c.name)).toEqual(['Worse', 'Stopped', 'New', 'Steady'])
    expect(d.spend).toEqual({ previous: 18_000, current: 20_000, change: 2_000 })
    expect(d.results).toEqual({ previous: 50, current: 35, change: -15 })
    expect(d.note).toBeNull()
  })

  it("gives nothing to a child whose spend grew at the parent's cost per result, and sums exactly on random data", () => {
    const grew = decomposeByChild([child('A', [1_000, 10], [3_000, 30]), child('B', [1_000, 10], [1_000, 10])])
    expect(grew.children.find((c) => c.name === 'A')!.costContribution).toBeCloseTo(0, 9)
    let seed = 7
    const rnd = (n: number) => {
      seed = (seed * 48_271) % 2_147_483_647
      return seed % n
    }
    for (let run = 0; run < 200; run++) {
      const rows = Array.from({ length: 1 + rnd(12) }, (_, i) =>
        child(`c${i}`, [rnd(5) === 0 ? 0 : rnd(100_000), rnd(40)], [rnd(5) === 0 ? 0 : rnd(100_000), rnd(40)]),
      )
      const d = decomposeByChild(rows)
      if (d.costPerResult.change === null) continue
      expect(sumOf(d.children.map((c) => c.costContribution))).toBeCloseTo(d.costPerResult.change, 6)
    }
  })

  it('splits only spend and results when one period has no result', () => {
    const d = decomposeByChild([child('A', [1_000, 0], [2_000, 4]), child('B', [500, 0], [0, 0])])
    expect(d.costPerResult).toEqual({ previous: null, current: 500, change: null, changePct: null })
    expect(d.children.map((c) => [c.name, c.costContribution, c.spendChange])).toEqual([
      ['A', null, 1_000],
      ['B', null, -500],
    ])
    expect(d.note).toMatch(/No results in the earlier period/)
  })
})
