/**
 * The request pipeline shared by HTTP requests and batch items:
 * route → delay faults → token (missing / expired fault / unknown) → appsecret_proof →
 * injected faults (5xx, throttles, custom errors) → optional rate-limit enforcement → handler →
 * usage accounting and headers. Every response carries `facebook-api-version`, `x-fb-trace-id`
 * and the three usage headers.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { runBatch } from './batch.ts'
import type { Ctx, SimConfig } from './context.ts'
import {
  appsecretProofInvalid,
  appsecretProofMissing,
  expiredToken,
  GraphError,
  invalidParameter,
  invalidToken,
  isGraphError,
  missingToken,
  throttleError,
  transientServerError,
} from './errors.ts'
import type { FaultRegistry } from './faults.ts'
import { graphJson } from './format.ts'
import { rngFor } from './prng.ts'
import type { HandlerResult, SimRequest } from './request.ts'
import { matchRoute, type RouteMatch } from './router.ts'
import { debugTokenHandler, type TokenInfo } from './routes-read.ts'
import type { SimState } from './state.ts'
import type { SimLogger, SimStats } from './types.ts'
import type { UsageTracker } from './usage.ts'

export interface SimResponse {
  status: number
  headers: Record<string, string>
  body: string
}

export interface DispatcherDeps {
  state: SimState
  faults: FaultRegistry
  usage: UsageTracker
  config: SimConfig
  nowMs: () => number
  baseUrl: () => string
  enforceRateLimits: boolean
  startedAtMs: number
  logger?: SimLogger
}

const TRACE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

function toMs(value: string | number | Date | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (value instanceof Date) return value.getTime()
  if (typeof value === 'number') return value < 1e12 ? value * 1000 : value
  const ms = Date.parse(value)
  return Number.isFinite(ms) ? ms : fallback
}

export class Dispatcher {
  private statsData: SimStats = { requests: 0, byRoute: {}, writes: 0, writesByObject: {} }
  private traceSeq = 0

  constructor(private readonly deps: DispatcherDeps) {}

  stats(): SimStats {
    return {
      requests: this.statsData.requests,
      byRoute: { ...this.statsData.byRoute },
      writes: this.statsData.writes,
      writesByObject: { ...this.statsData.writesByObject },
    }
  }

  resetStats(): void {
    this.statsData = { requests: 0, byRoute: {}, writes: 0, writesByObject: {} }
  }

  private nextTraceId(): string {
    this.traceSeq++
    const rng = rngFor(this.deps.config.seed, 'fbtrace', this.traceSeq)
    let id = TRACE_ALPHABET.charAt(rng.int(0, 25))
    for (let i = 1; i < 23; i++) id += TRACE_ALPHABET.charAt(rng.int(0, TRACE_ALPHABET.length - 1))
    return id
  }

  private appToken(token: string): boolean {
    const { appId, appSecret } = this.deps.config
    if (!token.startsWith(`${appId}|`)) return false
    return appSecret === undefined ? token.length > appId.length + 1 : token === `${appId}|${appSecret}`
  }

  /** What /debug_token reports for a token. */
  inspectToken(token: string, nowMs: number): TokenInfo {
    const expired = this.deps.faults.peekExpired(token)
    if (expired) {
      const at = toMs(expired.expiredAt, defaultExpiry(nowMs))
      return { valid: false, expiredAtMs: at, expiredMessage: String(expiredToken(at, nowMs).fields.message) }
    }
    return { valid: this.deps.config.accessTokens.has(token) }
  }

  async handle(req: SimRequest): Promise<SimResponse> {
    const { state, faults, usage, config } = this.deps
    const started = Date.now()
    const route = matchRoute(req, state)
    this.statsData.requests++
    this.statsData.byRoute[route.name] = (this.statsData.byRoute[route.name] ?? 0) + 1

    const delay = faults.take(['delay'], req.method, req.rawPath)
    if (delay?.kind === 'delay' && delay.ms > 0) await sleep(delay.ms)

    const nowMs = this.deps.nowMs()
    const trace = this.nextTraceId()
    let result: HandlerResult | undefined
    let error: GraphError | undefined
    let token = ''
    try {
      token = this.authenticate(req, route, nowMs)
      const injected = faults.take(['http_error', 'throttle', 'graph_error'], req.method, req.rawPath)
      if (injected?.kind === 'http_error') throw transientServerError(injected.status)
      if (injected?.kind === 'throttle') {
        throw throttleError(
          injected.code,
          injected.subcode,
          injected.regainMinutes ?? (injected.code === 80000 || injected.code === 80004 ? 7 : 5),
        )
      }
      if (injected?.kind === 'graph_error') {
        const fields: Record<string, string | number | boolean> = {}
        for (const [k, v] of Object.entries(injected.error)) {
          if (k !== 'fbtrace_id' && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) fields[k] = v
        }
        throw new GraphError(injected.status ?? 400, fields, injected.headers ?? {})
      }
      if (this.deps.enforceRateLimits) {
        const over = usage.exceeded(route.accountId, route.bucType, nowMs)
        if (over) throw throttleError(over.code, undefined, over.regainMinutes)
      }
      const ctx: Ctx = { req, state, faults, config, token, nowMs, baseUrl: this.deps.baseUrl(), defaultPageSize: config.pageSize }
      if (route.special === 'debug_token') result = debugTokenHandler(ctx, (t) => this.inspectToken(t, nowMs), this.deps.startedAtMs)
      else if (route.special === 'batch') result = await this.batch(req, token)
      else result = await route.handler(ctx)
    } catch (e) {
      if (isGraphError(e)) error = e
      else {
        this.deps.logger?.error({ err: e, path: req.rawPath }, 'meta-sim handler crashed')
        error = new GraphError(500, {
          message: 'An unknown error occurred',
          type: 'OAuthException',
          code: 1,
          error_subcode: 99,
          is_transient: true,
        })
      }
    }

    const accountId = result?.accountId ?? route.accountId
    const bucType = result?.bucType ?? route.bucType
    usage.record(accountId, bucType, result?.isWriteCall ?? route.isWrite ?? false, nowMs)
    if (result?.write) {
      this.statsData.writes++
      if (result.objectId) this.statsData.writesByObject[result.objectId] = (this.statsData.writesByObject[result.objectId] ?? 0) + 1
    }

    const usageAccount = accountId ?? state.accountMap.keys().next().value
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=UTF-8',
      'facebook-api-version': req.version,
      'x-fb-trace-id': trace,
      'cache-control': 'private, no-cache, no-store, must-revalidate',
      pragma: 'no-cache',
      expires: 'Sat, 01 Jan 2000 00:00:00 GMT',
      'access-control-allow-origin': '*',
      ...(usageAccount !== undefined ? usage.headers(usageAccount, bucType, nowMs, error?.throttle) : {}),
    }
    if (bucType === 'ads_insights' && usageAccount !== undefined)
      headers['x-fb-ads-insights-throttle'] = usage.insightsThrottle(usageAccount, nowMs)

    let status: number
    let body: string
    if (error) {
      status = error.status
      Object.assign(headers, error.headers)
      body = graphJson({ error: { ...error.fields, fbtrace_id: trace } })
    } else {
      status = result?.status ?? 200
      Object.assign(headers, result?.headers ?? {})
      body = graphJson(result?.body ?? null)
    }
    this.deps.logger?.debug(
      { method: req.method, path: req.rawPath, route: route.name, status, ms: Date.now() - started, batchItem: req.inBatch === true },
      'meta-sim request',
    )
    return { status, headers, body }
  }

  private authenticate(req: SimRequest, route: RouteMatch, nowMs: number): string {
    const { config, faults } = this.deps
    let token = req.params.get('access_token')
    if ((token === undefined || token === '') && req.authorization) {
      const m = /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(req.authorization)
      if (m?.[1]) token = m[1]
    }
    if (token === undefined || token === '') throw missingToken(route.name === 'GET /me')

    const expired = faults.take(['expired_token'], req.method, req.rawPath, token)
    if (expired?.kind === 'expired_token') throw expiredToken(toMs(expired.expiredAt, defaultExpiry(nowMs)), nowMs)

    const isAppToken = route.special === 'debug_token' && this.appToken(token)
    if (!isAppToken && !config.accessTokens.has(token)) throw invalidToken()

    if (config.appSecret !== undefined && !isAppToken) {
      const proof = req.params.get('appsecret_proof')
      if (proof === undefined || proof === '') throw appsecretProofMissing()
      const expected = createHmac('sha256', config.appSecret).update(token).digest('hex')
      const a = Buffer.from(proof.toLowerCase())
      const b = Buffer.from(expected)
      if (a.length !== b.length || !timingSafeEqual(a, b)) throw appsecretProofInvalid()
    }
    return token
  }

  private async batch(req: SimRequest, token: string): Promise<HandlerResult> {
    if (req.inBatch) throw invalidParameter('Batch requests cannot be nested')
    const includeHeaders = req.params.get('include_headers') !== 'false'
    const items = await runBatch(req.params.get('batch') ?? '', { token, version: req.version, includeHeaders }, async (item) => {
      // Sub-requests inherit the batch's appsecret_proof when they use the batch's token.
      if (item.params.get('access_token') === token && !item.params.has('appsecret_proof')) {
        const proof = req.params.get('appsecret_proof')
        if (proof !== undefined) item.params.add('appsecret_proof', proof)
      }
      return this.handle(item)
    })
    return { body: items }
  }
}

/** Default expiry for expired-token faults: four days before now, on the hour. */
function defaultExpiry(nowMs: number): number {
  return Math.floor((nowMs - 4 * 86_400_000) / 3_600_000) * 3_600_000
}
