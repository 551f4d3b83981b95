import { describe, expect, it } from 'vitest'
import { deriveMixMetrics, describeResults, MULTIPLE_RESULT_TYPES, resultBreakdown, resultCount, singleResult } from './result-breakdown.ts'
import { addMetrics, deriveMetrics, type Metrics, zeroMetrics } from './vocabulary.ts'

const m = (over: Partial<Metrics>): Metrics => ({ ...zeroMetrics(), impressions: 10_000, clicks: 200, ...over })

// The account: lead campaigns cost €9.15 a lead, sales campaigns sell at €80.10, together €35.70 "per lead".
const leadCampaigns = m({ spend: 10_980, leads: 12 }) // €109.80 / 12 = €9.15
const salesCampaigns = m({ spend: 24_030, purchases: 3, leads: 0, purchaseValue: 96_120 }) // €240.30 / 3 = €80.10
const awareness = m({ spend: 5_000 })
const rows: Array<[string, Metrics]> = [
  ['OUTCOME_LEADS', leadCampaigns],
  ['OUTCOME_SALES', salesCampaigns],
  ['OUTCOME_AWARENESS', awareness],
]
const total = [leadCampaigns, salesCampaigns, awareness].reduce((t, x) => addMetrics(t, x), zeroMetrics())

describe('results per objective', () => {
  it('counts each result type over the spend of the campaigns seeking it', () => {
    const b = resultBreakdown(rows)
    expect(b.lines).toEqual([
      { kind: 'leads', results: 12, spend: 10_980, costPerResult: 915 },
      { kind: 'purchases', results: 3, spend: 24_030, costPerResult: 8_010 },
    ])
    expect(describeResults(b, 'EUR')).toBe('12 leads at €9.15 · 3 purchases at €80.10')
  })

  it('has no single results figure over several result types: "multiple result types"', () => {
    const d = deriveMixMetrics(total, rows)
    expect(d.multipleResults).toBe(true)
    expect(d.results).toBe(0)
    expect(d.resultLabel).toBeNull()
    expect(d.costPerResult).toBeNull()
    expect(MULTIPLE_RESULT_TYPES).toBe('multiple result types')
    // Never the whole account's spend over its leads (€400.10 / 12 = €33.34).
    expect(d.byResult.find((l) => l.kind === 'leads')?.costPerResult).toBe(915)
  })

  it('gives one result type its own line as the single figure, over its campaigns only', () => {
    const d = deriveMixMetrics(addMetrics(m({}), leadCampaigns), [
      ['OUTCOME_LEADS', leadCampaigns],
      ['OUTCOME_AWARENESS', awareness],
    ])
    expect(d).toMatchObject({ multipleResults: false, resultLabel: 'leads', results: 12, costPerResult: 915 })
    expect(singleResult(resultBreakdown([['OUTCOME_AWARENESS', awareness]]))).toEqual({ kind: 'none' })
  })

  it('computes ROAS over the spend of purchase-seeking campaigns only', () => {
    expect(deriveMixMetrics(total, rows).roas).toBeCloseTo(96_120 / 24_030) // 4.0, not 96,120 / 40,010
    // Purchase value a lead campaign happened to record does not make ROAS.
    expect(deriveMixMetrics(total, [['OUTCOME_LEADS', m({ spend: 1_000, leads: 2, purchaseValue: 5_000 })]]).roas).toBeNull()
    expect(deriveMetrics(m({ spend: 1_000, leads: 2, purchaseValue: 5_000 }), 'OUTCOME_LEADS').roas).toBeNull()
  })

  it('writes counts with the right noun', () => {
    expect(resultCount(1, 'leads')).toBe('1 lead')
    expect(resultCount(2, 'leads')).toBe('2 leads')
    expect(resultCount(1, 'purchases')).toBe('1 purchase')
    expect(resultCount(1, 'link clicks')).toBe('1 link click')
    expect(resultCount(3, 'link clicks')).toBe('3 link clicks')
  })
})
