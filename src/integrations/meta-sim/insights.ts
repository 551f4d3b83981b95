/**
 * Insights queries: parameter parsing (level, time_increment, time_range / date_preset in the
 * account's time zone, fields, filtering), row building (ordered by date then campaign, rows without
 * impressions omitted) and Meta-shaped row formatting (numbers as strings, money in MAJOR units).
 */
import { GraphError, invalidParameter, startDateTooOld } from './errors.ts'
import { moneyString, ratioString } from './format.ts'
import { parseFiltering, type RowFilter } from './insights-filtering.ts'
import { addCounts, type Counts, combineReach, ZERO_COUNTS } from './model.ts'
import { addMonths, DATE_PRESETS, monthStart, presetRange } from './presets.ts'
import type { AccountRecord, CampaignRecord } from './records.ts'
import { type Params, parseFields } from './request.ts'
import type { SimState } from './state.ts'
import { addDays, dateRange, earlierDate, isIsoDate, localDate } from './tz.ts'

const INSIGHTS_FIELDS: ReadonlySet<string> = new Set([
  'account_id',
  'account_name',
  'account_currency',
  'campaign_id',
  'campaign_name',
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

export type Level = 'campaign' | 'account'
export type Increment = number | 'all_days' | 'monthly'

export interface InsightsQuery {
  /** Identity of the query for caching (everything except fields and paging). */
  key: string
  level: Level
  since: string
  until: string
  increment: Increment
  fields: string[]
  campaignFilters: Array<(c: CampaignRecord) => boolean>
  rowFilters: RowFilter[]
}

const UNSUPPORTED_PARAMS = ['breakdowns', 'time_ranges', 'sort', 'summary', 'summary_action_breakdowns', 'default_summary']

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
  const actionBreakdowns = params.get('action_breakdowns')
  if (actionBreakdowns !== undefined && !['', 'action_type', '["action_type"]', '[]'].includes(actionBreakdowns)) {
    throw invalidParameter('Only action_breakdowns=action_type is supported by the Promoly Meta simulator')
  }

  const levelRaw = params.get('level') ?? defaultLevel
  if (levelRaw === 'adset' || levelRaw === 'ad') {
    throw invalidParameter(
      `level=${levelRaw} is not supported by the Promoly Meta simulator (it has no ad sets or ads); use campaign or account`,
    )
  }
  if (levelRaw !== 'campaign' && levelRaw !== 'account')
    throw invalidParameter('level must be one of the following values: ad, adset, campaign, account')
  const level: Level = levelRaw

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
  const filters = filtering !== undefined && filtering !== '' ? parseFiltering(filtering) : { campaign: [], rows: [] }
  const key = [level, since, until, String(increment), filtering ?? ''].join('|')
  return { key, level, since, until, increment, fields, campaignFilters: filters.campaign, rowFilters: filters.rows }
}

/** Reporting periods of the query, in order. */
function buckets(q: InsightsQuery): Array<{ start: string; stop: string }> {
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

export type ActionStats = Array<[string, number]>

export interface InsightsRow {
  start: string
  stop: string
  campaign?: CampaignRecord
  counts: Counts
  actions: ActionStats
  /** Action values in MINOR units. */
  values: ActionStats
}

function leadActions(c: Counts, campaign: CampaignRecord): ActionStats {
  if (c.leads <= 0) return []
  return campaign.leadSource === 'website'
    ? [
        ['offsite_conversion.fb_pixel_lead', c.leads],
        ['lead', c.leads],
      ]
    : [
        ['leadgen_grouped', c.leads],
        ['lead', c.leads],
        ['onsite_conversion.lead_grouped', c.leads],
      ]
}

/** Action stats as Meta lists them (overlapping lead/purchase types carry equal values — never sum them). */
function actionStats(c: Counts, campaign: CampaignRecord): { actions: ActionStats; values: ActionStats } {
  const actions: ActionStats = []
  const push = (type: string, n: number): void => {
    if (n > 0) actions.push([type, n])
  }
  const social = campaign.objective === 'OUTCOME_ENGAGEMENT' || campaign.objective === 'OUTCOME_AWARENESS'
  push('link_click', c.linkClicks)
  push('landing_page_view', c.landingPageViews)
  push('video_view', c.videoViews)
  if (social) push('post_reaction', c.reactions)
  const engagement = c.linkClicks + c.reactions + c.videoViews
  push('page_engagement', engagement)
  push('post_engagement', engagement)
  if (campaign.objective === 'OUTCOME_LEADS') actions.push(...leadActions(c, campaign))
  const values: ActionStats = []
  if (campaign.objective === 'OUTCOME_SALES') {
    push('offsite_conversion.fb_pixel_add_to_cart', c.addToCarts)
    push('omni_add_to_cart', c.addToCarts)
    push('offsite_conversion.fb_pixel_purchase', c.purchases)
    push('omni_purchase', c.purchases)
    push('purchase', c.purchases)
    if (c.purchases > 0) {
      values.push(['offsite_conversion.fb_pixel_purchase', c.purchaseValueMinor])
      values.push(['omni_purchase', c.purchaseValueMinor])
      values.push(['purchase', c.purchaseValueMinor])
    }
  }
  return { actions, values }
}

function mergeStats(into: ActionStats, add: ActionStats): void {
  for (const [type, n] of add) {
    const existing = into.find(([t]) => t === type)
    if (existing) existing[1] += n
    else into.push([type, n])
  }
}

/** Insights reflect the clock at minute resolution (Meta refreshes every 15 minutes), which lets pages share one computed row list. */
function insightsClock(nowMs: number): number {
  return Math.floor(nowMs / 60_000) * 60_000
}

/** Every row of the query (before paging), ordered by period then campaign id; cached per query, clock minute and world version. */
export function buildRows(
  state: SimState,
  account: AccountRecord,
  q: InsightsQuery,
  nowMs: number,
  onlyCampaignId?: string,
): InsightsRow[] {
  const clock = insightsClock(nowMs)
  return state.cached(`rows|${account.id}|${onlyCampaignId ?? ''}|${q.key}|${clock}|${state.version}`, () =>
    computeRows(state, account, q, clock, onlyCampaignId),
  )
}

function computeRows(state: SimState, account: AccountRecord, q: InsightsQuery, nowMs: number, onlyCampaignId?: string): InsightsRow[] {
  let campaigns = state.campaignsOf(account.id)
  if (onlyCampaignId !== undefined) campaigns = campaigns.filter((c) => c.id === onlyCampaignId)
  for (const f of q.campaignFilters) campaigns = campaigns.filter(f)
  campaigns = campaigns.filter((c) => c.profile !== null)
  const rows: InsightsRow[] = []
  for (const b of buckets(q)) {
    const days = q.increment === 1 ? [b.start] : dateRange(b.start, b.stop)
    const perCampaign: InsightsRow[] = []
    for (const c of campaigns) {
      let counts: Counts
      if (days.length === 1) {
        counts = state.model.day(account, c, days[0] ?? b.start, nowMs)
      } else {
        counts = { ...ZERO_COUNTS }
        const reach: number[] = []
        for (const d of days) {
          const day = state.model.day(account, c, d, nowMs)
          if (day.impressions === 0) continue
          addCounts(counts, day)
          reach.push(day.reach)
        }
        counts.reach = combineReach(reach, counts.impressions)
      }
      if (counts.impressions === 0) continue
      const stats = actionStats(counts, c)
      perCampaign.push({ start: b.start, stop: b.stop, campaign: c, counts, actions: stats.actions, values: stats.values })
    }
    if (q.level === 'campaign') {
      rows.push(...perCampaign)
    } else if (perCampaign.length > 0) {
      const counts: Counts = { ...ZERO_COUNTS }
      const actions: ActionStats = []
      const values: ActionStats = []
      for (const r of perCampaign) {
        addCounts(counts, r.counts)
        mergeStats(actions, r.actions)
        mergeStats(values, r.values)
      }
      counts.reach = combineReach(
        perCampaign.map((r) => r.counts.reach),
        counts.impressions,
      )
      rows.push({ start: b.start, stop: b.stop, counts, actions, values })
    }
  }
  if (q.rowFilters.length === 0) return rows
  return rows.filter((r) =>
    q.rowFilters.every((f) =>
      f({ ...(r.campaign ? { campaign: r.campaign } : {}), counts: r.counts, spendMajor: r.counts.spendMinor / account.offset }),
    ),
  )
}

/** One Graph insights row with the requested fields, in request order, then date_start/date_stop. */
export function formatRow(row: InsightsRow, q: InsightsQuery, account: AccountRecord): Record<string, unknown> {
  const c = row.counts
  const spend = c.spendMinor / account.offset
  const out: Record<string, unknown> = {}
  const campaign = row.campaign
  for (const f of q.fields) {
    switch (f) {
      case 'account_id':
        out.account_id = account.id
        break
      case 'account_name':
        out.account_name = account.name
        break
      case 'account_currency':
        out.account_currency = account.currency
        break
      case 'campaign_id':
        if (campaign) out.campaign_id = campaign.id
        break
      case 'campaign_name':
        if (campaign) out.campaign_name = campaign.name
        break
      case 'objective':
        if (campaign) out.objective = campaign.objective
        break
      case 'buying_type':
        if (campaign) out.buying_type = campaign.buyingType
        break
      case 'impressions':
        out.impressions = String(c.impressions)
        break
      case 'reach':
        out.reach = String(c.reach)
        break
      case 'frequency':
        if (c.reach > 0) out.frequency = ratioString(c.impressions / c.reach)
        break
      case 'clicks':
        out.clicks = String(c.clicks)
        break
      case 'inline_link_clicks':
        out.inline_link_clicks = String(c.linkClicks)
        break
      case 'inline_link_click_ctr':
        out.inline_link_click_ctr = ratioString((c.linkClicks / c.impressions) * 100)
        break
      case 'cost_per_inline_link_click':
        if (c.linkClicks > 0) out.cost_per_inline_link_click = ratioString(spend / c.linkClicks)
        break
      case 'ctr':
        out.ctr = ratioString((c.clicks / c.impressions) * 100)
        break
      case 'cpc':
        if (c.clicks > 0) out.cpc = ratioString(spend / c.clicks)
        break
      case 'cpm':
        out.cpm = ratioString((spend / c.impressions) * 1000)
        break
      case 'cpp':
        if (c.reach > 0) out.cpp = ratioString((spend / c.reach) * 1000)
        break
      case 'spend':
        out.spend = moneyString(c.spendMinor, account.offset)
        break
      case 'actions':
        if (row.actions.length > 0) out.actions = row.actions.map(([action_type, n]) => ({ action_type, value: String(n) }))
        break
      case 'action_values':
        if (row.values.length > 0)
          out.action_values = row.values.map(([action_type, v]) => ({ action_type, value: moneyString(v, account.offset) }))
        break
      case 'cost_per_action_type':
        if (row.actions.length > 0)
          out.cost_per_action_type = row.actions.map(([action_type, n]) => ({ action_type, value: ratioString(spend / n) }))
        break
      case 'purchase_roas': {
        const value = row.values.find(([t]) => t === 'omni_purchase')?.[1]
        if (value !== undefined && spend > 0)
          out.purchase_roas = [{ action_type: 'omni_purchase', value: ratioString(value / account.offset / spend) }]
        break
      }
      default:
        break
    }
  }
  out.date_start = row.start
  out.date_stop = row.stop
  return out
}
