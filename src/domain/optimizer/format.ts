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

/** How sure a finding is, in words a marketer reads at a glance (the number itself goes with the statistics). */
export function chance(confidence: number): string {
  if (confidence >= 0.99) return 'very unlikely to be chance'
  if (confidence >= 0.95) return 'unlikely to be chance'
  if (confidence >= 0.8) return 'probably not chance'
  return 'possibly chance'
}

/** "Cost per lead" from "cost per lead": a sentence starts with a capital. */
export function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** "×3.5" (one decimal below 10, none above). */
export function times(ratio: number): string {
  return `×${ratio >= 10 ? Math.round(ratio).toString() : (Math.round(ratio * 10) / 10).toString()}`
}

/** A confidence as a percentage that never reads as certainty: 0.995 → "99%". */
export function confidencePct(confidence: number): string {
  return `${Math.min(99, Math.floor(confidence * 100))}%`
}
