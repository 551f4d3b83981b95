/** What a "result" is for each objective, as Meta's "Results" column counts it. */
import type { DailyPoint } from './types.ts'

export interface ResultMetric {
  key: 'leads' | 'purchases'
  singular: string
  plural: string
  /** "cost per lead" */
  costLabel: string
  /** "CPL" */
  short: string
}

const LEADS: ResultMetric = { key: 'leads', singular: 'lead', plural: 'leads', costLabel: 'cost per lead', short: 'CPL' }
const PURCHASES: ResultMetric = { key: 'purchases', singular: 'purchase', plural: 'purchases', costLabel: 'cost per purchase', short: 'CPA' }

/**
 * The result counted for an objective; null when there is no conversion to count (traffic, awareness, engagement):
 * their cost per click or per reach moves with CTR and CPM, which the CTR and pacing rules already judge.
 */
export function resultMetricFor(objective: string): ResultMetric | null {
  switch (objective) {
    case 'OUTCOME_LEADS':
      return LEADS
    case 'OUTCOME_SALES':
      return PURCHASES
    default:
      return null
  }
}

export function resultsOf(d: Pick<DailyPoint, 'leads' | 'purchases'>, metric: ResultMetric): number {
  return d[metric.key]
}
