import { describe, expect, it } from 'vitest'
import { metaErrorFromFixture } from '../../../test/support/meta-fixtures.ts'
import { classifyMetaError, describeWait, MetaApiError } from './errors.ts'

describe('classifyMetaError (reference §4)', () => {
  it.each([
    [{ code: 1 }, 'transient'],
    [{ code: 2 }, 'transient'],
    [{ code: 999, isTransient: true }, 'transient'],
    [{ httpStatus: 503 }, 'transient'],
    [{ code: 999, httpStatus: 500 }, 'transient'],
    [{ code: 4 }, 'throttled'],
    [{ code: 17, isTransient: true }, 'throttled'],
    [{ code: 32 }, 'throttled'],
    [{ code: 341 }, 'throttled'],
    [{ code: 613 }, 'throttled'],
    [{ code: 613, subcode: 1487632, isTransient: false }, 'throttled'],
    [{ code: 80000 }, 'throttled'],
    [{ code: 80004 }, 'throttled'],
    [{ code: 80014 }, 'throttled'],
    [{ code: 80015 }, 'unknown'],
    [{ code: 190, subcode: 463 }, 'auth'],
    [{ code: 190, isTransient: true }, 'auth'],
    [{ code: 100, subcode: 1885272 }, 'validation'],
    [{ code: 3018 }, 'validation'],
    [{ code: 2635 }, 'validation'],
    [{ code: 100, subcode: 3191001 }, 'permission'],
    [{ code: 10 }, 'permission'],
    [{ code: 200 }, 'permission'],
    [{ code: 294 }, 'permission'],
    [{ code: 299 }, 'permission'],
    [{ code: 300 }, 'unknown'],
    [{ code: 368 }, 'unknown'],
    [{ httpStatus: 400 }, 'unknown'],
    // Insights (reference §3, §8): timeouts and too much data mean "go async / ask for less", never "retry as is".
    [{ code: 100, subcode: 1504018 }, 'too_large'],
    [{ code: 2, subcode: 1504038 }, 'too_large'],
    [{ code: 2, subcode: 1504038, isTransient: true }, 'too_large'],
    [{ code: 100, subcode: 1487534 }, 'too_large'],
    [{ code: -3, subcode: 1504045 }, 'too_large'],
    // Invalid breakdowns / metrics: validation, although code 2 is otherwise transient.
    [{ code: 2, subcode: 1504041 }, 'validation'],
    [{ code: 2, subcode: 1504042, isTransient: true }, 'validation'],
    [{ code: 2, subcode: 1504043 }, 'transient'],
    [{ code: -2, subcode: 2490547 }, 'report_failed'],
    [{ code: 100, subcode: 1504038 }, 'validation'],
  ] as const)('%o → %s', (input, kind) => {
    expect(classifyMetaError(input)).toBe(kind)
  })
})

describe('MetaApiError from fixtures', () => {
  it('reads every field of a Graph error', () => {
    const e = metaErrorFromFixture('error-100-budget-too-low.json')
    expect(e).toMatchObject({
      kind: 'validation',
      code: 100,
      subcode: 1885272,
      isTransient: false,
      httpStatus: 400,
      type: 'OAuthException',
      userTitle: 'Budget Is Too Low',
      fbtraceId: 'D9kLp2Qw5Er8Ty1Ui4Op7As',
      method: 'POST',
      path: '/act_1234567890123456/campaigns',
    })
    expect(e.userMsg).toBe(
      'The budget for this ad set must be at least ₹40.00. Please edit your budget in your ad set to enable delivery of your ads.',
    )
    expect(e.message).toBe('Meta API POST /act_1234567890123456/campaigns failed (code 100/1885272): Invalid parameter')
  })

  it('sets a 1 hour retryAfterMs for the budget-change limit and marks it as not retried in the client', () => {
    const e = metaErrorFromFixture('error-613-adset-budget-change-limit.json')
    expect(e.kind).toBe('throttled')
    expect(e.isTransient).toBe(true)
    expect(e.retryAfterMs).toBe(3_600_000)
    expect(e.noClientRetry).toBe(true)
    expect(metaErrorFromFixture('error-613-no-subcode-abuse-prevention.json').noClientRetry).toBe(false)
  })

  it('redacts a token Meta echoes back in a message', () => {
    const e = new MetaApiError({ message: 'Malformed access token EAABsbCS1iHgBAKZCZBZAZCZA1234567890abcdef', code: 190 })
    expect(e.message).not.toContain('EAABsbCS1iHgBAKZCZBZAZCZA1234567890abcdef')
    expect(e.message).toContain('[REDACTED]')
  })
})

describe('describeWait', () => {
  it('describeWait rounds to words', () => {
    expect(describeWait(5_000)).toBe('a few seconds')
    expect(describeWait(60_000)).toBe('about a minute')
    expect(describeWait(420_000)).toBe('about 7 minutes')
    expect(describeWait(3_600_000)).toBe('about an hour')
    expect(describeWait(24 * 3_600_000)).toBe('about 24 hours')
  })
})
