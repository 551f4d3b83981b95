export { runOptimizer } from './run-optimizer.ts'
export { DEFAULT_SETTINGS, LEARNING_DAYS, resolveSettings } from './settings.ts'
export { SUGGESTION_KINDS } from './types.ts'
export type {
  CampaignSeries,
  DailyPoint,
  Evidence,
  OptimizerContext,
  OptimizerSettings,
  ProposedChange,
  Suggestion,
  SuggestionKind,
} from './types.ts'
