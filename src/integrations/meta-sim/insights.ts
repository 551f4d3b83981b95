/**
 * Insights queries: parameter parsing (level, time_increment, time_range / date_preset in the account's time zone,
 * fields, filtering) and the reporting periods of a query. Rows: insights-rows.ts; formatting: insights-format.ts.
 */
import { GraphError, invalidBreakdown, invalidParameter, startDateTooOld } from './errors.ts'
import { emptyFilters, type InsightsFilters, parseFiltering } from './insights-filtering.ts'
import { addMonths, DATE_PRESETS, monthStart, presetRange } from './presets.ts'
import type { AccountRecord, Level } from './records.ts'
import { type Params, parseFields } from './request.ts'
import type { SimState } from './state.ts'
import { addDays, earlierDate, isIsoDate, localDate } from './tz.ts'

const INSIGHTS_FIELDS: ReadonlySet<string> = new Set([
  'account_id',
  'account_name',
  'account_currency',
  'campaign_id',
  'campaign_name',
  'adset_id',
  'adset_name',
  'ad_id',
  'ad_name',
  'objective',
  'buying_type',
  'impressions',
  'reach',
  'frequency',
  'clicks',
  'inline_link_clicks',
  'inline_link_click_ctr',
  'cost_per_inline_link_click',
  'ctr',
  'cpc',
  'cpm',
  'cpp',
  'spend',
  'actions',
  'action_values',
  'cost_per_action_type',
  'purchase_roas',
  'date_start',
  'date_stop',
])

const DEFAULT_FIELDS = ['impressions', 'spend']

export type Increment = number | 'all_days' | 'monthly'

export interface InsightsQuery {
  /** Identity of the query for caching (everything except fields and paging). */
  key: string
  level: Level
  since: string
  until: string
  increment: Increment
  fields: string[]
  filters: InsightsFilters
  /** breakdowns=hourly_stats_aggregated_by_advertiser_time_zone: one row per account-local hour of each period. */
  hourly: boolean
}

/** The hourly breakdown, the only breakdown the simulator serves. */
const HOURLY_BREAKDOWN = 'hourly_stats_aggregated_by_advertiser_time_zone'
/** Breakdowns Meta knows, to tell an invalid combination (2/1504041) from one the simulator does not serve. */
const KNOWN_BREAKDOWNS = new Set([
  HOURLY_BREAKDOWN,
  'hourly_stats_aggregated_by_audience_time_zone',
  'age',
  'gender',
  'country',
  'region',
  'publisher_platform',
  'platform_position',
  'device_platform',
  'impression_device',
])

/** Whether the query asks for the hourly breakdown; other breakdowns are refused (combined with hourly, as Meta does). */
function parseBreakdowns(raw: string | undefined): boolean {
  if (raw === undefined || raw === '' || raw === '[]') return false
  let list: string[]
  try {
    const parsed: unknown = JSON.parse(raw)
    list = Array.isArray(parsed) ? parsed.map(String) : [String(parsed)]
  } catch {
    list = raw.split(',')
  }
  list = list.map((b) => b.trim()).filter((b) => b !== '')
  if (list.length === 1 && list[0] === HOURLY_BREAKDOWN) return true
  if (list.length > 1 && list.includes(HOURLY_BREAKDOWN) && list.every((b) => KNOWN_BREAKDOWNS.has(b))) throw invalidBreakdown()
  throw invalidParameter(`Only breakdowns=${HOURLY_BREAKDOWN} is supported by the Promoly Meta simulator`)
}

const UNSUPPORTED_PARAMS = ['time_ranges', 'sort', 'summary', 'summary_action_breakdowns', 'default_summary']

export function parseInsightsQuery(
  params: Params,
  account: AccountRecord,
  state: SimState,
  nowMs: number,
  defaultLevel: Level,
): InsightsQuery {
  for (const p of UNSUPPORTED_PARAMS) {
    if (params.has(p) && (params.get(p) ?? '') !== '' && params.get(p) !== '[]') {
      throw invalidParameter(`Param ${p} is not supported by the Promoly Meta simulator`)
    }
  }
  const hourly = parseBreakdowns(params.get('breakdowns'))
  const actionBreakdowns = params.get('action_breakdowns')
  if (actionBreakdowns !== undefined && !['', 'action_type', '["action_type"]', '[]'].includes(actionBreakdowns)) {
    throw invalidParameter('Only action_breakdowns=action_type is supported by the Promoly Meta simulator')
  }

  const levelRaw = params.get('level') ?? defaultLevel
  if (levelRaw !== 'campaign' && levelRaw !== 'account' && levelRaw !== 'adset' && levelRaw !== 'ad')
    throw invalidParameter('level must be one of the following values: ad, adset, campaign, account')
  const level: Level = levelRaw
  if (hourly && level !== 'account' && level !== 'campaign')
    throw invalidParameter('The hourly breakdown is served at level account or campaign by the Promoly Meta simulator')

  const incRaw = params.get('time_increment') ?? 'all_days'
  let increment: Increment
  if (incRaw === 'all_days' || incRaw === 'monthly') increment = incRaw
  else if (/^\d+$/.test(incRaw) && Number(incRaw) >= 1 && Number(incRaw) <= 90) increment = Number(incRaw)
  else throw invalidParameter('time_increment must be an integer between 1 and 90, "monthly" or "all_days"')

  const today = localDate(insightsClock(nowMs), account.timezoneName)
  let since: string
  let until: string
  const timeRange = params.get('time_range')
  if (timeRange !== undefined && timeRange !== '') {
    let tr: unknown
    try {
      tr = JSON.parse(timeRange)
    } catch {
      throw invalidParameter('time_range must be a JSON object like {"since":"YYYY-MM-DD","until":"YYYY-MM-DD"}')
    }
    const s = (tr as { since?: unknown } | null)?.since
    const u = (tr as { until?: unknown } | null)?.until
    if (typeof s !== 'string' || typeof u !== 'string' || !isIsoDate(s) || !isIsoDate(u)) {
      throw invalidParameter('time_range must be a JSON object like {"since":"YYYY-MM-DD","until":"YYYY-MM-DD"}')
    }
    if (s > u) throw invalidParameter('time_range since must be earlier than or equal to until')
    since = s
    until = u
  } else {
    const preset = params.get('date_preset') ?? 'last_30d'
    let earliest = today
    if (preset === 'maximum' || preset === 'data_maximum') {
      for (const c of state.campaignsOf(account.id)) {
        const d = localDate(c.startMs, account.timezoneName)
        if (d < earliest) earliest = d
      }
    }
    const range = presetRange(preset, today, earliest)
    if (!range) throw invalidParameter(`date_preset must be one of the following values: ${DATE_PRESETS.join(', ')}`)
    since = range.since
    until = range.until
  }
  if (since < addMonths(today, -37)) throw startDateTooOld()
  if (until > today) until = today

  const fields = parseFields(params.get('fields')) ?? DEFAULT_FIELDS
  for (const f of fields) {
    if (!INSIGHTS_FIELDS.has(f)) {
      throw new GraphError(400, {
        message: `(#100) ${f} is not valid for fields param. please check https://developers.facebook.com/docs/marketing-api/reference/ads-insights/ for all valid values`,
        type: 'OAuthException',
        code: 100,
      })
    }
  }
  const filtering = params.get('filtering')
  const filters = filtering !== undefined && filtering !== '' && filtering !== '[]' ? parseFiltering(filtering) : emptyFilters()
  const key = [level, since, until, String(increment), filtering ?? '', hourly ? 'hourly' : ''].join('|')
  return { key, level, since, until, increment, fields, filters, hourly }
}

/** Insights reflect the clock at minute resolution (Meta refreshes every 15 minutes), which lets pages share one computed row list. */
export function insightsClock(nowMs: number): number {
  return Math.floor(nowMs / 60_000) * 60_000
}

/** Reporting periods of the query, in order. */
export function buckets(q: InsightsQuery): Array<{ start: string; stop: string }> {
  if (q.since > q.until) return []
  if (q.increment === 'all_days') return [{ start: q.since, stop: q.until }]
  const out: Array<{ start: string; stop: string }> = []
  if (q.increment === 'monthly') {
    let start = q.since
    while (start <= q.until) {
      const nextMonth = addMonths(monthStart(start), 1)
      out.push({ start, stop: earlierDate(addDays(nextMonth, -1), q.until) })
      start = nextMonth
    }
    return out
  }
  for (let start = q.since; start <= q.until; start = addDays(start, q.increment)) {
    out.push({ start, stop: earlierDate(addDays(start, q.increment - 1), q.until) })
  }
  return out
}
