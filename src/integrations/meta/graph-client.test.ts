import { createHmac } from 'node:crypto'
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import * as z from 'zod'
import {
  type GraphServer,
  type Handler,
  inOrder,
  loadFixture,
  ok,
  replay,
  rewritePagingUrl,
  startGraphServer,
} from '../../../test/support/meta-fixtures.ts'
import { toAppError } from '../../domain/meta-errors.ts'
import { AppError } from '../../lib/errors.ts'
import { MetaApiError } from './errors.ts'
import { createGraphClient, encodeGraphParams, type GraphClientOptions, type GraphResponseInfo } from './graph-client.ts'
import { CreatedIdSchema, MeSchema, SuccessSchema } from './schemas.ts'

const TOKEN = 'EAAGm0PX4ZCpsBAKZBtestSystemUserToken1234567890'
const SECRET = 'app-secret-for-tests'
const PROOF = createHmac('sha256', SECRET).update(TOKEN).digest('hex')
const auth = { accessToken: TOKEN }

let server: GraphServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

async function setup(handler: Handler, extra: Partial<GraphClientOptions> = {}) {
  server = await startGraphServer(handler)
  const sleeps: number[] = []
  const responses: GraphResponseInfo[] = []
  const client = createGraphClient({
    baseUrl: server.baseUrl,
    version: 'v26.0',
    appSecret: SECRET,
    sleep: async (ms) => {
      sleeps.push(ms)
    },
    random: () => 0.5,
    onResponse: (info) => responses.push(info),
    ...extra,
  })
  return { client, sleeps, responses, srv: server }
}

async function rejection(p: Promise<unknown>): Promise<MetaApiError> {
  try {
    await p
  } catch (e) {
    expect(e).toBeInstanceOf(MetaApiError)
    return e as MetaApiError
  }
  throw new Error('expected the call to fail')
}

const ME = ok({ id: '1000123', name: 'Promoly System User' })

describe('request building', () => {
  it('GET sends the token in the Authorization header, never in the URL, with a correct appsecret_proof in the query', async () => {
    const { client, srv } = await setup(inOrder(ME))
    const me = await client.get('/me', { fields: 'id,name' }, MeSchema, auth)
    expect(me).toEqual({ id: '1000123', name: 'Promoly System User' })
    const [req] = srv.requests
    expect(req?.method).toBe('GET')
    expect(req?.path).toBe('/v26.0/me')
    expect(req?.query.get('fields')).toBe('id,name')
    expect(req?.headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(req?.rawUrl).not.toContain(TOKEN)
    expect(req?.query.has('access_token')).toBe(false)
    expect(req?.query.get('appsecret_proof')).toBe(PROOF)
    expect(PROOF).toMatch(/^[0-9a-f]{64}$/)
  })

  it('POST sends the token in the Authorization header and the proof in the form body, never in the URL, and JSON-encodes arrays/objects', async () => {
    const { client, srv } = await setup(inOrder(replay(loadFixture('campaign-create.response.json'))))
    const res = await client.post(
      '/act_1234567890123456/campaigns',
      {
        name: 'N',
        special_ad_categories: [],
        targeting: { geo_locations: { countries: ['US'] } },
        daily_budget: 5000,
        flag: false,
        skip: undefined,
      },
      CreatedIdSchema,
      auth,
    )
    expect(res).toEqual({ id: '120214350987650123' })
    const [req] = srv.requests
    expect(req?.method).toBe('POST')
    expect(req?.rawUrl).toBe('/v26.0/act_1234567890123456/campaigns')
    expect(req?.rawUrl).not.toContain(TOKEN)
    expect(req?.rawUrl).not.toContain('access_token')
    expect(req?.rawUrl).not.toContain('appsecret_proof')
    expect(req?.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(req?.headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(req?.form.has('access_token')).toBe(false)
    expect(req?.form.get('appsecret_proof')).toBe(PROOF)
    expect(req?.form.get('special_ad_categories')).toBe('[]')
    expect(req?.form.get('targeting')).toBe('{"geo_locations":{"countries":["US"]}}')
    expect(req?.form.get('daily_budget')).toBe('5000')
    expect(req?.form.get('flag')).toBe('false')
    expect(req?.form.has('skip')).toBe(false)
  })

  it('omits appsecret_proof when no app secret is configured', async () => {
    const { client, srv } = await setup(inOrder(ME), { appSecret: undefined })
    await client.get('/me', { fields: 'id' }, MeSchema, auth)
    expect(srv.requests[0]?.query.has('appsecret_proof')).toBe(false)
    expect(srv.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`)
  })

  it('refuses the token as an ordinary parameter and an empty token', async () => {
    expect(() => encodeGraphParams({ access_token: 'x' })).toThrow(/auth argument/)
    const { client, srv } = await setup(inOrder(ME))
    await expect(client.post('/me', { access_token: TOKEN }, MeSchema, auth)).rejects.toThrow(/auth argument/)
    await expect(client.get('/me?fields=id', undefined, MeSchema, auth)).rejects.toThrow(/must not contain a query string/)
    const e = await client.get('/me', undefined, MeSchema, { accessToken: '' }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(AppError)
    expect((e as AppError).code).toBe('NOT_CONNECTED')
    expect(srv.requests).toHaveLength(0)
  })

  it('counts requests and exposes parsed usage headers through onResponse', async () => {
    const { client, responses } = await setup(inOrder(replay(loadFixture('object-update.success.json'))))
    await client.post('/120214350987651111', { daily_budget: 5000 }, SuccessSchema, { ...auth, idempotent: true })
    expect(client.stats.requests).toBe(1)
    expect(responses).toHaveLength(1)
    expect(responses[0]).toMatchObject({ method: 'POST', path: '/120214350987651111', status: 200, attempt: 1 })
    expect(responses[0]?.usage.businessUseCaseUsage[0]).toMatchObject({ id: '1234567890123456', type: 'ads_management', callCount: 2 })
  })
})

describe('throttling', () => {
  it('17 with usage headers: waits the header-derived 7 minutes, then succeeds', async () => {
    const { client, sleeps, srv } = await setup(inOrder(replay(loadFixture('error-17-user-request-limit.json')), ME), {
      maxWaitMs: 10 * 60_000,
    })
    const me = await client.get('/me', { fields: 'id,name' }, MeSchema, auth)
    expect(me.id).toBe('1000123')
    // BUC estimated_time_to_regain_access = 7 (minutes) beats reset_time_duration = 288 (seconds) and the ~500 ms backoff.
    expect(sleeps).toEqual([420_000])
    expect(srv.requests).toHaveLength(2)
    expect(client.stats.requests).toBe(2)
    // The retry carries a fresh proof too.
    expect(srv.requests[1]?.query.get('appsecret_proof')).toBe(PROOF)
  })

  it('17 when the header wait exceeds maxWaitMs: throws throttled with retryAfterMs instead of sleeping', async () => {
    const { client, sleeps, srv } = await setup(inOrder(replay(loadFixture('error-17-user-request-limit.json')), ME))
    const e = await rejection(client.get('/me', undefined, MeSchema, auth))
    expect(e.kind).toBe('throttled')
    expect(e.code).toBe(17)
    expect(e.subcode).toBe(2446079)
    expect(e.retryAfterMs).toBe(420_000)
    expect(sleeps).toEqual([])
    expect(srv.requests).toHaveLength(1)
    expect(toAppError(e).code).toBe('META_THROTTLED')
    expect(toAppError(e).userMessage).toContain('about 7 minutes')
  })

  it('613/1487742 ad-account score: waits reset_time_duration (300 s), then succeeds', async () => {
    const { client, sleeps } = await setup(inOrder(replay(loadFixture('error-613-ad-account-rate.json')), ME), {
      maxWaitMs: 10 * 60_000,
    })
    await expect(client.get('/me', undefined, MeSchema, auth)).resolves.toMatchObject({ id: '1000123' })
    expect(sleeps).toEqual([300_000])
  })

  it('80004 BUC on a POST update: waits estimated_time_to_regain_access minutes, then succeeds', async () => {
    const { client, sleeps, srv } = await setup(
      inOrder(replay(loadFixture('error-80004-ads-management-buc.json')), replay(loadFixture('object-update.success.json'))),
      { maxWaitMs: 10 * 60_000 },
    )
    const res = await client.post('/120214350987651111', { status: 'PAUSED' }, SuccessSchema, { ...auth, idempotent: true })
    expect(res).toEqual({ success: true })
    expect(sleeps).toEqual([420_000])
    expect(srv.requests.map((r) => r.form.get('status'))).toEqual(['PAUSED', 'PAUSED'])
  })

  it('80004 on a non-idempotent create is retried too: Meta refused it before doing anything', async () => {
    const { client, sleeps, srv } = await setup(
      inOrder(replay(loadFixture('error-80004-ads-management-buc.json')), replay(loadFixture('campaign-create.response.json'))),
      { maxWaitMs: 10 * 60_000 },
    )
    await expect(client.post('/act_1/campaigns', { name: 'x' }, CreatedIdSchema, auth)).resolves.toEqual({ id: '120214350987650123' })
    expect(sleeps).toEqual([420_000])
    expect(srv.requests).toHaveLength(2)
  })

  it('613/1487632 budget-change limit: not retried in the client, surfaced with retryAfterMs = 1 h', async () => {
    const { client, sleeps, srv } = await setup(inOrder(replay(loadFixture('error-613-adset-budget-change-limit.json'))), {
      maxWaitMs: 24 * 3_600_000,
    })
    const e = await rejection(client.post('/120214350987651111', { daily_budget: 6000 }, SuccessSchema, { ...auth, idempotent: true }))
    expect(e).toMatchObject({ kind: 'throttled', code: 613, subcode: 1487632, retryAfterMs: 3_600_000, noClientRetry: true })
    expect(sleeps).toEqual([])
    expect(srv.requests).toHaveLength(1)
    expect(toAppError(e).userMessage).toContain('about an hour')
  })

  it('613 without subcode or headers: full-jitter exponential backoff', async () => {
    const f = replay(loadFixture('error-613-no-subcode-abuse-prevention.json'))
    const { client, sleeps } = await setup(inOrder(f, f, f, ME))
    await client.get('/me', undefined, MeSchema, auth)
    // random() = 0.5 → half of 1 s, 2 s, 4 s
    expect(sleeps).toEqual([500, 1000, 2000])
  })

  it('caps the backoff at maxDelayMs and gives up after maxAttempts with the last error', async () => {
    const f = replay(loadFixture('error-613-no-subcode-abuse-prevention.json'))
    const { client, sleeps, srv } = await setup(inOrder(f, f, f, f, f, f), { random: () => 0.999, maxDelayMs: 3000, maxAttempts: 5 })
    const e = await rejection(client.get('/me', undefined, MeSchema, auth))
    expect(e.code).toBe(613)
    expect(sleeps).toEqual([999, 1998, 2997, 2997])
    expect(srv.requests).toHaveLength(5)
  })
})

describe('non-retryable errors', () => {
  it('190/463 expired token: auth error, not retried, no token in the message', async () => {
    const { client, sleeps, srv } = await setup(inOrder(replay(loadFixture('error-190-463-expired-token.json')), ME))
    const e = await rejection(client.get('/me', undefined, MeSchema, auth))
    expect(e).toMatchObject({
      kind: 'auth',
      code: 190,
      subcode: 463,
      isTransient: false,
      httpStatus: 400,
      fbtraceId: 'AhL3vC0w9qV4xN2mB7kJ5sT',
    })
    expect(sleeps).toEqual([])
    expect(srv.requests).toHaveLength(1)
    expect(e.message).not.toContain(TOKEN)
    const app = toAppError(e)
    expect(app.code).toBe('META_AUTH')
    expect(app.userMessage).toContain('/promoly connect')
  })

  it('100 budget too low: validation error with Meta’s error_user_msg, not retried', async () => {
    const { client, srv } = await setup(inOrder(replay(loadFixture('error-100-budget-too-low.json'))))
    const e = await rejection(client.post('/act_1234567890123456/adsets', { daily_budget: 10 }, CreatedIdSchema, auth))
    expect(e.kind).toBe('validation')
    expect(e.userTitle).toBe('Budget Is Too Low')
    expect(srv.requests).toHaveLength(1)
    const app = toAppError(e)
    expect(app.code).toBe('META_VALIDATION')
    expect(app.userMessage).toBe(
      'The budget for this ad set must be at least ₹40.00. Please edit your budget in your ad set to enable delivery of your ads.',
    )
  })
})

describe('insights errors (reference §3, §8)', () => {
  const insightsError = (code: number, subcode: number, isTransient?: boolean) => ({
    status: 400,
    headers: { 'content-type': 'application/json' },
    body: {
      error: {
        message: 'Please reduce the amount of data you are asking for, then retry your request',
        type: 'OAuthException',
        code,
        error_subcode: subcode,
        ...(isTransient === undefined ? {} : { is_transient: isTransient }),
        fbtrace_id: 'T1',
      },
    },
  })

  it.each([
    [100, 1504018, 'too_large'],
    [2, 1504038, 'too_large'],
    [100, 1487534, 'too_large'],
    [-3, 1504045, 'too_large'],
    [2, 1504041, 'validation'],
    [2, 1504042, 'validation'],
    [-2, 2490547, 'report_failed'],
  ] as const)('%i/%i is %s and is never retried with the same request', async (code, subcode, kind) => {
    const { client, srv, sleeps } = await setup(() => insightsError(code, subcode, true))
    const e = await rejection(client.get('/act_1/insights', { level: 'ad' }, MeSchema, auth))
    expect(e).toMatchObject({ kind, code, subcode })
    expect(srv.requests).toHaveLength(1)
    expect(sleeps).toEqual([])
  })

  it('2/1504043 (intermittent) stays transient: retried, then succeeds', async () => {
    const { client, srv } = await setup(inOrder(insightsError(2, 1504043), ME))
    await expect(client.get('/me', undefined, MeSchema, auth)).resolves.toMatchObject({ id: '1000123' })
    expect(srv.requests).toHaveLength(2)
  })
})

describe('transient failures', () => {
  const html502: Handler = () => ({ status: 502, headers: { 'content-type': 'text/html' }, body: '<html>Bad Gateway</html>' })
  const graph500 = {
    status: 500,
    headers: { 'content-type': 'application/json' },
    body: { error: { message: 'An unknown error occurred', type: 'OAuthException', code: 1, is_transient: true, fbtrace_id: 'X1' } },
  }

  it('5xx is retried with backoff, then succeeds', async () => {
    const first = html502
    let n = 0
    const { client, sleeps, srv } = await setup((req) => (++n <= 1 ? first(req) : n === 2 ? graph500 : ME))
    await expect(client.get('/me', undefined, MeSchema, auth)).resolves.toMatchObject({ id: '1000123' })
    expect(sleeps).toEqual([500, 1000])
    expect(srv.requests).toHaveLength(3)
  })

  it('5xx until maxAttempts: META_UNAVAILABLE', async () => {
    const { client, srv } = await setup(html502, { maxAttempts: 3 })
    const e = await rejection(client.get('/me', undefined, MeSchema, auth))
    expect(e).toMatchObject({ kind: 'transient', httpStatus: 502 })
    expect(srv.requests).toHaveLength(3)
    expect(toAppError(e).code).toBe('META_UNAVAILABLE')
  })

  it('a transient API error on a create is not retried (it may have gone through)', async () => {
    const { client, srv } = await setup(inOrder(graph500, replay(loadFixture('campaign-create.response.json'))))
    const e = await rejection(client.post('/act_1/campaigns', { name: 'x' }, CreatedIdSchema, auth))
    expect(e.kind).toBe('transient')
    expect(srv.requests).toHaveLength(1)
  })

  it('network errors: GET retried; create not retried; idempotent update retried', async () => {
    const { client, srv, sleeps } = await setup(
      inOrder('destroy', ME, 'destroy', 'destroy', replay(loadFixture('object-update.success.json'))),
    )
    await expect(client.get('/me', undefined, MeSchema, auth)).resolves.toMatchObject({ id: '1000123' })
    expect(srv.requests).toHaveLength(2)
    expect(sleeps).toEqual([500])

    const e = await rejection(client.post('/act_1/campaigns', { name: 'x' }, CreatedIdSchema, auth))
    expect(e).toMatchObject({ source: 'network', kind: 'transient' })
    expect(srv.requests).toHaveLength(3)

    await expect(client.post('/120214350987651111', { status: 'PAUSED' }, SuccessSchema, { ...auth, idempotent: true })).resolves.toEqual({
      success: true,
    })
    expect(srv.requests).toHaveLength(5)
  })

  it('timeouts: GET retried, then surfaced as a timeout; a create is attempted once', async () => {
    const { client, srv } = await setup(() => 'hang', { timeoutMs: 100, maxAttempts: 2 })
    const e = await rejection(client.get('/me', undefined, MeSchema, auth))
    expect(e).toMatchObject({ source: 'timeout', kind: 'transient' })
    expect(e.message).toBe('Meta API GET /me timed out after 100 ms')
    expect(srv.requests).toHaveLength(2)
    expect(toAppError(e).userMessage).toContain('took too long')

    const c = await rejection(client.post('/act_1/campaigns', { name: 'x' }, CreatedIdSchema, auth))
    expect(c.source).toBe('timeout')
    expect(srv.requests).toHaveLength(3)
  })
})

describe('response validation', () => {
  it('a schema mismatch is a readable error naming the request path and field', async () => {
    const { client, srv } = await setup(inOrder(ok({ id: '1', name: 42 })))
    const e = await rejection(client.get('/me', { fields: 'id,name' }, MeSchema, auth))
    expect(e.source).toBe('schema')
    expect(e.message).toMatch(/^Unexpected response from Meta for GET \/me: name: /)
    expect(e.message).not.toContain(TOKEN)
    expect(srv.requests).toHaveLength(1) // not retried
    expect(toAppError(e).code).toBe('INTERNAL')
  })

  it('names nested paths and a non-JSON 200', async () => {
    const { client } = await setup(inOrder(ok({ data: [{ id: 'a' }, { id: 7 }] }), { status: 200, body: 'oops' }))
    const schema = z.object({ data: z.array(z.object({ id: z.string() })) })
    const e = await rejection(client.get('/act_1/campaigns', undefined, schema, auth))
    expect(e.message).toContain('data.1.id')
    const n = await rejection(client.get('/me', undefined, MeSchema, auth))
    expect(n.message).toBe('Unexpected response from Meta for GET /me: body is not JSON')
  })
})

describe('paginate', () => {
  function insightsPages(baseUrl: string) {
    const p1 = loadFixture('insights-campaign-daily-leads.page1.json')
    const p2 = loadFixture('insights-campaign-daily-leads.page2.json')
    const body1 = p1.body as { paging: { next: string } }
    const originalNext = body1.paging.next
    body1.paging.next = rewritePagingUrl(originalNext, baseUrl)
    return { p1, p2, originalNext }
  }

  it('follows paging.next, re-adding our token and appsecret_proof and dropping the one embedded in next', async () => {
    server = await startGraphServer(() => ({ status: 500 }))
    const { p1, p2 } = insightsPages(server.baseUrl)
    server.handler = inOrder(replay(p1), replay(p2))
    const client = createGraphClient({ baseUrl: server.baseUrl, version: 'v26.0', appSecret: SECRET, sleep: async () => {} })
    const item = z.object({ campaign_id: z.string(), date_start: z.string() })
    const pages: { campaign_id: string }[][] = []
    for await (const page of client.paginate('/act_1234567890123456/insights', { level: 'campaign', limit: 7 }, item, auth))
      pages.push(page)
    expect(pages.map((p) => p.length)).toEqual([7, 7])
    expect(pages[0]?.[0]?.campaign_id).toBe('120214350987650123')
    expect(client.stats.requests).toBe(2)
    const [r1, r2] = server.requests
    expect(r1?.query.get('limit')).toBe('7')
    expect(r2?.path).toBe('/v26.0/act_1234567890123456/insights')
    expect(r2?.query.get('after')).toBe('NgZDZD')
    expect(r2?.query.has('access_token')).toBe(false) // the token embedded in paging.next is dropped; it goes in the header
    expect(r2?.headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(r2?.query.get('appsecret_proof')).toBe(PROOF)
  })

  it('rebuilds a next URL on another host onto our base URL, so the token never leaves for it', async () => {
    server = await startGraphServer(() => ({ status: 500 }))
    const p1 = loadFixture('insights-campaign-daily-leads.page1.json') // next still points at graph.facebook.com
    const p2 = loadFixture('insights-campaign-daily-leads.page2.json')
    server.handler = inOrder(replay(p1), replay(p2))
    const client = createGraphClient({ baseUrl: server.baseUrl, version: 'v26.0', appSecret: SECRET })
    let rows = 0
    for await (const page of client.paginate('/act_1234567890123456/insights', {}, z.object({ campaign_id: z.string() }), auth))
      rows += page.length
    expect(rows).toBe(14)
    expect(server.requests[1]?.query.get('after')).toBe('NgZDZD')
  })

  it('stops with an error if paging.next loops', async () => {
    server = await startGraphServer(() => ({ status: 500 }))
    const self = `${server.baseUrl}/v26.0/me/adaccounts?limit=1`
    server.handler = () => ok({ data: [], paging: { next: self } })
    const client = createGraphClient({ baseUrl: server.baseUrl, version: 'v26.0' })
    const e = await rejection(
      (async () => {
        for await (const _ of client.paginate('/me/adaccounts', { limit: 1 }, z.object({}), auth)) void _
      })(),
    )
    expect(e.message).toContain('paging.next repeats')
  })
})

describe('logging', () => {
  it('never writes the token or appsecret_proof to the log, even on failures and paging', async () => {
    const lines: string[] = []
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'))
        done()
      },
    })
    const logger = pino({ level: 'debug' }, sink)
    server = await startGraphServer(() => ({ status: 500 }))
    const p1 = loadFixture('insights-campaign-daily-leads.page1.json')
    const next = new URL(rewritePagingUrl((p1.body as { paging: { next: string } }).paging.next, server.baseUrl))
    next.searchParams.set('access_token', TOKEN) // what Meta really does: next embeds the caller's token
    ;(p1.body as { paging: { next: string } }).paging.next = next.toString()
    server.handler = inOrder(
      replay(loadFixture('error-17-user-request-limit.json')),
      replay(p1),
      replay(loadFixture('insights-campaign-daily-leads.page2.json')),
      replay(loadFixture('error-190-463-expired-token.json')),
      'destroy',
    )
    const client = createGraphClient({
      baseUrl: server.baseUrl,
      version: 'v26.0',
      appSecret: SECRET,
      logger,
      maxWaitMs: 3_600_000,
      sleep: async () => {},
    })
    for await (const _ of client.paginate('/act_1234567890123456/insights', {}, z.object({}).loose(), auth)) void _
    await client.get('/me', undefined, MeSchema, auth).catch(() => undefined)
    await client.post('/act_1/campaigns', { name: 'x' }, CreatedIdSchema, auth).catch(() => undefined)
    const all = lines.join('')
    expect(lines.length).toBeGreaterThanOrEqual(6)
    expect(all).toContain('"path":"/act_1234567890123456/insights"')
    expect(all).toContain('meta api call failed; retrying')
    expect(all).not.toContain(TOKEN)
    expect(all).not.toContain(PROOF)
    expect(all).not.toContain('access_token')
  })
})
