/**
 * Budgets a person would type: round to a step of about three significant figures, never finer than one major
 * unit of the currency ($1, ¥1). Minor units come from Meta's offset: JPY has none, so minor = yen.
 * Rounding is always towards the current budget, so a proposal never exceeds the allowed change.
 */
import { currencyOffset } from '../../lib/money.ts'

export function budgetStepMinor(amountMinor: number, currency: string): number {
  const offset = currencyOffset(currency)
  const major = Math.abs(amountMinor) / offset
  const step = major >= 1 ? Math.max(1, 10 ** (Math.floor(Math.log10(major)) - 2)) : 1
  return step * offset
}

/** The budget after raising `fromMinor` by at most `maxPct` percent, rounded down to a step; null if it can't go up. */
export function raisedBudget(fromMinor: number, maxPct: number, currency: string): number | null {
  const raw = Math.floor(fromMinor * (1 + maxPct / 100))
  const step = budgetStepMinor(raw, currency)
  let to = Math.floor(raw / step) * step
  if (to <= fromMinor) to = raw // too small a budget for a round step: exact minor units
  return to > fromMinor ? to : null
}

/** The budget after lowering `fromMinor` towards `targetMinor`, by at most `maxPct` percent, rounded up to a step. */
export function loweredBudget(fromMinor: number, targetMinor: number, maxPct: number, currency: string): number | null {
  const floor = Math.ceil(fromMinor * (1 - maxPct / 100))
  const raw = Math.max(floor, Math.ceil(targetMinor))
  const step = budgetStepMinor(raw, currency)
  let to = Math.ceil(raw / step) * step
  if (to >= fromMinor) to = raw
  return to < fromMinor && to > 0 ? to : null
}
