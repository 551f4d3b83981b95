/** Parameter checks shared by the write routes: budgets, times, validate_only, minimum budgets, the hourly budget-change limit. */

import type { Ctx } from './context.ts'
import { minimumBudgets } from './currency.ts'
import { budgetChangeLimit, budgetTooLow, invalidParameter } from './errors.ts'
import { simMinimumKind } from './minimum-budget-table.ts'
import type { AccountRecord } from './records.ts'
import type { Objective } from './types.ts'

const HOUR_MS = 3_600_000
const BUDGET_CHANGES_PER_HOUR = 4

export function parseJsonList(raw: string, param: string): unknown[] {
  const trimmed = raw.trim()
  if (trimmed.startsWith('[')) {
    try {
      const v: unknown = JSON.parse(trimmed)
      if (Array.isArray(v)) return v
    } catch {
      // fall through to the error below
    }
    throw invalidParameter(`${param} must be an array`)
  }
  return trimmed === '' ? [] : trimmed.split(',').map((s) => s.trim())
}

export function isValidateOnly(ctx: Ctx): boolean {
  const raw = ctx.req.params.get('execution_options')
  if (raw === undefined || raw === '') return false
  const list = parseJsonList(raw, 'execution_options').map(String)
  for (const [i, v] of list.entries()) {
    if (v !== 'validate_only' && v !== 'include_recommendations') {
      throw invalidParameter(`execution_options[${i}] must be one of the following values: validate_only, include_recommendations`)
    }
  }
  return list.includes('validate_only')
}

export function parseBudget(raw: string | undefined, param: string): number | undefined {
  if (raw === undefined || raw === '') return undefined
  if (!/^\d+$/.test(raw.trim())) throw invalidParameter(`Param ${param} must be a non-negative integer`)
  const n = Number(raw.trim())
  if (!Number.isSafeInteger(n)) throw invalidParameter(`Param ${param} must be a non-negative integer`)
  return n
}

/** Accepts ISO-8601 (with offset) or UNIX seconds, as Graph does. */
export function parseTime(raw: string | undefined, param: string): number | undefined {
  if (raw === undefined || raw === '') return undefined
  const t = raw.trim()
  if (/^\d+$/.test(t)) return Number(t) * 1000
  const normalised = t.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')
  const ms = Date.parse(normalised)
  if (!Number.isFinite(ms)) throw invalidParameter(`Param ${param} must be a valid ISO-8601 time or UNIX timestamp`)
  return ms
}

/**
 * Meta's minimum daily budget (minor units) for what a budget funds: an ad set's follows its optimisation goal (the
 * simulator's own table, simMinimumKind); a campaign budget must cover each active ad set it funds (the highest of
 * their minimums). A campaign budget that funds no active ad set (a create, or all paused) is held to the minimum of
 * what its objective is charged for (Help Center: $1/day for impressions, $5/day for clicks, likes, video views or
 * engagement): awareness → impressions, any other objective → high_freq.
 */
function minimumDailyFor(account: AccountRecord, objective: Objective, goals: readonly string[]): number {
  const m = minimumBudgets(account.currency)
  if (goals.length === 0) return objective === 'OUTCOME_AWARENESS' ? m.min_daily_budget_imp : m.min_daily_budget_high_freq
  const of = {
    imp: m.min_daily_budget_imp,
    high_freq: m.min_daily_budget_high_freq,
    low_freq: m.min_daily_budget_low_freq,
    video_views: m.min_daily_budget_video_views,
  }
  return Math.max(...goals.map((g) => of[simMinimumKind(g)]))
}

export function checkMinimum(
  account: AccountRecord,
  objective: Objective,
  daily: number | undefined,
  lifetime: number | undefined,
  startMs: number,
  stopMs: number | undefined,
  objectKind: 'campaign' | 'ad set' = 'campaign',
  /** The optimisation goals of the ad sets the budget funds (the ad set itself, or the campaign's active ones). */
  goals: readonly string[] = [],
): void {
  const minDaily = minimumDailyFor(account, objective, goals)
  if (daily !== undefined && daily < minDaily) throw budgetTooLow(minDaily, account.currency, objectKind)
  if (lifetime !== undefined) {
    const days = stopMs !== undefined ? Math.max(1, Math.ceil((stopMs - startMs) / 86_400_000)) : 1
    if (lifetime < minDaily * days) throw budgetTooLow(minDaily * days, account.currency, objectKind)
  }
}

/** Throws 613/1487632 when the object already had 4 budget changes within the hour; returns the changes still counted. */
export function checkBudgetChangeLimit(changeTimes: readonly number[], nowMs: number): number[] {
  const recent = changeTimes.filter((t) => t > nowMs - HOUR_MS)
  if (recent.length >= BUDGET_CHANGES_PER_HOUR) throw budgetChangeLimit()
  return recent
}
