/**
 * A thin typed fetch client for the Graph / Marketing API (no SDK).
 *
 * - The access token goes in the `Authorization: Bearer` header (Meta accepts it there), never in a URL or a body, so
 *   it cannot end up in proxy or access logs; `appsecret_proof` (hex HMAC-SHA256 of the token keyed with the app
 *   secret, useless without the token) goes in the query string for GET and in the form body for POST.
 * - Parameter values that are arrays or objects are JSON-encoded; scalars are sent as strings.
 * - Every response is validated with a zod schema; a mismatch is a MetaApiError (source 'schema') naming the
 *   request path and the offending field, not a crash further down.
 * - Retries: throttled errors (GET and POST: Meta refused before doing anything), transient errors and
 *   network failures/timeouts for GET and for POSTs marked `idempotent`. Capped exponential backoff with full
 *   jitter, never sooner than the wait the usage headers ask for; a header wait longer than `maxWaitMs`, and the
 *   hour-long 613/1487632 block, are thrown (with `retryAfterMs`) instead of slept.
 * - Logs carry method, path (no query string), status and timing. Tokens never reach a log line or an error.
 */
import { createHmac } from 'node:crypto'
import type * as z from 'zod'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import type { Logger } from '../../lib/logger.ts'
import { classifyMetaError, fixedRetryAfterMs, MetaApiError, metaErrorFromResponse, readGraphErrorBody } from './errors.ts'
import { pageSchema } from './schemas.ts'
import { parseUsageHeaders, retryDelayFromHeaders, type UsageHeaders } from './usage-headers.ts'

export type GraphParamValue =
  | string
  | number
  | boolean
  | bigint
  | null
  | undefined
  | readonly unknown[]
  | { readonly [key: string]: unknown }

export type GraphParams = Readonly<Record<string, GraphParamValue>>

export interface GraphAuth {
  accessToken: string
}

export interface GraphPostOptions extends GraphAuth {
  /**
   * True for writes that are safe to repeat (setting a status or a budget to a value). Only those are retried
   * after a transient error, network failure or timeout; creates are not (the first attempt may have succeeded).
   * Explicit throttle errors are retried either way, because Meta did not perform the call.
   */
  idempotent?: boolean
  /**
   * A budget write: Meta's throttles on it (17 with any subcode, 613/1487632) block the object for about an hour,
   * so the client never retries a throttle itself and surfaces it at once (the caller waits out the block).
   */
  budgetWrite?: boolean
}

export type GraphMethod = 'GET' | 'POST'

/** What `onResponse` sees for every HTTP response (errors included). */
export interface GraphResponseInfo {
  method: GraphMethod
  /** Path after the version, without query string, e.g. `/act_123/insights`. */
  path: string
  status: number
  attempt: number
  durationMs: number
  usage: UsageHeaders
}

export interface GraphClientOptions {
  /** e.g. `https://graph.facebook.com`, or a local simulator. */
  baseUrl: string
  /** e.g. `v26.0`. */
  version: string
  /** When set, every call carries `appsecret_proof`. */
  appSecret?: string
  fetch?: typeof fetch
  /** Total attempts per call, including the first. Default 5. */
  maxAttempts?: number
  /** Backoff base for the first retry. Default 1000 ms. */
  baseDelayMs?: number
  /** Cap for the exponential part of the backoff. Default 60000 ms. */
  maxDelayMs?: number
  /** Longest header-derived wait the client will sleep; longer ones are thrown as throttled. Default 120000 ms. */
  maxWaitMs?: number
  sleep?: (ms: number) => Promise<void>
  /** Uniform [0, 1) source for jitter. Default Math.random. */
  random?: () => number
  /** Per-attempt timeout (request and body). Default 60000 ms. */
  timeoutMs?: number
  logger?: Logger
  onResponse?: (info: GraphResponseInfo) => void
}

export interface GraphClient {
  /** Counts HTTP attempts (retries included). */
  readonly stats: { requests: number }
  get<S extends z.ZodType>(path: string, params: GraphParams | undefined, schema: S, auth: GraphAuth): Promise<z.output<S>>
  post<S extends z.ZodType>(path: string, form: GraphParams, schema: S, options: GraphPostOptions): Promise<z.output<S>>
  /** Pages of `data` items of a list edge, following `paging.next` until it is absent. */
  paginate<S extends z.ZodType>(
    path: string,
    params: GraphParams | undefined,
    itemSchema: S,
    auth: GraphAuth,
  ): AsyncGenerator<z.output<S>[], void, undefined>
}

const SECRET_PARAMS = ['access_token', 'appsecret_proof'] as const

/** Hex HMAC-SHA256 of the access token keyed with the app secret. */
function appSecretProof(accessToken: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(accessToken).digest('hex')
}

/** Graph parameter encoding: scalars as strings, arrays/objects as JSON; null/undefined are left out. */
export function encodeGraphParams(params: GraphParams | undefined): [string, string][] {
  const out: [string, string][] = []
  if (!params) return out
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue
    if ((SECRET_PARAMS as readonly string[]).includes(key)) {
      throw new Error(`Pass the access token through the auth argument, not as the "${key}" parameter`)
    }
    if (typeof value === 'string') out.push([key, value])
    else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') out.push([key, String(value)])
    else out.push([key, JSON.stringify(value)])
  }
  return out
}

function formatIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, 5).map((i) => {
    const where = i.path.length === 0 ? '(root)' : i.path.map((p) => String(p)).join('.')
    return `${where}: ${i.message}`
  })
  const more = error.issues.length > shown.length ? ` (+${error.issues.length - shown.length} more)` : ''
  return shown.join('; ') + more
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

interface RequestSpec {
  method: GraphMethod
  url: URL
  /** For logs and errors: path after the version, no query. */
  path: string
  form?: [string, string][]
  accessToken: string
  idempotent: boolean
  budgetWrite?: boolean
}

export function createGraphClient(opts: GraphClientOptions): GraphClient {
  if (!/^v\d+\.\d+$/.test(opts.version)) throw new Error(`Graph API version must look like v26.0, got "${opts.version}"`)
  const base = new URL(opts.baseUrl)
  const basePrefix = `${base.origin}${base.pathname.replace(/\/+$/, '')}/${opts.version}`
  const fetchImpl = opts.fetch ?? globalThis.fetch
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 5)
  const baseDelayMs = opts.baseDelayMs ?? 1000
  const maxDelayMs = opts.maxDelayMs ?? 60_000
  const maxWaitMs = opts.maxWaitMs ?? 120_000
  const sleep = opts.sleep ?? defaultSleep
  const random = opts.random ?? Math.random
  const timeoutMs = opts.timeoutMs ?? 60_000
  const log = opts.logger
  const stats = { requests: 0 }

  function normalizePath(path: string): string {
    if (path.includes('?') || path.includes('#')) throw new Error(`Graph path must not contain a query string: ${path.split('?')[0]}`)
    return path.startsWith('/') ? path : `/${path}`
  }

  /** The Authorization header and the parameters that authenticate a call (the proof, when an app secret is set). */
  function credentials(accessToken: string): { authorization: string; params: [string, string][] } {
    if (accessToken.trim() === '') {
      throw new AppError(
        AppErrorCode.NOT_CONNECTED,
        'Promoly isn’t connected to Meta yet. An admin can connect it with `/promoly connect`.',
      )
    }
    const params: [string, string][] = opts.appSecret ? [['appsecret_proof', appSecretProof(accessToken, opts.appSecret)]] : []
    return { authorization: `Bearer ${accessToken}`, params }
  }

  /**
   * `paging.next` is a full URL that embeds the token Meta saw (and may point at graph.facebook.com). Keep only its
   * path after the version and its query, rebuild it on our base URL so the token never goes to another host,
   * and drop the embedded token/proof (fresh ones are added per attempt).
   */
  function resolveNext(next: string, fromPath: string): { url: URL; path: string } {
    let parsed: URL
    try {
      parsed = new URL(next, basePrefix)
    } catch {
      throw new MetaApiError({
        message: `Unexpected response from Meta for GET ${fromPath}: paging.next is not a URL`,
        source: 'schema',
        kind: 'unknown',
        method: 'GET',
        path: fromPath,
      })
    }
    const m = /\/v\d+\.\d+(\/.*)?$/.exec(parsed.pathname)
    const path = m ? (m[1] ?? '/') : parsed.pathname
    const url = new URL(`${basePrefix}${path}`)
    for (const [k, v] of parsed.searchParams) {
      if (!(SECRET_PARAMS as readonly string[]).includes(k)) url.searchParams.append(k, v)
    }
    return { url, path }
  }

  function transportError(e: unknown, spec: RequestSpec): MetaApiError {
    const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')
    const detail = e instanceof Error ? (e.cause instanceof Error ? `${e.message}: ${e.cause.message}` : e.message) : String(e)
    return new MetaApiError({
      message: timedOut
        ? `Meta API ${spec.method} ${spec.path} timed out after ${timeoutMs} ms`
        : `Meta API ${spec.method} ${spec.path} network error: ${detail}`,
      source: timedOut ? 'timeout' : 'network',
      kind: 'transient',
      method: spec.method,
      path: spec.path,
      cause: e,
    })
  }

  async function attemptOnce<S extends z.ZodType>(spec: RequestSpec, schema: S, attempt: number): Promise<z.output<S>> {
    const { authorization, params: secrets } = credentials(spec.accessToken)
    let url = spec.url
    let body: URLSearchParams | undefined
    if (spec.method === 'GET') {
      url = new URL(spec.url)
      for (const [k, v] of secrets) url.searchParams.set(k, v)
    } else {
      body = new URLSearchParams([...(spec.form ?? []), ...secrets])
    }
    stats.requests++
    const started = Date.now()
    let response: Response
    let text: string
    try {
      response = await fetchImpl(url, {
        method: spec.method,
        headers: body
          ? { accept: 'application/json', authorization, 'content-type': 'application/x-www-form-urlencoded' }
          : { accept: 'application/json', authorization },
        ...(body ? { body } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      })
      text = await response.text()
    } catch (e) {
      throw transportError(e, spec)
    }
    const durationMs = Date.now() - started
    const usage = parseUsageHeaders(response.headers)
    log?.debug({ method: spec.method, path: spec.path, status: response.status, attempt, durationMs }, 'meta api response')
    if (opts.onResponse) {
      try {
        opts.onResponse({ method: spec.method, path: spec.path, status: response.status, attempt, durationMs, usage })
      } catch (hookError) {
        log?.warn({ err: hookError }, 'meta onResponse hook threw; ignored')
      }
    }

    let json: unknown
    let isJson = true
    try {
      json = JSON.parse(text)
    } catch {
      isJson = false
    }
    const errorBody = isJson ? readGraphErrorBody(json) : undefined
    if (errorBody || !response.ok) {
      const kind = classifyMetaError({
        code: errorBody?.code,
        subcode: errorBody?.error_subcode,
        isTransient: errorBody?.is_transient,
        httpStatus: response.status,
      })
      // Usage headers only say when a retryable failure may clear; an auth or validation error has no "later".
      const headerWait = kind === 'throttled' || kind === 'transient' ? retryDelayFromHeaders(usage, { code: errorBody?.code }) : undefined
      throw metaErrorFromResponse({
        httpStatus: response.status,
        body: errorBody,
        method: spec.method,
        path: spec.path,
        usage,
        retryAfterMs: fixedRetryAfterMs(errorBody?.error_subcode) ?? headerWait,
      })
    }
    if (!isJson) {
      throw new MetaApiError({
        message: `Unexpected response from Meta for ${spec.method} ${spec.path}: body is not JSON`,
        source: 'schema',
        kind: 'unknown',
        httpStatus: response.status,
        method: spec.method,
        path: spec.path,
      })
    }
    const parsed = schema.safeParse(json)
    if (!parsed.success) {
      throw new MetaApiError({
        message: `Unexpected response from Meta for ${spec.method} ${spec.path}: ${formatIssues(parsed.error)}`,
        source: 'schema',
        kind: 'unknown',
        httpStatus: response.status,
        method: spec.method,
        path: spec.path,
      })
    }
    return parsed.data
  }

  function retryable(e: MetaApiError, spec: RequestSpec): boolean {
    if (e.kind === 'throttled') return !e.noClientRetry && !spec.budgetWrite
    if (e.kind === 'transient') return spec.method === 'GET' || spec.idempotent
    return false
  }

  async function request<S extends z.ZodType>(spec: RequestSpec, schema: S): Promise<z.output<S>> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await attemptOnce(spec, schema, attempt)
      } catch (e) {
        if (!(e instanceof MetaApiError)) throw e
        const logFields = { err: e.toLogObject(), attempt, maxAttempts }
        if (!retryable(e, spec) || attempt >= maxAttempts) {
          log?.warn(logFields, 'meta api call failed')
          throw e
        }
        const headerWait = e.retryAfterMs
        if (headerWait !== undefined && headerWait > maxWaitMs) {
          log?.warn({ ...logFields, waitMs: headerWait, maxWaitMs }, 'meta api throttled for longer than we wait; giving up')
          throw e
        }
        const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1))
        const backoff = Math.floor(random() * ceiling)
        const delayMs = Math.max(backoff, headerWait ?? 0)
        log?.warn({ ...logFields, delayMs }, 'meta api call failed; retrying')
        await sleep(delayMs)
      }
    }
  }

  const client: GraphClient = {
    stats,
    async get(path, params, schema, auth) {
      const p = normalizePath(path)
      const url = new URL(`${basePrefix}${p}`)
      for (const [k, v] of encodeGraphParams(params)) url.searchParams.append(k, v)
      return request({ method: 'GET', url, path: p, accessToken: auth.accessToken, idempotent: true }, schema)
    },
    async post(path, form, schema, options) {
      const p = normalizePath(path)
      return request(
        {
          method: 'POST',
          url: new URL(`${basePrefix}${p}`),
          path: p,
          form: encodeGraphParams(form),
          accessToken: options.accessToken,
          idempotent: options.idempotent ?? false,
          budgetWrite: options.budgetWrite ?? false,
        },
        schema,
      )
    },
    async *paginate(path, params, itemSchema, auth) {
      const schema = pageSchema(itemSchema)
      const p = normalizePath(path)
      let url = new URL(`${basePrefix}${p}`)
      for (const [k, v] of encodeGraphParams(params)) url.searchParams.append(k, v)
      let currentPath = p
      const seen = new Set<string>()
      for (;;) {
        seen.add(url.toString())
        const page = await request({ method: 'GET', url, path: currentPath, accessToken: auth.accessToken, idempotent: true }, schema)
        yield page.data as z.output<typeof itemSchema>[]
        const next = page.paging?.next
        if (!next) return
        const resolved = resolveNext(next, currentPath)
        if (seen.has(resolved.url.toString())) {
          throw new MetaApiError({
            message: `Unexpected response from Meta for GET ${currentPath}: paging.next repeats a page already read`,
            source: 'schema',
            kind: 'unknown',
            method: 'GET',
            path: currentPath,
          })
        }
        url = resolved.url
        currentPath = resolved.path
      }
    },
  }
  return client
}
