import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Json } from '../../../test/support/json.ts'
import { loadFixture } from '../../../test/support/meta-fixtures.ts'
import { fixedNow, graphGet, graphPost, IN, JP, LEADS_FIELDS, US } from '../../../test/support/meta-sim.ts'
import { startMetaSimulator } from './index.ts'
import type { MetaSimulator } from './types.ts'

function typeMap(value: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, Array.isArray(v) ? 'array' : typeof v]))
}

describe('meta-sim response shapes', () => {
  let sim: MetaSimulator
  beforeAll(async () => {
    sim = await startMetaSimulator({ now: fixedNow })
  })
  afterAll(async () => {
    await sim.close()
  })

  it('serves insights rows with the same keys and types as the leads fixture', async () => {
    const fixture = loadFixture('insights-campaign-daily-leads.page1.json')
    const fixtureRow = (fixture.body as { data: Array<Record<string, unknown>> }).data[0]!
    const res = await graphGet(sim, `/act_${US}/insights`, {
      fields: LEADS_FIELDS,
      level: 'campaign',
      time_increment: 1,
      time_range: JSON.stringify({ since: '2026-11-17', until: '2026-11-23' }),
      limit: 7,
    })
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('application/json; charset=UTF-8')
    const rows = res.json.data as Array<Record<string, unknown>>
    expect(rows).toHaveLength(7)
    const instantForm = rows.find(
      (r) =>
        String(r.campaign_name).includes('Instant Form') &&
        Array.isArray(r.actions) &&
        (r.actions as Json[]).some((a) => a.action_type === 'lead'),
    )
    expect(instantForm).toBeDefined()
    expect(Object.keys(instantForm!)).toEqual(Object.keys(fixtureRow))
    expect(typeMap(instantForm!)).toEqual(typeMap(fixtureRow))
    for (const row of rows) {
      for (const key of ['impressions', 'reach', 'frequency', 'clicks', 'inline_link_clicks', 'ctr', 'cpm', 'spend'])
        expect(typeof row[key]).toBe('string')
      expect(row.date_start).toBe(row.date_stop)
      for (const a of (row.actions as Array<Record<string, unknown>> | undefined) ?? [])
        expect(Object.keys(a)).toEqual(['action_type', 'value'])
    }
    const lead = (instantForm!.actions as Array<{ action_type: string; value: string }>).filter((a) =>
      ['lead', 'onsite_conversion.lead_grouped', 'leadgen_grouped'].includes(a.action_type),
    )
    expect(lead).toHaveLength(3)
    expect(new Set(lead.map((a) => a.value)).size).toBe(1)
    // Paging shape of the fixture: cursors + next (full URL with access_token), no previous on page 1.
    const paging = res.json.paging
    expect(Object.keys(paging)).toEqual(Object.keys((fixture.body as { paging: object }).paging))
    expect(paging.cursors).toEqual({ before: 'MAZDZD', after: 'NgZDZD' })
    expect(paging.next).toMatch(new RegExp(`^${sim.url}/v26\\.0/act_${US}/insights\\?access_token=EAAsimulatorAccessToken0001&`))
    expect(paging.next).toContain('&limit=7&after=NgZDZD')
  })

  it('keeps derived metrics internally consistent', async () => {
    const res = await graphGet(sim, `/act_${US}/insights`, {
      fields: LEADS_FIELDS,
      level: 'campaign',
      time_increment: 1,
      date_preset: 'last_14d',
      limit: 500,
    })
    expect(res.json.data.length).toBeGreaterThan(50)
    for (const row of res.json.data as Array<Record<string, Json>>) {
      const impressions = Number(row.impressions)
      const clicks = Number(row.clicks)
      const spend = Number(row.spend)
      expect(impressions).toBeGreaterThan(0)
      expect(Number(row.reach)).toBeLessThanOrEqual(impressions)
      expect(Number(row.inline_link_clicks)).toBeLessThanOrEqual(clicks)
      expect(Number(row.ctr)).toBeCloseTo((clicks / impressions) * 100, 5)
      expect(Number(row.cpm)).toBeCloseTo((spend / impressions) * 1000, 5)
      expect(Number(row.frequency)).toBeCloseTo(impressions / Number(row.reach), 5)
      if (clicks > 0) expect(Number(row.cpc)).toBeCloseTo(spend / clicks, 5)
      expect(row.spend).toMatch(/^\d+(\.\d{1,2})?$/)
      for (const cost of row.cost_per_action_type ?? []) {
        const count = Number(row.actions.find((a: Json) => a.action_type === cost.action_type).value)
        expect(Number(cost.value)).toBeCloseTo(spend / count, 5)
      }
    }
  })

  it('serves JPY spend without decimals and money in major units', async () => {
    const res = await graphGet(sim, `/act_${JP}/insights`, {
      fields: 'campaign_id,account_currency,spend,cpc',
      level: 'campaign',
      time_increment: 1,
      date_preset: 'last_7d',
      limit: 500,
    })
    expect(res.json.data.length).toBeGreaterThan(10)
    for (const row of res.json.data) {
      expect(row.account_currency).toBe('JPY')
      expect(row.spend).toMatch(/^\d+$/)
      expect(Number(row.spend)).toBeGreaterThan(500)
    }
    const campaigns = await graphGet(sim, `/act_${JP}/campaigns`, { fields: 'daily_budget,lifetime_budget', limit: 100 })
    const adSets = await graphGet(sim, `/act_${JP}/adsets`, { fields: 'campaign_id,daily_budget,lifetime_budget', limit: 100 })
    for (const c of campaigns.json.data) {
      // A campaign budget, or budgets on every one of its ad sets.
      const budgets = (c.daily_budget ?? c.lifetime_budget) ? [c] : adSets.json.data.filter((s: Json) => s.campaign_id === c.id)
      expect(budgets.length).toBeGreaterThan(0)
      for (const b of budgets) {
        const budget = b.daily_budget ?? b.lifetime_budget
        expect(budget).toMatch(/^\d+$/)
        expect(Number(budget)).toBeGreaterThanOrEqual(1000)
      }
    }
  })

  it('serves /me, /me/adaccounts, /act_{id}, campaigns and a campaign node in Meta shapes', async () => {
    expect((await graphGet(sim, '/me')).json).toEqual({ name: 'Promoly Simulator System User', id: '100089000000042' })
    const accounts = await graphGet(sim, '/me/adaccounts', { fields: 'id,account_id,name,currency,timezone_name,account_status' })
    expect(accounts.json.data.map((a: Json) => a.currency)).toEqual(['USD', 'EUR', 'JPY', 'GBP', 'INR'])
    expect(accounts.json.data[0]).toEqual({
      id: `act_${US}`,
      account_id: US,
      name: 'Acme Home Services (US)',
      currency: 'USD',
      timezone_name: 'America/New_York',
      account_status: 1,
    })
    expect(accounts.text).toContain('America\\/New_York')
    expect(accounts.text).toContain('Nordlicht M\\u00f6bel GmbH')

    expect((await graphGet(sim, `/act_${US}`)).json).toEqual({ account_id: US, id: `act_${US}` })

    const list = await graphGet(sim, `/act_${US}/campaigns`, {
      fields: 'id,name,objective,status,effective_status,daily_budget,lifetime_budget,created_time,updated_time',
      effective_status: '["ACTIVE","PAUSED","ARCHIVED","DELETED"]',
      limit: 50,
    })
    const campaigns = list.json.data as Array<Record<string, string>>
    expect(campaigns.length).toBe(10)
    expect(new Set(campaigns.map((c) => c.objective))).toEqual(
      new Set(['OUTCOME_LEADS', 'OUTCOME_SALES', 'OUTCOME_TRAFFIC', 'OUTCOME_AWARENESS', 'OUTCOME_ENGAGEMENT']),
    )
    const statuses = campaigns.map((c) => c.status)
    expect(statuses).toContain('ACTIVE')
    expect(statuses).toContain('PAUSED')
    expect(statuses).toContain('ARCHIVED')
    expect(statuses).toContain('DELETED')
    for (const c of campaigns) {
      expect(c.created_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-0[45]00$/)
      expect(c.effective_status).toBe(c.status)
      if (c.daily_budget ?? c.lifetime_budget) expect(c.daily_budget ?? c.lifetime_budget).toMatch(/^\d+$/)
      expect(c.id).toMatch(/^\d{18}$/)
    }
    // Some campaigns hold the budget, others leave it to their ad sets.
    expect(campaigns.some((c) => c.daily_budget !== undefined)).toBe(true)
    expect(campaigns.some((c) => c.daily_budget === undefined && c.lifetime_budget === undefined)).toBe(true)
    // Newest first, like Graph.
    expect([...campaigns.map((c) => c.id)].sort().reverse()).toEqual(campaigns.map((c) => c.id))

    const one = await graphGet(sim, `/${campaigns[0]!.id}`, { fields: 'name,status' })
    expect(Object.keys(one.json)).toEqual(['name', 'status', 'id'])
    expect(one.json.id).toBe(campaigns[0]!.id)
  })

  it('serves minimum_budgets and debug_token in documented shapes', async () => {
    const mins = await graphGet(sim, `/act_${US}/minimum_budgets`)
    expect(mins.json).toEqual({
      data: [
        {
          currency: 'USD',
          min_daily_budget_imp: 100,
          min_daily_budget_high_freq: 500,
          min_daily_budget_low_freq: 4000,
          min_daily_budget_video_views: 100,
        },
      ],
    })
    const jp = await graphGet(sim, `/act_${JP}/minimum_budgets`)
    expect(jp.json.data[0].currency).toBe('JPY')
    expect(jp.json.data[0].min_daily_budget_imp).toBe(150)

    const fixture = loadFixture('debug-token.response.verbatim.json')
    const dbg = await graphGet(sim, '/debug_token', { input_token: sim.accessToken })
    const fixtureData = (fixture.body as { data: Record<string, unknown> }).data
    for (const key of Object.keys(fixtureData).filter((k) => k !== 'metadata')) expect(dbg.json.data).toHaveProperty(key)
    expect(typeMap(dbg.json.data)).toMatchObject(Object.fromEntries(Object.entries(typeMap(fixtureData)).filter(([k]) => k !== 'metadata')))
    expect(dbg.json.data.is_valid).toBe(true)
    expect(dbg.json.data.scopes).toContain('ads_management')

    const bad = await graphGet(sim, '/debug_token', { input_token: 'nope' })
    expect(bad.json.data.is_valid).toBe(false)
    expect(bad.json.data.error.code).toBe(190)
  })

  it('answers unknown routes with the unsupported-get error (100/33) and sends usage headers everywhere', async () => {
    for (const path of ['/nonexistent', `/act_${US}/adcreatives`, '/act_999/campaigns', '/me/friends']) {
      const res = await graphGet(sim, path)
      expect(res.status).toBe(400)
      expect(res.json.error.code).toBe(100)
      expect(res.json.error.error_subcode).toBe(33)
      expect(res.json.error.type).toBe('GraphMethodException')
      expect(Object.keys(res.json.error)).toEqual(['message', 'type', 'code', 'error_subcode', 'fbtrace_id'])
      expect(res.json.error.message).toMatch(/^Unsupported get request\. Object with ID '/)
    }
    const res = await graphGet(sim, '/me', {}, 'v24.0')
    expect(res.headers['facebook-api-version']).toBe('v24.0')
    for (const h of ['x-app-usage', 'x-ad-account-usage', 'x-business-use-case-usage'])
      expect(() => JSON.parse(res.headers[h]!)).not.toThrow()
    const accountUsage = JSON.parse(res.headers['x-ad-account-usage']!)
    expect(Object.keys(accountUsage)).toEqual(['acc_id_util_pct', 'reset_time_duration', 'ads_api_access_tier'])
    const buc = JSON.parse(res.headers['x-business-use-case-usage']!)
    const entry = Object.values(buc)[0] as Array<Record<string, unknown>>
    expect(Object.keys(entry[0]!)).toEqual([
      'type',
      'call_count',
      'total_cputime',
      'total_time',
      'estimated_time_to_regain_access',
      'ads_api_access_tier',
    ])
    expect(Object.keys(JSON.parse(res.headers['x-app-usage']!))).toEqual(['call_count', 'total_time', 'total_cputime'])
  })

  it('rejects unknown fields like Graph does', async () => {
    const node = await graphGet(sim, `/act_${US}/campaigns`, { fields: 'id,bogus' })
    expect(node.json.error.message).toBe('(#100) Tried accessing nonexisting field (bogus) on node type (Campaign)')
    const ins = await graphGet(sim, `/act_${US}/insights`, { fields: 'spend,bogus' })
    expect(ins.json.error.message).toMatch(/^\(#100\) bogus is not valid for fields param/)
  })

  it('answers a too-low budget with the fixture error shape, in the account currency', async () => {
    const fixture = loadFixture('error-100-budget-too-low.json')
    const res = await graphPost(sim, `/act_${IN}/campaigns`, {
      name: 'Awareness | Tiny',
      objective: 'OUTCOME_AWARENESS',
      status: 'PAUSED',
      special_ad_categories: '[]',
      daily_budget: 10,
    })
    expect(res.status).toBe(fixture.status)
    const expected = (fixture.body as { error: Record<string, unknown> }).error
    expect(Object.keys(res.json.error)).toEqual(Object.keys(expected))
    expect({ ...res.json.error, fbtrace_id: 'x' }).toEqual({
      ...expected,
      error_user_msg: String(expected.error_user_msg).replaceAll('ad set', 'campaign'),
      fbtrace_id: 'x',
    })
    expect(res.text).toContain('\\u20b940.00')
  })
})
