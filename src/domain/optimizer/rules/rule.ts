import type { ResultMetric } from '../../metrics/vocabulary.ts'
import type { PeerStats } from '../peers.ts'
import type { PreparedCampaign } from '../series.ts'
import type { Finding, OptimizerContext, OptimizerSettings } from '../types.ts'

export interface RuleEnv {
  ctx: OptimizerContext
  settings: OptimizerSettings
  currency: string
  /** One-sided error rate of each bound: (1 − confidence) / 2. */
  tail: number
  /** Same-objective peers, this campaign excluded (for an ad: the account's other ads). */
  peers: PeerStats
  /** What the peers are, in words: "campaigns" or "ads". */
  peerNoun: 'campaigns' | 'ads'
  /** What counts as a result for this campaign's objective, or null. */
  result: ResultMetric | null
}

export type Rule = (c: PreparedCampaign, env: RuleEnv) => Finding | null
