/**
 * The Slack emulator on its own: every delivery is signed so Promoly's signing secret verifies it
 * (checked with Bolt's own verifier), payloads have Slack's shapes, and the Web API answers and
 * refuses like Slack (unknown methods, bad auth, invalid blocks, rate limits, triggers, response_urls).
 */
import { createServer, type Server } from 'node:http'
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

  it('refuses page actions from other sites (no cross-site form posts as you)', async () => {
    const forged = await fetch(`${emulator.url}/playground/api/send`, {
      method: 'POST',
      body: JSON.stringify({ channel: dm, text: '/promoly budget x +30%' }),
      headers: { 'content-type': 'text/plain' },
    })
    expect(forged.status).toBe(403)
    const crossOrigin = await fetch(`${emulator.url}/playground/api/send`, {
      method: 'POST',
      body: JSON.stringify({ channel: dm, text: 'hi' }),
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
    })
    expect(crossOrigin.status).toBe(403)
  })

  it('serves the page, its assets and a live event stream', async () => {
    const page = await fetch(`${emulator.url}/`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('Promoly playground')
    const res = await fetch(`${emulator.url}/playground/events`)
    const reader = res.body!.getReader()
    const first = new TextDecoder().decode((await reader.read()).value)
    expect(first).toMatch(/^event: snapshot\ndata: \{/)
    await reader.cancel()
  })
})
