/** HTTP front of the simulator: `startMetaSimulator()`. */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { DEFAULT_SIM_ACCOUNTS } from './catalog.ts'
import type { SimConfig } from './context.ts'
import { handleControl } from './control.ts'
import { Dispatcher } from './dispatcher.ts'
import { FaultRegistry } from './faults.ts'
import { graphJson } from './format.ts'
import { adsManager } from './object-edits.ts'
import { Params, type SimRequest, splitPath } from './request.ts'
import { SimState } from './state.ts'
import type { MetaSimulator, MetaSimulatorOptions } from './types.ts'
import { UsageTracker } from './usage.ts'

const MAX_BODY_BYTES = 10 * 1024 * 1024

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge('body too large'))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/** Graph accepts form or JSON bodies; non-string JSON values are passed on JSON-encoded, as a form post would carry them. */
function bodyParams(contentType: string, raw: string): Array<[string, string]> | 'unsupported' {
  if (raw.trim() === '') return []
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? ''
  if (type === 'application/json') {
    let json: unknown
    try {
      json = JSON.parse(raw)
    } catch {
      return 'unsupported'
    }
    if (!json || typeof json !== 'object' || Array.isArray(json)) return 'unsupported'
    return Object.entries(json as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])
  }
  if (type === '' || type === 'application/x-www-form-urlencoded' || type === 'text/plain') return [...new URLSearchParams(raw)]
  return 'unsupported'
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) })
  res.end(body)
}

/** Whether the request carries the control API's token as `Authorization: Bearer …`. */
function hasControlToken(req: IncomingMessage, token: string): boolean {
  const given = Buffer.from(/^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1] ?? '')
  const expected = Buffer.from(token)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Starts a Graph-API-compatible simulator. See the package README comment in index.ts for routes,
 * fault injection and the control API.
 */
export async function startMetaSimulator(opts: MetaSimulatorOptions = {}): Promise<MetaSimulator> {
  const seed = opts.seed ?? 42
  const nowFn = opts.now ?? (() => new Date())
  const nowMs = (): number => nowFn().getTime()
  const accessTokens = opts.accessTokens && opts.accessTokens.length > 0 ? opts.accessTokens : ['EAAsimulatorAccessToken0001']
  const host = opts.host ?? '127.0.0.1'
  const config: SimConfig = {
    seed,
    appId: opts.appId ?? '1000000000000042',
    accessTokens: new Set(accessTokens),
    pageSize: Math.max(1, Math.min(500, Math.floor(opts.pageSize ?? 25))),
    asyncReportPolls: Math.max(0, Math.floor(opts.asyncReportPolls ?? 2)),
    syncInsightsLimit: Math.max(1, Math.floor(opts.syncInsightsLimit ?? 20_000)),
    defaultApiVersion: opts.defaultApiVersion ?? 'v26.0',
  }
  if (opts.appSecret !== undefined) config.appSecret = opts.appSecret

  const state = new SimState(opts.accounts ?? DEFAULT_SIM_ACCOUNTS, seed, nowMs, Math.max(7, Math.floor(opts.historyDays ?? 90)))
  const faults = new FaultRegistry()
  const usage = new UsageTracker(opts.accessTier ?? 'standard_access', (id) => state.activeAds(id))
  let baseUrl = ''
  const dispatcher = new Dispatcher({
    state,
    faults,
    usage,
    config,
    nowMs,
    baseUrl: () => baseUrl,
    enforceRateLimits: opts.enforceRateLimits ?? false,
    startedAtMs: nowMs(),
    ...(opts.logger ? { logger: opts.logger } : {}),
  })
  const controlApi = opts.controlApi ?? true
  const controlToken = controlApi ? (opts.controlToken ?? randomBytes(24).toString('hex')) : undefined
  const latency = Math.max(0, opts.latencyMs ?? 0)

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://sim.local')
      let raw: string
      try {
        raw = await readBody(req)
      } catch (e) {
        if (e instanceof BodyTooLarge)
          send(
            res,
            413,
            { 'content-type': 'application/json; charset=UTF-8' },
            graphJson({ error: { message: 'Request body too large', type: 'OAuthException', code: 1 } }),
          )
        return
      }
      if (url.pathname === '/__sim' || url.pathname.startsWith('/__sim/')) {
        if (!controlToken) {
          send(res, 404, { 'content-type': 'application/json' }, JSON.stringify({ error: 'control API disabled' }))
          return
        }
        if (!hasControlToken(req, controlToken)) {
          send(
            res,
            401,
            { 'content-type': 'application/json', 'www-authenticate': 'Bearer' },
            JSON.stringify({ error: 'The control API needs its control token: Authorization: Bearer <token>' }),
          )
          return
        }
        const out = handleControl(req.method ?? 'GET', url.pathname, raw, { dispatcher, faults, state })
        send(res, out.status, { 'content-type': 'application/json' }, JSON.stringify(out.body))
        return
      }
      const params = new Params()
      for (const [k, v] of url.searchParams) params.add(k, v)
      const fromBody = bodyParams(req.headers['content-type'] ?? '', raw)
      const split = splitPath(url.pathname, config.defaultApiVersion)
      let method = (req.method ?? 'GET').toUpperCase()
      const override = params.get('method')?.toUpperCase()
      if (method === 'GET' && (override === 'POST' || override === 'DELETE')) method = override
      const simReq: SimRequest = { method, rawPath: url.pathname, version: split.version, segments: split.segments, params }
      if (typeof req.headers.authorization === 'string') simReq.authorization = req.headers.authorization
      if (latency > 0) await sleep(latency)
      if (fromBody === 'unsupported') {
        send(
          res,
          400,
          { 'content-type': 'application/json; charset=UTF-8', 'facebook-api-version': split.version },
          graphJson({
            error: {
              message: '(#100) Request bodies must be application/x-www-form-urlencoded or a JSON object',
              type: 'OAuthException',
              code: 100,
            },
          }),
        )
        return
      }
      for (const [k, v] of fromBody) params.add(k, v)
      const out = await dispatcher.handle(simReq)
      send(res, out.status, out.headers, out.body)
    })().catch((err: unknown) => {
      opts.logger?.error({ err }, 'meta-sim request failed')
      if (!res.headersSent)
        send(
          res,
          500,
          { 'content-type': 'application/json; charset=UTF-8' },
          graphJson({ error: { message: 'An unknown error occurred', type: 'OAuthException', code: 1, is_transient: true } }),
        )
      else res.destroy()
    })
  })
  server.keepAliveTimeout = 5_000

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host
  const url = `http://${urlHost}:${port}`
  baseUrl = (opts.publicUrl ?? url).replace(/\/+$/, '')
  opts.logger?.info({ url, accounts: state.accountMap.size, campaigns: state.campaignMap.size }, 'Meta simulator listening')

  let closed = false
  return {
    url,
    port,
    accessToken: accessTokens[0] ?? 'EAAsimulatorAccessToken0001',
    ...(controlToken ? { controlToken } : {}),
    close: async () => {
      if (closed) return
      closed = true
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    },
    stats: () => dispatcher.stats(),
    resetStats: () => dispatcher.resetStats(),
    faults,
    state,
    adsManager: adsManager(state),
  }
}
