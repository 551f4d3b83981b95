import { describe, expect, it } from 'vitest'
import { type Metrics, zeroMetrics } from '../metrics/vocabulary.ts'
import { rankEfficiency } from './digest-figures.ts'
import type { DigestCampaign } from './load-digest-rows.ts'

let n = 0
function campaign(name: string, objective: string, status = 'ACTIVE', effectiveStatus = status): DigestCampaign {
  n++
  return { id: `c${n}`, adAccountId: 'a', metaCampaignId: String(n), name, objective, status, effectiveStatus, dailyBudget: null }
}
const week = (spend: number, results: Partial<Metrics>): Metrics => ({
  ...zeroMetrics(),
  impressions: 10_000,
  clicks: 100,
  spend,
  ...results,
})

describe('campaign rankings in the digest', () => {
  it('never ranks archived or deleted campaigns, however efficient', () => {
    const cs = [
      campaign('Archived star', 'OUTCOME_LEADS', 'ARCHIVED'),
      campaign('Deleted star', 'OUTCOME_LEADS', 'ACTIVE', 'DELETED'),
      campaign('Lead A', 'OUTCOME_LEADS'),
      campaign('Lead B', 'OUTCOME_LEADS', 'PAUSED'),
    ]
    const weeks = new Map<string, Metrics>([
      [cs[0]!.id, week(1_000, { leads: 50 })],
      [cs[1]!.id, week(1_000, { leads: 50 })],
      [cs[2]!.id, week(10_000, { leads: 10 })],
      [cs[3]!.id, week(30_000, { leads: 10 })],
    ])
    const r = rankEfficiency(cs, weeks, 'EUR')
    const names = [...r.top, ...r.bottom, ...r.alone].map((c) => c.name)
    expect(names).not.toContain('Archived star')
    expect(names).not.toContain('Deleted star')
    expect(r.top.map((c) => c.name)).toEqual(['Lead A'])
    expect(r.bottom.map((c) => c.name)).toEqual(['Lead B'])
    // Compared with the lead campaigns' pooled €20.00, not with the archived ones.
    expect(r.bottom[0]!.reason).toBe("€30.00 per lead, 50% above the lead campaigns' €20.00 (10 leads in 7 days)")
  })

  it('describes a campaign alone of its objective instead of ranking it', () => {
    const cs = [campaign('Only leads', 'OUTCOME_LEADS'), campaign('Shop 1', 'OUTCOME_SALES'), campaign('Shop 2', 'OUTCOME_SALES')]
    const weeks = new Map<string, Metrics>([
      [cs[0]!.id, week(16_940, { leads: 14 })],
      [cs[1]!.id, week(40_000, { purchases: 10 })],
      [cs[2]!.id, week(80_000, { purchases: 10 })],
    ])
    const r = rankEfficiency(cs, weeks, 'EUR')
    expect(r.alone.map((c) => [c.name, c.reason])).toEqual([['Only leads', 'the only lead campaign: 14 leads at €12.10 in 7 days']])
    expect([...r.top, ...r.bottom].map((c) => c.name)).toEqual(['Shop 1', 'Shop 2'])
    const one = rankEfficiency([cs[0]!], new Map([[cs[0]!.id, week(1_210, { leads: 1 })]]), 'EUR')
    expect(one.alone[0]!.reason).toBe('the only lead campaign: 1 lead at €12.10 in 7 days')
  })

  it('ranks only against comparable peers: same result type, enough results', () => {
    // Two lead campaigns, one with too few leads: no comparison; the sales campaigns cannot be their peers.
    const cs = [campaign('Few leads', 'OUTCOME_LEADS'), campaign('Many leads', 'OUTCOME_LEADS'), campaign('Shop', 'OUTCOME_SALES')]
    const weeks = new Map<string, Metrics>([
      [cs[0]!.id, week(5_000, { leads: 2 })],
      [cs[1]!.id, week(10_000, { leads: 20 })],
      [cs[2]!.id, week(50_000, { purchases: 10 })],
    ])
    const r = rankEfficiency(cs, weeks, 'USD')
    expect(r.top).toEqual([])
    expect(r.bottom).toEqual([])
    expect(r.ranked).toBe(0)
    expect(r.alone.map((c) => c.name)).toEqual(['Shop'])
  })
})
