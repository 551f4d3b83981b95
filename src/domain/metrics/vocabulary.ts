/**
 * The metrics vocabulary: the daily metric fields of a campaign-day (CampaignDailyMetric) and every figure derived
 * from them. Metrics reports, campaign lists, change outcomes, the optimizer, the digest and the agent's explanations
 * all take their field list, arithmetic (zero, add, scale), Prisma sum selects, results by objective, cost per result
 * and rates from here.
 *
 * Adding a metric: add the BigInt column to prisma/schema.prisma (with its migration) and its name to METRIC_FIELDS
 * below. Every sum, select, zero and per-day average follows; the compiler then points at the one mapping left to
 * fill, where Meta's value is read into the row the sync stores (domain/sync/sync-ad-account.ts, from
 * integrations/meta/meta-api.ts), and at typed test/bench fixtures.
 *
 * Counts and money are plain numbers here (the database keeps BigInt). Money is in minor units of the account's
 * currency (USD 5000 = $50.00); per-day averages and rates may be fractional.
 */
import type { Prisma } from '../../generated/prisma/client.ts'

/** The additive daily fields, in the order they are summed and shown. */
export const METRIC_FIELDS = [
  'impressions',
  'reach', // summed over days it is NOT the period's reach (people overlap): that is PeriodReach's (period-reach.ts)
  'clicks',
  'linkClicks', // Meta's inline_link_clicks
  'spend', // minor units
  'leads',
  'purchases',
  'purchaseValue', // minor units
] as const

export type MetricField = (typeof METRIC_FIELDS)[number]

/** One day's metrics, or a sum (or average) of days. */
export type Metrics = Record<MetricField, number>

// Every summable column of CampaignDailyMetric is a metric field and every metric field is a column; the one
// exception is `frequency`, Meta's per-day impressions ÷ reach, which does not add up (use frequency() below).
type SummableColumn = Exclude<keyof Prisma.CampaignDailyMetricSumAggregateInputType, 'frequency'>
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
// A type error here: a summable column of CampaignDailyMetric is missing from METRIC_FIELDS, or a field is no column.
const metricFieldsMatchTheSchema: Same<SummableColumn, MetricField> = true
void metricFieldsMatchTheSchema

export function zeroMetrics(): Metrics {
  const m = {} as Metrics
  for (const f of METRIC_FIELDS) m[f] = 0
  return m
}

/** Adds `m` into `into` (mutated and returned). */
export function addMetrics<T extends Metrics>(into: T, m: Readonly<Metrics>): T {
  for (const f of METRIC_FIELDS) into[f] += m[f]
  return into
}

/** Every field multiplied by `by` (e.g. 1 / days for a daily average). */
export function scaleMetrics(m: Readonly<Metrics>, by: number): Metrics {
  const out = {} as Metrics
  for (const f of METRIC_FIELDS) out[f] = m[f] * by
  return out
}

/** The `_sum` select of every metric field, for `aggregate` and `groupBy` on CampaignDailyMetric. */
export const METRIC_SUMS = Object.fromEntries(METRIC_FIELDS.map((f) => [f, true])) as { [F in MetricField]: true }

/** Metrics from a stored row or from an aggregate's `_sum` (BigInt, null for a sum over no rows) as numbers. */
export function metricsFrom(row: { [F in MetricField]?: bigint | null }): Metrics {
  const m = {} as Metrics
  for (const f of METRIC_FIELDS) m[f] = Number(row[f] ?? 0n)
  return m
}

// ---- Results ------------------------------------------------------------------------------------------------------

/** What can count as a campaign's "result", as Meta's "Results" column counts it. */
export type ResultKind = 'leads' | 'purchases' | 'link clicks'

export interface ResultMetric {
  kind: ResultKind
  /** The metric field that counts it. */
  field: MetricField
  singular: string
  plural: string
  /** "cost per lead" */
  costLabel: string
  /** "CPL" */
  short: string
}

export const RESULT_METRICS: Readonly<Record<ResultKind, ResultMetric>> = {
  leads: { kind: 'leads', field: 'leads', singular: 'lead', plural: 'leads', costLabel: 'cost per lead', short: 'CPL' },
  purchases: {
    kind: 'purchases',
    field: 'purchases',
    singular: 'purchase',
    plural: 'purchases',
    costLabel: 'cost per purchase',
    short: 'CPA',
  },
  'link clicks': {
    kind: 'link clicks',
    field: 'linkClicks',
    singular: 'link click',
    plural: 'link clicks',
    costLabel: 'cost per link click',
    short: 'CPC',
  },
}

/** The result counted for a campaign objective; null when the objective has none (awareness, engagement, …). */
export function resultKind(objective: string | null): ResultKind | null {
  switch (objective) {
    case 'OUTCOME_LEADS':
      return 'leads'
    case 'OUTCOME_SALES':
      return 'purchases'
    case 'OUTCOME_TRAFFIC':
      return 'link clicks'
    default:
      return null
  }
}

/** How many results of `kind`; 0 when there is no kind. */
export function resultsOf(m: Readonly<Metrics>, kind: ResultKind | null): number {
  return kind ? m[RESULT_METRICS[kind].field] : 0
}

// ---- Derived figures ----------------------------------------------------------------------------------------------

/** a ÷ b, or null when b is not positive. */
export function ratio(a: number, b: number): number | null {
  return b > 0 ? a / b : null
}

/** Spend per result of `kind` (minor units); null without a kind or without results. */
export function costPerResult(m: Readonly<Metrics>, kind: ResultKind | null): number | null {
  return kind ? ratio(m.spend, resultsOf(m, kind)) : null
}

/** Click-through rate in percent. */
export function ctr(m: Pick<Metrics, 'clicks' | 'impressions'>): number | null {
  return ratio(m.clicks * 100, m.impressions)
}

/** Cost per click (minor units). */
function cpc(m: Pick<Metrics, 'spend' | 'clicks'>): number | null {
  return ratio(m.spend, m.clicks)
}

/** Cost per 1,000 impressions (minor units). */
export function cpm(m: Pick<Metrics, 'spend' | 'impressions'>): number | null {
  return ratio(m.spend * 1000, m.impressions)
}

/** Purchase value ÷ spend; null where there is no revenue (or no spend). */
export function roas(m: Pick<Metrics, 'purchaseValue' | 'spend'>): number | null {
  return m.purchaseValue > 0 ? ratio(m.purchaseValue, m.spend) : null
}

/** Relative change in percent; null when there is nothing to compare with. */
export function percentChange(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null
  return ((current - previous) / Math.abs(previous)) * 100
}

// ---- Period totals ------------------------------------------------------------------------------------------------

/** Sums of daily rows over a period, with the currency of its money and the number of days that had a row. */
export interface MetricTotals extends Metrics {
  currency: string
  days: number
}

export function emptyTotals(currency: string): MetricTotals {
  return { currency, ...zeroMetrics(), days: 0 }
}

/** A period's totals from a Prisma aggregate of daily rows (`_sum: METRIC_SUMS, _count: { _all: true }`); none: empty. */
export function totalsFrom(
  currency: string,
  agg: { _sum: { [F in MetricField]?: bigint | null }; _count: { _all: number } } | undefined,
): MetricTotals {
  if (!agg || agg._count._all === 0) return emptyTotals(currency)
  return { currency, ...metricsFrom(agg._sum), days: agg._count._all }
}

/** One result type of a campaign or of a mix of campaigns, over the spend of the campaigns seeking it. */
export interface ResultLine {
  kind: ResultKind
  results: number
  /** Spend of the campaigns seeking this result (minor units). */
  spend: number
  /** spend ÷ results (minor units); null without results. */
  costPerResult: number | null
}

/**
 * Every derived figure of a period, results counted as the objectives count them. For a campaign, its objective's
 * result; for a mix (an account), see result-breakdown.ts: one line per result type sought, and no single results
 * figure when there are several (`multipleResults`).
 */
export interface DerivedMetrics {
  /** Percent. */
  ctr: number | null
  cpc: number | null
  cpm: number | null
  /** The single result type's count (0 with none or several). */
  results: number
  resultLabel: ResultKind | null
  costPerResult: number | null
  /** Results per result type, each over the spend of the campaigns seeking it. */
  byResult: ResultLine[]
  /** Several result types: no single results / cost per result figure exists. */
  multipleResults: boolean
  /** Purchase value ÷ spend of the purchase-seeking campaigns. */
  roas: number | null
}

/** Derived figures of one campaign's `t`, its results those of its objective. */
export function deriveMetrics(t: Readonly<Metrics>, objective: string): DerivedMetrics {
  const label = resultKind(objective)
  const results = resultsOf(t, label)
  const cost = costPerResult(t, label)
  return {
    ctr: ctr(t),
    cpc: cpc(t),
    cpm: cpm(t),
    results,
    resultLabel: label,
    costPerResult: cost,
    byResult: label && (t.spend > 0 || results > 0) ? [{ kind: label, results, spend: t.spend, costPerResult: cost }] : [],
    multipleResults: false,
    roas: label === 'purchases' ? roas(t) : null,
  }
}
