/**
 * Meta's errors as AppErrors: what a person reads in Slack, and what a job needs to decide between retrying,
 * waiting and giving up. The one place that translates the Meta layer's errors for the surfaces, so `slack/`,
 * `jobs/` and `agent/` only ever see AppError.
 */
import {
  describeWait,
  isMetaApiError,
  MetaApiError,
  SUBCODE_BUDGET_CHANGE_LIMIT,
  SUBCODE_SPEND_CAP_CHANGE_LIMIT,
} from '../integrations/meta/errors.ts'
import { AppError, AppErrorCode } from '../lib/errors.ts'

function trace(e: MetaApiError): string {
  return e.fbtraceId ? ` (Meta trace id ${e.fbtraceId})` : ''
}

/**
 * Maps any error from the Meta layer to an AppError with a message a person can read in Slack:
 * auth → META_AUTH "reconnect with /promoly connect"; permission → META_AUTH (setup problem);
 * throttled → META_THROTTLED with when it frees up; validation → META_VALIDATION preferring Meta's
 * error_user_msg; transient/network/timeout, too_large (insights timeouts: go async) and report_failed →
 * META_UNAVAILABLE (not permanent: a smaller or async request may succeed); schema mismatch → INTERNAL.
 * AppErrors pass through unchanged.
 */
export function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e
  if (!(e instanceof MetaApiError)) {
    return new AppError(AppErrorCode.META_UNAVAILABLE, 'Meta could not be reached just now. Please try again in a moment.', {
      cause: e,
    })
  }
  const details: Record<string, unknown> = {
    kind: e.kind,
    source: e.source,
    code: e.code,
    subcode: e.subcode,
    httpStatus: e.httpStatus,
    fbtraceId: e.fbtraceId,
    retryAfterMs: e.retryAfterMs,
  }
  const opts = { cause: e, details }
  const userMsg = e.userMsg
  switch (e.kind) {
    case 'auth':
      return new AppError(
        AppErrorCode.META_AUTH,
        'Promoly’s connection to Meta has expired or was revoked. An admin needs to reconnect it with `/promoly connect`.',
        opts,
      )
    case 'permission':
      return new AppError(
        AppErrorCode.META_AUTH,
        `Meta says Promoly isn’t allowed to do that${userMsg ? `: ${userMsg}` : '.'} ` +
          'Check that the connected account has access to this ad account (with ads_management), or reconnect with `/promoly connect`.',
        opts,
      )
    case 'throttled': {
      const when = e.retryAfterMs === undefined ? 'in a few minutes' : `in ${describeWait(e.retryAfterMs)}`
      const what =
        e.subcode === SUBCODE_BUDGET_CHANGE_LIMIT
          ? 'Meta only allows 4 budget changes per ad set per hour'
          : e.subcode === SUBCODE_SPEND_CAP_CHANGE_LIMIT
            ? 'Meta only allows 10 spending-limit changes per campaign per day'
            : 'Meta is rate-limiting this ad account right now'
      return new AppError(AppErrorCode.META_THROTTLED, `${what}. It should free up ${when}; please try again then.`, opts)
    }
    case 'validation': {
      if (e.code === 2635) {
        return new AppError(
          AppErrorCode.META_VALIDATION,
          `Promoly is calling a Meta API version that is no longer supported. Please tell the Promoly admins${trace(e)}.`,
          opts,
        )
      }
      const text = userMsg ?? (e.userTitle ? `${e.userTitle}.` : `Meta rejected the request: ${e.message}`)
      return new AppError(AppErrorCode.META_VALIDATION, text, opts)
    }
    case 'too_large':
      return new AppError(
        AppErrorCode.META_UNAVAILABLE,
        'Meta could not return that much data at once (the request timed out). Promoly fetches it as a background report instead; please try again in a few minutes.',
        opts,
      )
    case 'report_failed':
      return new AppError(
        AppErrorCode.META_UNAVAILABLE,
        `Meta’s report could not be generated${trace(e)}. Promoly will try again, in smaller parts.`,
        opts,
      )
    case 'transient':
      return new AppError(
        AppErrorCode.META_UNAVAILABLE,
        e.source === 'timeout'
          ? 'Meta took too long to answer. Please try again in a moment.'
          : 'Meta is having trouble right now. Please try again in a moment.',
        opts,
      )
    default: // 'unknown'
      if (e.source === 'schema') {
        return new AppError(AppErrorCode.INTERNAL, `Meta returned a response Promoly didn’t expect. It has been logged${trace(e)}.`, opts)
      }
      if (e.source === 'network' || e.source === 'timeout') {
        return new AppError(AppErrorCode.META_UNAVAILABLE, 'Meta could not be reached just now. Please try again in a moment.', opts)
      }
      return new AppError(
        AppErrorCode.META_VALIDATION,
        userMsg ?? `Meta refused the request${e.code === undefined ? '' : ` (error ${e.code})`}${trace(e)}.`,
        opts,
      )
  }
}

/** An AppError for ours and Meta's failures; undefined for anything else (a bug: the caller logs it). */
export function asAppError(e: unknown): AppError | undefined {
  if (e instanceof AppError) return e
  return isMetaApiError(e) ? toAppError(e) : undefined
}

/** Meta's answer will not change on a retry (auth, permission, validation), or the object is gone. */
export function isPermanentFailure(e: AppError): boolean {
  if (e.code === AppErrorCode.NOT_FOUND) return true
  const kind = e.details?.kind
  return kind === 'auth' || kind === 'permission' || kind === 'validation'
}

/** When Meta said the request can go through again (throttling with a known wait). */
export function retryAfterMsOf(e: AppError): number | undefined {
  const ms = e.details?.retryAfterMs
  return e.code === AppErrorCode.META_THROTTLED && typeof ms === 'number' ? ms : undefined
}
