/**
 * Parsers for Meta's rate-limit usage headers. Each header value is a JSON string; all numbers are percentages
 * (0–100, throttled at 100) except X-Ad-Account-Usage `reset_time_duration` (SECONDS) and
 * X-Business-Use-Case-Usage `estimated_time_to_regain_access` (MINUTES). Parsing is lenient: a malformed or
 * missing header yields `undefined` / an empty list, never an exception.
 */

export interface AppUsage {
  callCount: number
  totalTime: number
  totalCputime: number
}

export interface AdAccountUsage {
  accIdUtilPct: number
  /** Seconds until the ad-account score resets. */
  resetTimeDurationSec: number
  adsApiAccessTier?: string
}

export interface BusinessUseCaseUsage {
  /** Business or ad-account id the entry is keyed by. */
  id: string
  /** ads_insights, ads_management, custom_audience, instagram, leadgen, messenger, pages, … */
  type: string
  callCount: number
  totalCputime: number
  totalTime: number
  /** MINUTES until the use case is usable again; 0 when not throttled. */
  estimatedTimeToRegainAccessMin: number
  adsApiAccessTier?: string
}

export interface InsightsThrottle {
  appIdUtilPct: number
  accIdUtilPct: number
  adsApiAccessTier?: string
}

export interface UsageHeaders {
  appUsage?: AppUsage
  adAccountUsage?: AdAccountUsage
  businessUseCaseUsage: BusinessUseCaseUsage[]
  insightsThrottle?: InsightsThrottle
  /** Standard `Retry-After` in milliseconds, if a proxy or Meta ever sends one. */
  retryAfterMs?: number
}

/** Anything we can read headers from: a fetch `Headers`, or a plain (case-insensitive) record. */
export type HeaderSource = Headers | Record<string, string | string[] | undefined>

function readHeader(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined
  const lower = name.toLowerCase()
  for (const [k, v] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (k.toLowerCase() === lower) return Array.isArray(v) ? v.join(', ') : v
  }
  return undefined
}

function parseJsonObject(value: string | null | undefined): Record<string, unknown> | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined
  try {
    const parsed: unknown = JSON.parse(value)
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v)
  return undefined
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}

/** `X-App-Usage: {"call_count":28,"total_time":25,"total_cputime":25}` */
export function parseAppUsage(value: string | null | undefined): AppUsage | undefined {
  const o = parseJsonObject(value)
  if (!o) return undefined
  return { callCount: num(o.call_count) ?? 0, totalTime: num(o.total_time) ?? 0, totalCputime: num(o.total_cputime) ?? 0 }
}

/** `X-Ad-Account-Usage: {"acc_id_util_pct":9.67,"reset_time_duration":100,"ads_api_access_tier":"standard_access"}` */
export function parseAdAccountUsage(value: string | null | undefined): AdAccountUsage | undefined {
  const o = parseJsonObject(value)
  if (!o) return undefined
  const tier = str(o.ads_api_access_tier)
  return {
    accIdUtilPct: num(o.acc_id_util_pct) ?? 0,
    resetTimeDurationSec: num(o.reset_time_duration) ?? 0,
    ...(tier === undefined ? {} : { adsApiAccessTier: tier }),
  }
}

/** `X-Business-Use-Case-Usage: {"<id>":[{"type":"ads_management","call_count":95,…,"estimated_time_to_regain_access":0}]}` */
export function parseBusinessUseCaseUsage(value: string | null | undefined): BusinessUseCaseUsage[] {
  const o = parseJsonObject(value)
  if (!o) return []
  const out: BusinessUseCaseUsage[] = []
  for (const [id, entries] of Object.entries(o)) {
    if (!Array.isArray(entries)) continue
    for (const e of entries) {
      if (e === null || typeof e !== 'object') continue
      const r = e as Record<string, unknown>
      const tier = str(r.ads_api_access_tier)
      out.push({
        id,
        type: str(r.type) ?? 'unknown',
        callCount: num(r.call_count) ?? 0,
        totalCputime: num(r.total_cputime) ?? 0,
        totalTime: num(r.total_time) ?? 0,
        estimatedTimeToRegainAccessMin: num(r.estimated_time_to_regain_access) ?? 0,
        ...(tier === undefined ? {} : { adsApiAccessTier: tier }),
      })
    }
  }
  return out
}

/** `X-FB-Ads-Insights-Throttle: {"app_id_util_pct":100,"acc_id_util_pct":10,"ads_api_access_tier":"standard_access"}` */
export function parseInsightsThrottle(value: string | null | undefined): InsightsThrottle | undefined {
  const o = parseJsonObject(value)
  if (!o) return undefined
  const tier = str(o.ads_api_access_tier)
  return {
    appIdUtilPct: num(o.app_id_util_pct) ?? 0,
    accIdUtilPct: num(o.acc_id_util_pct) ?? 0,
    ...(tier === undefined ? {} : { adsApiAccessTier: tier }),
  }
}

/** `Retry-After` as seconds or an HTTP date → milliseconds. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000)
  const at = Date.parse(trimmed)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/** All usage headers of one response. */
export function parseUsageHeaders(headers: HeaderSource): UsageHeaders {
  const appUsage = parseAppUsage(readHeader(headers, 'x-app-usage'))
  const adAccountUsage = parseAdAccountUsage(readHeader(headers, 'x-ad-account-usage'))
  const insightsThrottle = parseInsightsThrottle(readHeader(headers, 'x-fb-ads-insights-throttle'))
  const retryAfterMs = parseRetryAfter(readHeader(headers, 'retry-after'))
  return {
    businessUseCaseUsage: parseBusinessUseCaseUsage(readHeader(headers, 'x-business-use-case-usage')),
    ...(appUsage ? { appUsage } : {}),
    ...(adAccountUsage ? { adAccountUsage } : {}),
    ...(insightsThrottle ? { insightsThrottle } : {}),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  }
}

/** BUC error code → the use-case `type` in X-Business-Use-Case-Usage it refers to. */
const BUC_TYPE_BY_CODE: Readonly<Record<number, string>> = {
  80000: 'ads_insights',
  80001: 'pages',
  80002: 'instagram',
  80003: 'custom_audience',
  80004: 'ads_management',
  80005: 'leadgen',
  80006: 'messenger',
  80008: 'whatsapp_business_management',
  80009: 'catalog_management',
  80014: 'catalog_batch',
}

/** Codes that mean "the ad-account score is exhausted", for which X-Ad-Account-Usage reset_time_duration applies. */
const AD_ACCOUNT_SCORE_CODES = new Set([17, 613])

/**
 * How long (ms) the usage headers say to wait before calling again, or `undefined` when they say nothing useful.
 * - X-Business-Use-Case-Usage `estimated_time_to_regain_access` (minutes). When the error code names a use case
 *   (80000 ads_insights, 80004 ads_management, …) only entries of that type count, if there are any.
 * - X-Ad-Account-Usage `reset_time_duration` (seconds), when the account is at 100% or the error is the
 *   ad-account score limit (17 / 613).
 * - `Retry-After`.
 * The longest of these wins: the call is not allowed until every limit has cleared.
 */
export function retryDelayFromHeaders(headers: HeaderSource | UsageHeaders, error: { code?: number | undefined } = {}): number | undefined {
  const usage: UsageHeaders =
    'businessUseCaseUsage' in headers && Array.isArray(headers.businessUseCaseUsage)
      ? (headers as UsageHeaders)
      : parseUsageHeaders(headers as HeaderSource)
  const waits: number[] = []

  const bucType = error.code === undefined ? undefined : BUC_TYPE_BY_CODE[error.code]
  const blocked = usage.businessUseCaseUsage.filter((e) => e.estimatedTimeToRegainAccessMin > 0)
  const relevant = bucType ? blocked.filter((e) => e.type === bucType) : []
  for (const e of relevant.length > 0 ? relevant : blocked) waits.push(e.estimatedTimeToRegainAccessMin * 60_000)

  const acc = usage.adAccountUsage
  if (
    acc &&
    acc.resetTimeDurationSec > 0 &&
    (acc.accIdUtilPct >= 100 || (error.code !== undefined && AD_ACCOUNT_SCORE_CODES.has(error.code)))
  ) {
    waits.push(acc.resetTimeDurationSec * 1000)
  }
  if (usage.retryAfterMs !== undefined && usage.retryAfterMs > 0) waits.push(usage.retryAfterMs)

  return waits.length === 0 ? undefined : Math.ceil(Math.max(...waits))
}
