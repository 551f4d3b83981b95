/**
 * Currency facts the simulator needs: Meta's minor-unit offsets (budgets are integers in minor
 * units, insights money is a decimal string in major units), rough USD exchange rates and market
 * cost levels for realistic numbers, and the per-currency minimum daily budgets.
 */

export interface CurrencyInfo {
  code: string
  /** Minor units per major unit: 100 for USD, 1 for JPY. */
  offset: number
  symbol: string
  /** Units of this currency per USD (rough, for realistic budgets and costs). */
  perUsd: number
  /** Relative auction cost level of the market usually served in this currency (US = 1). */
  costLevel: number
  /** Meta's Help Center groups: 'A' = $1/$5/$40 minimums, 'B' = $0.50/$2.50/$20 converted. */
  minimumGroup: 'A' | 'B'
  /** Country code used in generated campaign names. */
  geo: string
}

const TABLE: Record<string, Omit<CurrencyInfo, 'code'>> = {
  USD: { offset: 100, symbol: '$', perUsd: 1, costLevel: 1, minimumGroup: 'A', geo: 'US' },
  EUR: { offset: 100, symbol: '€', perUsd: 0.92, costLevel: 0.85, minimumGroup: 'A', geo: 'DE' },
  GBP: { offset: 100, symbol: '£', perUsd: 0.79, costLevel: 0.95, minimumGroup: 'A', geo: 'UK' },
  JPY: { offset: 1, symbol: '¥', perUsd: 150, costLevel: 0.8, minimumGroup: 'A', geo: 'JP' },
  INR: { offset: 100, symbol: '₹', perUsd: 83, costLevel: 0.3, minimumGroup: 'B', geo: 'IN' },
  AUD: { offset: 100, symbol: 'A$', perUsd: 1.5, costLevel: 0.9, minimumGroup: 'A', geo: 'AU' },
  CAD: { offset: 100, symbol: 'CA$', perUsd: 1.36, costLevel: 0.9, minimumGroup: 'A', geo: 'CA' },
  CHF: { offset: 100, symbol: 'CHF ', perUsd: 0.88, costLevel: 1.1, minimumGroup: 'A', geo: 'CH' },
  SEK: { offset: 100, symbol: 'SEK ', perUsd: 10.5, costLevel: 0.8, minimumGroup: 'A', geo: 'SE' },
  NOK: { offset: 100, symbol: 'NOK ', perUsd: 10.7, costLevel: 0.8, minimumGroup: 'A', geo: 'NO' },
  DKK: { offset: 100, symbol: 'DKK ', perUsd: 6.9, costLevel: 0.8, minimumGroup: 'A', geo: 'DK' },
  NZD: { offset: 100, symbol: 'NZ$', perUsd: 1.65, costLevel: 0.8, minimumGroup: 'A', geo: 'NZ' },
  SGD: { offset: 100, symbol: 'S$', perUsd: 1.34, costLevel: 0.8, minimumGroup: 'A', geo: 'SG' },
  HKD: { offset: 100, symbol: 'HK$', perUsd: 7.8, costLevel: 0.7, minimumGroup: 'A', geo: 'HK' },
  BRL: { offset: 100, symbol: 'R$', perUsd: 5, costLevel: 0.35, minimumGroup: 'B', geo: 'BR' },
  MXN: { offset: 100, symbol: 'MX$', perUsd: 17, costLevel: 0.35, minimumGroup: 'B', geo: 'MX' },
  KRW: { offset: 1, symbol: '₩', perUsd: 1350, costLevel: 0.7, minimumGroup: 'A', geo: 'KR' },
  TWD: { offset: 1, symbol: 'NT$', perUsd: 32, costLevel: 0.6, minimumGroup: 'A', geo: 'TW' },
  CLP: { offset: 1, symbol: 'CLP ', perUsd: 930, costLevel: 0.35, minimumGroup: 'B', geo: 'CL' },
  COP: { offset: 1, symbol: 'COP ', perUsd: 4000, costLevel: 0.3, minimumGroup: 'B', geo: 'CO' },
  HUF: { offset: 1, symbol: 'HUF ', perUsd: 360, costLevel: 0.45, minimumGroup: 'B', geo: 'HU' },
  IDR: { offset: 1, symbol: 'Rp', perUsd: 15700, costLevel: 0.25, minimumGroup: 'B', geo: 'ID' },
  ISK: { offset: 1, symbol: 'ISK ', perUsd: 138, costLevel: 0.8, minimumGroup: 'B', geo: 'IS' },
  PYG: { offset: 1, symbol: 'PYG ', perUsd: 7300, costLevel: 0.3, minimumGroup: 'B', geo: 'PY' },
  CRC: { offset: 1, symbol: 'CRC ', perUsd: 520, costLevel: 0.35, minimumGroup: 'B', geo: 'CR' },
  VND: { offset: 1, symbol: '₫', perUsd: 24500, costLevel: 0.25, minimumGroup: 'B', geo: 'VN' },
}

export function currencyInfo(code: string): CurrencyInfo {
  const upper = code.toUpperCase()
  const known = TABLE[upper]
  if (known) return { code: upper, ...known }
  return { code: upper, offset: 100, symbol: `${upper} `, perUsd: 1, costLevel: 0.6, minimumGroup: 'B', geo: 'XX' }
}

export function isKnownCurrency(code: string): boolean {
  return code.toUpperCase() in TABLE
}

/** Converts a USD amount to this currency's major units, rounded to a "price-like" value. */
function niceMajor(usd: number, c: CurrencyInfo): number {
  const major = usd * c.perUsd
  if (major < 10) return Math.ceil(major)
  if (major < 1000) return Math.round(major / 10) * 10
  return Math.round(major / 50) * 50
}

export interface MinimumBudgets {
  currency: string
  min_daily_budget_imp: number
  min_daily_budget_high_freq: number
  min_daily_budget_low_freq: number
  min_daily_budget_video_views: number
}

/** Minimum daily budgets in minor units, per Meta's Help Center tiers (see reference §2). */
export function minimumBudgets(code: string, bidAmountMinor?: number): MinimumBudgets {
  const c = currencyInfo(code)
  const scale = c.minimumGroup === 'A' ? 1 : 0.5
  const minor = (usd: number): number => {
    const base = niceMajor(usd * scale, c) * c.offset
    return bidAmountMinor !== undefined && bidAmountMinor > 0 ? Math.max(base, bidAmountMinor * 5) : base
  }
  return {
    currency: c.code,
    min_daily_budget_imp: minor(1),
    min_daily_budget_high_freq: minor(5),
    min_daily_budget_low_freq: minor(40),
    min_daily_budget_video_views: minor(1),
  }
}

/** `$5.00`, `¥750`, `₹1,660.00`: how Meta writes amounts in user-facing error messages. */
export function formatMoneyForUser(minor: number, code: string): string {
  const c = currencyInfo(code)
  const decimals = c.offset === 1 ? 0 : 2
  const major = minor / c.offset
  return `${c.symbol}${major.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals })}`
}

/** Rounds a USD-denominated budget to a typical budget value in minor units of this currency. */
export function budgetMinorFromUsd(usd: number, code: string): number {
  const c = currencyInfo(code)
  const major = usd * c.perUsd
  let rounded: number
  if (major < 50) rounded = Math.max(1, Math.round(major))
  else if (major < 500) rounded = Math.round(major / 5) * 5
  else if (major < 5000) rounded = Math.round(major / 50) * 50
  else rounded = Math.round(major / 500) * 500
  return rounded * c.offset
}
