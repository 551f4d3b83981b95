/** Meta-shaped insights rows: the requested fields in request order, numbers as strings, money in MAJOR units. */
import { moneyString, ratioString } from './format.ts'
import type { InsightsQuery } from './insights.ts'
import type { InsightsRow } from './insights-rows.ts'
import type { Counts } from './model.ts'
import type { AccountRecord, CampaignRecord } from './records.ts'

type ActionStats = Array<[string, number]>

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

/** Action stats of a row: its campaign's, or merged across campaigns for an account row. */
function statsOf(row: InsightsRow): { actions: ActionStats; values: ActionStats } {
  if (row.campaign) return actionStats(row.counts, row.campaign)
  const actions: ActionStats = []
  const values: ActionStats = []
  for (const part of row.campaigns ?? []) {
    const s = actionStats(part.counts, part.campaign)
    mergeStats(actions, s.actions)
    mergeStats(values, s.values)
  }
  return { actions, values }
}

/** One Graph insights row with the requested fields, in request order, then date_start/date_stop. */
export function formatRow(row: InsightsRow, q: InsightsQuery, account: AccountRecord): Record<string, unknown> {
  const c = row.counts
  const spend = c.spendMinor / account.offset
  const out: Record<string, unknown> = {}
  const campaign = row.campaign
  const wantsStats = q.fields.some((f) => f === 'actions' || f === 'action_values' || f === 'cost_per_action_type' || f === 'purchase_roas')
  const { actions, values } = wantsStats ? statsOf(row) : { actions: [], values: [] }
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
      case 'adset_id':
        if (row.adSet) out.adset_id = row.adSet.id
        break
      case 'adset_name':
        if (row.adSet) out.adset_name = row.adSet.name
        break
      case 'ad_id':
        if (row.ad) out.ad_id = row.ad.id
        break
      case 'ad_name':
        if (row.ad) out.ad_name = row.ad.name
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
        if (row.hour !== undefined) out.frequency = '0'
        else if (c.reach > 0) out.frequency = ratioString(c.impressions / c.reach)
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
        if (actions.length > 0) out.actions = actions.map(([action_type, n]) => ({ action_type, value: String(n) }))
        break
      case 'action_values':
        if (values.length > 0)
          out.action_values = values.map(([action_type, v]) => ({ action_type, value: moneyString(v, account.offset) }))
        break
      case 'cost_per_action_type':
        if (actions.length > 0)
          out.cost_per_action_type = actions.map(([action_type, n]) => ({ action_type, value: ratioString(spend / n) }))
        break
      case 'purchase_roas': {
        const value = values.find(([t]) => t === 'omni_purchase')?.[1]
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
  if (row.hour !== undefined) {
    const hh = String(row.hour).padStart(2, '0')
    out.hourly_stats_aggregated_by_advertiser_time_zone = `${hh}:00:00 - ${hh}:59:59`
  }
  return out
}
