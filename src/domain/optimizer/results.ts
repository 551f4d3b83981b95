/** What a "result" is for each objective, as Meta's "Results" column counts it. */
import type { DailyPoint } from './types.ts'

export interface ResultMetric {
  key: 'leads' | 'purchases' | 'linkClicks'
  singular: string
  plural: string
  /** "cost per lead" */
  costLabel: string
  /** "CPL" */
  short: string
  /** Whether a target CPA / ROAS from the workspace settings applies to it. */
  conversion: boolean
}

const LEADS: ResultMetric = { key: 'leads', singular: 'lead', plural: 'leads', costLabel: 'cost per lead', short: 'CPL', conversion: true }
const PURCHASES: ResultMetric = { key: 'purchases', singular: 'purchase', plural: 'purchases', costLabel: 'cost per purchase', short: 'CPA', conversion: true }
const LINK_CLICKS: ResultMetric = { key: 'linkClicks', singular: 'link click', plural: 'link clicks', costLabel: 'cost per link click', short: 'CPC', conversion: false }

/** The result counted for an objective; null when cost per result is not meaningful (awareness, engagement, …). */
export function resultMetricFor(objective: string): ResultMetric | null {
  switch (objective) {
    case 'OUTCOME_LEADS':
      return LEADS
    case 'OUTCOME_SALES':
      return PURCHASES
    case 'OUTCOME_TRAFFIC':
      return LINK_CLICKS
    default:
      return null
  }
}

export function resultsOf(d: Pick<DailyPoint, 'leads' | 'purchases' | 'linkClicks'>, metric: ResultMetric): number {
  return d[metric.key]
}
