import { describe, expect, it } from 'vitest'
import { AppError } from '../../lib/errors.ts'
import { ambiguityMessage, budgetTarget, describeBudgetChoice, parseBudgetInput, readingsOf } from './budget-input.ts'

function refusal(fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    if (err instanceof AppError) return err.userMessage
    throw err
  }
  throw new Error('expected a refusal')
}

describe('the budget grammar', () => {
  it('asks about +20 and -20 (a sign, no % and no currency) instead of guessing', () => {
    expect(parseBudgetInput('+20', 'USD')).toEqual({ kind: 'ambiguous', percent: 20, deltaMinor: 2000 })
    expect(parseBudgetInput('-20', 'USD')).toEqual({ kind: 'ambiguous', percent: -20, deltaMinor: -2000 })
    expect(parseBudgetInput('−15', 'EUR')).toEqual({ kind: 'ambiguous', percent: -15, deltaMinor: -1500 })
    expect(parseBudgetInput('+1,000', 'JPY')).toEqual({ kind: 'ambiguous', percent: 1000, deltaMinor: 1000 })
    const input = parseBudgetInput('+20', 'USD')
    if (input.kind !== 'ambiguous') throw new Error('ambiguous expected')
    const [pct, money] = readingsOf(input)
    expect(describeBudgetChoice(pct, 'USD', false)).toBe('+20 %')
    expect(describeBudgetChoice(money, 'USD', false)).toBe('+$20.00/day')
    expect(describeBudgetChoice(money, 'USD', true)).toBe('+$20.00 (lifetime)')
    expect(describeBudgetChoice({ kind: 'delta', minor: -500 }, 'EUR', false)).toBe('-€5.00/day')
    // The two readings of "+20" on an $80/day budget: $96 or $100.
    expect(budgetTarget(8000, pct)).toBe(9600)
    expect(budgetTarget(8000, money)).toBe(10000)
  })

  it('reads a percent with its sign, with or without a space', () => {
    expect(parseBudgetInput('+20%', 'USD')).toEqual({ kind: 'percent', percent: 20 })
    expect(parseBudgetInput('-10 %', 'USD')).toEqual({ kind: 'percent', percent: -10 })
    expect(parseBudgetInput('+12.5%', 'JPY')).toEqual({ kind: 'percent', percent: 12.5 })
    expect(budgetTarget(8000, { kind: 'percent', percent: 20 })).toBe(9600)
    expect(refusal(() => parseBudgetInput('20%', 'USD'))).toBe('Say which way: `+20%` or `-20%`.')
  })

  it('reads +$20 on a dollar account as $20 more, and -20 EUR on a euro one as €20 less', () => {
    expect(parseBudgetInput('+$20', 'USD')).toEqual({ kind: 'delta', minor: 2000 })
    expect(parseBudgetInput('-$2.50', 'USD')).toEqual({ kind: 'delta', minor: -250 })
    expect(parseBudgetInput('-20 EUR', 'EUR')).toEqual({ kind: 'delta', minor: -2000 })
    expect(parseBudgetInput('+€20', 'EUR')).toEqual({ kind: 'delta', minor: 2000 })
    expect(budgetTarget(8000, { kind: 'delta', minor: 2000 })).toBe(10000)
  })

  it('keeps the absolute forms: 60, $60, 60 USD, ¥5000 on yen', () => {
    expect(parseBudgetInput('60', 'USD')).toEqual({ kind: 'absolute', minor: 6000 })
    expect(parseBudgetInput('$60', 'USD')).toEqual({ kind: 'absolute', minor: 6000 })
    expect(parseBudgetInput('60 USD', 'USD')).toEqual({ kind: 'absolute', minor: 6000 })
    expect(parseBudgetInput('80 EUR', 'EUR')).toEqual({ kind: 'absolute', minor: 8000 })
    expect(parseBudgetInput('¥5000', 'JPY')).toEqual({ kind: 'absolute', minor: 5000 })
    expect(parseBudgetInput('¥5000', 'CNY')).toEqual({ kind: 'absolute', minor: 500000 })
  })

  it('refuses another currency than the campaign budget’s, with the reason, never reinterpreting it', () => {
    expect(refusal(() => parseBudgetInput('$80', 'EUR'))).toBe(
      "This campaign's budget is in EUR; `$80` is in USD. Write the amount in EUR, e.g. `€50` or `50 EUR`.",
    )
    expect(refusal(() => parseBudgetInput('+$20', 'EUR'))).toBe(
      "This campaign's budget is in EUR; `$20` is in USD. Write the amount in EUR, e.g. `€50` or `50 EUR`.",
    )
    expect(refusal(() => parseBudgetInput('80 USD', 'EUR'))).toMatch(/is in EUR; `80 USD` is in USD/)
    expect(refusal(() => parseBudgetInput('¥5000', 'USD'))).toMatch(/is in USD; `¥5000` is in JPY/)
    expect(refusal(() => parseBudgetInput('CN¥5000', 'JPY'))).toMatch(/is in JPY; `CN¥5000` is in CNY/)
    expect(refusal(() => parseBudgetInput('£80', 'INR'))).toBe(
      "This campaign's budget is in INR; `£80` is in GBP. Write the amount in INR, e.g. `₹50` or `50 INR`.",
    )
  })

  it('says what is left when the number cannot be money of the account', () => {
    expect(refusal(() => parseBudgetInput('+12.5', 'JPY'))).toBe('Did you mean `+12.5%`? JPY amounts can\'t have decimals: "12.5".')
    expect(refusal(() => parseBudgetInput('lots', 'USD'))).toContain("isn't an amount I understand")
  })
})

describe('ambiguityMessage', () => {
  it('asks in plain words (for a form field), in the currency’s own symbol, both signs', () => {
    const ask = (text: string, currency: string) => {
      const input = parseBudgetInput(text, currency)
      if (input.kind !== 'ambiguous') throw new Error(`not ambiguous: ${text}`)
      return ambiguityMessage(input, currency)
    }
    expect(ask('+5', 'GBP')).toBe('Did you mean +5 % or +£5.00? Write it with % or £.')
    expect(ask('-10', 'EUR')).toBe('Did you mean -10 % or -€10.00? Write it with % or €.')
    expect(ask('+300', 'JPY')).toBe('Did you mean +300 % or +¥300? Write it with % or ¥.')
  })
})
