/**
 * Meta Graph/Marketing API errors: one error class and a classifier for Meta's error codes (reference §4)
 * (the domain maps them to AppError: domain/meta-errors.ts). Branch on `code`/`subcode`, never on `message` (Meta may reword it).
 * Every message passes through `redactText`, so a token Meta echoes back never reaches a log or a person.
 */
import { redactText } from '../../lib/logger.ts'
import type { UsageHeaders } from './usage-headers.ts'

/**
 * `too_large`: Insights could not answer this request synchronously (timed out, too much data): never retried as is;
 * the caller goes async (a report run) or asks for less. `report_failed`: Meta's report run failed (-2/2490547); the
 * caller splits it or gives up, the client does not retry it.
 */
export type MetaErrorKind = 'transient' | 'throttled' | 'auth' | 'validation' | 'permission' | 'too_large' | 'report_failed' | 'unknown'

/** Where the failure came from: Meta answered with an error, the network failed, we timed out, or the body did not match. */
export type MetaErrorSource = 'api' | 'network' | 'timeout' | 'schema'

/** The `error` object of a Graph error response. */
export interface GraphErrorBody {
  message?: string
  type?: string
  code?: number
  error_subcode?: number
  is_transient?: boolean
  error_user_title?: string
  error_user_msg?: string
  fbtrace_id?: string
}

/** 613/1487632: ad set budget changed more than 4 times in an hour; blocked for an hour. */
export const SUBCODE_BUDGET_CHANGE_LIMIT = 1487632
/** 17/1885172: campaign spend cap changed more than 10 times in a day. */
export const SUBCODE_SPEND_CAP_CHANGE_LIMIT = 1885172

const HOUR_MS = 3_600_000

/**
 * Throttles the client must not retry by itself (the block lasts far longer than any sensible in-process wait),
 * with the wait to report. Callers (jobs, Slack) schedule the retry.
 */
const NO_CLIENT_RETRY_WAIT_MS: Readonly<Record<number, number>> = {
  [SUBCODE_BUDGET_CHANGE_LIMIT]: HOUR_MS,
  [SUBCODE_SPEND_CAP_CHANGE_LIMIT]: 24 * HOUR_MS,
}

/**
 * Insights error subcodes (reference §3 "Insights-specific limits and errors", §8) that decide the kind whatever the
 * code says: 100/1504018 and 2/1504038 "Request Timed Out … use async jobs", 100/1487534 "data per call too large",
 * -3/1504045 "too large" → too_large; 2/1504041 (invalid breakdown combination) and 2/1504042 (invalid metric request)
 * → validation, although code 2 is otherwise transient; 2/1504043 (intermittent) stays transient; -2/2490547 "Report
 * Failed" → report_failed.
 */
const INSIGHTS_SUBCODE_KINDS: ReadonlyArray<{ code: number; subcode: number; kind: MetaErrorKind }> = [
  { code: 100, subcode: 1504018, kind: 'too_large' },
  { code: 2, subcode: 1504038, kind: 'too_large' },
  { code: 100, subcode: 1487534, kind: 'too_large' },
  { code: -3, subcode: 1504045, kind: 'too_large' },
  { code: 2, subcode: 1504041, kind: 'validation' },
  { code: 2, subcode: 1504042, kind: 'validation' },
  { code: 2, subcode: 1504043, kind: 'transient' },
  { code: -2, subcode: 2490547, kind: 'report_failed' },
]

const THROTTLE_CODES = new Set([4, 17, 32, 341, 613])
const AUTH_CODES = new Set([190, 102])
const VALIDATION_CODES = new Set([100, 3018, 2635])
/** 100/3191001: insights permission error. */
const PERMISSION_SUBCODES_OF_100 = new Set([3191001])

export interface ClassifyInput {
  code?: number | undefined
  subcode?: number | undefined
  isTransient?: boolean | undefined
  httpStatus?: number | undefined
}

/**
 * Meta error code → kind (reference §4):
 * the Insights subcodes above first (a timeout marked is_transient still means "go async", not "retry");
 * 4, 17, 32, 341, 613, 80000–80014 → throttled; 190 (and 102) → auth; 1, 2, is_transient, HTTP 5xx → transient;
 * 100, 3018, 2635 → validation; 10, 200–299 → permission; everything else → unknown.
 * Throttles come first because Meta marks some of them is_transient too; auth comes before is_transient so an
 * expired token is never retried.
 */
export function classifyMetaError({ code, subcode, isTransient, httpStatus }: ClassifyInput): MetaErrorKind {
  const insights = INSIGHTS_SUBCODE_KINDS.find((k) => k.code === code && k.subcode === subcode)
  if (insights) return insights.kind
  if (code !== undefined) {
    if (THROTTLE_CODES.has(code) || (code >= 80000 && code <= 80014)) return 'throttled'
    if (AUTH_CODES.has(code)) return 'auth'
  }
  if (isTransient === true || code === 1 || code === 2) return 'transient'
  if (code !== undefined) {
    if (code === 100 && subcode !== undefined && PERMISSION_SUBCODES_OF_100.has(subcode)) return 'permission'
    if (VALIDATION_CODES.has(code)) return 'validation'
    if (code === 10 || (code >= 200 && code <= 299)) return 'permission'
  }
  if (httpStatus !== undefined && httpStatus >= 500) return 'transient'
  if (code === undefined && httpStatus === 429) return 'throttled'
  if (code === undefined && httpStatus === 401) return 'auth'
  if (code === undefined && httpStatus === 403) return 'permission'
  return 'unknown'
}

/** The wait Meta's rules impose regardless of headers (1h for 613/1487632), or undefined. */
export function fixedRetryAfterMs(subcode: number | undefined): number | undefined {
  return subcode === undefined ? undefined : NO_CLIENT_RETRY_WAIT_MS[subcode]
}

export interface MetaApiErrorInit {
  message: string
  kind?: MetaErrorKind
  source?: MetaErrorSource
  code?: number | undefined
  subcode?: number | undefined
  type?: string | undefined
  isTransient?: boolean | undefined
  userTitle?: string | undefined
  userMsg?: string | undefined
  fbtraceId?: string | undefined
  httpStatus?: number | undefined
  retryAfterMs?: number | undefined
  method?: string | undefined
  path?: string | undefined
  usage?: UsageHeaders | undefined
  cause?: unknown
}

export class MetaApiError extends Error {
  readonly kind: MetaErrorKind
  readonly source: MetaErrorSource
  readonly code: number | undefined
  readonly subcode: number | undefined
  /** Graph error `type`, e.g. OAuthException. */
  readonly type: string | undefined
  /** True when a retry may succeed (transient or throttled). */
  readonly isTransient: boolean
  readonly userTitle: string | undefined
  readonly userMsg: string | undefined
  readonly fbtraceId: string | undefined
  readonly httpStatus: number | undefined
  /** How long until the call may succeed, from usage headers or Meta's fixed rules; undefined when unknown. */
  retryAfterMs: number | undefined
  /** HTTP method and path (never a query string) of the failed call. */
  readonly method: string | undefined
  readonly path: string | undefined
  readonly usage: UsageHeaders | undefined

  constructor(init: MetaApiErrorInit) {
    super(redactText(init.message), init.cause === undefined ? undefined : { cause: init.cause })
    this.name = 'MetaApiError'
    this.source = init.source ?? 'api'
    this.code = init.code
    this.subcode = init.subcode
    this.type = init.type
    this.httpStatus = init.httpStatus
    this.kind =
      init.kind ??
      classifyMetaError({
        code: init.code,
        subcode: init.subcode,
        isTransient: init.isTransient,
        httpStatus: init.httpStatus,
      })
    this.isTransient = this.kind === 'transient' || this.kind === 'throttled'
    this.userTitle = init.userTitle === undefined ? undefined : redactText(init.userTitle)
    this.userMsg = init.userMsg === undefined ? undefined : redactText(init.userMsg)
    this.fbtraceId = init.fbtraceId
    this.retryAfterMs = init.retryAfterMs ?? fixedRetryAfterMs(init.subcode)
    this.method = init.method
    this.path = init.path
    this.usage = init.usage
  }

  /** True for throttles the client must surface instead of retrying (e.g. 613/1487632, blocked for an hour). */
  get noClientRetry(): boolean {
    return this.kind === 'throttled' && fixedRetryAfterMs(this.subcode) !== undefined
  }

  /** Safe, structured fields for a log line. */
  toLogObject(): Record<string, unknown> {
    return {
      kind: this.kind,
      source: this.source,
      code: this.code,
      subcode: this.subcode,
      httpStatus: this.httpStatus,
      fbtraceId: this.fbtraceId,
      retryAfterMs: this.retryAfterMs,
      method: this.method,
      path: this.path,
      message: this.message,
    }
  }
}

export function isMetaApiError(e: unknown): e is MetaApiError {
  return e instanceof MetaApiError
}

function optionalNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v)
  return undefined
}
function optionalString(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined
}

/** Reads `{error:{…}}` out of a parsed response body; undefined if it is not a Graph error. */
export function readGraphErrorBody(body: unknown): GraphErrorBody | undefined {
  if (body === null || typeof body !== 'object' || !('error' in body)) return undefined
  const e = (body as { error: unknown }).error
  if (e === null || typeof e !== 'object') return undefined
  const r = e as Record<string, unknown>
  const out: GraphErrorBody = {}
  const message = optionalString(r.message)
  const type = optionalString(r.type)
  const code = optionalNumber(r.code)
  const subcode = optionalNumber(r.error_subcode)
  const userTitle = optionalString(r.error_user_title)
  const userMsg = optionalString(r.error_user_msg)
  const trace = optionalString(r.fbtrace_id)
  if (message !== undefined) out.message = message
  if (type !== undefined) out.type = type
  if (code !== undefined) out.code = code
  if (subcode !== undefined) out.error_subcode = subcode
  if (typeof r.is_transient === 'boolean') out.is_transient = r.is_transient
  if (userTitle !== undefined) out.error_user_title = userTitle
  if (userMsg !== undefined) out.error_user_msg = userMsg
  if (trace !== undefined) out.fbtrace_id = trace
  return out
}

/** Builds a MetaApiError from a Graph error body (or a bare HTTP failure when `body` is undefined). */
export function metaErrorFromResponse(args: {
  httpStatus: number
  body: GraphErrorBody | undefined
  method: string
  path: string
  usage?: UsageHeaders | undefined
  retryAfterMs?: number | undefined
}): MetaApiError {
  const { body, httpStatus, method, path } = args
  const base = body?.message ?? `HTTP ${httpStatus}`
  const codes = body?.code === undefined ? '' : ` (code ${body.code}${body.error_subcode === undefined ? '' : `/${body.error_subcode}`})`
  return new MetaApiError({
    message: `Meta API ${method} ${path} failed${codes}: ${base}`,
    source: 'api',
    code: body?.code,
    subcode: body?.error_subcode,
    type: body?.type,
    isTransient: body?.is_transient,
    userTitle: body?.error_user_title,
    userMsg: body?.error_user_msg,
    fbtraceId: body?.fbtrace_id,
    httpStatus,
    retryAfterMs: args.retryAfterMs,
    method,
    path,
    usage: args.usage,
  })
}

/** "about 7 minutes", "about an hour", "a few seconds". */
export function describeWait(ms: number): string {
  if (ms < 45_000) return 'a few seconds'
  const minutes = Math.round(ms / 60_000)
  if (minutes <= 1) return 'about a minute'
  if (minutes < 55) return `about ${minutes} minutes`
  const hours = Math.round(ms / HOUR_MS)
  return hours <= 1 ? 'about an hour' : `about ${hours} hours`
}
