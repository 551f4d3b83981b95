export { runOptimizer } from './run-optimizer.ts'
export type {
  AdSetSeries,
  ArrivalCurve,
  CampaignSeries,
  Completeness,
  DailyPoint,
  OptimizerContext,
  ProposedChange,
  Suggestion,
  SuggestionKind,
  SuggestionLevel,
} from './types.ts'
export { SUGGESTION_KINDS } from './types.ts'
