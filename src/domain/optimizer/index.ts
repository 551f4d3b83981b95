export { runOptimizer } from './run-optimizer.ts'
export type {
  AdSetSeries,
  CampaignSeries,
  DailyPoint,
  OptimizerContext,
  ProposedChange,
  Suggestion,
  SuggestionKind,
  SuggestionLevel,
} from './types.ts'
export { SUGGESTION_KINDS } from './types.ts'
