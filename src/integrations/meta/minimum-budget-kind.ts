/**
 * Which of Meta's four minimum daily budgets (GET /act_x/minimum_budgets) applies to an ad set, from its
 * optimisation goal. Meta's minimums follow how often the optimised event happens (Help Center "About minimum
 * budgets": impressions $1, clicks/likes/video views/post engagement $5, low-frequency events such as app installs
 * and offer claims $40/day in USD): goals that optimise for conversions — purchases, leads, installs, value,
 * conversations, calls — are low-frequency events; clicks, landing-page views and engagement are high-frequency;
 * ThruPlay and video views have their own; reach, impressions and anything unknown use the impressions minimum.
 */
export type MinimumBudgetKind = 'imp' | 'high_freq' | 'low_freq' | 'video_views'

const LOW_FREQ = new Set([
  'OFFSITE_CONVERSIONS',
  'ONSITE_CONVERSIONS',
  'VALUE',
  'LEAD_GENERATION',
  'QUALITY_LEAD',
  'APP_INSTALLS',
  'APP_INSTALLS_AND_OFFSITE_CONVERSIONS',
  'IN_APP_VALUE',
  'CONVERSATIONS',
  'QUALITY_CALL',
  'MEANINGFUL_CALL_ATTEMPT',
  'SUBSCRIBERS',
])
const HIGH_FREQ = new Set([
  'LINK_CLICKS',
  'LANDING_PAGE_VIEWS',
  'POST_ENGAGEMENT',
  'PAGE_LIKES',
  'EVENT_RESPONSES',
  'ENGAGED_USERS',
  'PROFILE_VISIT',
  'VISIT_INSTAGRAM_PROFILE',
  'REMINDERS_SET',
])
const VIDEO = new Set(['THRUPLAY', 'TWO_SECOND_CONTINUOUS_VIDEO_VIEWS', 'VIDEO_VIEWS'])

export function minimumBudgetKind(optimizationGoal: string | null | undefined): MinimumBudgetKind {
  const goal = (optimizationGoal ?? '').toUpperCase()
  if (LOW_FREQ.has(goal)) return 'low_freq'
  if (HIGH_FREQ.has(goal)) return 'high_freq'
  if (VIDEO.has(goal)) return 'video_views'
  return 'imp'
}

/** How a card names each minimum: "Meta's minimum for conversion-optimised ad sets". */
export const MINIMUM_BUDGET_BASIS: Record<MinimumBudgetKind, string> = {
  imp: 'impressions-optimised ad sets',
  high_freq: 'click- and engagement-optimised ad sets',
  low_freq: 'conversion-optimised ad sets',
  video_views: 'video-view-optimised ad sets',
}
