import { createHmac } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as z from 'zod'
import type { Json } from '../../../test/support/json.ts'
import { loadFixture } from '../../../test/support/meta-fixtures.ts'
import { fetchUrl, fixedNow, type GraphReply, graphGet, graphPost, US } from '../../../test/support/meta-sim.ts'
import { createGraphClient } from '../meta/graph-client.ts'
import { CreatedIdSchema, MeSchema } from '../meta/schemas.ts'
import { startMetaSimulator } from './index.ts'
import type { MetaSimulator } from './types.ts'

function fixtureError(name: string): Record<string, unknown> {
  return { ...(loadFixture(name).body as { error: Record<string, unknown> }).error, fbtrace_id: 'x' }
}

function withoutTrace(error: Record<string, unknown>): Record<string, unknown> {
  expect(error.fbtrace_id).toMatch(/^[A-Za-z0-9_-]{23}$/)
  return { ...error, fbtrace_id: 'x' }
}

describe('meta-sim faults', () => {
  let sim: MetaSimulator
  beforeEach(async () => {
    sim = await startMetaSimulator({ now: fixedNow, accessTokens: ['EAAsimulatorAccessToken0001', 'other-token'] })
  })
  afterEach(async () => {
    await sim.close()
  })

  const insights = () => graphGet(sim, `/act_${US}/insights`, { level: 'campaign', date_preset: 'yesterday' })

  it('throttles with 17/2446079 exactly like the fixture, with regain headers', async () => {
    sim.faults.throttle(17, { times: 1 })
    const res = await insights()
    expect(res.status).toBe(400)
    expect(Object.keys(res.json.error)).toEqual(Object.keys(fixtureError('error-17-user-request-limit.json')))
    expect(withoutTrace(res.json.error)).toEqual(fixtureError('error-17-user-request-limit.json'))
    const buc = JSON.parse(res.headers['x-business-use-case-usage']!)[US]
    expect(buc.find((e: Json) => e.type === 'ads_insights')).toMatchObject({ call_count: 100, estimated_time_to_regain_access: 5 })
    expect(JSON.parse(res.headers['x-ad-account-usage']!)).toMatchObject({ acc_id_util_pct: 100, reset_time_duration: 300 })
    expect((await insights()).status).toBe(200)
  })

  it('throttles with 613/1487742, 613 without subcode and 80004/2446079 like the fixtures', async () => {
    sim.faults.throttle(613, { times: 1 })
    const a = await insights()
    expect(Object.keys(a.json.error)).toEqual(Object.keys(fixtureError('error-613-ad-account-rate.json')))
    expect(withoutTrace(a.json.error)).toEqual(fixtureError('error-613-ad-account-rate.json'))
    expect(JSON.parse(a.headers['x-ad-account-usage']!).acc_id_util_pct).toBe(100)

    sim.faults.throttle(613, { subcode: null, times: 1 })
    const b = await insights()
    expect(withoutTrace(b.json.error)).toEqual(fixtureError('error-613-no-subcode-abuse-prevention.json'))

    sim.faults.throttle(80004, { times: 1, regainMinutes: 7 })
    const c = await graphGet(sim, `/act_${US}/campaigns`)
    expect(Object.keys(c.json.error)).toEqual(Object.keys(fixtureError('error-80004-ads-management-buc.json')))
    expect(withoutTrace(c.json.error)).toEqual(fixtureError('error-80004-ads-management-buc.json'))
    const buc = JSON.parse(c.headers['x-business-use-case-usage']!)[US]
    expect(buc.find((e: Json) => e.type === 'ads_management')).toMatchObject({
      call_count: 100,
      total_cputime: 38,
      total_time: 44,
      estimated_time_to_regain_access: 7,
    })

    sim.faults.throttle(80000, { times: 1 })
    expect((await insights()).json.error).toMatchObject({ code: 80000, error_subcode: 2446079 })
    sim.faults.throttle(4, { times: 1 })
    const app = await insights()
    expect(app.json.error).toMatchObject({ code: 4, is_transient: true })
    expect(JSON.parse(app.headers['x-app-usage']!).call_count).toBe(100)
  })

  it('matches faults on method and path, for N requests or until cleared', async () => {
    sim.faults.throttle(17, { method: 'POST', path: '/campaigns', times: 2 })
    expect((await graphGet(sim, `/act_${US}/campaigns`)).status).toBe(200)
    const post = () =>
      graphPost(sim, `/act_${US}/campaigns`, {
        name: 'x',
        objective: 'OUTCOME_TRAFFIC',
        special_ad_categories: '[]',
        status: 'PAUSED',
        is_adset_budget_sharing_enabled: 'false',
      })
    expect((await post()).json.error.code).toBe(17)
    expect((await post()).json.error.code).toBe(17)
    expect((await post()).status).toBe(200)

    const id = sim.faults.httpError(503, { path: '/insights' })
    for (let i = 0; i < 3; i++) expect((await insights()).status).toBe(503)
    expect((await graphGet(sim, '/me')).status).toBe(200)
    expect(sim.faults.list()).toEqual([{ id, spec: { path: '/insights', kind: 'http_error', status: 503 }, remaining: null, hits: 3 }])
    expect(sim.faults.remove(id)).toBe(true)
    expect((await insights()).status).toBe(200)

    sim.faults.throttle(17)
    sim.faults.throttle(613)
    expect((await insights()).json.error.code).toBe(17)
    sim.faults.clear()
    expect((await insights()).status).toBe(200)
  })

  it('answers 5xx with Graph transient bodies', async () => {
    sim.faults.httpError(500, { times: 1 })
    const a = await insights()
    expect(a.status).toBe(500)
    expect(withoutTrace(a.json.error)).toEqual({
      message: 'An unexpected error has occurred. Please retry your request later.',
      type: 'OAuthException',
      is_transient: true,
      code: 2,
      fbtrace_id: 'x',
    })
    sim.faults.httpError(503, { times: 1 })
    const b = await insights()
    expect(b.status).toBe(503)
    expect(b.json.error).toMatchObject({ code: 2, is_transient: true })
    expect(b.headers['facebook-api-version']).toBe('v26.0')
  })

  it('expires a given token with the 190/463 fixture body and header', async () => {
    const fixture = loadFixture('error-190-463-expired-token.json')
    sim.faults.expireToken('EAAsimulatorAccessToken0001', { expiredAt: '2026-11-21T18:00:00Z' })
    const res = await insights()
    expect(res.status).toBe(fixture.status)
    expect(withoutTrace(res.json.error)).toEqual(fixtureError('error-190-463-expired-token.json'))
    expect(res.headers['www-authenticate']).toBe(fixture.headers['www-authenticate'])
    expect((await graphGet(sim, '/me', { access_token: 'other-token' })).status).toBe(200)
    const dbg = await graphGet(sim, '/debug_token', { input_token: 'EAAsimulatorAccessToken0001', access_token: 'other-token' })
    expect(dbg.json.data).toMatchObject({
      is_valid: false,
      expires_at: Date.parse('2026-11-21T18:00:00Z') / 1000,
      error: { code: 190, subcode: 463 },
    })
  })

  it('slows answers down', async () => {
    sim.faults.delay(300, { path: '/me', times: 1 })
    let t = performance.now()
    expect((await graphGet(sim, '/me')).status).toBe(200)
    expect(performance.now() - t).toBeGreaterThanOrEqual(280)
    t = performance.now()
    await graphGet(sim, '/me')
    expect(performance.now() - t).toBeLessThan(250)
    const slow = await startMetaSimulator({ now: fixedNow, latencyMs: 150 })
    try {
      t = performance.now()
      expect((await graphGet(slow, '/me')).status).toBe(200)
      expect(performance.now() - t).toBeGreaterThanOrEqual(140)
    } finally {
      await slow.close()
    }
  })

  it('returns arbitrary Graph errors on demand', async () => {
    sim.faults.add({
      kind: 'graph_error',
      status: 400,
      times: 1,
      error: {
        message: '(#368) The action attempted has been deemed abusive or is otherwise disallowed',
        type: 'OAuthException',
        code: 368,
      },
    })
    expect(withoutTrace((await insights()).json.error)).toEqual({
      message: '(#368) The action attempted has been deemed abusive or is otherwise disallowed',
      type: 'OAuthException',
      code: 368,
      fbtrace_id: 'x',
    })
    expect(() => sim.faults.add({ kind: 'delay', ms: -1 })).toThrow(/Invalid fault spec/)
  })

  /** The control API with its token (Authorization: Bearer). */
  const control = (path: string, init: RequestInit = {}) =>
    fetch(`${sim.url}/__sim/${path}`, { ...init, headers: { authorization: `Bearer ${sim.controlToken}` } })

  it('refuses the /__sim/ control API without its token', async () => {
    const attempts = [
      fetch(`${sim.url}/__sim/faults`, { method: 'POST', body: '{"kind":"http_error","status":500}' }),
      fetch(`${sim.url}/__sim/state`),
      fetch(`${sim.url}/__sim/stats`, { method: 'DELETE' }),
      fetch(`${sim.url}/__sim/faults`, { method: 'POST', body: '{"kind":"delay","ms":1}', headers: { authorization: 'Bearer nope' } }),
      fetch(`${sim.url}/__sim/faults`, {
        method: 'POST',
        body: '{"kind":"delay","ms":1}',
        headers: { authorization: `Bearer ${sim.accessToken}` },
      }),
    ]
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(401)
      expect(await res.json()).toEqual({ error: expect.stringMatching(/control token/) })
    }
    expect(sim.faults.list()).toEqual([])
    expect((await graphGet(sim, '/me')).status).toBe(200)
    expect(sim.controlToken).toMatch(/^[0-9a-f]{48}$/)
    expect((await control('health')).status).toBe(200)
  })

  it('exposes faults and stats over the /__sim/ control API', async () => {
    const add = await control('faults', {
      method: 'POST',
      body: JSON.stringify([
        { kind: 'throttle', code: 80004, path: '/campaigns', times: 1 },
        { kind: 'expired_token', token: 'other-token' },
      ]),
    })
    expect(add.status).toBe(201)
    const { ids } = (await add.json()) as { ids: string[] }
    expect(ids).toHaveLength(2)
    expect(((await (await control('faults')).json()) as { faults: unknown[] }).faults).toHaveLength(2)
    expect((await graphGet(sim, `/act_${US}/campaigns`)).json.error.code).toBe(80004)
    expect((await graphGet(sim, '/me', { access_token: 'other-token' })).json.error.error_subcode).toBe(463)
    expect((await control(`faults/${ids[1]}`, { method: 'DELETE' })).status).toBe(200)
    expect((await graphGet(sim, '/me', { access_token: 'other-token' })).status).toBe(200)
    expect((await control('faults', { method: 'POST', body: '{"kind":"throttle","code":99}' })).status).toBe(400)
    await control('faults', { method: 'POST', body: '{"kind":"http_error","status":500}' })
    expect((await graphGet(sim, '/me')).status).toBe(500)
    expect((await control('faults', { method: 'DELETE' })).status).toBe(200)
    expect((await graphGet(sim, '/me')).status).toBe(200)

    const stats = (await (await control('stats')).json()) as {
      requests: number
      byRoute: Record<string, number>
      writes: number
    }
    expect(stats).toEqual(sim.stats())
    expect(stats.byRoute['GET /me']).toBe(4)
    expect(stats.byRoute['GET /act_{id}/campaigns']).toBe(1)
    await control('stats', { method: 'DELETE' })
    expect(sim.stats()).toEqual({ requests: 0, byRoute: {}, writes: 0 })
    const state = (await (await control('state')).json()) as { accounts: unknown[]; campaigns: unknown[] }
    expect(state.accounts).toHaveLength(5)
    expect(state.campaigns.length).toBe(40)
  })
})

describe('meta-sim authentication', () => {
  let sim: MetaSimulator
  afterEach(async () => {
    await sim.close()
  })

  it('rejects unknown and missing tokens, accepts Authorization: Bearer', async () => {
    sim = await startMetaSimulator({ now: fixedNow })
    const bad = await graphGet(sim, '/me', { access_token: 'EAAnope' })
    expect(bad.status).toBe(400)
    expect(withoutTrace(bad.json.error)).toEqual({
      message: 'Invalid OAuth access token data.',
      type: 'OAuthException',
      code: 190,
      error_subcode: 467,
      fbtrace_id: 'x',
    })
    expect(bad.headers['www-authenticate']).toContain('invalid_token')
    const none = await fetch(`${sim.url}/v26.0/act_${US}/campaigns`)
    expect(((await none.json()) as Json).error.code).toBe(104)
    const bearer = await fetch(`${sim.url}/v26.0/me`, { headers: { authorization: 'Bearer EAAsimulatorAccessToken0001' } })
    expect(bearer.status).toBe(200)
  })

  it('enforces appsecret_proof when an app secret is set', async () => {
    sim = await startMetaSimulator({ now: fixedNow, appSecret: 'shh', appId: '4242' })
    const proof = createHmac('sha256', 'shh').update('EAAsimulatorAccessToken0001').digest('hex')
    const missing = await graphGet(sim, '/me')
    expect(withoutTrace(missing.json.error)).toEqual({
      message: 'API calls from the server require an appsecret_proof argument',
      type: 'GraphMethodException',
      code: 100,
      fbtrace_id: 'x',
    })
    const wrong = await graphGet(sim, '/me', { appsecret_proof: 'ab'.repeat(32) })
    expect(wrong.json.error.message).toBe('Invalid appsecret_proof provided in the API argument')
    expect((await graphGet(sim, '/me', { appsecret_proof: proof })).status).toBe(200)

    const page = await graphGet(sim, `/act_${US}/insights`, { level: 'campaign', date_preset: 'last_7d', limit: 5, appsecret_proof: proof })
    expect(page.status).toBe(200)
    const next: string = page.json.paging.next
    expect(next).not.toContain('appsecret_proof')
    expect((await fetchUrl(next)).json.error.code).toBe(100)
    expect((await fetchUrl(`${next}&appsecret_proof=${proof}`)).status).toBe(200)

    const posted = await graphPost(sim, `/act_${US}/campaigns`, {
      name: 'p',
      objective: 'OUTCOME_TRAFFIC',
      special_ad_categories: '[]',
      status: 'PAUSED',
      is_adset_budget_sharing_enabled: 'false',
      appsecret_proof: proof,
    })
    expect(posted.status).toBe(200)
    // App tokens need no proof on /debug_token.
    const dbg = await graphGet(sim, '/debug_token', { input_token: 'EAAsimulatorAccessToken0001', access_token: '4242|shh' })
    expect(dbg.json.data).toMatchObject({ app_id: 4242, is_valid: true })
  })

  it("accepts the Graph client's Authorization header with appsecret_proof, for reads, pages and writes", async () => {
    sim = await startMetaSimulator({ now: fixedNow, appSecret: 'shh', appId: '4242' })
    const client = createGraphClient({ baseUrl: sim.url, version: 'v26.0', appSecret: 'shh', sleep: async () => {} })
    const auth = { accessToken: sim.accessToken }
    expect((await client.get('/me', { fields: 'id' }, MeSchema, auth)).id).toBeTruthy()
    let rows = 0
    for await (const page of client.paginate(
      `/act_${US}/insights`,
      { level: 'campaign', date_preset: 'last_7d', limit: 2 },
      z.object({}).loose(),
      auth,
    ))
      rows += page.length
    expect(rows).toBeGreaterThan(2) // followed paging.next with the header and a fresh proof
    const created = await client.post(
      `/act_${US}/campaigns`,
      { name: 'p', objective: 'OUTCOME_TRAFFIC', special_ad_categories: [], status: 'PAUSED', is_adset_budget_sharing_enabled: false },
      CreatedIdSchema,
      auth,
    )
    expect(created.id).toBeTruthy()
    // A wrong token in the header is refused like one in the query.
    await expect(client.get('/me', undefined, MeSchema, { accessToken: 'EAAnope' })).rejects.toMatchObject({ code: 190 })
  })

  it('reports rising usage and, when enforced, throttles like a development-tier account', async () => {
    sim = await startMetaSimulator({ now: fixedNow, accessTier: 'development_access', enforceRateLimits: true })
    const first = await graphGet(sim, `/act_${US}/campaigns`)
    const second = await graphGet(sim, `/act_${US}/campaigns`)
    const pct = (r: { headers: Record<string, string> }) => JSON.parse(r.headers['x-ad-account-usage']!).acc_id_util_pct as number
    expect(pct(second)).toBeGreaterThan(pct(first))
    expect(JSON.parse(first.headers['x-ad-account-usage']!).ads_api_access_tier).toBe('development_access')
    let throttled: GraphReply | undefined
    for (let i = 0; i < 70 && !throttled; i++) {
      const r = await graphGet(sim, `/act_${US}/campaigns`)
      if (r.status !== 200) throttled = r
    }
    if (!throttled) throw new Error('70 calls were not throttled')
    expect(throttled.json.error).toMatchObject({ code: 17, error_subcode: 2446079 })
    expect(JSON.parse(throttled.headers['x-ad-account-usage']!).acc_id_util_pct).toBe(100)
  })
})
