/**
 * The simulator's own table of which of Meta's four minimum daily budgets (`GET /act_x/minimum_budgets`:
 * min_daily_budget_imp, _high_freq, _low_freq, _video_views) an ad set's budget must meet, by optimisation goal.
 * Written from Meta's documentation, independently of Promoly's guardrail (so a mistake there is not reproduced
 * here): minimums are per ad set and follow what it is optimised and charged for — impressions $1/day; clicks, likes,
 * video views or post engagement $5/day (high frequency); low-frequency events (app installs, offer claims, and the
 * conversions Meta counts among them) $40/day — and conversion-optimised ad sets need the low-frequency one
 * (Help Center "About minimum budgets"; Marketing API reference, ad account minimum_budgets).
 */
export type SimMinimumKind = 'imp' | 'high_freq' | 'low_freq' | 'video_views'

const TABLE: Record<string, SimMinimumKind> = {
  // Low-frequency events: conversions, leads, installs, value, conversations, calls.
  OFFSITE_CONVERSIONS: 'low_freq',
  ONSITE_CONVERSIONS: 'low_freq',
  VALUE: 'low_freq',
  LEAD_GENERATION: 'low_freq',
  QUALITY_LEAD: 'low_freq',
  APP_INSTALLS: 'low_freq',
  APP_INSTALLS_AND_OFFSITE_CONVERSIONS: 'low_freq',
  IN_APP_VALUE: 'low_freq',
  CONVERSATIONS: 'low_freq',
  QUALITY_CALL: 'low_freq',
  // Clicks, likes and engagement.
  LINK_CLICKS: 'high_freq',
  LANDING_PAGE_VIEWS: 'high_freq',
  POST_ENGAGEMENT: 'high_freq',
  PAGE_LIKES: 'high_freq',
  EVENT_RESPONSES: 'high_freq',
  // Video views.
  THRUPLAY: 'video_views',
  TWO_SECOND_CONTINUOUS_VIDEO_VIEWS: 'video_views',
  // Impressions and reach.
  REACH: 'imp',
  IMPRESSIONS: 'imp',
  AD_RECALL_LIFT: 'imp',
}

/** The minimum an ad set optimised for `goal` must meet (a goal the table does not know: the impressions one). */
export function simMinimumKind(goal: string): SimMinimumKind {
  return TABLE[goal.toUpperCase()] ?? 'imp'
}
