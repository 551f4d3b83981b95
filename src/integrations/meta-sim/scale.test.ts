import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixedNow, LEADS_FIELDS, walkPages } from '../../../test/support/meta-sim.ts'
import { startMetaSimulator } from './index.ts'
import type { MetaSimulator } from './types.ts'

describe('meta-sim at benchmark scale', () => {
  let sim: MetaSimulator
  let startupMs = 0
  beforeAll(async () => {
    const t = performance.now()
    sim = await startMetaSimulator({
      now: fixedNow,
      accounts: [{ id: '500500500', name: 'Scale test', currency: 'USD', timezoneName: 'America/New_York', campaigns: 500 }],
    })
    startupMs = performance.now() - t
  })
  afterAll(async () => {
    await sim.close()
  })

  it('generates 500 campaigns quickly', async () => {
    expect(sim.state.campaigns('500500500')).toHaveLength(500)
    expect(new Set(sim.state.campaigns('500500500').map((c) => c.name)).size).toBe(500)
    expect(startupMs).toBeLessThan(2_000)
  })

  it('serves 500 campaigns × 28 days in a bounded number of pages at limit=500', async () => {
    const params = { fields: `${LEADS_FIELDS},action_values`, level: 'campaign', time_increment: 1, date_preset: 'last_28d', limit: 500 }
    let t = performance.now()
    const cold = await walkPages(sim, '/act_500500500/insights', params)
    const coldMs = performance.now() - t
    t = performance.now()
    const warm = await walkPages(sim, '/act_500500500/insights', params)
    const warmMs = performance.now() - t
    expect(warm.rows).toEqual(cold.rows)
    const delivering = sim.state.campaigns('500500500').filter((c) => c.delivers)
    expect(cold.rows.length).toBeGreaterThan(8_000)
    expect(cold.rows.length).toBeLessThanOrEqual(500 * 28)
    expect(new Set(cold.rows.map((r) => r.campaign_id)).size).toBeLessThanOrEqual(delivering.length)
    expect(cold.pages).toBe(Math.ceil(cold.rows.length / 500))
    expect(cold.pages).toBeLessThanOrEqual(28)
    expect(coldMs).toBeLessThan(10_000)
    console.info(
      `meta-sim: ${cold.rows.length} rows in ${cold.pages} pages; cold ${coldMs.toFixed(0)} ms, warm ${warmMs.toFixed(0)} ms; startup ${startupMs.toFixed(0)} ms`,
    )
  })
})
