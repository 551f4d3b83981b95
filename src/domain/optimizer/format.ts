/** Human-readable numbers for evidence lines. */
import { formatMoney } from '../../lib/money.ts'
import { plural as countNoun, formatNumber } from '../../lib/numbers.ts'

export function money(minor: number, currency: string): string {
  return formatMoney(Math.round(minor), currency)
}

/** 0.02414 → "2.41%" */
export function pct(rate: number, digits = 2): string {
  return `${formatNumber(rate * 100, { maxDigits: digits, minDigits: digits })}%`
}

/** Signed relative change: 0.34 → "+34%", −0.2 → "−20%". */
export function change(relative: number): string {
  const v = Math.round(relative * 100)
  return `${v >= 0 ? '+' : '−'}${Math.abs(v)}%`
}

export function count(n: number): string {
  return formatNumber(Math.round(n))
}

export function decimal(n: number, digits = 2): string {
  return formatNumber(n, { maxDigits: digits, minDigits: digits })
}

/** Confidence rounded for display and storage: never claims certainty. */
export function roundConfidence(c: number): number {
  return Math.min(0.999, Math.max(0, Math.round(c * 1000) / 1000))
}

export function plural(n: number, one: string, many: string): string {
  return countNoun(Math.round(n), one, many)
}
