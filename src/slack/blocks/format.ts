import { percentChange } from '../../domain/metrics/vocabulary.ts'
import { formatMoney } from '../../lib/money.ts'
import { formatNumber, formatPercent, formatRatio } from '../../lib/numbers.ts'

/** Whole numbers grouped by the account currency's locale (INR: 4,85,202). */
export const fmtInt = (n: number, currency?: string) => formatNumber(Math.round(n), { currency })
export const fmtPct = (n: number | null, digits = 2) => (n === null ? '—' : formatPercent(n, digits))
/** A fractional figure (frequency): 2.345 → "2.35". */
export const fmtDecimal = (n: number, currency?: string, digits = 2) => formatNumber(n, { currency, maxDigits: digits, minDigits: digits })
export const fmtMoney = (minor: number | null, currency: string) => (minor === null ? '—' : formatMoney(Math.round(minor), currency))
export const fmtRatio = (n: number | null) => (n === null ? '—' : formatRatio(n))

/**
 * " (▲ 12%)" against the previous period; a change for the worse is marked with a red triangle
 * (for cost metrics, lower is better).
 */
export function fmtDelta(current: number | null, previous: number | null, lowerIsBetter = false): string {
  const change = percentChange(current, previous)
  if (change === null) return ''
  if (Math.abs(change) < 0.5) return ' (±0%)'
  const up = change > 0
  const worse = lowerIsBetter ? up : !up
  return ` (${up ? '▲' : '▼'} ${formatNumber(Math.abs(change))}%)${worse ? ' :small_red_triangle_down:' : ''}`
}

export function statusEmoji(status: string): string {
  switch (status) {
    case 'ACTIVE':
      return ':large_green_circle:'
    case 'PAUSED':
      return ':double_vertical_bar:'
    default:
      return ':white_circle:'
  }
}

/** What the campaign status icons mean (shown wherever statusEmoji marks a campaign). */
export const CAMPAIGN_STATUS_LEGEND =
  ':large_green_circle: active · :double_vertical_bar: paused · :white_circle: anything else (archived, deleted, in review)'

/** A change's status, as an icon for lists (history); the legend says what each means. */
export const CHANGE_STATUS_ICON: Record<string, string> = {
  PROPOSED: ':hourglass:',
  APPROVED: ':hourglass_flowing_sand:',
  APPLYING: ':hourglass_flowing_sand:',
  APPLIED: ':white_check_mark:',
  FAILED: ':x:',
  REJECTED: ':no_entry_sign:',
  EXPIRED: ':zzz:',
}
export const CHANGE_STATUS_LEGEND =
  ':hourglass: waiting for approval · :hourglass_flowing_sand: being applied · :white_check_mark: applied · :x: failed · :no_entry_sign: rejected · :zzz: expired'
/** The guardrail marks on a change card. */
export const GUARDRAIL_LEGEND = ':white_check_mark: within the guardrail · :x: refused by it · :information_source: for your information'
