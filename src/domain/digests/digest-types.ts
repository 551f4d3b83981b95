/**
 * What a daily digest says, per ad account and in that account's own time zone and currency: the last complete
 * day against the previous 7 days' daily average, month-to-date budget pacing, the most and least efficient
 * campaigns of the last 7 days, a 14-day series for the chart, and the open suggestions. Built by
 * build-digest-data.ts (queries: load-digest-rows.ts, figures: digest-figures.ts); shown by slack/blocks.
 */
import type { IsoDate } from '../../lib/dates.ts'
import type { ResultKind } from '../metrics/vocabulary.ts'

/** Meta revises the figures of the last few days (late conversions, invalid-traffic filtering). */
export const META_REVISION_DAYS = 3
/** An account whose last successful sync is older than this is reported as not refreshed. */
export const STALE_SYNC_MS = 6 * 60 * 60 * 1000
/** Days in the chart series. */
export const SERIES_DAYS = 14
/** A campaign needs this many results in 7 days before its cost per result is ranked. */
export const MIN_RESULTS_FOR_RANKING = 5
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
  /** Results of the account's main kind (see AccountDigest.resultKind). */
  results: number
  costPerResultMinor: number | null
  costPerLeadMinor: number | null
  costPerPurchaseMinor: number | null
  /** Percent. */
  ctr: number | null
  cpmMinor: number | null
  /** Purchase value ÷ spend; null where there is no revenue. */
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
  /** The account's cost per result of the same kind over the same 7 days (all campaigns of that kind). */
  accountCostPerResultMinor: number | null
  /** The reason in words, e.g. "$8.20 per lead, 41% below the account's $13.90 (24 leads in 7 days)". */
  reason: string
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
  /** leads if the account had any in the 14 days, else purchases if any, else null. */
  resultKind: 'leads' | 'purchases' | null
  yesterday: KeyFigures
  /** Daily average of the 7 days before `day`. */
  baseline: KeyFigures | null
  pacing: Pacing
  top: CampaignEfficiency[]
  bottom: CampaignEfficiency[]
  /** Campaigns considered for the ranking (enough results, or spend without results). */
  rankedCampaigns: number
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
  generatedAt: Date
  accounts: AccountDigest[]
  suggestions: { openCount: number; top: DigestSuggestion[] }
}

export interface BuildDigestOptions {
  workspaceId: string
  /** Internal AdAccount ids; empty or undefined = every syncing account of the workspace. */
  adAccountIds?: string[]
  now: Date
}
