/**
 * zod shapes of the Graph responses Promoly reads. Graph returns most numbers as strings ("4210", "41.37"),
 * sometimes as numbers; the helpers accept both and reject anything that is not a number.
 */
import * as z from 'zod'

/** A count or ratio Meta sends as a numeric string (or number): "4210", "1.182252". */
const numericString = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const n = typeof v === 'number' ? v : v.trim() === '' ? Number.NaN : Number(v)
  if (!Number.isFinite(n)) {
    ctx.addIssue({ code: 'custom', message: `expected a numeric string, got ${JSON.stringify(v)}` })
    return z.NEVER
  }
  return n
})

/** A decimal money amount in MAJOR units as Meta sends it in Insights ("41.37"); kept as a string for exact conversion. */
const decimalString = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const s = typeof v === 'number' ? String(v) : v.trim()
  if (!/^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s)) {
    ctx.addIssue({ code: 'custom', message: `expected a decimal amount, got ${JSON.stringify(v)}` })
    return z.NEVER
  }
  return s
})

/** An integer amount in minor units (budgets): "5000" or 5000. */
const minorUnitsString = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const n = typeof v === 'number' ? v : /^-?\d+$/.test(v.trim()) ? Number(v.trim()) : Number.NaN
  if (!Number.isSafeInteger(n)) {
    ctx.addIssue({ code: 'custom', message: `expected an integer amount in minor units, got ${JSON.stringify(v)}` })
    return z.NEVER
  }
  return n
})

/** Graph ids are numeric strings; accept a number too (some older samples have them). */
const graphId = z.union([z.string().min(1), z.number().int()]).transform((v) => String(v))

export const MeSchema = z.object({ id: graphId, name: z.string().optional() })

export const AdAccountSchema = z.object({
  id: z.string().regex(/^act_\d+$/, 'expected an ad account id like act_123'),
  account_id: graphId,
  name: z.string(),
  currency: z.string().length(3),
  timezone_name: z.string().optional(),
  business_country_code: z.string().optional(),
  account_status: numericString.pipe(z.number().int()),
})

export const CampaignSchema = z.object({
  id: graphId,
  name: z.string(),
  objective: z.string().optional(),
  status: z.string().optional(),
  effective_status: z.string().optional(),
  daily_budget: minorUnitsString.optional(),
  lifetime_budget: minorUnitsString.optional(),
  created_time: z.string().optional(),
})

export const AdSetSchema = z.object({
  id: graphId,
  name: z.string(),
  campaign_id: graphId,
  status: z.string().optional(),
  effective_status: z.string().optional(),
  daily_budget: minorUnitsString.optional(),
  lifetime_budget: minorUnitsString.optional(),
  bid_strategy: z.string().optional(),
  bid_amount: minorUnitsString.optional(),
  optimization_goal: z.string().optional(),
  billing_event: z.string().optional(),
  start_time: z.string().optional(),
  end_time: z.string().optional(),
  created_time: z.string().optional(),
  /** AdCampaignLearningStageInfo: `status` is LEARNING, SUCCESS or FAIL (learning limited). */
  learning_stage_info: z.object({ status: z.string().optional() }).loose().optional(),
})

export const AdSchema = z.object({
  id: graphId,
  name: z.string(),
  adset_id: graphId,
  campaign_id: graphId,
  status: z.string().optional(),
  effective_status: z.string().optional(),
  created_time: z.string().optional(),
  creative: z
    .object({
      id: graphId,
      name: z.string().optional(),
      thumbnail_url: z.string().optional(),
      title: z.string().optional(),
      body: z.string().optional(),
    })
    .optional(),
})

/** AdsActionStats `{action_type, value}`; value is a count (actions) or a MAJOR-unit amount (action_values). */
export const ActionStatSchema = z.object({ action_type: z.string(), value: decimalString }).loose()

export const InsightsRowSchema = z.object({
  campaign_id: graphId,
  campaign_name: z.string().optional(),
  objective: z.string().optional(),
  date_start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'),
  date_stop: z.string().optional(),
  impressions: numericString.optional(),
  reach: numericString.optional(),
  frequency: numericString.optional(),
  clicks: numericString.optional(),
  inline_link_clicks: numericString.optional(),
  spend: decimalString.optional(),
  actions: z.array(ActionStatSchema).optional(),
  action_values: z.array(ActionStatSchema).optional(),
})

/** A `level=ad` Insights row: the ids (and names) of every level, plus the metrics of InsightsRowSchema. */
export const AdInsightsRowSchema = InsightsRowSchema.extend({
  adset_id: graphId,
  adset_name: z.string().optional(),
  ad_id: graphId,
  ad_name: z.string().optional(),
})

/** A campaign-day's reach (`level=campaign&time_increment=1`, reach fields only). */
export const CampaignReachDayRowSchema = z.object({
  campaign_id: graphId,
  date_start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'),
  date_stop: z.string().optional(),
  impressions: numericString.optional(),
  reach: numericString.optional(),
  frequency: numericString.optional(),
})

/** `POST /act_{id}/insights` → the async report run's id (a number in the doc sample, a string live). */
export const ReportRunCreatedSchema = z.object({ report_run_id: graphId })

/** `GET /{report_run_id}`: AdReportRun; v25+ adds the error fields on a failed job. */
export const ReportRunSchema = z.object({
  id: graphId,
  async_status: z.string(),
  async_percent_completion: numericString,
  error_code: numericString.optional(),
  error_subcode: numericString.optional(),
  error_message: z.string().optional(),
  error_user_title: z.string().optional(),
  error_user_msg: z.string().optional(),
})

/** A period's row of Insights without time_increment (reach over the whole period): account or campaign level. */
export const PeriodReachRowSchema = z.object({
  campaign_id: graphId.optional(),
  date_start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'),
  date_stop: z.string().optional(),
  impressions: numericString.optional(),
  reach: numericString.optional(),
  frequency: numericString.optional(),
})

/**
 * One account-hour of a day (`level=account&time_increment=1&breakdowns=hourly_stats_aggregated_by_advertiser_time_zone`):
 * the hour as Meta labels it ("13:00:00 - 13:59:59", in the account's time zone) and its spend and impressions.
 */
export const HourlyInsightsRowSchema = z.object({
  date_start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'),
  date_stop: z.string().optional(),
  hourly_stats_aggregated_by_advertiser_time_zone: z.string(),
  spend: decimalString.optional(),
  impressions: numericString.optional(),
})

export const CreatedIdSchema = z.object({ id: graphId })

export const SuccessSchema = z.object({ success: z.boolean() })

const MinimumBudgetSchema = z.object({
  currency: z.string(),
  min_daily_budget_imp: minorUnitsString.optional(),
  min_daily_budget_high_freq: minorUnitsString.optional(),
  min_daily_budget_low_freq: minorUnitsString.optional(),
  min_daily_budget_video_views: minorUnitsString.optional(),
})

export const MinimumBudgetsResponseSchema = z.object({ data: z.array(MinimumBudgetSchema) })

/** The `paging` object of a list response. */
const PagingSchema = z.object({
  cursors: z.object({ before: z.string().optional(), after: z.string().optional() }).optional(),
  next: z.string().optional(),
  previous: z.string().optional(),
})

/** `{data:[item…], paging?}` for any item schema. */
export function pageSchema<S extends z.ZodType>(item: S) {
  return z.object({ data: z.array(item), paging: PagingSchema.optional() })
}

export type RawAdAccount = z.output<typeof AdAccountSchema>
export type RawCampaign = z.output<typeof CampaignSchema>
export type RawInsightsRow = z.output<typeof InsightsRowSchema>
export type RawAdSet = z.output<typeof AdSetSchema>
export type RawAd = z.output<typeof AdSchema>
export type RawAdInsightsRow = z.output<typeof AdInsightsRowSchema>
export type RawActionStat = z.output<typeof ActionStatSchema>
