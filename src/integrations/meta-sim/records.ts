/** Internal, mutable records behind the simulator (not exported from the package index). */
import type { CampaignStatus, Objective, SimArrival } from './types.ts'

/** The kinds of generated campaigns (objective and conversion source). */
export type Kind = 'leads_form' | 'leads_web' | 'sales' | 'traffic' | 'awareness' | 'engagement'

/** Insights levels. */
export type Level = 'campaign' | 'adset' | 'ad' | 'account'

/** The node an insights query was made on: the whole account, or one campaign, ad set or ad. */
export interface InsightsScope {
  campaignId?: string
  adSetId?: string
  adId?: string
}

/** Configured status of a campaign, ad set or ad (what `status` returns). */
export type ObjectStatus = CampaignStatus

/** An interval during which an object was switched on ([from, to), to = null while running). */
export interface ActivitySpan {
  from: number
  to: number | null
}

/** How a campaign delivers. Costs are in the account currency's MAJOR units. */
export interface DeliveryProfile {
  /** Base cost per 1000 impressions. */
  cpm: number
  /** Base all-clicks CTR as a fraction (0.015 = 1.5%). */
  ctr: number
  /** Share of clicks that are link clicks. */
  linkShare: number
  /** Landing page views per link click (0 for on-Facebook objectives). */
  lpvRate: number
  /** Conversions (leads or purchases) per click basis: instant forms per click, website per landing page view. */
  cvr: number
  /** Add-to-carts per landing page view (sales). */
  atcRate: number
  /** Average order value (sales). */
  aov: number
  /** Reactions per impression. */
  reactionRate: number
  /** 3-second video views per impression. */
  videoRate: number
  /** Average share of the daily budget spent. */
  pacing: number
  /** Probability of an under-delivery day. */
  underdeliveryChance: number
  /** Day-to-day noise level (sigma of the log-normal multiplier). */
  noise: number
  /** Daily frequency with a fresh audience. */
  baseFrequency: number
  /** Fatigue time constant in days: saturation = 1 − exp(−age / halfLifeDays). */
  fatigueDays: number
  /** CTR lost at full saturation (0.45 = −45%). */
  ctrDecay: number
  /** Relative frequency gain at full saturation. */
  freqGain: number
  /** Days of learning phase after the start. */
  learningDays: number
}

export interface BudgetEntry {
  /** Instant the value took effect. */
  at: number
  daily?: number
  lifetime?: number
}

export interface CampaignRecord {
  id: string
  accountId: string
  name: string
  objective: Objective
  leadSource?: 'instant_form' | 'website'
  status: CampaignStatus
  buyingType: 'AUCTION' | 'RESERVED'
  bidStrategy?: string
  specialAdCategories: string[]
  /** special_ad_category_country (ISO 3166 alpha-2) given with the categories at creation; absent: none. */
  specialAdCategoryCountries?: string[]
  /** Budget history in minor units (last entry = current). */
  budgets: BudgetEntry[]
  /** Intervals during which the campaign was switched on ([from, to), to = null while running). */
  activity: ActivitySpan[]
  createdMs: number
  updatedMs: number
  startMs: number
  stopMs?: number
  /** Null for campaigns without ads (API-created): they never deliver. */
  profile: DeliveryProfile | null
  createdViaApi: boolean
  /** Instants of accepted budget changes (for the 4-per-hour rule). */
  budgetChangeTimes: number[]
  /** Where the budget lives: on the campaign (Advantage+ campaign budget) or on its ad sets. */
  budgetLevel: 'campaign' | 'adset'
  /** Ad set ids in creation order. */
  adSetIds: string[]
  /** A pacing surge (control API): from `fromMs` to the end of that account-local day, `factor` × the usual rate. */
  surge?: { fromMs: number; factor: number }
  /**
   * Dearer results (control API): from `fromMs` on, the same spend buys `factor` times fewer leads and purchases, as an
   * auction, landing-page or tracking problem would. A later edit replaces it; factor 1 clears it.
   */
  costPerResult?: { fromMs: number; factor: number }
}

export interface CreativeRecord {
  id: string
  name: string
  thumbnailUrl: string
  title: string
  body: string
}

export interface AdSetRecord {
  id: string
  accountId: string
  campaignId: string
  name: string
  status: ObjectStatus
  /** Budget history in minor units (last entry = current); empty when the campaign holds the budget. */
  budgets: BudgetEntry[]
  bidStrategy: string
  bidAmount?: number
  optimizationGoal: string
  billingEvent: string
  activity: ActivitySpan[]
  createdMs: number
  updatedMs: number
  startMs: number
  /** Local date of startMs in the account's time zone. */
  startDate: string
  endMs?: number
  /** Relative share of a campaign budget this ad set wins (campaign-budget campaigns). */
  weight: number
  /** Instants of significant edits (budget changes of 20% or more) that restart learning. */
  significantEdits: number[]
  budgetChangeTimes: number[]
  /** Ad ids in creation order. */
  adIds: string[]
}

export interface AdRecord {
  id: string
  accountId: string
  campaignId: string
  adSetId: string
  name: string
  status: ObjectStatus
  activity: ActivitySpan[]
  createdMs: number
  updatedMs: number
  /** When the ad started delivering: fatigue is measured from here. */
  startMs: number
  /** Local date of startMs in the account's time zone. */
  startDate: string
  /** Relative delivery share inside its ad set, before fatigue. */
  weight: number
  /** The creative's own CTR multiplier. */
  ctrLift: number
  /** Fatigue time constant for this creative, in days. */
  fatigueDays: number
  creative: CreativeRecord
}

export interface AccountRecord {
  id: string
  name: string
  currency: string
  timezoneName: string
  /** ISO 3166 alpha-2; null: the account reports no business_country_code. */
  businessCountryCode: string | null
  offset: number
  seed: number
  accountStatus: number
  /** How the account's results for a day keep arriving after it (arrival.ts). */
  arrival: SimArrival
  /** Campaign ids in creation order (ascending). */
  campaignIds: string[]
}
