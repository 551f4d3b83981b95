import { describe, expect, it } from 'vitest'
import { loadFixture } from '../../../test/support/meta-fixtures.ts'
import {
  parseAdAccountUsage,
  parseAppUsage,
  parseBusinessUseCaseUsage,
  parseInsightsThrottle,
  parseRetryAfter,
  parseUsageHeaders,
  retryDelayFromHeaders,
} from './usage-headers.ts'

describe('usage header parsers', () => {
  it('parse the verbatim doc samples', () => {
    const { headers } = loadFixture('rate-limit-headers.verbatim.json')
    const usage = parseUsageHeaders(headers)
    expect(usage.appUsage).toEqual({ callCount: 28, totalTime: 25, totalCputime: 25 })
    expect(usage.adAccountUsage).toEqual({ accIdUtilPct: 9.67, resetTimeDurationSec: 100, adsApiAccessTier: 'standard_access' })
    expect(usage.insightsThrottle).toEqual({ appIdUtilPct: 100, accIdUtilPct: 10, adsApiAccessTier: 'standard_access' })
    expect(usage.businessUseCaseUsage).toEqual([
      {
        id: '66782684',
        type: 'ads_management',
        callCount: 95,
        totalCputime: 20,
        totalTime: 20,
        estimatedTimeToRegainAccessMin: 0,
        adsApiAccessTier: 'development_access',
      },
      {
        id: '10153848260347724',
        type: 'ads_insights',
        callCount: 97,
        totalCputime: 23,
        totalTime: 23,
        estimatedTimeToRegainAccessMin: 0,
        adsApiAccessTier: 'development_access',
      },
    ])
    // Nothing is blocked in this sample (util 9.67%, no regain time): no wait.
    expect(retryDelayFromHeaders(headers)).toBeUndefined()
  })

  it('read headers case-insensitively from a record or a fetch Headers', () => {
    const value = '{"call_count":5,"total_time":1,"total_cputime":2}'
    expect(parseUsageHeaders({ 'X-App-Usage': value }).appUsage?.callCount).toBe(5)
    expect(parseUsageHeaders(new Headers({ 'x-app-usage': value })).appUsage?.totalCputime).toBe(2)
  })

  it('are lenient with malformed or missing values', () => {
    expect(parseAppUsage(undefined)).toBeUndefined()
    expect(parseAppUsage('not json')).toBeUndefined()
    expect(parseAdAccountUsage('[1,2]')).toBeUndefined()
    expect(parseInsightsThrottle('')).toBeUndefined()
    expect(parseBusinessUseCaseUsage('{"1":"nope","2":[null,{"type":"ads_insights","estimated_time_to_regain_access":"3"}]}')).toEqual([
      { id: '2', type: 'ads_insights', callCount: 0, totalCputime: 0, totalTime: 0, estimatedTimeToRegainAccessMin: 3 },
    ])
    expect(parseUsageHeaders({})).toEqual({ businessUseCaseUsage: [] })
  })

  it('parse Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('30')).toBe(30_000)
    expect(parseRetryAfter('Wed, 25 Nov 2026 10:00:30 GMT', Date.parse('Wed, 25 Nov 2026 10:00:00 GMT'))).toBe(30_000)
    expect(parseRetryAfter('soon')).toBeUndefined()
  })
})

describe('retryDelayFromHeaders', () => {
  it('uses estimated_time_to_regain_access in MINUTES and reset_time_duration in SECONDS, longest wins (17)', () => {
    const { headers, body } = loadFixture('error-17-user-request-limit.json')
    const code = (body as { error: { code: number } }).error.code
    // BUC says 7 minutes, ad account says 288 s: the call is blocked until both clear.
    expect(retryDelayFromHeaders(headers, { code })).toBe(7 * 60_000)
  })

  it('uses reset_time_duration for the ad-account score limit (613/1487742)', () => {
    const { headers } = loadFixture('error-613-ad-account-rate.json')
    expect(retryDelayFromHeaders(headers, { code: 613 })).toBe(300_000)
  })

  it('uses the BUC entry for 80004', () => {
    const { headers } = loadFixture('error-80004-ads-management-buc.json')
    expect(retryDelayFromHeaders(headers, { code: 80004 })).toBe(420_000)
  })

  it('prefers the BUC entry of the use case the error code names', () => {
    const headers = {
      'x-business-use-case-usage': JSON.stringify({
        '1': [
          { type: 'ads_insights', call_count: 100, estimated_time_to_regain_access: 30 },
          { type: 'ads_management', call_count: 100, estimated_time_to_regain_access: 2 },
        ],
      }),
    }
    expect(retryDelayFromHeaders(headers, { code: 80004 })).toBe(2 * 60_000)
    expect(retryDelayFromHeaders(headers, { code: 80000 })).toBe(30 * 60_000)
    // Code without a use case (e.g. 17 in old versions stands in for all of them): the longest block counts.
    expect(retryDelayFromHeaders(headers, { code: 17 })).toBe(30 * 60_000)
  })

  it('ignores reset_time_duration while the account is below 100% for unrelated errors', () => {
    const headers = { 'x-ad-account-usage': '{"acc_id_util_pct":40,"reset_time_duration":120}' }
    expect(retryDelayFromHeaders(headers, { code: 80004 })).toBeUndefined()
    expect(retryDelayFromHeaders(headers, { code: 17 })).toBe(120_000)
    expect(retryDelayFromHeaders({ 'x-ad-account-usage': '{"acc_id_util_pct":100,"reset_time_duration":45}' })).toBe(45_000)
  })

  it('accepts already-parsed usage', () => {
    const usage = parseUsageHeaders(loadFixture('error-80004-ads-management-buc.json').headers)
    expect(retryDelayFromHeaders(usage, { code: 80004 })).toBe(420_000)
  })
})
