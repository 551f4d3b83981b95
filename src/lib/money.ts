/**
 * Money helpers. Promoly stores every amount as an integer in the currency's MINOR unit, the way Meta's
 * budgets are expressed (`daily_budget=5000` is $50.00; for zero-decimal currencies such as JPY, 5000 is ¥5,000).
 * Meta's Insights money fields are decimal strings in MAJOR units ("41.37") and must go through
 * `majorStringToMinor` before they are mixed with budgets.
 */
import { AppError, AppErrorCode } from './errors.ts'
import { echoInput } from './mrkdwn.ts'
import { localeForCurrency } from './numbers.ts'

/** Currencies whose Meta offset is 1 (amounts have no minor unit on Meta). */
const ZERO_DECIMAL_CURRENCIES: ReadonlySet<string> = new Set(['CLP', 'COP', 'CRC', 'HUF', 'ISK', 'IDR', 'JPY', 'KRW', 'PYG', 'TWD', 'VND'])

function normalizeCurrency(currency: string): string {
  return currency.trim().toUpperCase()
}

/** Meta's currency offset: minor = major × offset. 1 for zero-decimal currencies, otherwise 100. */
export function currencyOffset(currency: string): 1 | 100 {
  return ZERO_DECIMAL_CURRENCIES.has(normalizeCurrency(currency)) ? 1 : 100
}

/**
 * About how many MAJOR units of each currency Meta accepts for ad accounts make US$1 (rates of late 2026, rounded).
 * Deliberately approximate: they only put a limit in the right order of magnitude where an account has nothing
 * of its own to compare with (see `usdToMinor`), the way Meta's Help Center converts its $1/$5/$40 minimum
 * budgets into every currency. Fast-moving currencies (ARS, NGN, TRY…) drift; a limit derived from them is
 * one an admin can override.
 */
const UNITS_PER_USD: Readonly<Record<string, number>> = {
  AED: 3.67,
  ARS: 1450,
  AUD: 1.5,
  BDT: 122,
  BGN: 1.7,
  BOB: 6.9,
  BRL: 5.4,
  CAD: 1.38,
  CHF: 0.8,
  CLP: 950,
  CNY: 7.1,
  COP: 4000,
  CRC: 520,
  CZK: 21,
  DKK: 6.4,
  DZD: 130,
  EGP: 48,
  EUR: 0.86,
  GBP: 0.75,
  GTQ: 7.7,
  HKD: 7.8,
  HNL: 26,
  HUF: 360,
  IDR: 16_000,
  ILS: 3.3,
  INR: 88,
  ISK: 140,
  JPY: 150,
  KES: 129,
  KRW: 1400,
  LKR: 300,
  MAD: 9.2,
  MOP: 8,
  MXN: 18.5,
  MYR: 4.2,
  NGN: 1500,
  NIO: 36.8,
  NOK: 10,
  NZD: 1.75,
  PEN: 3.4,
  PHP: 58,
  PKR: 280,
  PLN: 3.7,
  PYG: 7500,
  QAR: 3.64,
  RON: 4.4,
  RSD: 100,
  SAR: 3.75,
  SEK: 9.5,
  SGD: 1.3,
  THB: 32,
  TRY: 42,
  TWD: 32,
  UAH: 42,
  USD: 1,
  UYU: 40,
  VND: 25_000,
  ZAR: 17.5,
}

/**
 * About `usd` US dollars in `currency`, in minor units, or null for a currency Promoly has no rate for.
 * Deterministic, so a limit derived from it is the same at proposal, approval and apply.
 */
export function usdToMinor(usd: number, currency: string): number | null {
  const code = normalizeCurrency(currency)
  const perUsd = UNITS_PER_USD[code]
  if (perUsd === undefined) return null
  return Math.round(usd * perUsd * currencyOffset(code))
}

/**
 * About `minor` (minor units of `from`) in minor units of `to`, by the approximate per-USD rates above; null when
 * either currency has no rate. The same amount when both are one currency.
 */
export function convertMinor(minor: number, from: string, to: string): number | null {
  const a = normalizeCurrency(from)
  const b = normalizeCurrency(to)
  if (a === b) return minor
  const fromPerUsd = UNITS_PER_USD[a]
  if (fromPerUsd === undefined) return null
  return usdToMinor(minor / currencyOffset(a) / fromPerUsd, b)
}

/** Number of decimal places a currency has on Meta (0 or 2). */
export function currencyDecimals(currency: string): 0 | 2 {
  return currencyOffset(currency) === 1 ? 0 : 2
}

const DECIMAL_RE = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/

/**
 * Parses a decimal amount in MAJOR units ("41.37", "1234", "0.005", 12.5) into integer minor units without
 * floating-point arithmetic. Rounds half away from zero ("0.005" USD → 1, "-0.005" → -1, "1234.5" JPY → 1235).
 * Throws AppError BAD_INPUT for anything that is not a finite decimal or does not fit a safe integer.
 */
export function majorStringToMinor(value: string | number, currency: string): number {
  let text: string
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw badAmount(String(value))
    text = String(value) // shortest round-trip representation, may use exponent notation
  } else {
    text = value.trim()
  }
  const m = DECIMAL_RE.exec(text)
  const intPart = m?.[2] ?? ''
  const fracPart = m?.[3] ?? ''
  if (!m || (intPart === '' && fracPart === '')) throw badAmount(text)
  const negative = m[1] === '-'
  const exponent = m[4] === undefined ? 0 : Number(m[4])
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 400) throw badAmount(text)

  const digits = BigInt(`${intPart}${fracPart}` || '0')
  // value = digits × 10^(exponent − fracLen); minor = value × 10^decimals
  const shift = exponent - fracPart.length + currencyDecimals(currency)
  let minor: bigint
  if (shift >= 0) {
    minor = digits * 10n ** BigInt(shift)
  } else {
    const divisor = 10n ** BigInt(-shift)
    minor = digits / divisor
    const remainder = digits % divisor
    if (remainder * 2n >= divisor) minor += 1n // half away from zero (sign applied below)
  }
  if (negative) minor = -minor
  const result = Number(minor)
  if (!Number.isSafeInteger(result)) throw badAmount(text)
  return result === 0 ? 0 : result // no -0
}

/** Minor units → major units as a number (for display math; store minor units). 4137 USD → 41.37. */
export function minorToMajor(minor: number, currency: string): number {
  return minor / currencyOffset(currency)
}

/** Exact decimal string of a minor amount in major units: 4137 USD → "41.37", -5 USD → "-0.05", 1235 JPY → "1235". */
function minorToDecimalString(minor: number, currency: string): string {
  if (!Number.isInteger(minor)) return String(minorToMajor(minor, currency))
  const decimals = currencyDecimals(currency)
  const negative = minor < 0
  const abs = BigInt(Math.abs(minor)).toString()
  if (decimals === 0) return `${negative ? '-' : ''}${abs}`
  const padded = abs.padStart(decimals + 1, '0')
  return `${negative ? '-' : ''}${padded.slice(0, -decimals)}.${padded.slice(-decimals)}`
}

const formatters = new Map<string, Intl.NumberFormat>()

/**
 * Formats minor units for people with the currency's locale conventions (lib/numbers.ts): 123456 USD → "$1,234.56",
 * 1235 JPY → "¥1,235", 1230 EUR → "€12.30", 48520208 INR → "₹4,85,202.08".
 */
export function formatMoney(minor: number, currency: string): string {
  const code = normalizeCurrency(currency)
  const decimals = currencyDecimals(code)
  const amount = minorToDecimalString(minor, code)
  let formatter = formatters.get(code)
  if (!formatter) {
    try {
      formatter = new Intl.NumberFormat(localeForCurrency(code), {
        style: 'currency',
        currency: code,
        minimumFractionDigits: decimals,
        maximumFractionDigits: decimals,
      })
    } catch {
      // Not a well-formed ISO 4217 code: show the number with the code after it.
      const plain = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals })
      return `${plain.format(amount as Intl.StringNumericLiteral)} ${code}`
    }
    formatters.set(code, formatter)
  }
  return formatter.format(amount as Intl.StringNumericLiteral)
}

const GROUPED_RE = /^\d{1,3}(?:,\d{3})+(?:\.\d*)?$/
const PLAIN_RE = /^\d+(?:\.\d*)?$|^\.\d+$/

/** Whose amount it is, for the refusal of another currency: "This campaign's budget" is in EUR. */
export interface MoneyInputOptions {
  /** Default "This ad account". */
  subject?: string
}

/**
 * Parses what a person typed ("50", "50.5", "1,000", "$50", "50 usd", "€12.30") into minor units of `currency`.
 * Throws AppError BAD_INPUT with a readable message for empty or garbage input, negative amounts, and more
 * decimals than the currency has (e.g. "12.5" for JPY). An amount in another currency is refused, never
 * reinterpreted: a symbol only counts when the account's currency is written with it ("$" for USD, CAD, AUD…;
 * "¥" for JPY and CNY), a code only when it is the account's.
 */
export function parseMoneyInput(text: string, currency: string, options: MoneyInputOptions = {}): number {
  const code = normalizeCurrency(currency)
  const original = text.trim()
  if (original === '') throw new AppError(AppErrorCode.BAD_INPUT, 'Please enter an amount, for example 50 or 12.50.')

  let s = original.replace(/[\s\u00a0\u202f]+/g, ' ')
  // Currency code before or after the number ("USD 50", "50 usd").
  const escaped = code.replace(/[^A-Z0-9]/g, (c) => `\\${c}`)
  const codeRe = new RegExp(`^${escaped}\\s*|\\s*${escaped}$`, 'i')
  s = s.replace(codeRe, '').trim()
  // Accounting-style parentheses or a minus anywhere in front: negative.
  const negative = /^\(.*\)$/.test(s) || /^[^\d.]*[-−–]/.test(s)
  if (negative) throw new AppError(AppErrorCode.BAD_INPUT, `The amount can't be negative: "${echoInput(original, 40)}".`)
  if (s.startsWith('+')) s = s.slice(1).trim()
  // A currency symbol, optionally with a short letter prefix ("$", "US$", "R$", "€", "¥"), before or after:
  // only the account currency's own ("¥5000" on a USD account is refused, never read as $5,000).
  const symbol = /^([A-Za-z]{0,3}\p{Sc})\s*/u.exec(s)?.[1] ?? /\s*(\p{Sc})$/u.exec(s)?.[1]
  const otherCode = /^([A-Za-z]{3})\s*[\d.]|[\d.]\s*([A-Za-z]{3})$/.exec(s)
  const letters = (otherCode?.[1] ?? otherCode?.[2])?.toUpperCase()
  const foreign =
    symbol !== undefined && !isSymbolOf(symbol, code)
      ? (currencyOfSymbol(symbol) ?? symbol)
      : letters && ISO_CURRENCIES.has(letters)
        ? letters
        : undefined
  if (foreign !== undefined) {
    const number = s.replace(/^[A-Za-z]{0,3}\p{Sc}\s*|\s*\p{Sc}$|^[A-Za-z]{3}\s*|\s*[A-Za-z]{3}$/gu, '').trim()
    throw new AppError(AppErrorCode.BAD_INPUT, otherCurrencyMessage(original, foreign, code, number, options.subject))
  }
  s = s
    .replace(/^[A-Za-z]{0,3}\p{Sc}\s*/u, '')
    .replace(/\s*\p{Sc}$/u, '')
    .trim()

  if (!GROUPED_RE.test(s) && !PLAIN_RE.test(s)) {
    const hint = /^\d+,\d{1,2}$/.test(s) ? ' Use a dot for decimals, for example 12.50.' : ' Try something like 50 or 12.50.'
    throw new AppError(AppErrorCode.BAD_INPUT, `"${echoInput(original, 40)}" isn't an amount I understand.${hint}`)
  }
  const plain = s.replace(/,/g, '')
  const fraction = plain.includes('.') ? (plain.split('.')[1] ?? '') : ''
  const decimals = currencyDecimals(code)
  if (fraction.replace(/0+$/, '').length > decimals) {
    const rule = decimals === 0 ? `${code} amounts can't have decimals` : `${code} amounts can have at most ${decimals} decimal places`
    throw new AppError(AppErrorCode.BAD_INPUT, `${rule}: "${echoInput(original, 40)}".`)
  }
  try {
    return majorStringToMinor(plain, code)
  } catch {
    throw new AppError(AppErrorCode.BAD_INPUT, `"${echoInput(original, 40)}" is too large to be an amount.`)
  }
}

/**
 * "This campaign's budget is in EUR; `$80` is in USD. Write the amount in EUR, e.g. `€50` or `50 EUR`." The typed
 * text is quoted in code spans (backticks in it are dropped). The example is a neutral number, never the typed one
 * re-labelled (`¥5000` is not `$5000`): an example that happens to equal the typed number is replaced.
 */
function otherCurrencyMessage(typed: string, foreign: string, code: string, number: string, subject = 'This ad account'): string {
  const quoted = (t: string) => `\`${echoInput(t.replaceAll('`', ''), 40)}\``
  const n = Number(number.replaceAll(',', '')) === 50 ? '100' : '50'
  const own = symbolsOf(code).find((sym) => sym.toUpperCase() !== code)
  const forms = own ? `${quoted(`${own}${n}`)} or ${quoted(`${n} ${code}`)}` : quoted(`${n} ${code}`)
  return `${subject} is in ${code}; ${quoted(typed)} is in ${foreign}. Write the amount in ${code}, e.g. ${forms}.`
}

const ISO_CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'))

/** Currency words that name one currency only (typed after an amount: "9000 yen"). */
const CURRENCY_WORDS: Readonly<Record<string, string>> = { yen: 'JPY', euro: 'EUR', euros: 'EUR', yuan: 'CNY', renminbi: 'CNY' }
/** Words several currencies share ("dollars": USD, CAD, AUD…): never read as one of them. */
const SHARED_CURRENCY_WORDS =
  /^(dollars?|bucks?|pounds?|quid|rupees?|pesos?|francs?|kron[aeor]r?|crowns?|dinars?|riyals?|rials?|shillings?|cents?|pence)$/i

/**
 * A word typed after an amount as its currency: the ISO code for a code in any case ("usd", "JPY") or a word that
 * names one currency ("yen"); 'shared' for a word of several currencies ("dollars", "pounds"); null for any other word.
 */
export function currencyOfWord(word: string): string | 'shared' | null {
  const w = word.trim()
  if (/^[A-Za-z]{3}$/.test(w) && ISO_CURRENCIES.has(w.toUpperCase())) return w.toUpperCase()
  const named = CURRENCY_WORDS[w.toLowerCase()]
  if (named) return named
  return SHARED_CURRENCY_WORDS.test(w) ? 'shared' : null
}

/** The symbol people write a currency with ("£" for GBP, "$" for USD, "¥" for JPY), or its code when it has none. */
export function currencySymbol(currency: string): string {
  const code = normalizeCurrency(currency)
  return symbolsOf(code).find((sym) => sym.toUpperCase() !== code) ?? code
}

/** The symbols a currency is written with in en-US ("$" for USD; "CA$" and "$" for CAD; "¥" for JPY). */
function symbolsOf(code: string): string[] {
  const found: string[] = []
  for (const currencyDisplay of ['symbol', 'narrowSymbol'] as const) {
    try {
      const parts = new Intl.NumberFormat('en-US', { style: 'currency', currency: code, currencyDisplay }).formatToParts(1)
      const symbol = parts.find((p) => p.type === 'currency')?.value
      if (symbol && !found.includes(symbol)) found.push(symbol)
    } catch {
      // not an ISO 4217 code: no symbols
    }
  }
  return found
}

/** "$", "US$" for USD; "R$" for BRL; "€" for EUR: one of the currency's symbols, or its letters before its sign. */
function isSymbolOf(typed: string, code: string): boolean {
  const sign = typed.slice(-1)
  const letters = typed.slice(0, -1).toUpperCase()
  return symbolsOf(code).some((symbol) => {
    if (symbol.toUpperCase() === typed.toUpperCase()) return true
    return symbol.endsWith(sign) && letters !== '' && code.startsWith(letters)
  })
}

let currencyBySymbol: Map<string, string> | undefined

/**
 * The currency a symbol names when it is not the account's: the one whose en-US symbol it is ("$" USD, "¥" JPY,
 * "CN¥" CNY, "£" GBP, "R$" BRL), else the code its letters start ("US$" USD); undefined when none fits.
 */
function currencyOfSymbol(typed: string): string | undefined {
  if (!currencyBySymbol) {
    currencyBySymbol = new Map()
    for (const c of ISO_CURRENCIES) {
      const [symbol] = symbolsOf(c)
      if (symbol && symbol !== c && !currencyBySymbol.has(symbol)) currencyBySymbol.set(symbol, c)
    }
  }
  const exact = currencyBySymbol.get(typed) ?? currencyBySymbol.get(typed.toUpperCase())
  if (exact) return exact
  const letters = typed.slice(0, -1).toUpperCase()
  if (letters === '') return undefined
  return [...ISO_CURRENCIES].find((c) => c.startsWith(letters) && symbolsOf(c).some((sym) => sym.endsWith(typed.slice(-1))))
}

function badAmount(text: string): AppError {
  return new AppError(AppErrorCode.BAD_INPUT, `"${text}" is not a valid amount.`)
}
