import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadFixture } from '../../../test/support/meta-fixtures.ts'
import { graphGet, graphPost, JP, NOW, num, US } from '../../../test/support/meta-sim.ts'
import { startMetaSimulator } from './index.ts'
import type { MetaSimulator } from './types.ts'

const MINUTE = 60_000

describe('meta-sim writes', () => {
  let sim: MetaSimulator
  let now: Date
  beforeEach(async () => {
    now = NOW
    sim = await startMetaSimulator({ now: () => now })
  })
  afterEach(async () => {
    await sim.close()
  })

  const create = (form: Record<string, string | number>) =>
    graphPost(sim, `/act_${US}/campaigns`, {
      name: 'Promoly | Leads | Instant Form | US',
      objective: 'OUTCOME_LEADS',
      status: 'PAUSED',
      special_ad_categories: '[]',
      ...form,
    })

  it('creates a campaign and reads it back', async () => {
    const fixture = loadFixture('campaign-create.response.json')
    const res = await create({ daily_budget: 5000, buying_type: 'AUCTION', is_adset_budget_sharing_enabled: 'false' })
    expect(res.status).toBe(200)
    expect(Object.keys(res.json)).toEqual(Object.keys(fixture.body as object))
    expect(res.json.id).toMatch(/^\d{18}$/)
    expect(sim.stats().writes).toBe(1)

    const back = await graphGet(sim, `/${res.json.id}`, {
      fields: 'name,objective,status,effective_status,daily_budget,special_ad_categories,created_time,bid_strategy',
    })
    expect(back.json).toEqual({
      name: 'Promoly | Leads | Instant Form | US',
      objective: 'OUTCOME_LEADS',
      status: 'PAUSED',
      effective_status: 'PAUSED',
      daily_budget: '5000',
      special_ad_categories: [],
      created_time: '2026-11-25T07:26:30-0500',
      bid_strategy: 'LOWEST_COST_WITHOUT_CAP',
      id: res.json.id,
    })
    const list = await graphGet(sim, `/act_${US}/campaigns`, { fields: 'id', limit: 1 })
    expect(list.json.data[0].id).toBe(res.json.id)
    // No ads yet, so no delivery.
    const ins = await graphGet(sim, `/${res.json.id}/insights`, { date_preset: 'today' })
    expect(ins.json).toEqual({ data: [] })
  })

  it('accepts JSON bodies with real arrays', async () => {
    const res = await fetch(`${sim.url}/v26.0/act_${US}/campaigns`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${sim.accessToken}` },
      body: JSON.stringify({
        name: 'JSON body',
        objective: 'OUTCOME_SALES',
        status: 'ACTIVE',
        special_ad_categories: [],
        daily_budget: 10000,
      }),
    })
    const body = (await res.json()) as { id: string }
    expect(res.status).toBe(200)
    expect(sim.state.campaign(body.id)).toMatchObject({
      status: 'ACTIVE',
      dailyBudget: 10000,
      objective: 'OUTCOME_SALES',
      createdViaApi: true,
    })
  })

  it('validates creates like Meta', async () => {
    const cases: Array<[Record<string, string | number>, RegExp]> = [
      [{ objective: 'LINK_CLICKS' }, /objective must be one of the following values: OUTCOME_APP_PROMOTION/],
      [{ status: 'ARCHIVED' }, /status must be one of the following values: ACTIVE, PAUSED/],
      [{ special_ad_categories: '["PETS"]' }, /special_ad_categories\[0\] must be one of/],
      [{ daily_budget: '12.5' }, /daily_budget must be a non-negative integer/],
      [{ name: '' }, /The parameter name is required/],
    ]
    for (const [form, message] of cases) {
      const res = await create(form)
      expect(res.status).toBe(400)
      expect(res.json.error.code).toBe(100)
      expect(res.json.error.message).toMatch(message)
    }
    const missing = await graphPost(sim, `/act_${US}/campaigns`, { name: 'x', objective: 'OUTCOME_LEADS', status: 'PAUSED' })
    expect(missing.json.error.message).toBe('(#100) The parameter special_ad_categories is required')
    expect(sim.stats().writes).toBe(0)
    expect(sim.state.campaigns(US)).toHaveLength(10)
  })

  it('refuses a special ad category without its countries (Meta, code 100) and keeps the countries it is given', async () => {
    const refused = await create({ special_ad_categories: '["HOUSING"]', daily_budget: 5000 })
    expect(refused.status).toBe(400)
    expect(refused.json.error).toMatchObject({
      code: 100,
      message: 'Invalid parameter',
      error_user_title: 'Special Ad Category Country Required',
      error_user_msg: expect.stringContaining('special_ad_category_country'),
    })
    const badCode = await create({ special_ad_categories: '["HOUSING"]', special_ad_category_country: '["UK"]', daily_budget: 5000 })
    expect(badCode.json.error).toMatchObject({
      code: 100,
      message: expect.stringMatching(/special_ad_category_country\[0\] must be a valid ISO/),
    })
    expect(sim.stats().writes).toBe(0)

    const ok = await create({ special_ad_categories: '["HOUSING"]', special_ad_category_country: '["US","CA"]', daily_budget: 5000 })
    expect(ok.status).toBe(200)
    const back = await graphGet(sim, `/${ok.json.id}`, { fields: 'special_ad_categories,special_ad_category_country' })
    expect(back.json).toMatchObject({ special_ad_categories: ['HOUSING'], special_ad_category_country: ['US', 'CA'] })
  })

  it('refuses a create with neither a campaign budget nor is_adset_budget_sharing_enabled (required since v24)', async () => {
    const refused = await create({})
    expect(refused.status).toBe(400)
    expect(refused.json.error).toMatchObject({
      code: 100,
      error_user_msg: expect.stringContaining('Must specify True or False in is_adset_budget_sharing_enabled'),
    })
    expect(sim.stats().writes).toBe(0)
    const adSetBudgets = await create({ is_adset_budget_sharing_enabled: 'false' })
    expect(adSetBudgets.status).toBe(200)
    const back = await graphGet(sim, `/${adSetBudgets.json.id}`, { fields: 'daily_budget,bid_strategy' })
    expect(back.json.daily_budget).toBeUndefined()
    expect((await create({ daily_budget: 5000 })).status).toBe(200)
  })

  it('enforces per-currency minimum budgets with a message in the account currency', async () => {
    const usd = await create({ daily_budget: 499 })
    expect(usd.json.error).toMatchObject({ code: 100, error_subcode: 1885272, error_user_title: 'Budget Is Too Low' })
    expect(usd.json.error.error_user_msg).toBe(
      'The budget for this campaign must be at least $5.00. Please edit your budget in your campaign to enable delivery of your ads.',
    )
    expect((await create({ daily_budget: 500 })).status).toBe(200)
    const jpy = await graphPost(sim, `/act_${JP}/campaigns`, {
      name: 'JP',
      objective: 'OUTCOME_LEADS',
      status: 'PAUSED',
      special_ad_categories: '[]',
      daily_budget: 500,
    })
    expect(jpy.json.error.error_user_msg).toContain('at least ¥750.')
  })

  it('supports execution_options=["validate_only"] without creating anything', async () => {
    const res = await create({ daily_budget: 5000, execution_options: '["validate_only"]' })
    expect(res.json).toEqual({ success: true })
    expect(sim.state.campaigns(US)).toHaveLength(10)
    expect(sim.stats().writes).toBe(0)
  })

  it('updates status and budgets with {"success": true} and allows 4 budget changes per hour', async () => {
    const fixtureOk = loadFixture('object-update.success.json')
    const fixtureLimit = loadFixture('error-613-adset-budget-change-limit.json')
    const c = sim.state.campaigns(US).find((x) => x.status === 'ACTIVE' && x.dailyBudget !== undefined)!
    for (let i = 0; i < 4; i++) {
      now = new Date(NOW.getTime() + i * 5 * MINUTE)
      const ok = await graphPost(sim, `/${c.id}`, { daily_budget: 6000 + i * 100 })
      expect(ok.status).toBe(200)
      expect(ok.json).toEqual(fixtureOk.body)
    }
    now = new Date(NOW.getTime() + 30 * MINUTE)
    const blocked = await graphPost(sim, `/${c.id}`, { daily_budget: 9000 })
    expect(blocked.status).toBe(fixtureLimit.status)
    expect({ ...blocked.json.error, fbtrace_id: 'x' }).toEqual({ ...(fixtureLimit.body as { error: object }).error, fbtrace_id: 'x' })
    // Status changes are not budget changes.
    expect((await graphPost(sim, `/${c.id}`, { status: 'PAUSED' })).status).toBe(200)
    expect((await graphGet(sim, `/${c.id}`, { fields: 'daily_budget,status,effective_status' })).json).toEqual({
      daily_budget: '6300',
      status: 'PAUSED',
      effective_status: 'PAUSED',
      id: c.id,
    })
    // An hour after the first change, one slot frees up again.
    now = new Date(NOW.getTime() + 61 * MINUTE)
    expect((await graphPost(sim, `/${c.id}`, { daily_budget: 9000 })).status).toBe(200)
    expect((await graphPost(sim, `/${c.id}`, { daily_budget: 9100 })).json.error.error_subcode).toBe(1487632)
    expect(sim.stats().writes).toBe(6)
  })

  it('changes delivery: a new budget drives spend, a pause stops it', async () => {
    const c = sim.state.campaigns(US).find((x) => x.status === 'ACTIVE' && x.dailyBudget !== undefined && x.name.startsWith('Traffic'))!
    expect((await graphPost(sim, `/${c.id}`, { daily_budget: 20000 })).status).toBe(200)
    now = new Date(NOW.getTime() + 2 * 86_400_000)
    const yesterday = await graphGet(sim, `/${c.id}/insights`, { date_preset: 'yesterday', fields: 'spend' })
    expect(num(yesterday.json.data[0].spend)).toBeGreaterThan(120)
    expect(num(yesterday.json.data[0].spend)).toBeLessThanOrEqual(240)

    expect((await graphPost(sim, `/${c.id}`, { status: 'PAUSED' })).status).toBe(200)
    now = new Date(now.getTime() + 2 * 86_400_000)
    const after = await graphGet(sim, `/${c.id}/insights`, { date_preset: 'yesterday', fields: 'spend' })
    expect(after.json.data).toEqual([])
    expect((await graphPost(sim, `/${c.id}`, { status: 'ACTIVE' })).status).toBe(200)
    now = new Date(now.getTime() + 86_400_000)
    expect((await graphGet(sim, `/${c.id}/insights`, { date_preset: 'yesterday', fields: 'spend' })).json.data).toHaveLength(1)
  })

  it('rejects invalid updates', async () => {
    const active = sim.state.campaigns(US).find((x) => x.status === 'ACTIVE' && x.dailyBudget !== undefined)!
    expect((await graphPost(sim, `/${active.id}`, { status: 'DRAFT' })).json.error.message).toBe(
      '(#100) status must be one of the following values: ACTIVE, PAUSED, DELETED, ARCHIVED',
    )
    expect((await graphPost(sim, `/${active.id}`, { daily_budget: 100 })).json.error.error_subcode).toBe(1885272)
    expect((await graphPost(sim, `/${active.id}`, { lifetime_budget: 100000 })).json.error.code).toBe(100)
    const archived = sim.state.campaigns(US).find((x) => x.status === 'ARCHIVED')!
    expect((await graphPost(sim, `/${archived.id}`, { status: 'ACTIVE' })).json.error.error_user_title).toBe('Campaign Is Archived')
    const lifetime = sim.state.campaigns(US).find((x) => x.lifetimeBudget !== undefined)!
    expect((await graphPost(sim, `/${lifetime.id}`, { lifetime_budget: lifetime.lifetimeBudget! + 10000 })).status).toBe(200)
    expect((await graphPost(sim, '/999999999', { status: 'PAUSED' })).json.error).toMatchObject({ code: 100, error_subcode: 33 })
    expect(sim.stats().writes).toBe(1)
  })
})
