import { describe, expect, it } from 'vitest'
import { metaErrorFromFixture } from '../../test/support/meta-fixtures.ts'
import { MetaApiError } from '../integrations/meta/errors.ts'
import { AppError } from '../lib/errors.ts'
import { asAppError, isPermanentFailure, retryAfterMsOf, toAppError } from './meta-errors.ts'

describe('toAppError', () => {
  it('auth → META_AUTH telling the user to reconnect, without Meta’s raw text', () => {
    const app = toAppError(metaErrorFromFixture('error-190-463-expired-token.json'))
    expect(app).toBeInstanceOf(AppError)
    expect(app.code).toBe('META_AUTH')
    expect(app.userMessage).toContain('/promoly connect')
    expect(app.userMessage).not.toContain('Session has expired')
    expect(app.details).toMatchObject({ code: 190, subcode: 463 })
  })

  it('validation → META_VALIDATION with Meta’s error_user_msg', () => {
    const app = toAppError(metaErrorFromFixture('error-100-budget-too-low.json'))
    expect(app.code).toBe('META_VALIDATION')
    expect(app.userMessage).toBe(
      'The budget for this ad set must be at least ₹40.00. Please edit your budget in your ad set to enable delivery of your ads.',
    )
  })

  it('throttled → META_THROTTLED saying when it frees up', () => {
    expect(toAppError(metaErrorFromFixture('error-17-user-request-limit.json', 420_000)).userMessage).toBe(
      'Meta is rate-limiting this ad account right now. It should free up in about 7 minutes; please try again then.',
    )
    const budget = toAppError(metaErrorFromFixture('error-613-adset-budget-change-limit.json'))
    expect(budget.code).toBe('META_THROTTLED')
    expect(budget.userMessage).toBe(
      'Meta only allows 4 budget changes per ad set per hour. It should free up in about an hour; please try again then.',
    )
    expect(toAppError(metaErrorFromFixture('error-613-no-subcode-abuse-prevention.json')).userMessage).toContain('in a few minutes')
  })

  it('insights too large (timeouts, too much data) and a failed report → META_UNAVAILABLE, not permanent, not throttled', () => {
    for (const [code, subcode] of [
      [100, 1504018],
      [2, 1504038],
      [100, 1487534],
      [-3, 1504045],
      [-2, 2490547],
    ] as const) {
      const app = toAppError(new MetaApiError({ message: 'x', code, subcode }))
      expect(app.code).toBe('META_UNAVAILABLE')
      expect(isPermanentFailure(app)).toBe(false)
      expect(retryAfterMsOf(app)).toBeUndefined()
    }
    const invalidMetric = toAppError(new MetaApiError({ message: 'x', code: 2, subcode: 1504042 }))
    expect(invalidMetric.code).toBe('META_VALIDATION')
    expect(isPermanentFailure(invalidMetric)).toBe(true)
  })

  it('permission → META_AUTH about access; transient → META_UNAVAILABLE; schema → INTERNAL', () => {
    const perm = toAppError(new MetaApiError({ message: 'x', code: 200, userMsg: 'You do not have permission on this ad account.' }))
    expect(perm.code).toBe('META_AUTH')
    expect(perm.userMessage).toContain('You do not have permission on this ad account.')
    expect(toAppError(new MetaApiError({ message: 'x', httpStatus: 502 })).code).toBe('META_UNAVAILABLE')
    expect(toAppError(new MetaApiError({ message: 'x', kind: 'transient', source: 'timeout' })).userMessage).toContain('took too long')
    const schema = toAppError(new MetaApiError({ message: 'Unexpected response', kind: 'unknown', source: 'schema', fbtraceId: 'T1' }))
    expect(schema.code).toBe('INTERNAL')
    expect(schema.userMessage).toContain('T1')
  })

  it('passes AppErrors through and wraps anything else', () => {
    const original = new AppError('BAD_INPUT', 'nope')
    expect(toAppError(original)).toBe(original)
    expect(toAppError(new TypeError('fetch failed')).code).toBe('META_UNAVAILABLE')
  })
})

describe('what a job reads off an AppError', () => {
  it('auth, permission and validation are permanent; throttling and outages are not', () => {
    expect(isPermanentFailure(toAppError(metaErrorFromFixture('error-190-463-expired-token.json')))).toBe(true)
    expect(isPermanentFailure(toAppError(metaErrorFromFixture('error-100-budget-too-low.json')))).toBe(true)
    expect(isPermanentFailure(toAppError(new MetaApiError({ message: 'x', code: 200 })))).toBe(true)
    expect(isPermanentFailure(new AppError('NOT_FOUND', 'gone'))).toBe(true)
    expect(isPermanentFailure(toAppError(metaErrorFromFixture('error-17-user-request-limit.json', 420_000)))).toBe(false)
    expect(isPermanentFailure(toAppError(new MetaApiError({ message: 'x', httpStatus: 502 })))).toBe(false)
  })

  it('a throttle with a known wait gives it; nothing else does', () => {
    expect(retryAfterMsOf(toAppError(metaErrorFromFixture('error-17-user-request-limit.json', 420_000)))).toBe(420_000)
    expect(retryAfterMsOf(toAppError(metaErrorFromFixture('error-613-adset-budget-change-limit.json')))).toBe(3_600_000)
    expect(retryAfterMsOf(toAppError(metaErrorFromFixture('error-17-user-request-limit.json')))).toBeUndefined()
    expect(retryAfterMsOf(toAppError(new MetaApiError({ message: 'x', httpStatus: 502 })))).toBeUndefined()
  })

  it('asAppError maps ours and Meta’s, and leaves anything else to the caller', () => {
    const ours = new AppError('BAD_INPUT', 'nope')
    expect(asAppError(ours)).toBe(ours)
    expect(asAppError(metaErrorFromFixture('error-190-463-expired-token.json'))?.code).toBe('META_AUTH')
    expect(asAppError(new TypeError('boom'))).toBeUndefined()
  })
})
