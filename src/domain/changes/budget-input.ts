import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { currencySymbol, formatMoney, parseMoneyInput } from '../../lib/money.ts'
import { echoInput } from '../../lib/mrkdwn.ts'

/**
 * What a person typed for a campaign's new budget, read without guessing:
 * - `60`, `$60`, `60 USD`, `€60`: the new budget (an amount in another currency than the account's is refused);
 * - `+20%`, `-10 %`: a relative change;
 * - `+$20`, `-€5`, `+20 EUR`: so much more or less money;
 * - `+20`, `-20` (a sign, no % and no currency): ambiguous, to be asked ("+20 % or +$20.00/day?").
 */
export type BudgetInput =
  | { kind: 'absolute'; minor: number }
  | { kind: 'percent'; percent: number }
  | { kind: 'delta'; minor: number }
  | { kind: 'ambiguous'; percent: number; deltaMinor: number }

/** A budget input that says what it means (not ambiguous). */
export type BudgetChoice = Exclude<BudgetInput, { kind: 'ambiguous' }>

const SUBJECT = "This campaign's budget"
const PERCENT = /^([+-])\s*(\d+(?:\.\d+)?)\s*%$/
const UNSIGNED_PERCENT = /^(\d+(?:\.\d+)?)\s*%$/
const BARE_NUMBER = /^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^\.\d+$/

export function parseBudgetInput(text: string, currency: string): BudgetInput {
  const typed = text.trim().replace(/^[−–]/, '-')
  const pct = PERCENT.exec(typed)
  if (pct) return { kind: 'percent', percent: (pct[1] === '-' ? -1 : 1) * Number(pct[2]) }
  if (UNSIGNED_PERCENT.test(typed))
    throw new AppError(
      AppErrorCode.BAD_INPUT,
      `Say which way: \`+${echoInput(typed.replaceAll('`', ''), 20)}\` or \`-${echoInput(typed.replaceAll('`', ''), 20)}\`.`,
    )
  const sign = typed.startsWith('+') ? 1 : typed.startsWith('-') ? -1 : 0
  if (sign === 0) return { kind: 'absolute', minor: parseMoneyInput(typed, currency, { subject: SUBJECT }) }
  const rest = typed.slice(1).trim()
  if (!BARE_NUMBER.test(rest)) return { kind: 'delta', minor: sign * parseMoneyInput(rest, currency, { subject: SUBJECT }) }
  let minor: number
  try {
    minor = parseMoneyInput(rest, currency, { subject: SUBJECT })
  } catch (err) {
    // Not an amount of this currency ("+12.5" on a yen account): only the percent reading is left, and it is asked for.
    const pctForm = `\`${typed[0]}${rest}%\``
    throw new AppError(AppErrorCode.BAD_INPUT, `Did you mean ${pctForm}? ${(err as AppError).userMessage ?? ''}`.trim())
  }
  return { kind: 'ambiguous', percent: sign * Number(rest.replaceAll(',', '')), deltaMinor: sign * minor }
}

/** The new budget a choice makes of the current one (minor units, rounded); may be zero or less (refused later). */
export function budgetTarget(currentMinor: number, choice: BudgetChoice): number {
  switch (choice.kind) {
    case 'absolute':
      return choice.minor
    case 'percent':
      return Math.round(currentMinor * (1 + choice.percent / 100))
    case 'delta':
      return currentMinor + choice.minor
  }
}

/** A choice in words: "+20 %", "−10 %", "+$20.00/day", "-€5.00 (lifetime)", "$60.00/day". */
export function describeBudgetChoice(choice: BudgetChoice, currency: string, lifetime: boolean): string {
  const per = lifetime ? ' (lifetime)' : '/day'
  const signed = (n: number) => (n < 0 ? '-' : '+')
  switch (choice.kind) {
    case 'percent':
      return `${signed(choice.percent)}${Math.abs(choice.percent)} %`
    case 'delta':
      return `${signed(choice.minor)}${formatMoney(Math.abs(choice.minor), currency)}${per}`
    case 'absolute':
      return `${formatMoney(choice.minor, currency)}${per}`
  }
}

/** The two readings of an ambiguous input, percent first. */
export function readingsOf(input: Extract<BudgetInput, { kind: 'ambiguous' }>): [BudgetChoice, BudgetChoice] {
  return [
    { kind: 'percent', percent: input.percent },
    { kind: 'delta', minor: input.deltaMinor },
  ]
}

/**
 * Where the person can't be asked with buttons (a form field, plain text): "Did you mean +5 % or +£5.00? Write it
 * with % or £." Never a guess.
 */
export function ambiguityMessage(input: Extract<BudgetInput, { kind: 'ambiguous' }>, currency: string): string {
  const sign = input.percent < 0 ? '-' : '+'
  const money = `${sign}${formatMoney(Math.abs(input.deltaMinor), currency)}`
  return `Did you mean ${sign}${Math.abs(input.percent)} % or ${money}? Write it with % or ${currencySymbol(currency)}.`
}
