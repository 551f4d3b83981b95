/**
 * The Marketing API endpoints Promoly uses, typed, on top of GraphClient. Budgets are integers in the account
 * currency's minor units (as Meta sends them); Insights money arrives as MAJOR-unit decimal strings and is
 * converted with majorStringToMinor here, so callers only ever see minor units.
 */
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { majorStringToMinor } from '../../lib/money.ts'
import type { GraphClient } from './graph-client.ts'
import {
  AdAccountSchema,
  CampaignSchema,
  CreatedIdSchema,
  InsightsRowSchema,
  MeSchema,
  MinimumBudgetsResponseSchema,
  PeriodReachRowSchema,
  type RawActionStat,
  type RawAdAccount,
  type RawCampaign,
  type RawInsightsRow,
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
  /** Campaign (Advantage+) daily budget in minor units. Without it, budgets live on the ad sets. */
  dailyBudgetMinor?: number
  /** Only with a campaign budget; defaults to LOWEST_COST_WITHOUT_CAP then. */
  bidStrategy?: BidStrategy
}

export interface UpdateCampaignInput {
  status?: 'PAUSED' | 'ACTIVE' | 'ARCHIVED'
  dailyBudgetMinor?: number
  lifetimeBudgetMinor?: number
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

export interface MetaApi {
  /** GET /me?fields=id,name (validates a system-user token). */
  getMe(token: string): Promise<MetaUser>
  /** GET /me/adaccounts, all pages. */
  listAdAccounts(token: string): Promise<MetaAdAccount[]>
  getAdAccount(token: string, actId: string): Promise<MetaAdAccount>
  /** GET /act_x/campaigns, all pages. */
  listCampaigns(token: string, actId: string): Promise<MetaCampaign[]>
  getCampaign(token: string, campaignId: string): Promise<MetaCampaign>
  /** Campaign × day Insights, one request per page, yielded page by page. */
  fetchDailyCampaignInsights(token: string, actId: string, query: DailyInsightsQuery): AsyncIterable<InsightRow[]>
  /** Insights over the whole period without time_increment: the period's true reach and frequency (one request a page). */
  fetchPeriodReach(token: string, actId: string, query: PeriodReachQuery): Promise<PeriodReachRow[]>
  createCampaign(token: string, actId: string, input: CreateCampaignInput): Promise<{ id: string }>
  updateCampaign(token: string, campaignId: string, input: UpdateCampaignInput): Promise<{ success: boolean }>
  /** GET /act_x/minimum_budgets. */
  getMinimumBudgets(token: string, actId: string): Promise<MetaMinimumBudget[]>
}

const AD_ACCOUNT_FIELDS = 'id,account_id,name,currency,timezone_name,account_status'
const CAMPAIGN_FIELDS = 'id,name,objective,status,effective_status,daily_budget,lifetime_budget,created_time'
const INSIGHTS_FIELDS =
  'campaign_id,campaign_name,objective,date_start,date_stop,impressions,reach,frequency,clicks,inline_link_clicks,spend,actions,action_values'
const INSIGHTS_PAGE_LIMIT = 500

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
      const raws = await collect(
        client.paginate(`/${normalizeActId(actId)}/campaigns`, { fields: CAMPAIGN_FIELDS, limit: 200 }, CampaignSchema, auth(token)),
      )
      return raws.map(toCampaign)
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
      if (!DATE_RE.test(query.since) || !DATE_RE.test(query.until)) {
        throw new AppError(AppErrorCode.BAD_INPUT, 'Insights dates must look like YYYY-MM-DD.')
      }
      if (query.since > query.until) {
        throw new AppError(AppErrorCode.BAD_INPUT, `The start date ${query.since} is after the end date ${query.until}.`)
      }
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
      const result = await client.post(`/${id}`, form, SuccessSchema, { accessToken: token, idempotent: true })
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
