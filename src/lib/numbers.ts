/**
 * Numbers and counted nouns for people, one formatter for every surface (Slack blocks, the agent's tools, digests,
 * optimizer evidence). Grouping follows the account currency's locale conventions: Indian rupees group the Indian
 * way (4,85,202.08 — lakh and crore), everything else as en-US (1,234,567.5). Money itself is formatted by
 * lib/money.ts's formatMoney, which uses the same locale.
 */

/** The locale whose digit grouping an account in `currency` expects. */
export function localeForCurrency(currency: string | undefined): string {
  return currency?.trim().toUpperCase() === 'INR' ? 'en-IN' : 'en-US'
}

const cache = new Map<string, Intl.NumberFormat>()

function formatter(locale: string, min: number, max: number): Intl.NumberFormat {
  const key = `${locale}|${min}|${max}`
  let f = cache.get(key)
  if (!f) {
    f = new Intl.NumberFormat(locale, { minimumFractionDigits: min, maximumFractionDigits: max })
    cache.set(key, f)
  }
  return f
}

export interface NumberOptions {
  /** The account currency whose locale groups the digits (en-US when absent). */
  currency?: string
  /** Decimals at most (default 0). */
  maxDigits?: number
  /** Decimals at least (default 0; never more than maxDigits). */
  minDigits?: number
}

/** 1234567 → "1,234,567"; 485202 with currency INR → "4,85,202"; 2.345 with maxDigits 1 → "2.3". */
export function formatNumber(n: number, options: NumberOptions = {}): string {
  const max = options.maxDigits ?? 0
  const min = Math.min(options.minDigits ?? 0, max)
  const text = formatter(localeForCurrency(options.currency), min, max).format(n)
  return text === '-0' ? '0' : text
}

/** A percentage already in percent: 1.234 → "1.23%" (fixed decimals, default 2). */
export function formatPercent(n: number, digits = 2, currency?: string): string {
  return `${formatNumber(n, { currency, maxDigits: digits, minDigits: digits })}%`
}

/** A multiple such as ROAS: 2.5 → "2.50×". */
export function formatRatio(n: number, digits = 2): string {
  return `${formatNumber(n, { maxDigits: digits, minDigits: digits })}×`
}

/**
 * A count with its noun, singular for exactly one: plural(1, 'lead') → "1 lead", plural(2, 'lead') → "2 leads",
 * plural(1, 'link click') → "1 link click", plural(3, 'campaign', 'campaigns') → "3 campaigns". Fractional counts
 * (daily averages) keep one decimal and take the plural ("1.5 leads").
 */
export function plural(n: number, one: string, many = `${one}s`, currency?: string): string {
  const shown = Number.isInteger(n) ? formatNumber(n, { currency }) : formatNumber(n, { currency, maxDigits: 1 })
  return `${shown} ${shown === '1' ? one : many}`
}
