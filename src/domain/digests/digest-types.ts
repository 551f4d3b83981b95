/**
 * What a daily digest says, per ad account and in that account's own time zone and currency: the last complete
 * day against the previous 7 days' daily average, month-to-date budget pacing, the most and least efficient
 * campaigns and the best and most expensive ads of the last 7 days, a 14-day series for the chart, and the open suggestions. Built by
 * build-digest-data.ts (queries: load-digest-rows.ts, figures: digest-figures.ts); shown by slack/blocks.
 */
import type { IsoDate } from '../../lib/dates.ts'
import type { ClientScope } from '../clients/client-scope.ts'
import type { ResultKind, ResultLine } from '../metrics/vocabulary.ts'
import type { SuggestionLevel } from '../optimizer/index.ts'

/** Meta revises the figures of the last few days (late conversions, invalid-traffic filtering). */
export const META_REVISION_DAYS = 3
/** An account whose last successful sync is older than this is reported as not refreshed. */
export const STALE_SYNC_MS = 6 * 60 * 60 * 1000
/** Days in the chart series. */
export const SERIES_DAYS = 14
/**
 * A campaign needs this many results in 7 days before its cost per result is ranked, and a result type needs at least
 * two such campaigns before any of its campaigns is ranked: with fewer results a cost per result is mostly noise (a
 * Poisson count of 5 is ±45 % at one standard deviation), and a campaign alone of its objective has no comparable
 * peer — it is described instead ("the only lead campaign: 14 leads at €12.10").
 */
export const MIN_RESULTS_FOR_RANKING = 5
/** Comparable campaigns (same result type, MIN_RESULTS_FOR_RANKING each) a result type needs to be ranked. */
export const MIN_PEERS_FOR_RANKING = 2
/** Statuses never ranked among active campaigns. */
export const UNRANKED_STATUSES: ReadonlySet<string> = new Set(['ARCHIVED', 'DELETED'])
/**
 * Ads (issue 12): an ad's cost per result (its campaign's objective: leads, purchases or link clicks) over the same
 * last 7 days as the campaigns, compared with the pooled cost per result of the account's ads seeking the same result
 * (every ad that spent, whatever its status). "Best" needs MIN_AD_RESULTS results (fewer is noise, as for campaigns);
 * "most expensive" needs the spend those results would have cost at the pooled price, MIN_AD_RESULTS × pooled:
 * an ad that spent that much had the chance of MIN_AD_RESULTS results, so no result (or few) is evidence, not luck.
 * A result type is ranked only with MIN_PEERS_FOR_RANKING ads that spent, and when its ads have at least one result.
 */
export const MIN_AD_RESULTS = 5
/** Ads named per list (best, most expensive) and result type. */
export const ADS_PER_LIST = 3
/** How many open suggestions are carried (most confident first). */
export const TOP_SUGGESTIONS = 3

/** One period's account figures. Money in minor units; cpm and cost per result may be fractional minor units. */
export interface KeyFigures {
  spendMinor: number
  impressions: number
  clicks: number
  leads: number
  purchases: number
  purchaseValueMinor: number
  /** Per result type, each over the spend of the campaigns seeking it (domain/metrics/result-breakdown.ts). */
  byResult: ResultLine[]
  /** Several result types: `results` and `costPerResultMinor` have no single value (null / 0). */
  multipleResults: boolean
  /** Results of the account's only result type (0 with several). */
  results: number
  costPerResultMinor: number | null
  /** Over the spend of lead-seeking campaigns. */
  costPerLeadMinor: number | null
  /** Over the spend of purchase-seeking campaigns. */
  costPerPurchaseMinor: number | null
  /** Percent. */
  ctr: number | null
  cpmMinor: number | null
  /** Purchase value ÷ spend of purchase-seeking campaigns; null where there is no revenue. */
  roas: number | null
}

export interface CampaignEfficiency {
  id: string
  metaCampaignId: string
  name: string
  resultKind: ResultKind
  spendMinor: number
  results: number
  /** Null when the campaign spent without a single result. */
  costPerResultMinor: number | null
  /** The pooled cost per result of the account's campaigns of the same kind over the same 7 days. */
  accountCostPerResultMinor: number | null
  /** The reason in words, e.g. "$8.20 per lead, 41% below the lead campaigns' $13.90 (24 leads in 7 days)". */
  reason: string
}

/** Shown beside an ad's name when it is not running; an ad that spent in the window may since have been archived or deleted. */
export type AdState = 'active' | 'paused' | 'archived' | 'deleted'

export interface AdEfficiency {
  id: string
  metaAdId: string
  name: string
  /** The creative's name from Meta; null when the sync had none. */
  creativeName: string | null
  adSet: { id: string; name: string }
  campaign: { id: string; name: string }
  state: AdState
  spendMinor: number
  results: number
  /** Null when the ad spent without a single result. */
  costPerResultMinor: number | null
  /** "$4.20 per lead (12 leads, $50.40 spent)", "$61.00 spent without a lead". */
  reason: string
}

/** The best and most expensive ads seeking one result type, in one account, over its 7-day window. */
export interface AdRanking {
  resultKind: ResultKind
  /** Spend ÷ results of every ad seeking this result that spent in the window. */
  pooledCostPerResultMinor: number
  /** An ad is named among the most expensive only when it spent at least this: MIN_AD_RESULTS × the pooled cost. */
  minSpendMinor: number
  /** Lowest cost per result first; each has MIN_AD_RESULTS results and costs less than the pooled cost. */
  best: AdEfficiency[]
  /** Highest cost per result first (no result at all first, the most spent first); each costs more than the pooled cost. */
  worst: AdEfficiency[]
  /** Ads seeking this result that spent in the window. */
  adsWithSpend: number
}

export interface Pacing {
  /** YYYY-MM of the last complete day. */
  month: string
  daysElapsed: number
  daysInMonth: number
  spendMinor: number
  /** Sum of the active campaigns' daily budgets. Null when no active campaign has a daily budget. */
  dailyBudgetMinor: number | null
  /** dailyBudget × daysElapsed. */
  plannedMinor: number | null
  /** Spend so far ÷ days elapsed × days in month. */
  projectedMinor: number
  /** Spend so far ÷ planned, in percent. */
  pacePercent: number | null
}

export interface SeriesPoint {
  date: IsoDate
  spendMinor: number
  results: number
}

export interface AccountDigest {
  id: string
  metaAccountId: string
  name: string
  currency: string
  timeZone: string
  /** The last complete day, account-local. */
  day: IsoDate
  /** The campaigns' ranking window: "last 7 days (Sat 28 Nov – Fri 4 Dec)", as every surface names it. */
  weekLabel: string
  /** Days averaged for the baseline (7, fewer for a newer account; 0 = no baseline). */
  baselineDays: number
  /** Meta may still revise the day's figures (or they were fetched before the day ended). */
  preliminary: boolean
  preliminaryReason: string | null
  /** The last refresh failed or is older than STALE_SYNC_MS: the figures are the last ones Promoly has. */
  refreshFailed: boolean
  refreshProblem: string | null
  lastSyncError: string | null
  lastSyncedAt: Date | null
  /** The result types its campaigns sought over the chart's days, in order (leads, purchases, link clicks). */
  resultKinds: ResultKind[]
  /** The only result type, or with several the one with the most spend (what the chart counts); null: none. */
  resultKind: ResultKind | null
  yesterday: KeyFigures
  /** Daily average of the 7 days before `day`. */
  baseline: KeyFigures | null
  pacing: Pacing
  /** Ranked only against comparable peers: same result type, enough results; never archived or deleted campaigns. */
  top: CampaignEfficiency[]
  bottom: CampaignEfficiency[]
  /** Campaigns alone of their result type this week: described, not ranked ("the only lead campaign: …"). */
  alone: CampaignEfficiency[]
  /** Campaigns considered for the ranking (enough results, or spend without results, among comparable peers). */
  rankedCampaigns: number
  /** Per result type (most spend first) with enough ads and results to judge; empty: nothing to say about ads. */
  ads: AdRanking[]
  campaignCount: number
  activeCampaignCount: number
  series: SeriesPoint[]
}

export interface DigestSuggestion {
  id: string
  adAccountId: string
  accountName: string
  campaignId: string
  campaignName: string | null
  /** Where the finding was judged: the campaign, one of its ad sets or one of its ads. */
  level: SuggestionLevel
  /** The ad set (level adset) or the ad's ad set (level ad); null for a campaign or when no longer known. */
  adSetName: string | null
  /** The ad (level ad); null otherwise. */
  adName: string | null
  kind: string
  title: string
  confidence: number
  /** The change request waiting for a decision, when the suggestion has one that is still PROPOSED. */
  proposedChangeId: string | null
  /** What approving that change does (for the Approve confirm) and the guardrails that refuse it, if any. */
  approval?: DigestApproval
}

/** A proposed change as an Approve confirm names it: "Budget" "$80.00 → $96.00/day" on "Spring Sale". */
export interface DigestApproval {
  verb: string
  name: string
  amounts: string | null
  /** The messages of the guardrails that refused it when it was proposed: then only an admin's override approves it. */
  refused: string[]
}

export interface DigestData {
  workspaceId: string
  /** The client whose channel the digest is for (its name heads the digest); undefined: the whole workspace. */
  clientName?: string | undefined
  generatedAt: Date
  accounts: AccountDigest[]
  suggestions: { openCount: number; top: DigestSuggestion[] }
}

export interface BuildDigestOptions {
  /** Whose accounts: the workspace's, or one client's (a digest in a client's channel never shows another client's). */
  scope: ClientScope
  /** Internal AdAccount ids, within the scope; empty or undefined = every syncing account of the scope. */
  adAccountIds?: string[]
  now: Date
}
