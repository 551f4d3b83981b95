/**
 * The optimizer's data model. Pure values: no database rows, no Slack blocks. Money is always an integer in the
 * currency's minor unit (USD 5000 = $50.00, JPY 5000 = ¥5,000), as Meta's budgets are.
 */
import type { IsoDate } from '../../lib/dates.ts'
import type { Metrics, ResultKind } from '../metrics/vocabulary.ts'

/** One campaign-day (metric fields and money units: see domain/metrics/vocabulary.ts). */
export interface DailyPoint extends Metrics {
  date: IsoDate
}

/** A daily budget changed on `date` (account-local) from `fromMinor` (null: unknown) to `toMinor`. */
export interface BudgetChange {
  date: IsoDate
  fromMinor: number | null
  toMinor: number | null
}

/** An ad's own days (from AdDailyMetric, the source of truth). */
export interface AdSeries {
  adId: string
  name: string
  /** ACTIVE | PAUSED | … (configured status) */
  status: string
  /** Ascending, complete days only; a missing day means zero delivery. */
  days: DailyPoint[]
}

/**
 * An ad set: its budget (when the campaign's budget lives on its ad sets) and its ads; its days are the sum of all its
 * ads' days, the archived and deleted ones included.
 */
export interface AdSetSeries {
  adSetId: string
  name: string
  status: string
  dailyBudgetMinor: number | null
  /** Daily-budget changes of this ad set in the loaded period (as CampaignSeries.budgetChanges). */
  budgetChanges?: BudgetChange[]
  /** Its live ads (neither archived nor deleted): the ones judged. */
  ads: AdSeries[]
  /**
   * Its archived and deleted ads: never judged, but what they delivered is the ad set's (its pacing, delivery, costs
   * and scaling count every ad-day its budget paid for).
   */
  retiredAds?: AdSeries[]
}

export interface CampaignSeries {
  campaignId: string
  name: string
  /** OUTCOME_LEADS, OUTCOME_SALES, OUTCOME_TRAFFIC, … */
  objective: string
  /** ACTIVE | PAUSED | … */
  status: string
  dailyBudgetMinor: number | null
  /**
   * Daily-budget changes applied through Promoly in the loaded period (ascending), so pacing judges each day against
   * the budget then in force. A change made in Ads Manager is not here (the sync only sees the new budget).
   */
  budgetChanges?: BudgetChange[]
  /** Ascending, complete days only; a missing day means zero delivery. */
  days: DailyPoint[]
  /**
   * Its ad sets and ads, when synced: creative findings are judged per ad, budget findings on the ad sets when the
   * budget lives there. Absent: everything is judged on the campaign, as before ads were synced.
   */
  adSets?: AdSetSeries[]
}

export interface OptimizerSettings {
  /** Impressions a window needs before CTR or frequency is judged. */
  minImpressions: number
  /** Spend (minor units) a window needs before anything is judged; unset: one major unit of the account currency. */
  minSpendMinorPerUnit: number
  /** Results (leads, purchases) a cost comparison needs: observed in the baseline, expected in the recent window. */
  minResults: number
  /** Length of the recent window, in complete settled days. */
  lookbackDays: number
  /** Length of the trailing baseline window before it. */
  baselineDays: number
  /** Level of the two-sided intervals (each bound is one-sided at (1 + confidence) / 2). */
  confidence: number
  /** Largest budget increase the optimizer proposes, in percent (the change guardrail still applies on top). */
  maxBudgetIncreasePct: number
}

/**
 * How much of a day's final results an account has reported some days after the day (late conversions: pixel
 * purchases arrive over days, instant-form leads almost at once). Learned per account and result type from re-synced
 * days (domain/sync/arrival-curve.ts), else Promoly's conservative default (completeness.ts).
 */
export interface ArrivalCurve {
  /** Fraction (0–1] of the final results present 1, 2 and 3 days after the day; later days count as complete. */
  fractions: readonly [number, number, number]
  /** Days of re-synced history behind the estimate; 0 = the conservative default (not enough history yet). */
  learnedFromDays: number
}

/** Arrival curves per result type; a type without one uses the default. */
export type Completeness = Partial<Record<'leads' | 'purchases', ArrivalCurve>>

export interface OptimizerContext {
  currency: string
  /**
   * Account-local. Today is ignored. Yesterday is complete in spend and delivery, but its results (and those of the
   * two days before) are still arriving: the cost scan counts them at their expected completeness (`completeness`),
   * with yesterday inside every look, where it must agree with a finding but never fires one alone; the other rules
   * that count results judge the settled days (series.ts).
   */
  today: IsoDate
  /**
   * Targets: `byResult` per result type (the client's, in this account's currency) first; the flat values apply
   * to a result type without one (the workspace's single target of older installs).
   */
  targets?: {
    targetCostPerResultMinor?: number
    targetRoas?: number
    byResult?: Partial<Record<ResultKind, { costPerResultMinor?: number; roas?: number }>>
  }
  settings?: Partial<OptimizerSettings>
  /** The account's arrival curves: recent days are judged at their expected completeness. */
  completeness?: Completeness
}

export type SuggestionKind =
  | 'creative_fatigue'
  | 'low_ctr'
  | 'cost_spike'
  | 'high_cost_per_result'
  | 'underpacing'
  | 'overpacing'
  | 'scale_winner'
  | 'zero_delivery'

export const SUGGESTION_KINDS: readonly SuggestionKind[] = [
  'creative_fatigue',
  'low_ctr',
  'cost_spike',
  'high_cost_per_result',
  'underpacing',
  'overpacing',
  'scale_winner',
  'zero_delivery',
]

export type ProposedChange = { type: 'set_daily_budget'; fromMinor: number; toMinor: number } | { type: 'pause' }

export interface Evidence {
  label: string
  value: string
}

/** Where a finding was judged: the object its change or notice is about. */
export type SuggestionLevel = 'campaign' | 'adset' | 'ad'

export interface Suggestion {
  kind: SuggestionKind
  level: SuggestionLevel
  /** The campaign, or the campaign of the ad set / ad. */
  campaignId: string
  /** The ad set (level adset), or the ad's ad set (level ad). */
  adSetId?: string
  /** The ad (level ad). */
  adId?: string
  /** One line, plain text. */
  title: string
  /** Human-readable numbers: money via formatMoney, rates with %. */
  evidence: Evidence[]
  /** 0..1, from the test statistic of the rule. */
  confidence: number
  /** Something Promoly can apply through the API (becomes a change request). */
  change?: ProposedChange
  /** What to do when nothing can be applied through the API. */
  notice?: string
  expectedEffect: { text: string; basis: string }
  /** The number that triggered the suggestion (used later to detect "materially worse"). */
  metric: { name: string; value: number; baseline: number | null }
}

/** What a rule finds about one object; runOptimizer says which object (level, ad set, ad). */
export type Finding = Omit<Suggestion, 'level' | 'adSetId' | 'adId'>
