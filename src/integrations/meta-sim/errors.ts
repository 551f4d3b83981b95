/**
 * Graph API error bodies. Shapes and key order follow the fixtures in test/fixtures/meta
 * (`fbtrace_id` is always appended last by the dispatcher).
 */
import { formatMoneyForUser } from './currency.ts'
import type { ThrottleCode } from './types.ts'
import { pacificErrorTime } from './tz.ts'

export type GraphErrorFields = Record<string, string | number | boolean>

/** Thrown by handlers; rendered as `{ "error": { ...fields, "fbtrace_id": … } }`. */
export class GraphError extends Error {
  readonly status: number
  readonly fields: GraphErrorFields
  readonly headers: Record<string, string>
  /** Usage-header overrides (throttles report 100% usage). */
  readonly throttle?: { code: ThrottleCode; regainMinutes: number }

  constructor(
    status: number,
    fields: GraphErrorFields,
    headers: Record<string, string> = {},
    throttle?: { code: ThrottleCode; regainMinutes: number },
  ) {
    super(String(fields.message ?? 'Graph error'))
    this.name = 'GraphError'
    this.status = status
    this.fields = fields
    this.headers = headers
    if (throttle) this.throttle = throttle
  }
}

export function isGraphError(e: unknown): e is GraphError {
  return e instanceof GraphError
}

function wwwAuthenticate(message: string): Record<string, string> {
  return { 'www-authenticate': `OAuth "Facebook Platform" "invalid_token" "${message}"` }
}

export function invalidToken(): GraphError {
  const message = 'Invalid OAuth access token data.'
  return new GraphError(400, { message, type: 'OAuthException', code: 190, error_subcode: 467 }, wwwAuthenticate(message))
}

export function expiredToken(expiredAtMs: number, nowMs: number): GraphError {
  const message = `Error validating access token: Session has expired on ${pacificErrorTime(expiredAtMs)}. The current time is ${pacificErrorTime(nowMs)}.`
  return new GraphError(400, { message, type: 'OAuthException', code: 190, error_subcode: 463 }, wwwAuthenticate(message))
}

export function missingToken(isMe: boolean): GraphError {
  return isMe
    ? new GraphError(400, {
        message: 'An active access token must be used to query information about the current user.',
        type: 'OAuthException',
        code: 2500,
      })
    : new GraphError(400, { message: 'An access token is required to request this resource.', type: 'OAuthException', code: 104 })
}

export function appsecretProofMissing(): GraphError {
  return new GraphError(400, {
    message: 'API calls from the server require an appsecret_proof argument',
    type: 'GraphMethodException',
    code: 100,
  })
}

export function appsecretProofInvalid(): GraphError {
  return new GraphError(400, { message: 'Invalid appsecret_proof provided in the API argument', type: 'GraphMethodException', code: 100 })
}

/** Graph's answer for an unknown object or route: code 100, subcode 33. */
export function unsupportedRequest(method: string, objectId: string): GraphError {
  const verb = method.toLowerCase() === 'post' ? 'post' : method.toLowerCase() === 'delete' ? 'delete' : 'get'
  return new GraphError(400, {
    message: `Unsupported ${verb} request. Object with ID '${objectId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
    type: 'GraphMethodException',
    code: 100,
    error_subcode: 33,
  })
}

export function nonexistingField(field: string, nodeType: string): GraphError {
  return new GraphError(400, {
    message: `(#100) Tried accessing nonexisting field (${field}) on node type (${nodeType})`,
    type: 'OAuthException',
    code: 100,
  })
}

/** `(#100) …` parameter errors. */
export function invalidParameter(message: string): GraphError {
  return new GraphError(400, { message: `(#100) ${message}`, type: 'OAuthException', code: 100 })
}

/** Validation error with end-user texts (Meta's "Invalid parameter" family). */
export function invalidParameterForUser(title: string, userMessage: string, subcode?: number): GraphError {
  const fields: GraphErrorFields = { message: 'Invalid parameter', type: 'OAuthException', code: 100 }
  if (subcode !== undefined) fields.error_subcode = subcode
  fields.is_transient = false
  fields.error_user_title = title
  fields.error_user_msg = userMessage
  return new GraphError(400, fields)
}

export function budgetTooLow(minimumMinor: number, currency: string, objectKind: 'campaign' | 'ad set' = 'campaign'): GraphError {
  return invalidParameterForUser(
    'Budget Is Too Low',
    `The budget for this ${objectKind} must be at least ${formatMoneyForUser(minimumMinor, currency)}. Please edit your budget in your ${objectKind} to enable delivery of your ads.`,
    1885272,
  )
}

export function budgetChangeLimit(): GraphError {
  return new GraphError(400, {
    message: 'You can only change your ad set budget 4 times per hour. Please wait to make more changes.',
    type: 'OAuthException',
    code: 613,
    error_subcode: 1487632,
    is_transient: false,
  })
}

export function startDateTooOld(): GraphError {
  return new GraphError(400, {
    message: '(#3018) The start date of the time range cannot be beyond 37 months from the current date',
    type: 'OAuthException',
    code: 3018,
  })
}

/** Throttle bodies (see fixtures error-17…, error-613…, error-80004…). */
export function throttleError(code: ThrottleCode, subcode: number | null | undefined, regainMinutes: number): GraphError {
  const throttle = { code, regainMinutes }
  switch (code) {
    case 17: {
      const f: GraphErrorFields = { message: '(#17) User request limit reached', type: 'OAuthException', is_transient: true, code: 17 }
      const sc = subcode === undefined ? 2446079 : subcode
      if (sc !== null) f.error_subcode = sc
      return new GraphError(400, f, {}, throttle)
    }
    case 613: {
      if (subcode === null) {
        return new GraphError(
          400,
          { message: '(#613) Calls to this api have exceeded the rate limit.', type: 'OAuthException', code: 613 },
          {},
          throttle,
        )
      }
      const sc = subcode ?? 1487742
      const message =
        sc === 1487742
          ? '(#613) There have been too many calls from this ad-account. Please wait a bit and try again.'
          : '(#613) Calls to this api have exceeded the rate limit.'
      return new GraphError(400, { message, type: 'OAuthException', is_transient: true, code: 613, error_subcode: sc }, {}, throttle)
    }
    case 80000:
    case 80004: {
      const f: GraphErrorFields = {
        message: `(#${code}) There have been too many calls ${code === 80004 ? 'to' : 'from'} this ad-account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.`,
        type: 'OAuthException',
        code,
      }
      const sc = subcode === undefined ? 2446079 : subcode
      if (sc !== null) f.error_subcode = sc
      return new GraphError(400, f, {}, throttle)
    }
    case 4: {
      const f: GraphErrorFields = { message: '(#4) Application request limit reached', type: 'OAuthException', is_transient: true, code: 4 }
      if (subcode !== undefined && subcode !== null) f.error_subcode = subcode
      return new GraphError(400, f, {}, throttle)
    }
  }
}

/** Transient server-side failures with Graph's bodies (HTTP 5xx). */
export function transientServerError(status: 500 | 502 | 503 | 504): GraphError {
  if (status === 500) {
    return new GraphError(500, {
      message: 'An unexpected error has occurred. Please retry your request later.',
      type: 'OAuthException',
      is_transient: true,
      code: 2,
    })
  }
  if (status === 503) {
    return new GraphError(503, { message: '(#2) Service temporarily unavailable', type: 'OAuthException', is_transient: true, code: 2 })
  }
  return new GraphError(status, {
    message: 'An unknown error occurred',
    type: 'OAuthException',
    code: 1,
    error_subcode: 99,
    is_transient: true,
  })
}

/**
 * Synchronous insights that took too long: `100/1504018` (what a too-large query gets) or `2/1504038`. Both mean
 * "go async" (reference §8), not "retry the same request".
 */
export function insightsTimeout(code: 100 | 2 = 100): GraphError {
  return new GraphError(400, {
    message: 'Request Timed Out. Try a smaller date range, fetch less data, or use async jobs',
    type: 'OAuthException',
    code,
    error_subcode: code === 100 ? 1504018 : 1504038,
    is_transient: code === 2,
    error_user_title: 'Request Timed Out',
    error_user_msg: 'Try a smaller date range, fetch less data, or use async jobs.',
  })
}

/** An invalid breakdown combination (2/1504041, reference §3): a validation error, not transient. */
export function invalidBreakdown(): GraphError {
  return new GraphError(400, {
    message: 'Invalid parameter',
    type: 'OAuthException',
    code: 2,
    error_subcode: 1504041,
    is_transient: false,
  })
}
