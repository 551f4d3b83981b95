/** What the optimizer counts as a campaign's result (the vocabulary of results: domain/metrics/vocabulary.ts). */
import { RESULT_METRICS, type ResultMetric, resultKind } from '../metrics/vocabulary.ts'

/**
 * The result counted for an objective; null when there is no conversion to count (traffic, awareness, engagement):
 * their cost per click or per reach moves with CTR and CPM, which the CTR and pacing rules already judge.
 */
export function resultMetricFor(objective: string): ResultMetric | null {
  const kind = resultKind(objective)
  return kind === 'leads' || kind === 'purchases' ? RESULT_METRICS[kind] : null
}
