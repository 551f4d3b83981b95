import { currencyOffset } from '../../lib/money.ts'
import type { OptimizerContext, OptimizerSettings } from './types.ts'

/** Campaigns are not judged on cost during their first days of delivery (Meta's learning phase). */
export const LEARNING_DAYS = 7

const DEFAULT_SETTINGS: Omit<OptimizerSettings, 'minSpendMinorPerUnit'> = {
  minImpressions: 1_000,
  minResults: 10,
  lookbackDays: 7,
  baselineDays: 28,
  confidence: 0.9,
  maxBudgetIncreasePct: 20,
}

export function resolveSettings(ctx: OptimizerContext): OptimizerSettings {
  const s = ctx.settings ?? {}
  const pick = <K extends keyof OptimizerSettings>(key: K, fallback: number, min: number, max: number): number => {
    const v = s[key]
    return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : fallback
  }
  return {
    minImpressions: pick('minImpressions', DEFAULT_SETTINGS.minImpressions, 0, Number.MAX_SAFE_INTEGER),
    minSpendMinorPerUnit: pick('minSpendMinorPerUnit', currencyOffset(ctx.currency), 0, Number.MAX_SAFE_INTEGER),
    minResults: pick('minResults', DEFAULT_SETTINGS.minResults, 1, Number.MAX_SAFE_INTEGER),
    lookbackDays: Math.round(pick('lookbackDays', DEFAULT_SETTINGS.lookbackDays, 3, 60)),
    baselineDays: Math.round(pick('baselineDays', DEFAULT_SETTINGS.baselineDays, 7, 180)),
    confidence: pick('confidence', DEFAULT_SETTINGS.confidence, 0.5, 0.999),
    maxBudgetIncreasePct: pick('maxBudgetIncreasePct', DEFAULT_SETTINGS.maxBudgetIncreasePct, 1, 100),
  }
}
