/**
 * Rate-limit accounting behind the usage headers Meta sends on every response:
 * `x-app-usage`, `x-ad-account-usage`, `x-business-use-case-usage` (JSON strings). Percentages
 * follow the Marketing API limits for the configured tier (reference §4) and rise with traffic;
 * with `enforceRateLimits` the simulator answers with real throttle errors past 100%.
 */
import type { AccessTier, ThrottleCode } from './types.ts'

export type BucType = 'ads_insights' | 'ads_management'

interface Call {
  t: number
  weight: number
  type: BucType
}

const SCORE_WINDOW_MS = 300_000
const HOUR_MS = 3_600_000

interface TierLimits {
  score: number
  management: number
  insights: number
  /** Calls per hour counted as 100% in x-app-usage. */
  app: number
}

const LIMITS: Record<AccessTier, TierLimits> = {
  standard_access: { score: 9000, management: 100_000, insights: 190_000, app: 20_000 },
  development_access: { score: 60, management: 300, insights: 600, app: 4_800 },
}

function round2(n: number): number {
  return Math.round(n * 100) / 100
}

export interface UsageSnapshot {
  accountPct: number
  resetSeconds: number
  buc: Record<BucType, { pct: number; regainMinutes: number } | undefined>
  appPct: number
}

export class UsageTracker {
  private readonly calls = new Map<string, Call[]>()
  private appCalls: number[] = []
  private readonly limits: TierLimits

  constructor(
    readonly tier: AccessTier,
    private readonly activeAds: (accountId: string) => number,
  ) {
    this.limits = LIMITS[tier]
  }

  record(accountId: string | undefined, type: BucType, isWrite: boolean, now: number): void {
    this.appCalls.push(now)
    if (this.appCalls.length > 10_000 || (this.appCalls[0] ?? now) < now - HOUR_MS)
      this.appCalls = this.appCalls.filter((t) => t > now - HOUR_MS)
    if (accountId === undefined) return
    let list = this.calls.get(accountId)
    if (!list) {
      list = []
      this.calls.set(accountId, list)
    }
    list.push({ t: now, weight: isWrite ? 3 : 1, type })
    if ((list[0]?.t ?? now) <= now - HOUR_MS) {
      const kept = list.filter((c) => c.t > now - HOUR_MS)
      this.calls.set(accountId, kept)
    }
  }

  private bucLimit(accountId: string, type: BucType): number {
    const ads = this.activeAds(accountId)
    return type === 'ads_management' ? this.limits.management + 40 * ads : this.limits.insights + 400 * ads
  }

  snapshot(accountId: string, now: number): UsageSnapshot {
    const list = (this.calls.get(accountId) ?? []).filter((c) => c.t > now - HOUR_MS)
    let score = 0
    let oldestScored: number | undefined
    const counts: Record<BucType, Call[]> = { ads_insights: [], ads_management: [] }
    for (const c of list) {
      counts[c.type].push(c)
      if (c.t > now - SCORE_WINDOW_MS) {
        score += c.weight
        if (oldestScored === undefined) oldestScored = c.t
      }
    }
    const buc: UsageSnapshot['buc'] = { ads_insights: undefined, ads_management: undefined }
    for (const type of ['ads_management', 'ads_insights'] as const) {
      const calls = counts[type]
      if (calls.length === 0) continue
      const limit = this.bucLimit(accountId, type)
      const pct = (calls.length / limit) * 100
      let regainMinutes = 0
      if (calls.length >= limit) {
        const pivot = calls[calls.length - limit]
        regainMinutes = pivot ? Math.max(1, Math.ceil((pivot.t + HOUR_MS - now) / 60_000)) : 0
      }
      buc[type] = { pct, regainMinutes }
    }
    const appCount = this.appCalls.filter((t) => t > now - HOUR_MS).length
    return {
      accountPct: (score / this.limits.score) * 100,
      resetSeconds: oldestScored === undefined ? 0 : Math.max(0, Math.ceil((oldestScored + SCORE_WINDOW_MS - now) / 1000)),
      buc,
      appPct: (appCount / this.limits.app) * 100,
    }
  }

  /** The throttle a real account would now hit, if any. */
  exceeded(accountId: string | undefined, type: BucType, now: number): { code: ThrottleCode; regainMinutes: number } | undefined {
    const appPct = (this.appCalls.filter((t) => t > now - HOUR_MS).length / this.limits.app) * 100
    if (accountId === undefined) return appPct > 100 ? { code: 4, regainMinutes: 60 } : undefined
    const s = this.snapshot(accountId, now)
    if (s.accountPct > 100) return { code: 17, regainMinutes: Math.max(1, Math.ceil(s.resetSeconds / 60)) }
    const b = s.buc[type]
    if (b && b.pct > 100) return { code: type === 'ads_insights' ? 80000 : 80004, regainMinutes: b.regainMinutes }
    if (appPct > 100) return { code: 4, regainMinutes: 60 }
    return undefined
  }

  /**
   * Header values for a response about `accountId`. During a throttle the matching header shows the
   * exhausted budget with `estimated_time_to_regain_access` / `reset_time_duration`.
   */
  headers(accountId: string, type: BucType, now: number, throttle?: { code: ThrottleCode; regainMinutes: number }): Record<string, string> {
    const s = this.snapshot(accountId, now)
    const tier = this.tier
    const appPct = throttle?.code === 4 ? 100 : Math.min(100, Math.floor(s.appPct))
    const appUsage = { call_count: appPct, total_time: Math.floor(appPct * 0.9), total_cputime: Math.floor(appPct * 0.8) }

    let accountPct = round2(Math.min(100, s.accountPct))
    let reset = s.resetSeconds
    if (throttle && (throttle.code === 17 || throttle.code === 613)) {
      accountPct = 100
      reset = Math.min(300, Math.max(1, Math.round(throttle.regainMinutes * 60)))
    }
    const adAccountUsage = { acc_id_util_pct: accountPct, reset_time_duration: reset, ads_api_access_tier: tier }

    const entries: Array<Record<string, string | number>> = []
    const types: BucType[] = ['ads_management', 'ads_insights']
    for (const t of types) {
      const b = s.buc[t]
      const throttled =
        throttle &&
        ((throttle.code === 80004 && t === 'ads_management') ||
          (throttle.code === 80000 && t === 'ads_insights') ||
          (throttle.code === 17 && t === type))
      if (!b && !throttled && t !== type) continue
      const pct = throttled ? 100 : Math.min(100, Math.floor(b?.pct ?? 0))
      entries.push({
        type: t,
        call_count: pct,
        total_cputime: throttled ? 38 : Math.floor(pct * 0.4),
        total_time: throttled ? 44 : Math.floor(pct * 0.45),
        estimated_time_to_regain_access: throttled ? Math.max(1, Math.round(throttle.regainMinutes)) : (b?.regainMinutes ?? 0),
        ads_api_access_tier: tier,
      })
    }
    return {
      'x-app-usage': JSON.stringify(appUsage),
      'x-ad-account-usage': JSON.stringify(adAccountUsage),
      'x-business-use-case-usage': JSON.stringify({ [accountId]: entries }),
    }
  }

  /** `x-fb-ads-insights-throttle` for insights responses. */
  insightsThrottle(accountId: string, now: number): string {
    const s = this.snapshot(accountId, now)
    return JSON.stringify({
      app_id_util_pct: round2(Math.min(100, s.appPct)),
      acc_id_util_pct: round2(Math.min(100, s.buc.ads_insights?.pct ?? 0)),
      ads_api_access_tier: this.tier,
    })
  }
}
