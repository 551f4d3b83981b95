import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { validateMessage } from './block-kit-validator.ts'
import { createRateLimiter } from './rate-limiter.ts'
import { createUserActions, type UserActions } from './user-actions.ts'
import { createWebApi } from './web-api.ts'
import { WorkspaceState } from './workspace-state.ts'

/**
 * What the playground page (this origin only) posts to /playground/api/*: its own shapes, not
 * checked field by field; channel, text and viewId are stringified on the way in.
 */
type PageRequest = {
  channel?: unknown
  text?: unknown
  threadTs?: string
  container: Parameters<UserActions['action']>[0]['container']
  blockId?: string
  action?: Record<string, unknown>
  viewId?: unknown
  values?: Record<string, unknown>
}

export interface SlackEmulatorOptions {
  /** 0 = a free port. Always on 127.0.0.1: the playground is for this machine only. */
  port?: number
  /** Promoly's Request URL (commands, events and interactivity all go here). */
  requestUrl: string
  signingSecret?: string
  botToken?: string
  /** Messages per channel: burst and sustained rate (Slack: about 1/s, short bursts allowed). */
  rateLimit?: { burst: number; perSecond: number }
}

export interface SlackEmulator {
  url: string
  /** What Promoly's SLACK_API_URL should be. */
  apiUrl: string
  /** The page people open. */
  pageUrl: string
  signingSecret: string
  botToken: string
  /**
   * The page's session cookie ("name=secret"): required on /playground/api/* and /playground/events.
   * A random secret per start, delivered to the browser by the page as an HttpOnly SameSite=Strict cookie.
   */
  sessionCookie: string
  state: WorkspaceState
  user: UserActions
  /** Every Web API call received, for tests. */
  calls: Array<{ method: string; args: Record<string, unknown>; ok: boolean; error?: string }>
  close(): Promise<void>
}

const WEB_DIR = fileURLToPath(new URL('./web/', import.meta.url))
const RESPONSE_URL_MAX_USES = 5
const RESPONSE_URL_TTL_MS = 30 * 60_000
const JSON_ARGS = new Set(['blocks', 'view', 'attachments', 'metadata', 'files', 'prompts', 'chunks'])
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
}

/** The Host values this server answers: this machine's loopback names with its port, nothing else. */
function localHosts(port: number): Set<string> {
  const hosts = [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]
  if (port === 80) hosts.push('localhost', '127.0.0.1', '[::1]')
  return new Set(hosts)
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}

function sameSecret(given: string | undefined, secret: string): boolean {
  const a = Buffer.from(given ?? '')
  const b = Buffer.from(secret)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The uploaded file: the raw body, or the first file part of a multipart/form-data body. */
function fileBytes(contentType: string, body: Buffer): Buffer {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType)
  if (!contentType.startsWith('multipart/form-data') || !boundary) return body
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`)
  let start = body.indexOf(delimiter)
  while (start >= 0) {
    const headersEnd = body.indexOf('\r\n\r\n', start)
    const next = body.indexOf(delimiter, start + delimiter.length)
    if (headersEnd < 0 || next < 0) break
    const headers = body.subarray(start, headersEnd).toString('utf8')
    if (/filename=/i.test(headers)) return body.subarray(headersEnd + 4, next - 2)
    start = next
  }
  return body
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
  res.end(JSON.stringify(body))
}

/** Web API arguments as @slack/web-api sends them: a form with JSON-encoded fields, or JSON. */
function parseArgs(req: IncomingMessage, raw: Buffer, query: URLSearchParams): Record<string, unknown> {
  const args: Record<string, unknown> = Object.fromEntries(query)
  const type = req.headers['content-type'] ?? ''
  if (type.includes('application/json')) {
    Object.assign(args, raw.length ? JSON.parse(raw.toString('utf8')) : {})
  } else {
    for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) {
      if (JSON_ARGS.has(k)) {
        try {
          args[k] = JSON.parse(v)
        } catch {
          args[k] = v
        }
      } else args[k] = v
    }
  }
  return args
}

/**
 * A local Slack: the Web API subset Promoly calls, response_urls, signed deliveries of commands,
 * events and interactivity to Promoly, and a web page that looks like Slack's client.
 */
export async function startSlackEmulator(options: SlackEmulatorOptions): Promise<SlackEmulator> {
  const signingSecret = options.signingSecret ?? randomBytes(16).toString('hex')
  const botToken = options.botToken ?? `xoxb-playground-${randomBytes(12).toString('hex')}`
  const state = new WorkspaceState()
  let baseUrl = ''
  const limiter = createRateLimiter(options.rateLimit ?? { burst: 6, perSecond: 1 })
  const api = createWebApi(state, limiter, () => baseUrl)
  const user = createUserActions(state, { requestUrl: options.requestUrl, signingSecret, selfUrl: () => baseUrl })
  const calls: SlackEmulator['calls'] = []
  const sse = new Set<ServerResponse>()
  state.subscribe((e) => {
    for (const res of sse) res.write(`event: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`)
  })

  async function handleApi(req: IncomingMessage, res: ServerResponse, method: string, query: URLSearchParams) {
    const raw = await readBody(req)
    const handler = api[method]
    let args: Record<string, unknown> = {}
    try {
      args = parseArgs(req, raw, query)
    } catch {
      return sendJson(res, 200, { ok: false, error: 'invalid_json' })
    }
    const token = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '') || (args.token as string | undefined)
    if (!handler) {
      calls.push({ method, args, ok: false, error: 'unknown_method' })
      return sendJson(res, 200, { ok: false, error: 'unknown_method' })
    }
    if (method !== 'api.test' && token !== botToken) {
      calls.push({ method, args, ok: false, error: token ? 'invalid_auth' : 'not_authed' })
      return sendJson(res, 200, { ok: false, error: token ? 'invalid_auth' : 'not_authed' })
    }
    const result = await handler(args)
    calls.push({ method, args, ok: result.body.ok === true, error: result.body.error as string | undefined })
    if (result.body.ok !== true && result.status !== 429) {
      const detail = Array.isArray(result.body.errors) ? `: ${(result.body.errors as string[]).slice(0, 3).join('; ')}` : ''
      state.emit({
        type: 'toast',
        data: { level: 'error', text: `Promoly called ${method} and Slack answered ${String(result.body.error)}${detail}` },
      })
    }
    sendJson(res, result.status ?? 200, result.body, result.headers)
  }

  async function handleResponseUrl(req: IncomingMessage, res: ServerResponse, id: string) {
    const target = state.responseUrls.get(id)
    const raw = await readBody(req)
    if (!target) return sendJson(res, 404, { ok: false, error: 'invalid_url' })
    if (Date.now() - target.createdAt > RESPONSE_URL_TTL_MS) return sendJson(res, 404, { ok: false, error: 'expired_url' })
    if (target.uses >= RESPONSE_URL_MAX_USES) return sendJson(res, 404, { ok: false, error: 'used_url' })
    let body: Record<string, unknown>
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>
    } catch {
      return sendJson(res, 400, { ok: false, error: 'invalid_json' })
    }
    if (body.delete_original !== true) {
      const problems = validateMessage({ text: body.text, blocks: body.blocks })
      if (problems.length > 0) {
        state.emit({
          type: 'toast',
          data: { level: 'error', text: `Promoly's response was rejected (invalid_blocks): ${problems.slice(0, 3).join('; ')}` },
        })
        return sendJson(res, 400, { ok: false, error: 'invalid_blocks', errors: problems })
      }
    }
    target.uses++
    user.postResponse(target, body)
    sendJson(res, 200, { ok: true })
  }

  async function handlePlaygroundApi(req: IncomingMessage, res: ServerResponse, path: string) {
    // Only the page itself may act as you: JSON requests from this origin (no cross-site form posts).
    const origin = req.headers.origin
    const fetchSite = req.headers['sec-fetch-site']
    if (
      !(req.headers['content-type'] ?? '').startsWith('application/json') ||
      (origin !== undefined && origin !== `http://${req.headers.host}`) ||
      (fetchSite !== undefined && fetchSite !== 'same-origin')
    ) {
      return sendJson(res, 403, { ok: false, error: 'forbidden' })
    }
    let input: PageRequest
    try {
      input = JSON.parse((await readBody(req)).toString('utf8') || '{}')
    } catch {
      return sendJson(res, 400, { ok: false, error: 'invalid_json' })
    }
    const routes: Record<string, () => Promise<{ ok: boolean; error?: string }>> = {
      '/playground/api/send': () => user.send({ channel: String(input.channel), text: String(input.text ?? ''), threadTs: input.threadTs }),
      '/playground/api/action': () => user.action({ container: input.container, blockId: input.blockId, action: input.action ?? {} }),
      '/playground/api/view/submit': () => user.submitView({ viewId: String(input.viewId), values: input.values ?? {} }),
      '/playground/api/view/close': () => user.closeView({ viewId: String(input.viewId) }),
      '/playground/api/open-app-home': () => user.openAppHome(),
    }
    const route = routes[path]
    if (!route) return sendJson(res, 404, { ok: false, error: 'not_found' })
    sendJson(res, 200, await route())
  }

  async function serveStatic(res: ServerResponse, file: string, headers: Record<string, string> = {}) {
    const full = normalize(join(WEB_DIR, file))
    if (!full.startsWith(WEB_DIR)) return sendJson(res, 404, { error: 'not found' })
    try {
      const bytes = await readFile(full)
      res.writeHead(200, {
        'content-type': CONTENT_TYPES[extname(full)] ?? 'application/octet-stream',
        'cache-control': 'no-cache',
        ...headers,
      })
      res.end(bytes)
    } catch {
      sendJson(res, 404, { error: 'not found' })
    }
  }

  // Local only: requests must name this machine and port in Host (a DNS-rebinding page names its own
  // domain), and the page's API and event stream also need this start's secret, which only the page gets.
  const sessionSecret = randomBytes(32).toString('hex')
  let allowedHosts = new Set<string>()
  let cookieName = ''
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const path = url.pathname
    if (!allowedHosts.has((req.headers.host ?? '').toLowerCase())) {
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' })
      res.end('The Promoly playground answers only on this machine: open it at http://localhost:<its port>/.\n')
      return
    }
    const hasSecret = () => sameSecret(cookieValue(req.headers.cookie, cookieName), sessionSecret)
    const run = async () => {
      if (path.startsWith('/api/') && (req.method === 'POST' || req.method === 'GET'))
        return handleApi(req, res, path.slice(5), url.searchParams)
      if (path.startsWith('/response/') && req.method === 'POST') return handleResponseUrl(req, res, path.slice(10))
      if (path.startsWith('/upload/') && req.method === 'POST') {
        const id = path.slice(8)
        const f = state.files.get(id)
        if (!f) return sendJson(res, 404, { ok: false })
        f.bytes = fileBytes(req.headers['content-type'] ?? '', await readBody(req))
        if (f.bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) f.mimetype = 'image/png'
        res.writeHead(200, { 'content-type': 'text/plain' })
        return res.end(`OK - ${f.bytes.length}`)
      }
      if (path.startsWith('/files/') && req.method === 'GET') {
        const f = state.files.get(path.split('/')[2] ?? '')
        if (!f) return sendJson(res, 404, { ok: false })
        res.writeHead(200, { 'content-type': f.mimetype })
        return res.end(f.bytes)
      }
      if (path === '/' || path === '/playground' || path === '/playground/')
        return serveStatic(res, 'index.html', {
          'set-cookie': `${cookieName}=${sessionSecret}; Path=/; HttpOnly; SameSite=Strict`,
          'x-frame-options': 'DENY',
          'content-security-policy': "frame-ancestors 'none'",
        })
      if (path.startsWith('/playground/static/')) return serveStatic(res, path.slice('/playground/static/'.length))
      if ((path === '/playground/events' || path.startsWith('/playground/api/')) && !hasSecret())
        return sendJson(res, 403, { ok: false, error: 'forbidden: reload the playground page' })
      if (path === '/playground/events') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' })
        res.write(`event: snapshot\ndata: ${JSON.stringify(state.snapshot())}\n\n`)
        sse.add(res)
        const ping = setInterval(() => res.write(': ping\n\n'), 15_000)
        req.on('close', () => {
          clearInterval(ping)
          sse.delete(res)
        })
        return
      }
      if (path.startsWith('/playground/api/') && req.method === 'POST') return handlePlaygroundApi(req, res, path)
      sendJson(res, 404, { error: 'not found' })
    }
    run().catch((err) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'internal_error', detail: (err as Error).message })
      else res.end()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as { port: number }).port
  allowedHosts = localHosts(port)
  // Cookies are shared by every port of a host: one name per port, so two playgrounds do not evict each other's.
  cookieName = `promoly_playground_${port}`
  baseUrl = `http://127.0.0.1:${port}`
  return {
    url: baseUrl,
    apiUrl: `${baseUrl}/api/`,
    pageUrl: `http://localhost:${port}/`,
    signingSecret,
    botToken,
    sessionCookie: `${cookieName}=${sessionSecret}`,
    state,
    user,
    calls,
    async close() {
      for (const res of sse) res.end()
      sse.clear()
      server.closeAllConnections()
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
}
