import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Json } from '../../../test/support/json.ts'
import { fixedNow, graphGet, graphPost, LEADS_FIELDS, walkPages } from '../../../test/support/meta-sim.ts'
import { SCALE_SIM_ACCOUNT, startMetaSimulator } from './index.ts'
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

describe('meta-sim scale preset (200 campaigns × 5 ad sets × 4 ads)', () => {
  let sim: MetaSimulator
  beforeAll(async () => {
    sim = await startMetaSimulator({ now: fixedNow, accounts: [SCALE_SIM_ACCOUNT] })
  })
  afterAll(async () => {
    await sim.close()
  })

  it('has 4,000 ads, serves level=ad for 28 days only asynchronously, in pages of 500', async () => {
    const id = SCALE_SIM_ACCOUNT.id
    expect(sim.state.adSets(id)).toHaveLength(1_000)
    expect(sim.state.ads(id)).toHaveLength(4_000)
    const params = {
      level: 'ad',
      fields: 'campaign_id,adset_id,ad_id,ad_name,impressions,reach,clicks,inline_link_clicks,spend,actions,action_values',
      time_increment: 1,
      date_preset: 'last_28d',
      limit: 500,
    }
    const sync = await graphGet(sim, `/act_${id}/insights`, params)
    expect(sync.json.error).toMatchObject({ code: 100, error_subcode: 1504018 })
    const campaigns = await walkPages(sim, `/act_${id}/insights`, { ...params, level: 'campaign', fields: 'campaign_id,impressions,spend' })
    const t = performance.now()
    const run = await graphPost(sim, `/act_${id}/insights`, params)
    for (let i = 0; i < 3; i++) await graphGet(sim, `/${run.json.report_run_id}`)
    const ads = await walkPages(sim, `/${run.json.report_run_id}/insights`, { limit: 500 })
    const ms = performance.now() - t
    expect(ads.rows.length).toBeGreaterThan(50_000)
    expect(ads.pages).toBe(Math.ceil(ads.rows.length / 500))
    const impressions = (rows: Json[]) => rows.reduce((s, r) => s + Number(r.impressions), 0)
    expect(impressions(ads.rows)).toBe(impressions(campaigns.rows))
    console.info(`meta-sim scale preset: ${ads.rows.length} ad rows in ${ads.pages} pages of an async run, ${ms.toFixed(0)} ms`)
  })
})
