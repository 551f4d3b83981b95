/** Sums of daily rows over a period. Money in minor units of `currency`. */
export interface MetricTotals {
  currency: string
  impressions: number
  /** Sum of daily reach: an upper bound of the period's unique reach. */
  reach: number
  clicks: number
  linkClicks: number
  spend: number
  leads: number
  purchases: number
  purchaseValue: number
  days: number
}

export interface DerivedMetrics {
  ctr: number | null
  cpc: number | null
  cpm: number | null
  frequency: number | null
  results: number
  resultLabel: 'leads' | 'purchases' | 'link clicks' | null
  costPerResult: number | null
  roas: number | null
}

export function emptyTotals(currency: string): MetricTotals {
  return { currency, impressions: 0, reach: 0, clicks: 0, linkClicks: 0, spend: 0, leads: 0, purchases: 0, purchaseValue: 0, days: 0 }
}

/** What counts as a result for a campaign objective (account totals: leads, else purchases). */
export function resultKind(objective: string | null): DerivedMetrics['resultLabel'] {
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

const ratio = (a: number, b: number) => (b > 0 ? a / b : null)

export function deriveMetrics(t: MetricTotals, objective: string | null): DerivedMetrics {
  let label = resultKind(objective)
  if (objective === null) label = t.leads > 0 ? 'leads' : t.purchases > 0 ? 'purchases' : null
  const results = label === 'leads' ? t.leads : label === 'purchases' ? t.purchases : label === 'link clicks' ? t.linkClicks : 0
  return {
    ctr: ratio(t.clicks * 100, t.impressions),
    cpc: ratio(t.spend, t.clicks),
    cpm: ratio(t.spend * 1000, t.impressions),
    frequency: ratio(t.impressions, t.reach),
    results,
    resultLabel: label,
    costPerResult: label ? ratio(t.spend, results) : null,
    roas: t.purchaseValue > 0 ? ratio(t.purchaseValue, t.spend) : null,
  }
}

/** Relative change in percent; null when there is nothing to compare with. */
export function percentChange(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null
  return ((current - previous) / Math.abs(previous)) * 100
}
