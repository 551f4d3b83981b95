/** Public types of the Meta Graph API simulator. */

/** One simulated ad account. `id` is digits only; Graph serves it as `act_<id>`. */
export interface SimAccountSpec {
  id: string
  name: string
  /** ISO 4217 code, e.g. USD, EUR, JPY. Budgets use Meta's minor-unit offsets (JPY: 1, USD: 100). */
  currency: string
  /** IANA zone; insights days and date presets are computed in it. */
  timezoneName: string
  /** The business's country (ISO 3166 alpha-2), reported as `business_country_code`; absent: Meta gives none. */
  businessCountryCode?: string
  /** Number of generated campaigns (default 8). */
  campaigns?: number
  /** Ad sets per generated campaign (default: 1–5, drawn per campaign). Fixed counts also leave out the historical archived/deleted extras. */
  adSetsPerCampaign?: number
  /** Ads per generated ad set (default: 1–6, drawn per ad set). */
  adsPerAdSet?: number
  /** Per-account seed override (default: the simulator seed). */
  seed?: number
  /**
   * How this account's results for a day keep arriving after it (late conversions), per result type. Default:
   * leads 85 % at the end of the day, 90 / 96 / 98 % after 1 / 2 / 3 days; purchases 40 %, then 60 / 85 / 93 %;
   * all of them 7 days after. `{ atEndOfDay: 1, afterDays: [1, 1, 1] }` reports every result at once.
   */
  arrival?: Partial<SimArrival>
}

/** How a result type's conversions for a day are reported over the following days. */
export interface SimArrivalCurve {
  /** Share (0–1) of the day's final results reported when the day ends; today's partial numbers carry it too. */
  atEndOfDay: number
  /** Shares reported 1, 2 and 3 days (24, 48, 72 hours) after the day ended; linear in between, everything after 7 days. */
  afterDays: readonly [number, number, number]
}

/** Arrival curves per result type (leads, purchases). */
export interface SimArrival {
  leads: SimArrivalCurve
  purchases: SimArrivalCurve
}

/** Anything pino-like. */
export interface SimLogger {
  debug(obj: object, msg?: string): void
  info(obj: object, msg?: string): void
  warn(obj: object, msg?: string): void
  error(obj: object, msg?: string): void
}

export type AccessTier = 'standard_access' | 'development_access'

export interface MetaSimulatorOptions {
  /** 0 (default) = a random free port. */
  port?: number
  /** Default 127.0.0.1. */
  host?: string
  /** Default 42. Same seed + same `now` → byte-identical responses. */
  seed?: number
  /** Default: DEFAULT_SIM_ACCOUNTS. */
  accounts?: SimAccountSpec[]
  /** Tokens the simulator accepts. Default ['EAAsimulatorAccessToken0001'] (long enough to pass Promoly's token check). */
  accessTokens?: string[]
  /** When set, every call made with a user/system token must carry appsecret_proof = hex HMAC-SHA256(token, appSecret). */
  appSecret?: string
  /** App id reported by /debug_token; `${appId}|${appSecret}` is accepted as an app token there. Default '1000000000000042'. */
  appId?: string
  /** Clock. Default () => new Date(). */
  now?: () => Date
  /** Rows per page when the request has no `limit` (default 25). A request's `limit` wins, capped at 500. */
  pageSize?: number
  /** Added to every response (ms). */
  latencyMs?: number
  logger?: SimLogger
  /** Base URL written into paging.next/previous. Default: the listening address. */
  publicUrl?: string
  /** Version reported when the path has no /vN.0/ prefix. Default 'v26.0'. */
  defaultApiVersion?: string
  /** Tier reported in the usage headers and used for their percentages. Default 'standard_access'. */
  accessTier?: AccessTier
  /** When true, usage above 100% is answered with real throttle errors (17, 80000, 80004). Default false. */
  enforceRateLimits?: boolean
  /** Async insights report runs complete on the (N+1)-th status poll. Default 2. */
  asyncReportPolls?: number
  /**
   * Synchronous insights time out (error 100/1504018, "use async jobs") when the objects at the requested level ×
   * the days of the query exceed this. Default 20,000. Async report runs never time out.
   */
  syncInsightsLimit?: number
  /** Days of history generated before "today" for the built-in campaigns (default 90). */
  historyDays?: number
  /** Serve the /__sim/ control API (default true). */
  controlApi?: boolean
  /** Token the /__sim/ control API requires (`Authorization: Bearer …`). Default: a random one (MetaSimulator.controlToken). */
  controlToken?: string
}

export interface SimStats {
  /** Graph requests received (a batch counts once plus once per item; /__sim/ calls are not counted). */
  requests: number
  /** Per route pattern, e.g. "GET /act_{id}/insights". */
  byRoute: Record<string, number>
  /** Successful mutations (campaign creates and updates; validate_only calls excluded). */
  writes: number
  /** Successful mutations per object id (campaign, ad set or ad updated). */
  writesByObject: Record<string, number>
}

export interface FaultMatch {
  /** HTTP method to match (case-insensitive); any when absent. */
  method?: string
  /** Substring of the request path (as sent, including the /vN.0 prefix); any when absent. */
  path?: string
  /** Applies to the next N matching requests; until cleared when absent. */
  times?: number
}

export type ThrottleCode = 4 | 17 | 613 | 80000 | 80004

export type FaultSpec =
  | (FaultMatch & {
      kind: 'throttle'
      code: ThrottleCode
      /** Override the subcode; null = none (613 abuse-prevention shape). */
      subcode?: number | null
      /** estimated_time_to_regain_access in minutes (default 7 for BUC codes, 5 otherwise). */
      regainMinutes?: number
    })
  | (FaultMatch & { kind: 'expired_token'; token: string; expiredAt?: string | number | Date })
  | (FaultMatch & { kind: 'http_error'; status: 500 | 502 | 503 | 504 })
  | (FaultMatch & { kind: 'delay'; ms: number })
  | (FaultMatch & { kind: 'graph_error'; status?: number; error: Record<string, unknown>; headers?: Record<string, string> })
  | (FaultMatch & {
      kind: 'report_failure'
      /** Only runs whose window (since → until) is longer than this many days fail (and use up the fault). */
      longerThanDays?: number
    })
  /** Report runs that never complete: they stay `Job Running`. */
  | (FaultMatch & { kind: 'report_stuck' })
  /** Synchronous insights answer the timeout error: code 100 → 100/1504018 (default), code 2 → 2/1504038. */
  | (FaultMatch & { kind: 'insights_timeout'; code?: 100 | 2 })

export interface ActiveFault {
  id: string
  spec: FaultSpec
  /** Remaining matches, null = until cleared. */
  remaining: number | null
  hits: number
}

export interface FaultController {
  add(spec: FaultSpec): string
  throttle(code: ThrottleCode, options?: FaultMatch & { subcode?: number | null; regainMinutes?: number }): string
  expireToken(token: string, options?: FaultMatch & { expiredAt?: string | number | Date }): string
  httpError(status: 500 | 502 | 503 | 504, match?: FaultMatch): string
  delay(ms: number, match?: FaultMatch): string
  /** Fails report runs created while it is active; `longerThanDays` fails only runs over longer windows. */
  reportFailure(match?: FaultMatch & { longerThanDays?: number }): string
  /** Report runs created while it is active never complete. */
  reportStuck(match?: FaultMatch): string
  /** Synchronous GET …/insights answers 100/1504018 (or 2/1504038 with code 2); matches paths containing /insights unless `path` is given. */
  insightsTimeout(options?: FaultMatch & { code?: 100 | 2 }): string
  remove(id: string): boolean
  clear(): void
  list(): ActiveFault[]
}

export type Objective =
  | 'OUTCOME_LEADS'
  | 'OUTCOME_SALES'
  | 'OUTCOME_TRAFFIC'
  | 'OUTCOME_AWARENESS'
  | 'OUTCOME_ENGAGEMENT'
  | 'OUTCOME_APP_PROMOTION'
export type CampaignStatus = 'ACTIVE' | 'PAUSED' | 'ARCHIVED' | 'DELETED'

export interface SimAccountView {
  id: string
  actId: string
  name: string
  currency: string
  timezoneName: string
  /** Minor units per major unit. */
  offset: number
  campaignIds: string[]
}

export interface SimCampaignView {
  id: string
  accountId: string
  name: string
  objective: Objective
  status: CampaignStatus
  effectiveStatus: string
  /** Minor units. */
  dailyBudget?: number
  lifetimeBudget?: number
  createdTime: string
  startTime: string
  stopTime?: string
  /** First local date with delivery (account time zone). */
  startDate: string
  /** Local date delivery stopped (paused/archived/ended), if it did. */
  stoppedDate?: string
  leadSource?: 'instant_form' | 'website'
  /** Whether the campaign has (simulated) ads and so can deliver. False for API-created campaigns. */
  delivers: boolean
  fatigue?: { halfLifeDays: number; ctrDecay: number; freqGain: number }
  learningDays: number
  createdViaApi: boolean
  /** Instants (ms) of accepted budget changes within the last hour (the 4-per-hour rule). */
  budgetChangeTimes: number[]
  /** 'adset' when the ad sets hold the budgets (then dailyBudget/lifetimeBudget are absent). */
  budgetLevel: 'campaign' | 'adset'
  adSetIds: string[]
}

export interface SimAdSetView {
  id: string
  accountId: string
  campaignId: string
  name: string
  status: CampaignStatus
  effectiveStatus: string
  /** Minor units; absent when the campaign holds the budget. */
  dailyBudget?: number
  lifetimeBudget?: number
  bidStrategy: string
  bidAmount?: number
  optimizationGoal: string
  startTime: string
  startDate: string
  /** Local date delivery stopped (paused/archived/deleted), if it did. */
  stoppedDate?: string
  adIds: string[]
}

export interface SimAdView {
  id: string
  accountId: string
  campaignId: string
  adSetId: string
  name: string
  status: CampaignStatus
  effectiveStatus: string
  /** First local date the ad could deliver: creative fatigue counts from here. */
  startDate: string
  stoppedDate?: string
  creative: { id: string; name: string; thumbnailUrl: string; title: string; body: string }
}

/** Read access to the simulated world, for tests and tools. */
export interface SimStateView {
  accounts(): SimAccountView[]
  account(id: string): SimAccountView | undefined
  campaigns(accountId?: string): SimCampaignView[]
  campaign(id: string): SimCampaignView | undefined
  /** Ad sets of an account (`act_…` or digits), of a campaign, or all. */
  adSets(parentId?: string): SimAdSetView[]
  adSet(id: string): SimAdSetView | undefined
  /** Ads of an account, a campaign, an ad set, or all. */
  ads(parentId?: string): SimAdView[]
  ad(id: string): SimAdView | undefined
  /** Today's date in the account's time zone. */
  today(accountId: string): string
}

/** Changes made "in Ads Manager": status or budget edits outside the Graph API (not counted, no rate limits). */
export interface AdsManagerEdits {
  /** Sets a campaign's, ad set's or ad's status (ACTIVE, PAUSED, ARCHIVED or DELETED) as of the simulator's clock. */
  setStatus(id: string, status: CampaignStatus): void
  /** Sets a campaign's or ad set's daily or lifetime budget (minor units) as of the simulator's clock. */
  setBudget(id: string, budget: { daily: number } | { lifetime: number }): void
  /**
   * Makes a campaign overspend today: from the simulator's clock to the end of its account-local day it delivers
   * `factor` (1–20) times its usual rate, up to what Meta allows in a day (175 % of the daily budget).
   */
  surge(id: string, factor: number): void
  /**
   * Makes a campaign's results dearer: from the start of the account-local day `sinceDaysAgo` (0–14) days ago — from
   * the simulator's clock when 0 — it converts `factor` (1–20) times less for the same spend (leads, purchases and
   * purchase value divided by `factor` at every level; spend, impressions and clicks unchanged). Replaces any earlier
   * such edit of the campaign; factor 1 clears it.
   */
  raiseCostPerResult(id: string, factor: number, sinceDaysAgo: number): void
}

export interface MetaSimulator {
  /** Base URL, e.g. http://127.0.0.1:PORT (no trailing slash, no version). */
  url: string
  port: number
  /** The first accepted access token. */
  accessToken: string
  /** What the /__sim/ control API requires as `Authorization: Bearer …` (undefined when the control API is off). */
  controlToken?: string
  close(): Promise<void>
  stats(): SimStats
  resetStats(): void
  faults: FaultController
  state: SimStateView
  /** Edits made outside the API, as an advertiser would in Ads Manager (archive/delete an object, change a budget). */
  adsManager: AdsManagerEdits
}
