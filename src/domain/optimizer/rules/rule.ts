import type { ResultMetric } from '../../metrics/vocabulary.ts'
import type { PeerStats } from '../peers.ts'
import type { PreparedCampaign } from '../series.ts'
import type { Finding, OptimizerContext, OptimizerSettings, SuggestionLevel } from '../types.ts'

export interface RuleEnv {
  ctx: OptimizerContext
  settings: OptimizerSettings
  currency: string
  /** One-sided error rate of each bound: (1 − confidence) / 2. */
  tail: number
  /**
   * Same-objective peers of the judged object's level, the object excluded: the account's other campaigns, other ad
   * sets (its siblings included) or other ads.
   */
  peers: PeerStats
  /** The level of the judged object: what the findings' words call it and its peers. */
  level: SuggestionLevel
  /** What counts as a result for this campaign's objective, or null. */
  result: ResultMetric | null
}

export type Rule = (c: PreparedCampaign, env: RuleEnv) => Finding | null

const NOUNS: Record<SuggestionLevel, { one: string; many: string }> = {
  campaign: { one: 'campaign', many: 'campaigns' },
  adset: { one: 'ad set', many: 'ad sets' },
  ad: { one: 'ad', many: 'ads' },
}

/** The judged object's level in words, singular and plural ("ad set", "ad sets"). */
export function nounsOf(level: SuggestionLevel): { one: string; many: string } {
  return NOUNS[level]
}
