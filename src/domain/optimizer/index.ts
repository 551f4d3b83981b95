export { runOptimizer } from './run-optimizer.ts'
export type {
  CampaignSeries,
  DailyPoint,
  OptimizerContext,
  ProposedChange,
  Suggestion,
  SuggestionKind,
} from './types.ts'
export { SUGGESTION_KINDS } from './types.ts'
