import type { ResultMetric } from '../../metrics/vocabulary.ts'
import type { PeerStats } from '../peers.ts'
import type { PreparedCampaign } from '../series.ts'
import type { OptimizerContext, OptimizerSettings, Suggestion } from '../types.ts'

export interface RuleEnv {
  ctx: OptimizerContext
  settings: OptimizerSettings
  currency: string
  /** One-sided error rate of each bound: (1 − confidence) / 2. */
  tail: number
  /** Same-objective peers, this campaign excluded. */
  peers: PeerStats
  /** What counts as a result for this campaign's objective, or null. */
  result: ResultMetric | null
}

export type Rule = (c: PreparedCampaign, env: RuleEnv) => Suggestion | null
