import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadFixture } from '../../../test/support/meta-fixtures.ts'
import { graphGet, graphPost, NOW, US } from '../../../test/support/meta-sim.ts'
import { startMetaSimulator } from './index.ts'
import type { MetaSimulator } from './types.ts'

const MINUTE = 60_000

describe('meta-sim writes on ad sets, ads and deletions', () => {
  let sim: MetaSimulator
  let now: Date
  beforeEach(async () => {
    now = NOW
    sim = await startMetaSimulator({ now: () => now })
  })
  afterEach(async () => {
    await sim.close()
  })

  const del = async (id: string) => {
    const res = await fetch(`${sim.url}/v26.0/${id}?access_token=${sim.accessToken}`, { method: 'DELETE' })
    return { status: res.status, json: (await res.json()) as Record<string, unknown> }
  }

  it('changes an ad set budget at most 4 times per hour, and refuses one under a campaign budget', async () => {
    const abo = sim.state.adSets(US).find((s) => s.effectiveStatus === 'ACTIVE' && s.dailyBudget !== undefined)!
    for (let i = 0; i < 4; i++) {
      now = new Date(NOW.getTime() + i * 5 * MINUTE)
      expect((await graphPost(sim, `/${abo.id}`, { daily_budget: 5000 + i * 100 })).json).toEqual({ success: true })
    }
    const limit = loadFixture('error-613-adset-budget-change-limit.json')
    const blocked = await graphPost(sim, `/${abo.id}`, { daily_budget: 9000 })
    expect({ ...blocked.json.error, fbtrace_id: 'x' }).toEqual({ ...(limit.body as { error: object }).error, fbtrace_id: 'x' })
    expect(sim.state.adSet(abo.id)?.dailyBudget).toBe(5300)
    expect((await graphGet(sim, `/${abo.id}`, { fields: 'daily_budget' })).json.daily_budget).toBe('5300')
    expect((await graphPost(sim, `/${abo.id}`, { daily_budget: 100 })).json.error).toMatchObject({
      error_subcode: 1885272,
      error_user_msg: expect.stringContaining('ad set'),
    })

    const cbo = sim.state.adSets(US).find((s) => s.effectiveStatus === 'ACTIVE' && s.dailyBudget === undefined)!
    const refused = await graphPost(sim, `/${cbo.id}`, { daily_budget: 5000 })
    expect(refused.json.error).toMatchObject({
      code: 100,
      error_subcode: 1885621,
      error_user_msg: 'You can only set an ad set budget or a campaign budget.',
    })
    // A campaign whose ad sets hold the budgets refuses a campaign budget the same way.
    expect((await graphPost(sim, `/${abo.campaignId}`, { daily_budget: 5000 })).json.error.error_subcode).toBe(1885621)
  })

  it('refuses an ad set budget under the minimum of its optimisation goal (conversions: low_freq), as Meta does', async () => {
    const abo = sim.state.adSets(US).filter((s) => s.effectiveStatus === 'ACTIVE' && s.dailyBudget !== undefined)
    const conversions = abo.find((s) => ['LEAD_GENERATION', 'OFFSITE_CONVERSIONS'].includes(s.optimizationGoal))!
    // $39.00 passes the clicks minimum ($5.00) but not the conversions one ($40.00).
    expect((await graphPost(sim, `/${conversions.id}`, { daily_budget: 3900 })).json.error).toMatchObject({
      error_subcode: 1885272,
      error_user_msg: expect.stringContaining('$40.00'),
    })
    expect((await graphPost(sim, `/${conversions.id}`, { daily_budget: 4000 })).json).toEqual({ success: true })
  })

  it('pauses and reactivates ad sets and ads, and validates their parameters', async () => {
    const adSet = sim.state.adSets(US).find((s) => s.effectiveStatus === 'ACTIVE')!
    expect((await graphPost(sim, `/${adSet.id}`, { status: 'PAUSED' })).json).toEqual({ success: true })
    expect((await graphGet(sim, `/${adSet.id}`, { fields: 'status,effective_status' })).json).toMatchObject({
      status: 'PAUSED',
      effective_status: 'PAUSED',
    })
    expect((await graphPost(sim, `/${adSet.id}`, { status: 'ACTIVE' })).status).toBe(200)
    const ad = sim.state.ads(adSet.id).find((a) => a.status === 'ACTIVE')!
    expect((await graphPost(sim, `/${ad.id}`, { status: 'PAUSED', name: 'Paused by a test' })).json).toEqual({ success: true })
    expect(sim.state.ad(ad.id)).toMatchObject({ status: 'PAUSED', effectiveStatus: 'PAUSED', name: 'Paused by a test' })
    expect((await graphPost(sim, `/${ad.id}`, { daily_budget: 5000 })).json.error.code).toBe(100)
    expect((await graphPost(sim, `/${ad.id}`, { status: 'SLEEPING' })).json.error.message).toBe(
      '(#100) status must be one of the following values: ACTIVE, PAUSED, DELETED, ARCHIVED',
    )
    expect((await graphPost(sim, `/${adSet.id}`, { status: 'PAUSED', execution_options: '["validate_only"]' })).json).toEqual({
      success: true,
    })
    expect(sim.state.adSet(adSet.id)?.status).toBe('ACTIVE')
  })

  it('deletes and archives campaigns, ad sets and ads; archived ones can only be deleted, deleted ones not edited', async () => {
    const campaign = sim.state.campaigns(US).find((c) => c.status === 'ACTIVE')!
    const adSet = sim.state.adSets(campaign.id).find((s) => s.status === 'ACTIVE')!
    const ad = sim.state.ads(adSet.id).find((a) => a.status === 'ACTIVE')!
    expect(await del(ad.id)).toEqual({ status: 200, json: { success: true } })
    expect((await graphGet(sim, `/${ad.id}`, { fields: 'status,effective_status' })).json).toMatchObject({
      status: 'DELETED',
      effective_status: 'DELETED',
    })
    expect((await graphPost(sim, `/${ad.id}`, { status: 'ACTIVE' })).json.error.error_user_title).toBe('Ad Is Deleted')
    expect((await graphPost(sim, `/${adSet.id}`, { status: 'ARCHIVED' })).status).toBe(200)
    expect((await graphPost(sim, `/${adSet.id}`, { status: 'ACTIVE' })).json.error.error_user_title).toBe('Ad Set Is Archived')
    expect((await graphPost(sim, `/${adSet.id}`, { status: 'DELETED' })).status).toBe(200)
    expect((await graphPost(sim, `/${campaign.id}`, { status: 'DELETED' })).json).toEqual({ success: true })
    expect(sim.state.campaign(campaign.id)?.effectiveStatus).toBe('DELETED')
    const list = await graphGet(sim, `/act_${US}/campaigns`, { fields: 'id', limit: 100 })
    expect(list.json.data.map((c: { id: string }) => c.id)).not.toContain(campaign.id)
    const withDeleted = await graphGet(sim, `/act_${US}/campaigns`, { fields: 'id', effective_status: '["DELETED"]', limit: 100 })
    expect(withDeleted.json.data.map((c: { id: string }) => c.id)).toContain(campaign.id)
    expect((await del('999999999')).json).toMatchObject({ error: { code: 100, error_subcode: 33 } })
  })

  it('takes Ads Manager edits over the control API', async () => {
    const ad = sim.state.ads(US).find((a) => a.effectiveStatus === 'ACTIVE')!
    const post = (id: string, body: unknown, token = sim.controlToken) =>
      fetch(`${sim.url}/__sim/objects/${id}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const before = sim.stats().requests
    expect((await post(ad.id, { status: 'ARCHIVED' })).status).toBe(200)
    expect(sim.state.ad(ad.id)?.effectiveStatus).toBe('ARCHIVED')
    expect(sim.stats().requests).toBe(before)
    const abo = sim.state.adSets(US).find((s) => s.dailyBudget !== undefined)!
    expect((await post(abo.id, { daily_budget: 12_300 })).status).toBe(200)
    expect(sim.state.adSet(abo.id)?.dailyBudget).toBe(12_300)
    const cbo = sim.state.adSets(US).find((s) => s.dailyBudget === undefined)!
    expect((await post(cbo.id, { daily_budget: 12_300 })).status).toBe(400)
    expect((await post('123', { status: 'DELETED' })).status).toBe(404)
    expect((await post(ad.id, { status: 'GONE' })).status).toBe(400)
    expect((await post(ad.id, { status: 'DELETED' }, 'wrong')).status).toBe(401)
  })
})
