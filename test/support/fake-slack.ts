import { createHmac } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'

export interface SlackCall {
  method: string
  /** Form fields, with JSON fields (blocks, view, …) parsed. */
  args: Record<string, unknown>
  token?: string
  /** What the fake answered (e.g. the `ts` of a posted message). */
  result?: Record<string, unknown>
}

export interface ResponseUrlCall {
  path: string
  body: Record<string, unknown>
}

/**
 * A local Slack Web API speaking Slack's wire format (form-encoded requests, `{ok: …}` JSON
 * answers) plus response_url endpoints. Tests point SLACK_API_URL at `apiUrl`.
 */
export interface FakeSlack {
  url: string
  apiUrl: string
  calls: SlackCall[]
  responses: ResponseUrlCall[]
  responseUrl(id?: string): string
  /**
   * Who is in which conversation (conversations.members, paged like Slack with a cursor). A conversation
   * not listed is one Promoly cannot see: `channel_not_found`, as Slack answers for a private channel it is not in.
   */
  channels: Map<string, string[]>
  /** Override the answer of a method. */
  on(method: string, answer: (args: Record<string, unknown>) => Record<string, unknown>): void
  /** Back to the default answer of a method. */
  off(method: string): void
  /** The next call of `method` is answered like Slack's rate limit: HTTP 429 with Retry-After (seconds). */
  rateLimitOnce(method: string, retryAfterSeconds: number): void
  /** Resolves when a call matching the predicate has been seen. */
  waitFor<T extends SlackCall | ResponseUrlCall>(kind: 'call' | 'response', predicate: (c: T) => boolean, timeoutMs?: number): Promise<T>
  close(): Promise<void>
}

type Seen = SlackCall | ResponseUrlCall

const JSON_FIELDS = new Set(['blocks', 'view', 'attachments', 'metadata', 'chunks', 'prompts'])

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** What users.info says of a user beyond the defaults (a full member of the fake team): Slack's own field names. */
export interface FakeSlackUser {
  is_admin?: boolean
  is_owner?: boolean
  /** Multi-channel guest. */
  is_restricted?: boolean
  /** Single-channel guest. */
  is_ultra_restricted?: boolean
  /** Someone of another organisation seen through a shared channel. */
  is_stranger?: boolean
  is_primary_owner?: boolean
  /** An app's bot user (default true for the fake Promoly bot `UBOT` alone; Slack says false of `USLACKBOT`). */
  is_bot?: boolean
  /** A deactivated account. */
  deleted?: boolean
  /** Their home team (default: the fake team). */
  team_id?: string
  enterprise_user?: { enterprise_id: string; teams: string[] }
}

export async function startFakeSlack(
  options: {
    teamId?: string
    users?: Record<string, FakeSlackUser>
    /** conversations.members: channel id → member user ids (see FakeSlack.channels). */
    channels?: Record<string, string[]>
  } = {},
): Promise<FakeSlack> {
  const teamId = options.teamId ?? 'T0001'
  const channels = new Map(Object.entries(options.channels ?? {}))
  const calls: SlackCall[] = []
  const responses: ResponseUrlCall[] = []
  const overrides = new Map<string, (args: Record<string, unknown>) => Record<string, unknown>>()
  const limited = new Map<string, number>()
  const waiters: Array<{ kind: string; predicate: (c: Seen) => boolean; resolve: (c: Seen) => void }> = []
  let seq = 0

  /** Slack's user object, as users.info and users.list give it. */
  const userOf = (id: string) => ({
    id,
    team_id: teamId,
    name: id,
    deleted: false,
    is_admin: false,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: id === 'UBOT',
    ...(options.users?.[id] ?? {}),
  })

  const defaults: Record<string, (args: Record<string, unknown>) => Record<string, unknown>> = {
    'auth.test': () => ({
      ok: true,
      url: 'https://fake.slack.com/',
      team: 'Fake Team',
      user: 'promoly',
      team_id: teamId,
      user_id: 'UBOT',
      bot_id: 'BBOT',
    }),
    'chat.postMessage': (a) => ({ ok: true, channel: a.channel, ts: `${Date.now() / 1000}.${++seq}`, message: { text: a.text } }),
    'chat.postEphemeral': () => ({ ok: true, message_ts: `${Date.now() / 1000}.${++seq}` }),
    'chat.update': (a) => ({ ok: true, channel: a.channel, ts: a.ts }),
    'views.open': (a) => ({ ok: true, view: { ...(a.view as object), id: `V${++seq}`, hash: 'h' } }),
    'views.update': (a) => ({ ok: true, view: { ...(a.view as object), id: a.view_id ?? `V${++seq}`, hash: 'h' } }),
    'conversations.members': (a) => {
      const members = channels.get(String(a.channel ?? ''))
      if (!members) return { ok: false, error: 'channel_not_found' }
      const limit = a.limit === undefined ? 100 : Number(a.limit)
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return { ok: false, error: 'invalid_limit' }
      // Slack's cursors are opaque base64 strings; this one encodes the offset of the next page.
      const cursor = a.cursor ? String(a.cursor) : ''
      const from = cursor ? Number(/^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'))?.[1] ?? Number.NaN) : 0
      if (!Number.isInteger(from)) return { ok: false, error: 'invalid_cursor' }
      const next = from + limit < members.length ? Buffer.from(`offset:${from + limit}`).toString('base64') : ''
      return { ok: true, members: members.slice(from, from + limit), response_metadata: { next_cursor: next } }
    },
    // users.list: the fake bot, Slackbot, then the users given (in order), paged like conversations.members.
    'users.list': (a) => {
      const ids = ['UBOT', 'USLACKBOT', ...Object.keys(options.users ?? {}).filter((id) => id !== 'UBOT' && id !== 'USLACKBOT')]
      const limit = a.limit === undefined ? 0 : Number(a.limit)
      if (!Number.isInteger(limit) || limit < 0 || limit > 1000) return { ok: false, error: 'invalid_limit' }
      const size = limit || ids.length
      const cursor = a.cursor ? String(a.cursor) : ''
      const from = cursor ? Number(/^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'))?.[1] ?? Number.NaN) : 0
      if (!Number.isInteger(from)) return { ok: false, error: 'invalid_cursor' }
      const next = from + size < ids.length ? Buffer.from(`offset:${from + size}`).toString('base64') : ''
      const members = ids.slice(from, from + size).map((id) => userOf(id))
      return { ok: true, members, cache_ts: Math.floor(Date.now() / 1000), response_metadata: { next_cursor: next } }
    },
    'users.info': (a) => ({ ok: true, user: userOf(String(a.user)) }),
  }

  function settle(kind: 'call' | 'response', c: Seen) {
    for (const w of [...waiters]) {
      if (w.kind === kind && w.predicate(c)) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve(c)
      }
    }
  }

  const server: Server = createServer(async (req, res) => {
    const raw = await readBody(req)
    const path = (req.url ?? '').split('?')[0]!
    res.setHeader('content-type', 'application/json')
    if (path.startsWith('/response/')) {
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {}
      const call = { path, body }
      responses.push(call)
      settle('response', call)
      res.end('{"ok":true}')
      return
    }
    const method = path.replace(/^\/api\//, '')
    const args: Record<string, unknown> = {}
    const type = req.headers['content-type'] ?? ''
    if (type.includes('application/json')) Object.assign(args, raw ? JSON.parse(raw) : {})
    else for (const [k, v] of new URLSearchParams(raw)) args[k] = JSON_FIELDS.has(k) ? JSON.parse(v) : v
    const auth = req.headers.authorization
    const call: SlackCall = { method, args, token: auth?.replace(/^Bearer /, '') }
    calls.push(call)
    const retryAfter = limited.get(method)
    if (retryAfter !== undefined) {
      limited.delete(method)
      call.result = { ok: false, error: 'ratelimited' }
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(retryAfter) })
      res.end(JSON.stringify(call.result))
      settle('call', call)
      return
    }
    const answer = overrides.get(method) ?? defaults[method]
    call.result = answer ? answer(args) : { ok: false, error: 'unknown_method' }
    res.end(JSON.stringify(call.result))
    settle('call', call)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  const port = (server.address() as { port: number }).port
  const url = `http://127.0.0.1:${port}`
  return {
    url,
    apiUrl: `${url}/api/`,
    calls,
    responses,
    channels,
    responseUrl: (id = String(++seq)) => `${url}/response/${id}`,
    on: (method, answer) => void overrides.set(method, answer),
    off: (method) => void overrides.delete(method),
    rateLimitOnce: (method, retryAfterSeconds) => void limited.set(method, retryAfterSeconds),
    waitFor<T extends Seen>(kind: 'call' | 'response', predicate: (c: T) => boolean, timeoutMs = 10_000): Promise<T> {
      // `kind` picks the list, so its entries are what the caller names T.
      const matches = (c: Seen) => predicate(c as T)
      const seen: Seen[] = kind === 'call' ? calls : responses
      const found = seen.find(matches)
      if (found) return Promise.resolve(found as T)
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`timed out waiting for a Slack ${kind}`)), timeoutMs)
        waiters.push({
          kind,
          predicate: matches,
          resolve: (c) => {
            clearTimeout(t)
            resolve(c as T)
          },
        })
      })
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}

/** Signs a body the way Slack does (v0 HMAC-SHA256 over `v0:{ts}:{body}`). */
export function slackSignature(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`
}

/** POSTs a signed slash command to a Promoly HTTP endpoint, returning status and the ack body. */
export async function sendSlashCommand(
  endpoint: string,
  signingSecret: string,
  fields: { text: string; responseUrl: string; teamId?: string; userId?: string; channelId?: string },
  options: { timestamp?: number; signature?: string } = {},
): Promise<{ status: number; body: string; ms: number }> {
  const body = new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: fields.teamId ?? 'T0001',
    team_domain: 'fake',
    channel_id: fields.channelId ?? 'C0001',
    channel_name: 'ads',
    user_id: fields.userId ?? 'U0001',
    user_name: 'marketer',
    command: '/promoly',
    text: fields.text,
    api_app_id: 'A0001',
    is_enterprise_install: 'false',
    response_url: fields.responseUrl,
    trigger_id: `${Date.now()}.1.abc`,
  }).toString()
  const ts = options.timestamp ?? Math.floor(Date.now() / 1000)
  const started = performance.now()
  const res = await fetch(endpoint, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': options.signature ?? slackSignature(signingSecret, ts, body),
    },
  })
  const text = await res.text()
  return { status: res.status, body: text, ms: performance.now() - started }
}

/** POSTs a signed interactivity payload (block_actions, view_submission…). */
export async function sendInteraction(
  endpoint: string,
  signingSecret: string,
  payload: unknown,
): Promise<{ status: number; body: string }> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString()
  const ts = Math.floor(Date.now() / 1000)
  const res = await fetch(endpoint, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': slackSignature(signingSecret, ts, body),
    },
  })
  return { status: res.status, body: await res.text() }
}

/**
 * A block_actions payload as Slack sends it for a click on a message in channel C0001 of team T0001
 * (the fixture's shape): `action` needs at least action_id; block_id, value and text may follow.
 */
export function blockActionsPayload(options: {
  userId: string
  action: Record<string, unknown> & { action_id: string }
  responseUrl: string
  messageTs?: string
  ephemeral?: boolean
  triggerId?: string
  /** Default C0001. */
  channelId?: string
}): Record<string, unknown> {
  const channelId = options.channelId ?? 'C0001'
  return {
    type: 'block_actions',
    user: { id: options.userId, username: options.userId, name: options.userId, team_id: 'T0001' },
    api_app_id: 'A0001',
    token: 'x',
    container: { type: 'message', message_ts: options.messageTs ?? '1.1', channel_id: channelId, is_ephemeral: options.ephemeral ?? false },
    trigger_id: options.triggerId ?? `${Date.now()}.1.x`,
    team: { id: 'T0001', domain: 'fake' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channelId, name: 'ads' },
    state: { values: {} },
    response_url: options.responseUrl,
    actions: [{ type: 'button', text: { type: 'plain_text', text: 'x' }, action_ts: `${Date.now() / 1000}`, ...options.action }],
  }
}

/** POSTs a signed Events API callback (JSON), as Slack delivers events. */
export async function sendEvent(
  endpoint: string,
  signingSecret: string,
  event: Record<string, unknown>,
  options: { teamId?: string; eventId?: string } = {},
): Promise<{ status: number; body: string }> {
  const teamId = options.teamId ?? 'T0001'
  const body = JSON.stringify({
    token: 'x',
    team_id: teamId,
    api_app_id: 'A0001',
    type: 'event_callback',
    event_id: options.eventId ?? `Ev${Date.now()}${Math.floor(Math.random() * 1e6)}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: teamId, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
    event,
  })
  const ts = Math.floor(Date.now() / 1000)
  const res = await fetch(endpoint, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': slackSignature(signingSecret, ts, body),
    },
  })
  return { status: res.status, body: await res.text() }
}
