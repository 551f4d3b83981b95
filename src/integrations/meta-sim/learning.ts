/**
 * The learning phase of an ad set (`learning_stage_info`): after its start or its last significant edit (a budget
 * change of 20% or more) an ad set is LEARNING; it exits with SUCCESS once it has had 50 optimisation events within
 * 7 days, and FAIL ("learning limited") when those 7 days pass without them. Ad sets that never delivered have none.
 */
import type { Counts } from './model.ts'
import type { AccountRecord, AdSetRecord, CampaignRecord } from './records.ts'
import type { SimState } from './state.ts'
import { addDays, daysBetween, localDate } from './tz.ts'

const LEARNING_EVENTS = 50
const LEARNING_WINDOW_DAYS = 7
const ATTRIBUTION_WINDOWS = ['7d_click', '1d_view']

/** Optimisation events ("results") of a day for an ad set's optimisation goal. */
function resultsOf(counts: Counts, adSet: AdSetRecord, campaign: CampaignRecord): number {
  switch (adSet.optimizationGoal) {
    case 'LEAD_GENERATION':
    case 'QUALITY_LEAD':
      return counts.leads
    case 'OFFSITE_CONVERSIONS':
      return campaign.objective === 'OUTCOME_SALES' ? counts.purchases : counts.leads
    case 'LINK_CLICKS':
      return counts.linkClicks
    case 'LANDING_PAGE_VIEWS':
      return counts.landingPageViews
    case 'REACH':
      return counts.reach
    case 'POST_ENGAGEMENT':
      return counts.linkClicks + counts.reactions + counts.videoViews
    default:
      return counts.impressions
  }
}

export interface LearningStageInfo {
  status: 'LEARNING' | 'SUCCESS' | 'FAIL'
  conversions: number
  last_sig_edit_ts: number
  attribution_windows: string[]
}

/** The ad set's learning stage as known at `nowMs`; undefined when it never delivered. */
export function learningStageInfo(
  state: SimState,
  account: AccountRecord,
  campaign: CampaignRecord,
  adSet: AdSetRecord,
  nowMs: number,
): LearningStageInfo | undefined {
  const index = campaign.adSetIds.indexOf(adSet.id)
  if (index < 0 || !campaign.profile) return undefined
  const tz = account.timezoneName
  const today = localDate(nowMs, tz)
  let editMs = adSet.startMs
  for (const t of adSet.significantEdits) if (t <= nowMs && t > editMs) editMs = t
  const editDate = localDate(editMs, tz)
  const countsOn = (date: string): Counts | undefined => state.day(account, campaign, date, nowMs).adSets[index]
  let conversions = 0
  let delivered = false
  let success = false
  const windowEnd = addDays(editDate, LEARNING_WINDOW_DAYS - 1)
  for (let d = editDate; d <= today && d <= windowEnd; d = addDays(d, 1)) {
    const c = countsOn(d)
    if (!c || c.impressions === 0) continue
    delivered = true
    conversions += resultsOf(c, adSet, campaign)
    if (conversions >= LEARNING_EVENTS) success = true
  }
  if (!delivered) {
    // Delivered before the edit, or (for an edit long ago) after its window?
    const from = adSet.startDate
    const span = Math.min(400, Math.max(0, daysBetween(from, today)))
    for (let i = 0; i <= span && !delivered; i++) {
      const c = countsOn(addDays(from, i))
      if (c && c.impressions > 0) delivered = true
    }
    if (!delivered) return undefined
  }
  const status = success ? 'SUCCESS' : today > windowEnd ? 'FAIL' : 'LEARNING'
  return {
    status,
    conversions,
    last_sig_edit_ts: Math.floor(editMs / 1000),
    attribution_windows: [...ATTRIBUTION_WINDOWS],
  }
}
