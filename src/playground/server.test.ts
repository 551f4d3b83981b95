/**
 * The Slack emulator on its own: every delivery is signed so Promoly's signing secret verifies it
 * (checked with Bolt's own verifier), payloads have Slack's shapes, and the Web API answers and
 * refuses like Slack (unknown methods, bad auth, invalid blocks, rate limits, triggers, response_urls).
 */
import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http'
import { verifySlackRequest } from '@slack/bolt'
import { WebClient } from '@slack/web-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Json } from '../../test/support/json.ts'
import { BOT_USER_ID, YOU } from './model.ts'
import { type SlackEmulator, startSlackEmulator } from './server.ts'

interface Received {
  headers: Record<string, string>
  body: string
  verified: boolean
  parsed: Record<string, Json>
}

describe('Slack emulator', () => {
  let app: Server
  let emulator: SlackEmulator
  const received: Received[] = []
  let nextAck: (r: Received) => unknown = () => undefined

  beforeAll(async () => {
    app = createServer(async (req, res) => {
      const chunks: Buffer[] = []
      for await (const c of req) chunks.push(c as Buffer)
      const body = Buffer.concat(chunks).toString('utf8')
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]))
      let verified = true
      try {
        verifySlackRequest({
          signingSecret: emulator.signingSecret,
          body,
          headers: {
            'x-slack-signature': headers['x-slack-signature']!,
            'x-slack-request-timestamp': Number(headers['x-slack-request-timestamp']),
          },
        })
      } catch {
        verified = false
      }
      const parsed = headers['content-type'] === 'application/json' ? JSON.parse(body) : Object.fromEntries(new URLSearchParams(body))
      if (typeof parsed.payload === 'string') Object.assign(parsed, JSON.parse(parsed.payload))
      const r = { headers, body, verified, parsed }
      received.push(r)
      const ack = nextAck(r)
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(ack === undefined ? '' : JSON.stringify(ack))
    })
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', () => r()))
    const port = (app.address() as { port: number }).port
    emulator = await startSlackEmulator({ requestUrl: `http://127.0.0.1:${port}/slack/events`, rateLimit: { burst: 3, perSecond: 1 } })
  })

  afterAll(async () => {
    await emulator.close()
    await new Promise<void>((r) => app.close(() => r()))
  })

  async function api(method: string, args: Record<string, unknown>, token = emulator.botToken) {
    const form = new URLSearchParams(
      Object.entries(args).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
    )
    const res = await fetch(`${emulator.apiUrl}${method}`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
    })
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, Json> }
  }

  const dm = 'D0PROMOLY1'

  /** A request with headers fetch() will not set (Host), as a DNS-rebinding page's browser would send them. */
  function rawRequest(
    url: string,
    init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request(url, { method: init.method ?? 'GET', headers: init.headers }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => {
          chunks.push(c)
          // An event stream never ends: its first event is enough.
          if (res.headers['content-type'] === 'text/event-stream') res.destroy()
        })
        const done = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') })
        res.on('end', done)
        res.on('close', done)
      })
      req.on('error', reject)
      req.end(init.body)
    })
  }

  /** The session cookie the page sets ("name=value"). */
  async function sessionCookie(): Promise<string> {
    const page = await fetch(`${emulator.url}/`)
    await page.text()
    return (page.headers.get('set-cookie') ?? '').split(';')[0]!
  }

  it('signs a slash command with the signing secret, in Slack form fields, and shows the ack', async () => {
    nextAck = () => ({ response_type: 'ephemeral', text: 'Here is your help' })
    await emulator.user.send({ channel: dm, text: '/promoly help me' })
    const r = received.at(-1)!
    expect(r.verified).toBe(true)
    expect(r.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(r.parsed).toMatchObject({
      command: '/promoly',
      text: 'help me',
      user_id: YOU,
      channel_id: dm,
      team_id: expect.any(String),
      is_enterprise_install: 'false',
    })
    expect(r.parsed.response_url).toMatch(/\/response\//)
    expect(r.parsed.trigger_id).toMatch(/^\d+\.\d+\.[0-9a-f]+$/)
    const shown = emulator.state.messages.at(-1)!
    expect(shown).toMatchObject({ text: 'Here is your help', ephemeral: true, user: BOT_USER_ID })
  })

  it('delivers DMs as message.im and mentions as app_mention events, signed JSON envelopes', async () => {
    nextAck = () => undefined
    await emulator.user.send({ channel: dm, text: 'how are my ads?' })
    const im = received.at(-1)!
    expect(im.verified).toBe(true)
    expect(im.headers['content-type']).toBe('application/json')
    expect(im.parsed).toMatchObject({
      type: 'event_callback',
      event: { type: 'message', channel_type: 'im', text: 'how are my ads?', user: YOU },
      authorizations: [{ user_id: BOT_USER_ID, is_bot: true }],
    })
    expect(im.parsed.event_id).toMatch(/^Ev/)
    await emulator.user.send({ channel: 'C0ADS00001', text: 'hey @Promoly what changed?' })
    const mention = received.at(-1)!
    expect(mention.verified).toBe(true)
    expect(mention.parsed.event).toMatchObject({ type: 'app_mention', text: `hey <@${BOT_USER_ID}> what changed?`, channel: 'C0ADS00001' })
    expect(received.at(-2)!.parsed.event).toMatchObject({ type: 'message', channel_type: 'channel', channel: 'C0ADS00001' })
    const before = received.length
    await emulator.user.send({ channel: 'C0ADS00001', text: 'just chatting' })
    // message.channels only: no app_mention for a message not addressed to the app.
    expect(received.slice(before).map((r) => r.parsed.event.type)).toEqual(['message'])
  })

  it('signs block_actions, view_submission and view_closed with their Slack shapes', async () => {
    const posted = await api('chat.postMessage', {
      channel: dm,
      text: 'Card',
      blocks: [
        {
          type: 'actions',
          block_id: 'b1',
          elements: [{ type: 'button', action_id: 'approve', text: { type: 'plain_text', text: 'Approve' }, value: '42' }],
        },
      ],
    })
    expect(posted.body.ok).toBe(true)
    await emulator.user.action({
      container: { type: 'message', channel: dm, ts: posted.body.ts },
      blockId: 'b1',
      action: { type: 'button', action_id: 'approve', text: { type: 'plain_text', text: 'Approve' }, value: '42' },
    })
    const click = received.at(-1)!
    expect(click.verified).toBe(true)
    expect(click.parsed).toMatchObject({
      type: 'block_actions',
      container: { type: 'message', message_ts: posted.body.ts, channel_id: dm, is_ephemeral: false },
      message: { ts: posted.body.ts, bot_id: expect.any(String) },
      actions: [{ action_id: 'approve', block_id: 'b1', value: '42' }],
    })

    // A modal opened from that click's trigger, submitted with errors, then closed.
    const opened = await api('views.open', {
      trigger_id: click.parsed.trigger_id,
      view: {
        type: 'modal',
        callback_id: 'form',
        notify_on_close: true,
        title: { type: 'plain_text', text: 'Form' },
        submit: { type: 'plain_text', text: 'Save' },
        blocks: [
          {
            type: 'input',
            block_id: 'name',
            label: { type: 'plain_text', text: 'Name' },
            element: { type: 'plain_text_input', action_id: 'name_input' },
          },
        ],
      },
    })
    expect(opened.body.ok).toBe(true)
    const viewId = opened.body.view.id
    nextAck = () => ({ response_action: 'errors', errors: { name: 'Too short' } })
    await emulator.user.submitView({ viewId, values: { name: { name_input: { type: 'plain_text_input', value: 'x' } } } })
    const submit = received.at(-1)!
    expect(submit.verified).toBe(true)
    expect(submit.parsed).toMatchObject({
      type: 'view_submission',
      view: { id: viewId, callback_id: 'form', state: { values: { name: { name_input: { value: 'x' } } } } },
    })
    expect(emulator.state.views[0]!.errors).toEqual({ name: 'Too short' })
    nextAck = () => undefined
    await emulator.user.closeView({ viewId })
    const closed = received.at(-1)!
    expect(closed.verified).toBe(true)
    expect(closed.parsed).toMatchObject({ type: 'view_closed', view: { id: viewId }, is_cleared: false })
    expect(emulator.state.views).toEqual([])
  })

  it('answers unknown methods and bad tokens like Slack', async () => {
    expect((await api('chat.frobnicate', {})).body).toEqual({ ok: false, error: 'unknown_method' })
    expect((await api('chat.postMessage', { channel: dm, text: 'x' }, 'xoxb-wrong')).body).toMatchObject({
      ok: false,
      error: 'invalid_auth',
    })
    expect((await api('chat.postMessage', { channel: 'CNOPE', text: 'x' })).body).toMatchObject({ ok: false, error: 'channel_not_found' })
    expect((await api('chat.update', { channel: dm, ts: '1.2', text: 'x' })).body).toMatchObject({ ok: false, error: 'message_not_found' })
  })

  it('answers users.info with the guest and team fields Promoly checks', async () => {
    expect((await api('users.info', { user: YOU })).body).toMatchObject({
      ok: true,
      user: { id: YOU, is_admin: true, is_restricted: false, is_ultra_restricted: false, team_id: expect.any(String) },
    })
    const guest = emulator.state.users.find((u) => u.isRestricted)!
    expect((await api('users.info', { user: guest.id })).body).toMatchObject({ ok: true, user: { is_restricted: true, is_admin: false } })
  })

  it('answers is_bot like Slack (the Promoly bot yes, Slackbot no) and pages users.list with a cursor (round 4)', async () => {
    expect((await api('users.info', { user: BOT_USER_ID })).body).toMatchObject({ ok: true, user: { is_bot: true, deleted: false } })
    expect((await api('users.info', { user: 'USLACKBOT' })).body).toMatchObject({ ok: true, user: { is_bot: false } })
    const seen: Array<Record<string, unknown>> = []
    let cursor = ''
    let pages = 0
    do {
      const page = (await api('users.list', { limit: 2, ...(cursor ? { cursor } : {}) })).body as {
        ok: boolean
        members: Array<Record<string, unknown>>
        response_metadata: { next_cursor: string }
      }
      expect(page.ok).toBe(true)
      expect(page.members.length).toBeLessThanOrEqual(2)
      seen.push(...page.members)
      cursor = page.response_metadata.next_cursor
      pages++
    } while (cursor && pages < 10)
    expect(pages).toBeGreaterThan(1)
    expect(seen.map((u) => u.id)).toEqual(emulator.state.users.map((u) => u.id))
    expect(seen.find((u) => u.id === YOU)).toMatchObject({ is_owner: true, is_admin: true, is_bot: false, deleted: false })
    expect((await api('users.list', { cursor: 'garbage' })).body).toMatchObject({ ok: false, error: 'invalid_cursor' })
  })

  it('rejects messages and views that break Block Kit rules with invalid_blocks and the reason', async () => {
    const tooMany = await api('chat.postMessage', {
      channel: dm,
      text: 'x',
      blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })),
    })
    expect(tooMany.body).toMatchObject({ ok: false, error: 'invalid_blocks' })
    expect(tooMany.body.errors.join()).toMatch(/50/)
    const dup = await api('chat.postMessage', {
      channel: dm,
      text: 'x',
      blocks: [
        {
          type: 'actions',
          elements: [
            { type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'A' } },
            { type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'B' } },
          ],
        },
      ],
    })
    expect(dup.body.error).toBe('invalid_blocks')
    expect(dup.body.errors.join()).toMatch(/duplicate action_id/)
    const badView = await api('views.open', {
      trigger_id: 'whatever',
      view: { type: 'modal', title: { type: 'plain_text', text: 'A title that is far too long for Slack' }, blocks: [] },
    })
    expect(badView.body).toMatchObject({ ok: false, error: 'invalid_blocks' })
    expect(badView.body.errors.join()).toMatch(/title must be 1–24 characters/)
  })

  it('refuses expired or reused triggers', async () => {
    expect(
      (await api('views.open', { trigger_id: '1.2.3', view: { type: 'modal', title: { type: 'plain_text', text: 'T' }, blocks: [] } })).body
        .error,
    ).toBe('invalid_trigger_id')
    const trigger = emulator.state.newTrigger(YOU)
    const view = { type: 'modal', title: { type: 'plain_text', text: 'T' }, blocks: [] }
    expect((await api('views.open', { trigger_id: trigger, view })).body.ok).toBe(true)
    expect((await api('views.open', { trigger_id: trigger, view })).body.error).toBe('expired_trigger_id')
  })

  it('answers 429 with Retry-After when a channel is posted to faster than Slack allows', async () => {
    const results = []
    for (let i = 0; i < 6; i++) results.push(await api('chat.postMessage', { channel: 'C0CLIENTS1', text: `burst ${i}` }))
    const limited = results.find((r) => r.status === 429)
    expect(limited).toBeDefined()
    expect(limited!.body).toEqual({ ok: false, error: 'ratelimited' })
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
  })

  it('serves response_urls with replace_original, and refuses a sixth use', async () => {
    nextAck = () => undefined
    await emulator.user.send({ channel: dm, text: '/promoly metrics' })
    const url = received.at(-1)!.parsed.response_url as string
    const post = (body: unknown) =>
      fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } })
    expect((await post({ text: 'first', response_type: 'in_channel' })).status).toBe(200)
    const inChannel = emulator.state.messages.at(-1)!
    expect(inChannel.text).toBe('first')
    expect(inChannel.ephemeral).toBeFalsy()
    const bad = await post({ text: 'x', blocks: [{ type: 'section' }] })
    expect(bad.status).toBe(400)
    for (let i = 0; i < 4; i++) expect((await post({ text: `again ${i}` })).status).toBe(200)
    expect((await post({ text: 'sixth' })).status).toBe(404)
  })

  it('takes file uploads from the real Web API client (files.uploadV2) and shows them in the channel', async () => {
    const client = new WebClient(emulator.botToken, { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } })
    const png = Buffer.from(
      '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a1d8c4f50000000049454e44ae426082',
      'hex',
    )
    await client.filesUploadV2({ channel_id: 'C0GENERAL1', file: png, filename: 'chart.png', initial_comment: 'Yesterday at a glance' })
    const m = emulator.state.messages.at(-1)!
    expect(m).toMatchObject({ channel: 'C0GENERAL1', text: 'Yesterday at a glance', files: [{ name: 'chart.png', mimetype: 'image/png' }] })
    const served = await fetch(m.files![0]!.url)
    expect(served.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true)
  })

  it('lists conversation members with Slack’s cursor paging and errors', async () => {
    const first = await api('conversations.members', { channel: 'C0ADS00001', limit: '2' })
    expect(first.body).toMatchObject({ ok: true, members: [YOU, 'U0ALEX0001'] })
    const cursor = (first.body.response_metadata as { next_cursor: string }).next_cursor
    expect(cursor).not.toBe('')
    expect((await api('conversations.members', { channel: 'C0ADS00001', limit: '2', cursor })).body).toMatchObject({
      members: ['U0GUEST001', BOT_USER_ID],
      response_metadata: { next_cursor: '' },
    })
    expect((await api('conversations.members', { channel: dm })).body).toMatchObject({ members: [YOU, BOT_USER_ID] })
    expect((await api('conversations.members', { channel: 'CNOPE' })).body).toEqual({ ok: false, error: 'channel_not_found' })
    expect((await api('conversations.members', { channel: dm, cursor: 'bm9wZQ==' })).body).toEqual({ ok: false, error: 'invalid_cursor' })
    expect((await api('conversations.members', { channel: dm, limit: '0' })).body).toEqual({ ok: false, error: 'invalid_limit' })
    // The real Web API client pages through it.
    const client = new WebClient(emulator.botToken, { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } })
    const all: string[] = []
    for await (const page of client.paginate('conversations.members', { channel: 'C0ADS00001', limit: 1 }))
      all.push(...((page as { members?: string[] }).members ?? []))
    expect(all).toEqual([YOU, 'U0ALEX0001', 'U0GUEST001', BOT_USER_ID])
  })

  it('refuses page actions from other sites (no cross-site form posts as you)', async () => {
    const cookie = await sessionCookie()
    const forged = await fetch(`${emulator.url}/playground/api/send`, {
      method: 'POST',
      body: JSON.stringify({ channel: dm, text: '/promoly budget x +30%' }),
      headers: { 'content-type': 'text/plain', cookie },
    })
    expect(forged.status).toBe(403)
    const crossOrigin = await fetch(`${emulator.url}/playground/api/send`, {
      method: 'POST',
      body: JSON.stringify({ channel: dm, text: 'hi' }),
      headers: { 'content-type': 'application/json', origin: 'https://evil.example', cookie },
    })
    expect(crossOrigin.status).toBe(403)
  })

  it('answers only requests addressed to this machine and port (DNS rebinding: Host evil.example is refused)', async () => {
    const port = new URL(emulator.url).port
    const cookie = await sessionCookie()
    const before = emulator.state.messages.length
    const rebound = { host: 'evil.example', origin: 'http://evil.example', cookie }
    for (const path of ['/', '/playground/events', '/playground/static/app.js']) {
      const r = await rawRequest(`${emulator.url}${path}`, { headers: rebound })
      expect([path, r.status]).toEqual([path, 421])
      expect(r.headers['set-cookie']).toBeUndefined()
    }
    const post = await rawRequest(`${emulator.url}/playground/api/send`, {
      method: 'POST',
      headers: { ...rebound, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: dm, text: 'hi from evil.example' }),
    })
    expect(post.status).toBe(421)
    const api = await rawRequest(`${emulator.url}/api/api.test`, { method: 'POST', headers: { host: 'evil.example' } })
    expect(api.status).toBe(421)
    // Another port of this machine is another origin too.
    expect((await rawRequest(`${emulator.url}/`, { headers: { host: 'localhost:1' } })).status).toBe(421)
    expect(emulator.state.messages.length).toBe(before)
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      expect([host, (await rawRequest(`${emulator.url}/`, { headers: { host } })).status]).toEqual([host, 200])
    }
  })

  it('requires the per-session secret (an HttpOnly SameSite=Strict cookie set by the page) on its API and event stream', async () => {
    const before = emulator.state.messages.length
    const send = (headers: Record<string, string>) =>
      fetch(`${emulator.url}/playground/api/send`, {
        method: 'POST',
        body: JSON.stringify({ channel: dm, text: 'hello' }),
        headers: { 'content-type': 'application/json', ...headers },
      })
    expect((await send({})).status).toBe(403)
    expect((await fetch(`${emulator.url}/playground/events`)).status).toBe(403)
    const page = await fetch(`${emulator.url}/`)
    await page.text()
    const setCookie = page.headers.get('set-cookie') ?? ''
    expect(setCookie).toMatch(/HttpOnly/i)
    expect(setCookie).toMatch(/SameSite=Strict/i)
    const cookie = setCookie.split(';')[0]!
    expect(cookie).toBe(emulator.sessionCookie)
    const [name, secret] = cookie.split('=') as [string, string]
    expect(secret).toMatch(/^[0-9a-f]{64}$/)
    expect((await send({ cookie: `${name}=${'0'.repeat(64)}` })).status).toBe(403)
    expect((await rawRequest(`${emulator.url}/playground/events?secret=wrong`)).status).toBe(403)
    expect(emulator.state.messages.length).toBe(before)
    expect((await send({ cookie })).status).toBe(200)
    const events = await rawRequest(`${emulator.url}/playground/events`, { headers: { cookie } })
    expect(events.status).toBe(200)
    expect(events.body).toMatch(/^event: snapshot\ndata: \{/)
  })

  it('serves the page, its assets and a live event stream', async () => {
    const page = await fetch(`${emulator.url}/`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('Promoly playground')
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!
    const res = await fetch(`${emulator.url}/playground/events`, { headers: { cookie } })
    const reader = res.body!.getReader()
    const first = new TextDecoder().decode((await reader.read()).value)
    expect(first).toMatch(/^event: snapshot\ndata: \{/)
    await reader.cancel()
  })
})
