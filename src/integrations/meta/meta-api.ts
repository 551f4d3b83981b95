/**
 * The Marketing API endpoints Promoly uses, typed, on top of GraphClient. Budgets are integers in the account
 * currency's minor units (as Meta sends them); Insights money arrives as MAJOR-unit decimal strings and is
 * converted with majorStringToMinor here, so callers only ever see minor units.
 */
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { majorStringToMinor } from '../../lib/money.ts'
import type { GraphClient, GraphParams } from './graph-client.ts'
import {
  AdAccountSchema,
  AdInsightsRowSchema,
  AdSchema,
  AdSetSchema,
  CampaignReachDayRowSchema,
  CampaignSchema,
  CreatedIdSchema,
  HourlyInsightsRowSchema,
  InsightsRowSchema,
  MeSchema,
  MinimumBudgetsResponseSchema,
  PeriodReachRowSchema,
  type RawActionStat,
  type RawAd,
  type RawAdAccount,
  type RawAdInsightsRow,
  type RawAdSet,
  type RawCampaign,
  type RawInsightsRow,
  ReportRunCreatedSchema,
  ReportRunSchema,
  SuccessSchema,
} from './schemas.ts'

export interface MetaUser {
  id: string
  name: string | null
}

export interface MetaAdAccount {
  /** `act_<digits>`, the node id used in paths. */
  id: string
  /** Digits only. */
  accountId: string
  name: string
  /** ISO 4217, upper case. */
  currency: string
  timezoneName: string | null
  /** The business's country (ISO 3166 alpha-2, upper case), Meta's `business_country_code`; null when Meta gives none. */
  countryCode: string | null
  /** 1 active, 2 disabled, 3 unsettled, 7 pending risk review, 8 pending settlement, 9 in grace period, 100/101 closed. */
  accountStatus: number
}

export interface MetaCampaign {
  id: string
  name: string
  objective: string | null
  status: string | null
  effectiveStatus: string | null
  /** Campaign (Advantage+) daily budget in minor units; null when the budget lives on the ad sets. */
  dailyBudgetMinor: number | null
  /** Campaign lifetime budget in minor units; null when not set. */
  lifetimeBudgetMinor: number | null
  createdTime: string | null
}

/** One campaign-day of Insights. Money in minor units of the account currency; a missing metric counts as 0. */
export interface InsightRow {
  campaignId: string
  campaignName: string
  objective: string | null
  /** `date_start` (YYYY-MM-DD, ad account time zone). */
  date: string
  impressions: number
  reach: number
  frequency: number
  clicks: number
  /** `inline_link_clicks`. */
  linkClicks: number
  spendMinor: number
  leads: number
  purchases: number
  purchaseValueMinor: number
}

export interface MetaAdSet {
  id: string
  name: string
  campaignId: string
  status: string | null
  effectiveStatus: string | null
  /** Ad set daily budget in minor units; null when the campaign holds the budget (or a lifetime budget is set). */
  dailyBudgetMinor: number | null
  lifetimeBudgetMinor: number | null
  bidStrategy: string | null
  /** Bid cap / cost target in minor units; null when none. */
  bidAmountMinor: number | null
  optimizationGoal: string | null
  billingEvent: string | null
  startTime: string | null
  endTime: string | null
  createdTime: string | null
  /** learning_stage_info.status: LEARNING, SUCCESS or FAIL (learning limited); null when Meta gives none. */
  learningStage: string | null
}

export interface MetaAd {
  id: string
  name: string
  adSetId: string
  campaignId: string
  status: string | null
  effectiveStatus: string | null
  createdTime: string | null
  creativeId: string | null
  creativeName: string | null
  thumbnailUrl: string | null
  /** The creative's title (headline) and body (primary text), where Meta gives them. */
  headline: string | null
  primaryText: string | null
}

/** One ad-day of Insights (`level=ad`), with the ids and names of every level. Money in minor units. */
export interface AdInsightRow extends InsightRow {
  adSetId: string
  adSetName: string
  adId: string
  adName: string
}

/** A campaign-day's reach as Meta counts it (people deduplicated across the campaign's ads). */
export interface CampaignReachDay {
  campaignId: string
  /** YYYY-MM-DD, ad account time zone. */
  date: string
  impressions: number
  reach: number
  frequency: number
}

/** The daily Insights reports the sync reads, synchronously (paged) or as async report runs. */
export type DailyReport = 'ad' | 'campaign_reach'

/** What one row of each DailyReport becomes. */
export interface DailyReportRows {
  ad: AdInsightRow
  campaign_reach: CampaignReachDay
}

/** A report run's state (`GET /{report_run_id}`). */
export interface ReportRunStatus {
  id: string
  /** Meta's async_status: Job Not Started, Job Started, Job Running, Job Completed, Job Failed, Job Skipped. */
  asyncStatus: string
  percentCompletion: number
  /** Only when async_status is "Job Completed" AND async_percent_completion is 100 (reference §3). */
  completed: boolean
  /** Job Failed or Job Skipped: the rows will never come; run it again (smaller). */
  failed: boolean
  /** v25+: why it failed. */
  error: { code: number | null; subcode: number | null; message: string | null } | null
}

export interface MetaMinimumBudget {
  currency: string
  /** Minimum daily budget (minor units) when charged for impressions. */
  minDailyImpressionsMinor: number | null
  /** … for high-frequency events (clicks, likes, video views, post engagement). */
  minDailyHighFreqMinor: number | null
  /** … for low-frequency events (app installs, offer claims). */
  minDailyLowFreqMinor: number | null
  minDailyVideoViewsMinor: number | null
}

export type CampaignObjective =
  | 'OUTCOME_APP_PROMOTION'
  | 'OUTCOME_AWARENESS'
  | 'OUTCOME_ENGAGEMENT'
  | 'OUTCOME_LEADS'
  | 'OUTCOME_SALES'
  | 'OUTCOME_TRAFFIC'

export type BidStrategy = 'LOWEST_COST_WITHOUT_CAP' | 'LOWEST_COST_WITH_BID_CAP' | 'COST_CAP' | 'LOWEST_COST_WITH_MIN_ROAS'

export interface CreateCampaignInput {
  name: string
  objective: CampaignObjective
  status: 'PAUSED' | 'ACTIVE'
  /** `[]` when none apply; e.g. ['HOUSING']. */
  specialAdCategories: string[]
  /** ISO 3166 alpha-2 countries the categories apply in (special_ad_category_country): Meta requires them with a category. */
  specialAdCategoryCountries?: string[]
  /** Campaign (Advantage+) daily budget in minor units. Without it, budgets live on the ad sets (sent with is_adset_budget_sharing_enabled=false). */
  dailyBudgetMinor?: number
  /** Only with a campaign budget; defaults to LOWEST_COST_WITHOUT_CAP then. */
  bidStrategy?: BidStrategy
}

export interface UpdateCampaignInput {
  status?: 'PAUSED' | 'ACTIVE' | 'ARCHIVED'
  dailyBudgetMinor?: number
  lifetimeBudgetMinor?: number
}

export interface UpdateAdSetInput {
  status?: 'PAUSED' | 'ACTIVE'
  dailyBudgetMinor?: number
  lifetimeBudgetMinor?: number
}

export interface UpdateAdInput {
  status: 'PAUSED' | 'ACTIVE'
}

export interface DailyInsightsQuery {
  /** YYYY-MM-DD, inclusive, in the ad account's time zone. */
  since: string
  /** YYYY-MM-DD, inclusive. */
  until: string
  /** The ad account currency, for converting spend and purchase value to minor units. */
  currency: string
}

export interface PeriodReachQuery {
  /** YYYY-MM-DD, inclusive, in the ad account's time zone. */
  since: string
  until: string
  /** `account`: one row, the account's unique reach; `campaign`: one row per campaign that delivered. */
  level: 'account' | 'campaign'
}

/** A period's unique reach (people, deduplicated over its days), as Meta counts it. */
export interface PeriodReachRow {
  /** Null at account level. */
  campaignId: string | null
  reach: number
  impressions: number
  frequency: number
}

/** One account-hour of spend (Meta's hourly breakdown in the account's time zone). */
export interface HourlySpendRow {
  /** YYYY-MM-DD, account-local. */
  date: string
  /** Meta's hour label, e.g. "13:00:00 - 13:59:59" (parsed by the domain). */
  hourBucket: string
  spendMinor: number
  impressions: number
}

export interface MetaApi {
  /** GET /me?fields=id,name (validates a system-user token). */
  getMe(token: string): Promise<MetaUser>
  /** GET /me/adaccounts, all pages. */
  listAdAccounts(token: string): Promise<MetaAdAccount[]>
  getAdAccount(token: string, actId: string): Promise<MetaAdAccount>
  /** GET /act_x/campaigns with every effective status (archived and deleted too), all pages. */
  listCampaigns(token: string, actId: string): Promise<MetaCampaign[]>
  /** GET /act_x/adsets with every effective status, yielded page by page (one request a page). */
  listAdSets(token: string, actId: string): AsyncIterable<MetaAdSet[]>
  /** GET /act_x/ads with every effective status, creative expanded, yielded page by page (one request a page). */
  listAds(token: string, actId: string): AsyncIterable<MetaAd[]>
  getCampaign(token: string, campaignId: string): Promise<MetaCampaign>
  /** Campaign × day Insights, one request per page, yielded page by page. */
  fetchDailyCampaignInsights(token: string, actId: string, query: DailyInsightsQuery): AsyncIterable<InsightRow[]>
  /**
   * A daily report read synchronously, one request per page, yielded page by page: `ad` = ad × day Insights with the
   * ids of every level (deleted and archived ads included through `ad.effective_status`); `campaign_reach` = each
   * campaign-day's reach and frequency. A request Meta cannot answer in time fails with kind `too_large` (go async).
   */
  fetchDailyReport<K extends DailyReport>(
    token: string,
    actId: string,
    report: K,
    query: DailyInsightsQuery,
  ): AsyncIterable<DailyReportRows[K][]>
  /** POST /act_x/insights with the same parameters: starts an async report run and returns its id. */
  startDailyReport(token: string, actId: string, report: DailyReport, query: Omit<DailyInsightsQuery, 'currency'>): Promise<string>
  /** GET /{report_run_id}: the run's status. */
  getReportRun(token: string, reportRunId: string): Promise<ReportRunStatus>
  /** GET /{report_run_id}/insights of a completed run, one request per page, yielded page by page. */
  readDailyReport<K extends DailyReport>(
    token: string,
    reportRunId: string,
    report: K,
    currency: string,
  ): AsyncIterable<DailyReportRows[K][]>
  /** Insights over the whole period without time_increment: the period's true reach and frequency (one request a page). */
  fetchPeriodReach(token: string, actId: string, query: PeriodReachQuery): Promise<PeriodReachRow[]>
  /**
   * The account's spend by account-local hour of each day from `since` to `until` (level=account, time_increment=1,
   * breakdowns=hourly_stats_aggregated_by_advertiser_time_zone), all pages. Hours without delivery have no row.
   */
  fetchHourlySpend(token: string, actId: string, query: DailyInsightsQuery): Promise<HourlySpendRow[]>
  createCampaign(token: string, actId: string, input: CreateCampaignInput): Promise<{ id: string }>
  /** POST /{campaign_id}. A budget write is never retried by the client on a throttle (Meta blocks it for an hour). */
  updateCampaign(token: string, campaignId: string, input: UpdateCampaignInput): Promise<{ success: boolean }>
  /** GET /{adset_id}: one ad set (a deleted one too, with status DELETED). */
  getAdSet(token: string, adSetId: string): Promise<MetaAdSet>
  /** GET /{ad_id}: one ad (a deleted one too, with status DELETED). */
  getAd(token: string, adId: string): Promise<MetaAd>
  /** POST /{adset_id}: status, or a daily or lifetime budget (never retried by the client on a throttle). */
  updateAdSet(token: string, adSetId: string, input: UpdateAdSetInput): Promise<{ success: boolean }>
  /** POST /{ad_id}: status. */
  updateAd(token: string, adId: string, input: UpdateAdInput): Promise<{ success: boolean }>
  /** GET /act_x/minimum_budgets. */
  getMinimumBudgets(token: string, actId: string): Promise<MetaMinimumBudget[]>
}

const AD_ACCOUNT_FIELDS = 'id,account_id,name,currency,timezone_name,business_country_code,account_status'
const CAMPAIGN_FIELDS = 'id,name,objective,status,effective_status,daily_budget,lifetime_budget,created_time'
const INSIGHTS_FIELDS =
  'campaign_id,campaign_name,objective,date_start,date_stop,impressions,reach,frequency,clicks,inline_link_clicks,spend,actions,action_values'
const INSIGHTS_PAGE_LIMIT = 500
/** Lists are read 500 objects a page (Graph's cap for these edges in practice). */
const LIST_PAGE_LIMIT = 500

/** Every effective_status of each edge (reference §8): without the filter Meta omits ARCHIVED and DELETED objects. */
const CAMPAIGN_STATUSES = ['ACTIVE', 'PAUSED', 'DELETED', 'ARCHIVED', 'IN_PROCESS', 'WITH_ISSUES'] as const
const ADSET_STATUSES = [...CAMPAIGN_STATUSES, 'CAMPAIGN_PAUSED'] as const
const AD_STATUSES = [...ADSET_STATUSES, 'ADSET_PAUSED', 'PENDING_REVIEW', 'DISAPPROVED', 'PREAPPROVED', 'PENDING_BILLING_INFO'] as const

const ADSET_FIELDS =
  'id,name,campaign_id,status,effective_status,daily_budget,lifetime_budget,bid_strategy,bid_amount,optimization_goal,billing_event,start_time,end_time,created_time,learning_stage_info'
const AD_FIELDS = 'id,name,adset_id,campaign_id,status,effective_status,created_time,creative{id,name,thumbnail_url,title,body}'
const AD_INSIGHTS_FIELDS =
  'campaign_id,campaign_name,adset_id,adset_name,ad_id,ad_name,objective,date_start,date_stop,impressions,reach,frequency,clicks,inline_link_clicks,spend,actions,action_values'
const CAMPAIGN_REACH_FIELDS = 'campaign_id,date_start,date_stop,impressions,reach,frequency'

/** The Insights parameters of each daily report, without paging (an async run takes the same ones). */
function dailyReportParams(report: DailyReport, since: string, until: string) {
  const ad = report === 'ad'
  return {
    level: ad ? 'ad' : 'campaign',
    time_increment: 1,
    time_range: { since, until },
    fields: ad ? AD_INSIGHTS_FIELDS : CAMPAIGN_REACH_FIELDS,
    // Insights omit deleted objects unless filtered on their effective status (reference §8).
    filtering: [
      { field: ad ? 'ad.effective_status' : 'campaign.effective_status', operator: 'IN', value: ad ? AD_STATUSES : CAMPAIGN_STATUSES },
    ],
  }
}

function checkRange(query: { since: string; until: string }): void {
  if (!DATE_RE.test(query.since) || !DATE_RE.test(query.until)) {
    throw new AppError(AppErrorCode.BAD_INPUT, 'Insights dates must look like YYYY-MM-DD.')
  }
  if (query.since > query.until) {
    throw new AppError(AppErrorCode.BAD_INPUT, `The start date ${query.since} is after the end date ${query.until}.`)
  }
}

/** Lead action types overlap (`lead` = onsite + offsite): take the first present, never sum them. */
const LEAD_ACTION_PRIORITY = ['lead', 'onsite_conversion.lead_grouped', 'offsite_conversion.fb_pixel_lead', 'leadgen_grouped'] as const
/** Purchase action types overlap the same way. */
const PURCHASE_ACTION_PRIORITY = ['purchase', 'omni_purchase', 'offsite_conversion.fb_pixel_purchase'] as const

/** "act_123" or "123" → "act_123"; anything else is BAD_INPUT (it ends up in a URL path). */
function normalizeActId(actId: string): string {
  const trimmed = actId.trim()
  const m = /^(?:act_)?(\d+)$/.exec(trimmed)
  if (!m) throw new AppError(AppErrorCode.BAD_INPUT, `"${trimmed}" is not a Meta ad account id (expected act_123… or digits).`)
  return `act_${m[1]}`
}

function normalizeObjectId(id: string, what: string): string {
  const trimmed = id.trim()
  if (!/^\d+$/.test(trimmed)) throw new AppError(AppErrorCode.BAD_INPUT, `"${trimmed}" is not a Meta ${what} id.`)
  return trimmed
}

function requireMinorAmount(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new AppError(AppErrorCode.BAD_INPUT, `The ${what} must be a positive whole number of minor currency units.`)
  }
  return value
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/

function toAdAccount(raw: RawAdAccount): MetaAdAccount {
  return {
    id: raw.id,
    accountId: raw.account_id,
    name: raw.name,
    currency: raw.currency.toUpperCase(),
    timezoneName: raw.timezone_name ?? null,
    countryCode: /^[A-Za-z]{2}$/.test(raw.business_country_code ?? '') ? (raw.business_country_code as string).toUpperCase() : null,
    accountStatus: raw.account_status,
  }
}

/** Meta reports an unset budget as absent or "0"; both mean "no budget at this level". */
function budget(value: number | undefined): number | null {
  return value === undefined || value === 0 ? null : value
}

function toCampaign(raw: RawCampaign): MetaCampaign {
  return {
    id: raw.id,
    name: raw.name,
    objective: raw.objective ?? null,
    status: raw.status ?? null,
    effectiveStatus: raw.effective_status ?? null,
    dailyBudgetMinor: budget(raw.daily_budget),
    lifetimeBudgetMinor: budget(raw.lifetime_budget),
    createdTime: raw.created_time ?? null,
  }
}

function toAdSet(raw: RawAdSet): MetaAdSet {
  return {
    id: raw.id,
    name: raw.name,
    campaignId: raw.campaign_id,
    status: raw.status ?? null,
    effectiveStatus: raw.effective_status ?? null,
    dailyBudgetMinor: budget(raw.daily_budget),
    lifetimeBudgetMinor: budget(raw.lifetime_budget),
    bidStrategy: raw.bid_strategy ?? null,
    bidAmountMinor: budget(raw.bid_amount),
    optimizationGoal: raw.optimization_goal ?? null,
    billingEvent: raw.billing_event ?? null,
    startTime: raw.start_time ?? null,
    endTime: raw.end_time ?? null,
    createdTime: raw.created_time ?? null,
    learningStage: raw.learning_stage_info?.status ?? null,
  }
}

function toAd(raw: RawAd): MetaAd {
  return {
    id: raw.id,
    name: raw.name,
    adSetId: raw.adset_id,
    campaignId: raw.campaign_id,
    status: raw.status ?? null,
    effectiveStatus: raw.effective_status ?? null,
    createdTime: raw.created_time ?? null,
    creativeId: raw.creative?.id ?? null,
    creativeName: raw.creative?.name ?? null,
    thumbnailUrl: raw.creative?.thumbnail_url ?? null,
    headline: raw.creative?.title ?? null,
    primaryText: raw.creative?.body ?? null,
  }
}

/** The value of the first action type in `priority` present in `stats`, or undefined when none is. */
function pickAction(stats: readonly RawActionStat[] | undefined, priority: readonly string[]): string | undefined {
  if (!stats) return undefined
  for (const type of priority) {
    const hit = stats.find((s) => s.action_type === type)
    if (hit) return hit.value
  }
  return undefined
}

/** Action counts are numeric strings (validated by the schema); absent means 0. */
function count(value: string | undefined): number {
  return value === undefined ? 0 : Number(value)
}

/** Parses one raw Insights row (already zod-validated) into an InsightRow. */
function toInsightRow(raw: RawInsightsRow, currency: string): InsightRow {
  const purchaseValue = pickAction(raw.action_values, PURCHASE_ACTION_PRIORITY)
  return {
    campaignId: raw.campaign_id,
    campaignName: raw.campaign_name ?? '',
    objective: raw.objective ?? null,
    date: raw.date_start,
    impressions: raw.impressions ?? 0,
    reach: raw.reach ?? 0,
    frequency: raw.frequency ?? 0,
    clicks: raw.clicks ?? 0,
    linkClicks: raw.inline_link_clicks ?? 0,
    spendMinor: raw.spend === undefined ? 0 : majorStringToMinor(raw.spend, currency),
    leads: count(pickAction(raw.actions, LEAD_ACTION_PRIORITY)),
    purchases: count(pickAction(raw.actions, PURCHASE_ACTION_PRIORITY)),
    purchaseValueMinor: purchaseValue === undefined ? 0 : majorStringToMinor(purchaseValue, currency),
  }
}

function toAdInsightRow(raw: RawAdInsightsRow, currency: string): AdInsightRow {
  return {
    ...toInsightRow(raw, currency),
    adSetId: raw.adset_id,
    adSetName: raw.adset_name ?? '',
    adId: raw.ad_id,
    adName: raw.ad_name ?? '',
  }
}

/** Validates and converts one page of a daily report. */
function reportPage<K extends DailyReport>(
  client: GraphClient,
  report: K,
  path: string,
  params: GraphParams,
  token: string,
  currency: string,
): AsyncIterable<DailyReportRows[K][]> {
  return {
    // A fresh paginator per iteration: iterating twice re-reads from Meta instead of silently yielding nothing.
    async *[Symbol.asyncIterator]() {
      if (report === 'ad') {
        for await (const page of client.paginate(path, params, AdInsightsRowSchema, { accessToken: token })) {
          yield page.map((raw) => toAdInsightRow(raw, currency)) as DailyReportRows[K][]
        }
      } else {
        for await (const page of client.paginate(path, params, CampaignReachDayRowSchema, { accessToken: token })) {
          yield page.map((r) => ({
            campaignId: r.campaign_id,
            date: r.date_start,
            impressions: r.impressions ?? 0,
            reach: r.reach ?? 0,
            frequency: r.frequency ?? 0,
          })) as DailyReportRows[K][]
        }
      }
    },
  }
}

async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = []
  for await (const page of pages) out.push(...page)
  return out
}

export function createMetaApi(client: GraphClient): MetaApi {
  const auth = (token: string) => ({ accessToken: token })

  return {
    async getMe(token) {
      const me = await client.get('/me', { fields: 'id,name' }, MeSchema, auth(token))
      return { id: me.id, name: me.name ?? null }
    },

    async listAdAccounts(token) {
      const raws = await collect(client.paginate('/me/adaccounts', { fields: AD_ACCOUNT_FIELDS, limit: 100 }, AdAccountSchema, auth(token)))
      return raws.map(toAdAccount)
    },

    async getAdAccount(token, actId) {
      const raw = await client.get(`/${normalizeActId(actId)}`, { fields: AD_ACCOUNT_FIELDS }, AdAccountSchema, auth(token))
      return toAdAccount(raw)
    },

    async listCampaigns(token, actId) {
      const params = { fields: CAMPAIGN_FIELDS, effective_status: CAMPAIGN_STATUSES, limit: LIST_PAGE_LIMIT }
      const raws = await collect(client.paginate(`/${normalizeActId(actId)}/campaigns`, params, CampaignSchema, auth(token)))
      return raws.map(toCampaign)
    },

    listAdSets(token, actId) {
      const path = `/${normalizeActId(actId)}/adsets`
      const params = { fields: ADSET_FIELDS, effective_status: ADSET_STATUSES, limit: LIST_PAGE_LIMIT }
      return {
        async *[Symbol.asyncIterator]() {
          for await (const page of client.paginate(path, params, AdSetSchema, auth(token))) yield page.map(toAdSet)
        },
      }
    },

    listAds(token, actId) {
      const path = `/${normalizeActId(actId)}/ads`
      const params = { fields: AD_FIELDS, effective_status: AD_STATUSES, limit: LIST_PAGE_LIMIT }
      return {
        async *[Symbol.asyncIterator]() {
          for await (const page of client.paginate(path, params, AdSchema, auth(token))) yield page.map(toAd)
        },
      }
    },

    async getCampaign(token, campaignId) {
      const raw = await client.get(
        `/${normalizeObjectId(campaignId, 'campaign')}`,
        { fields: CAMPAIGN_FIELDS },
        CampaignSchema,
        auth(token),
      )
      return toCampaign(raw)
    },

    fetchDailyCampaignInsights(token, actId, query) {
      const act = normalizeActId(actId)
      checkRange(query)
      const params = {
        level: 'campaign',
        time_increment: 1,
        time_range: { since: query.since, until: query.until },
        fields: INSIGHTS_FIELDS,
        limit: INSIGHTS_PAGE_LIMIT,
      }
      return {
        // A fresh paginator per iteration: iterating twice re-reads from Meta instead of silently yielding nothing.
        async *[Symbol.asyncIterator]() {
          const pages = client.paginate(`/${act}/insights`, params, InsightsRowSchema, auth(token))
          for await (const page of pages) yield page.map((raw) => toInsightRow(raw, query.currency))
        },
      }
    },

    fetchDailyReport(token, actId, report, query) {
      const act = normalizeActId(actId)
      checkRange(query)
      const params = { ...dailyReportParams(report, query.since, query.until), limit: INSIGHTS_PAGE_LIMIT }
      return reportPage(client, report, `/${act}/insights`, params, token, query.currency)
    },

    async startDailyReport(token, actId, report, query) {
      const act = normalizeActId(actId)
      checkRange(query)
      // Starting a run twice only costs a second run: safe to retry after a transient failure.
      const created = await client.post(`/${act}/insights`, dailyReportParams(report, query.since, query.until), ReportRunCreatedSchema, {
        accessToken: token,
        idempotent: true,
      })
      return created.report_run_id
    },

    async getReportRun(token, reportRunId) {
      const run = await client.get(`/${normalizeObjectId(reportRunId, 'report run')}`, undefined, ReportRunSchema, auth(token))
      const failed = run.async_status === 'Job Failed' || run.async_status === 'Job Skipped'
      return {
        id: run.id,
        asyncStatus: run.async_status,
        percentCompletion: run.async_percent_completion,
        completed: run.async_status === 'Job Completed' && run.async_percent_completion === 100,
        failed,
        error: failed
          ? { code: run.error_code ?? null, subcode: run.error_subcode ?? null, message: run.error_user_msg ?? run.error_message ?? null }
          : null,
      }
    },

    readDailyReport(token, reportRunId, report, currency) {
      const path = `/${normalizeObjectId(reportRunId, 'report run')}/insights`
      return reportPage(client, report, path, { limit: INSIGHTS_PAGE_LIMIT }, token, currency)
    },

    async fetchPeriodReach(token, actId, query) {
      const act = normalizeActId(actId)
      if (!DATE_RE.test(query.since) || !DATE_RE.test(query.until) || query.since > query.until) {
        throw new AppError(AppErrorCode.BAD_INPUT, `${query.since} to ${query.until} is not a valid period.`)
      }
      // No time_increment: Meta then reports the period as one row, reach deduplicated over its days.
      const params = {
        level: query.level,
        time_range: { since: query.since, until: query.until },
        fields: query.level === 'campaign' ? 'campaign_id,impressions,reach,frequency' : 'impressions,reach,frequency',
        // Deleted and archived campaigns keep their reach (Insights omit them unless filtered, reference §8).
        ...(query.level === 'campaign'
          ? { filtering: [{ field: 'campaign.effective_status', operator: 'IN', value: CAMPAIGN_STATUSES }] }
          : {}),
        limit: INSIGHTS_PAGE_LIMIT,
      }
      const raws = await collect(client.paginate(`/${act}/insights`, params, PeriodReachRowSchema, auth(token)))
      return raws.map((r) => ({
        campaignId: query.level === 'campaign' ? (r.campaign_id ?? null) : null,
        reach: r.reach ?? 0,
        impressions: r.impressions ?? 0,
        frequency: r.frequency ?? 0,
      }))
    },

    async fetchHourlySpend(token, actId, query) {
      const act = normalizeActId(actId)
      checkRange(query)
      // Hourly breakdowns give reach and frequency as 0 (reference §3): only spend and impressions are asked for.
      const params = {
        level: 'account',
        time_increment: 1,
        time_range: { since: query.since, until: query.until },
        breakdowns: 'hourly_stats_aggregated_by_advertiser_time_zone',
        fields: 'spend,impressions',
        limit: INSIGHTS_PAGE_LIMIT,
      }
      const raws = await collect(client.paginate(`/${act}/insights`, params, HourlyInsightsRowSchema, auth(token)))
      return raws.map((r) => ({
        date: r.date_start,
        hourBucket: r.hourly_stats_aggregated_by_advertiser_time_zone,
        spendMinor: r.spend === undefined ? 0 : majorStringToMinor(r.spend, query.currency),
        impressions: r.impressions ?? 0,
      }))
    },

    async createCampaign(token, actId, input) {
      const act = normalizeActId(actId)
      if (input.name.trim() === '') throw new AppError(AppErrorCode.BAD_INPUT, 'The campaign needs a name.')
      const form: Record<string, string | number | boolean | string[]> = {
        name: input.name,
        objective: input.objective,
        status: input.status,
        special_ad_categories: input.specialAdCategories,
        buying_type: 'AUCTION',
      }
      const countries = input.specialAdCategoryCountries ?? []
      if (countries.some((c) => !/^[A-Z]{2}$/.test(c))) {
        throw new AppError(AppErrorCode.BAD_INPUT, 'Special ad category countries are two-letter ISO codes such as US or DE.')
      }
      if (input.specialAdCategories.some((c) => c !== 'NONE') && countries.length > 0) form.special_ad_category_country = countries
      if (input.dailyBudgetMinor !== undefined) {
        form.daily_budget = requireMinorAmount(input.dailyBudgetMinor, 'daily budget')
        form.bid_strategy = input.bidStrategy ?? 'LOWEST_COST_WITHOUT_CAP'
      } else {
        if (input.bidStrategy !== undefined) {
          throw new AppError(AppErrorCode.BAD_INPUT, 'A bid strategy needs a campaign budget; without one, set it on the ad sets.')
        }
        form.is_adset_budget_sharing_enabled = false
      }
      const created = await client.post(`/${act}/campaigns`, form, CreatedIdSchema, { accessToken: token, idempotent: false })
      return { id: created.id }
    },

    async updateCampaign(token, campaignId, input) {
      const id = normalizeObjectId(campaignId, 'campaign')
      const form: Record<string, string | number> = {}
      if (input.dailyBudgetMinor !== undefined && input.lifetimeBudgetMinor !== undefined) {
        throw new AppError(AppErrorCode.BAD_INPUT, 'A campaign has either a daily or a lifetime budget, not both.')
      }
      if (input.status !== undefined) form.status = input.status
      if (input.dailyBudgetMinor !== undefined) form.daily_budget = requireMinorAmount(input.dailyBudgetMinor, 'daily budget')
      if (input.lifetimeBudgetMinor !== undefined) {
        form.lifetime_budget = requireMinorAmount(input.lifetimeBudgetMinor, 'lifetime budget')
      }
      if (Object.keys(form).length === 0) throw new AppError(AppErrorCode.BAD_INPUT, 'Nothing to change on the campaign.')
      const result = await client.post(`/${id}`, form, SuccessSchema, {
        accessToken: token,
        idempotent: true,
        budgetWrite: 'daily_budget' in form || 'lifetime_budget' in form,
      })
      return { success: result.success }
    },

    async getAdSet(token, adSetId) {
      const raw = await client.get(`/${normalizeObjectId(adSetId, 'ad set')}`, { fields: ADSET_FIELDS }, AdSetSchema, auth(token))
      return toAdSet(raw)
    },

    async getAd(token, adId) {
      const raw = await client.get(`/${normalizeObjectId(adId, 'ad')}`, { fields: AD_FIELDS }, AdSchema, auth(token))
      return toAd(raw)
    },

    async updateAdSet(token, adSetId, input) {
      const id = normalizeObjectId(adSetId, 'ad set')
      if (input.dailyBudgetMinor !== undefined && input.lifetimeBudgetMinor !== undefined) {
        throw new AppError(AppErrorCode.BAD_INPUT, 'An ad set has either a daily or a lifetime budget, not both.')
      }
      const form: Record<string, string | number> = {}
      if (input.status !== undefined) form.status = input.status
      if (input.dailyBudgetMinor !== undefined) form.daily_budget = requireMinorAmount(input.dailyBudgetMinor, 'daily budget')
      if (input.lifetimeBudgetMinor !== undefined) {
        form.lifetime_budget = requireMinorAmount(input.lifetimeBudgetMinor, 'lifetime budget')
      }
      if (Object.keys(form).length === 0) throw new AppError(AppErrorCode.BAD_INPUT, 'Nothing to change on the ad set.')
      const result = await client.post(`/${id}`, form, SuccessSchema, {
        accessToken: token,
        idempotent: true,
        budgetWrite: 'daily_budget' in form || 'lifetime_budget' in form,
      })
      return { success: result.success }
    },

    async updateAd(token, adId, input) {
      const id = normalizeObjectId(adId, 'ad')
      const result = await client.post(`/${id}`, { status: input.status }, SuccessSchema, { accessToken: token, idempotent: true })
      return { success: result.success }
    },

    async getMinimumBudgets(token, actId) {
      const res = await client.get(`/${normalizeActId(actId)}/minimum_budgets`, undefined, MinimumBudgetsResponseSchema, auth(token))
      return res.data.map((m) => ({
        currency: m.currency.toUpperCase(),
        minDailyImpressionsMinor: m.min_daily_budget_imp ?? null,
        minDailyHighFreqMinor: m.min_daily_budget_high_freq ?? null,
        minDailyLowFreqMinor: m.min_daily_budget_low_freq ?? null,
        minDailyVideoViewsMinor: m.min_daily_budget_video_views ?? null,
      }))
    },
  }
}
