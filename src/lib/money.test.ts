import { describe, expect, it } from 'vitest'
import { AppError } from './errors.ts'
import {
  currencyDecimals,
  currencyOffset,
  currencyOfWord,
  formatMoney,
  majorStringToMinor,
  minorToMajor,
  parseMoneyInput,
} from './money.ts'

function badInput(fn: () => unknown): AppError {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(AppError)
    expect((e as AppError).code).toBe('BAD_INPUT')
    return e as AppError
  }
  throw new Error('expected a BAD_INPUT AppError')
}

describe('currencyOffset', () => {
  it('is 1 for every zero-decimal currency Meta lists, plus VND', () => {
    for (const c of ['CLP', 'COP', 'CRC', 'HUF', 'ISK', 'IDR', 'JPY', 'KRW', 'PYG', 'TWD', 'VND']) {
      expect(currencyOffset(c)).toBe(1)
      expect(currencyDecimals(c)).toBe(0)
    }
  })
  it('is 100 for the rest, case-insensitively', () => {
    for (const c of ['USD', 'EUR', 'GBP', 'INR', 'AUD', 'BRL', 'CAD', 'MXN', 'usd', 'CHF']) {
      expect(currencyOffset(c)).toBe(100)
    }
    expect(currencyOffset('jpy')).toBe(1)
  })
})

describe('majorStringToMinor', () => {
  it('converts decimal strings exactly, with no float drift', () => {
    expect(majorStringToMinor('41.37', 'USD')).toBe(4137)
    expect(majorStringToMinor('0.29', 'USD')).toBe(29) // 0.29 * 100 = 28.999999999999996 in floats
    expect(majorStringToMinor('1.15', 'USD')).toBe(115) // 1.15 * 100 = 114.99999999999999
    expect(majorStringToMinor('1234', 'USD')).toBe(123400)
    expect(majorStringToMinor('0', 'USD')).toBe(0)
    expect(majorStringToMinor('.5', 'EUR')).toBe(50)
    expect(majorStringToMinor('7.', 'EUR')).toBe(700)
    expect(majorStringToMinor('90071992547409.91', 'USD')).toBe(9007199254740991)
  })
  it('rounds half away from zero', () => {
    expect(majorStringToMinor('0.005', 'USD')).toBe(1)
    expect(majorStringToMinor('0.00499999', 'USD')).toBe(0)
    expect(majorStringToMinor('6.895', 'USD')).toBe(690)
    expect(majorStringToMinor('-0.005', 'USD')).toBe(-1)
    expect(majorStringToMinor('-0.004', 'USD')).toBe(0)
    expect(Object.is(majorStringToMinor('-0.004', 'USD'), -0)).toBe(false)
    expect(majorStringToMinor('1234.5', 'JPY')).toBe(1235)
    expect(majorStringToMinor('1234.49', 'JPY')).toBe(1234)
    expect(majorStringToMinor('-1234.5', 'JPY')).toBe(-1235)
  })
  it('treats zero-decimal currencies as offset 1', () => {
    expect(majorStringToMinor('5000', 'JPY')).toBe(5000)
    expect(majorStringToMinor('5000', 'KRW')).toBe(5000)
    expect(majorStringToMinor('5000', 'USD')).toBe(500000)
  })
  it('accepts numbers, including ones printed in exponent notation', () => {
    expect(majorStringToMinor(12.34, 'USD')).toBe(1234)
    expect(majorStringToMinor(0.1 + 0.2, 'USD')).toBe(30) // 0.30000000000000004
    expect(majorStringToMinor(1e-7, 'USD')).toBe(0)
    expect(majorStringToMinor(1.5e3, 'JPY')).toBe(1500)
    expect(majorStringToMinor('1.5e2', 'USD')).toBe(15000)
  })
  it('rejects garbage, non-finite and unsafe values', () => {
    badInput(() => majorStringToMinor('', 'USD'))
    badInput(() => majorStringToMinor('.', 'USD'))
    badInput(() => majorStringToMinor('12a', 'USD'))
    badInput(() => majorStringToMinor('1,000', 'USD'))
    badInput(() => majorStringToMinor(Number.NaN, 'USD'))
    badInput(() => majorStringToMinor(Number.POSITIVE_INFINITY, 'USD'))
    badInput(() => majorStringToMinor('90071992547409.92', 'USD'))
  })
})

describe('minorToMajor', () => {
  it('divides by the offset', () => {
    expect(minorToMajor(4137, 'USD')).toBe(41.37)
    expect(minorToMajor(5000, 'JPY')).toBe(5000)
    expect(minorToMajor(-5, 'EUR')).toBe(-0.05)
  })
})

describe('formatMoney', () => {
  it('formats en-US with the currency symbol and its own decimals', () => {
    expect(formatMoney(123456, 'USD')).toBe('$1,234.56')
    expect(formatMoney(1235, 'JPY')).toBe('¥1,235')
    expect(formatMoney(1230, 'EUR')).toBe('€12.30')
    expect(formatMoney(5, 'USD')).toBe('$0.05')
    expect(formatMoney(-250, 'USD')).toBe('-$2.50')
    expect(formatMoney(0, 'GBP')).toBe('£0.00')
    expect(formatMoney(4000, 'INR')).toBe('₹40.00')
  })
  it('uses Meta offsets even where ISO gives the currency decimals (HUF, TWD are offset 1 on Meta)', () => {
    expect(formatMoney(1234, 'HUF')).toBe('HUF\u00a01,234') // Intl puts a no-break space after a code
    expect(formatMoney(1500, 'TWD')).toBe('NT$1,500')
    expect(formatMoney(1500, 'krw')).toBe('₩1,500')
  })
  it('stays exact for large amounts', () => {
    expect(formatMoney(9007199254740991, 'USD')).toBe('$90,071,992,547,409.91')
  })
  it('falls back to "amount CODE" for a malformed code instead of throwing', () => {
    expect(formatMoney(1230, 'XX')).toBe('12.30 XX')
  })
})

describe('parseMoneyInput', () => {
  it('parses what people type', () => {
    expect(parseMoneyInput('50', 'USD')).toBe(5000)
    expect(parseMoneyInput('50.5', 'USD')).toBe(5050)
    expect(parseMoneyInput('50.55', 'USD')).toBe(5055)
    expect(parseMoneyInput('1,000', 'USD')).toBe(100000)
    expect(parseMoneyInput('1,234,567.8', 'USD')).toBe(123456780)
    expect(parseMoneyInput('$50', 'USD')).toBe(5000)
    expect(parseMoneyInput(' $ 50 ', 'USD')).toBe(5000)
    expect(parseMoneyInput('US$50', 'USD')).toBe(5000)
    expect(parseMoneyInput('50$', 'USD')).toBe(5000)
    expect(parseMoneyInput('50 usd', 'USD')).toBe(5000)
    expect(parseMoneyInput('EUR 12.30', 'EUR')).toBe(1230)
    expect(parseMoneyInput('€12.30', 'EUR')).toBe(1230)
    expect(parseMoneyInput('+20', 'USD')).toBe(2000)
    expect(parseMoneyInput('.75', 'USD')).toBe(75)
    expect(parseMoneyInput('0', 'USD')).toBe(0)
  })
  it("refuses an amount in another currency than the account's, naming both and the forms to write (#10 finding 8, #11)", () => {
    expect(badInput(() => parseMoneyInput('¥5000', 'USD')).userMessage).toBe(
      'This ad account is in USD; `¥5000` is in JPY. Write the amount in USD, e.g. `$50` or `50 USD`.',
    )
    expect(badInput(() => parseMoneyInput('$80', 'EUR', { subject: "This campaign's budget" })).userMessage).toBe(
      "This campaign's budget is in EUR; `$80` is in USD. Write the amount in EUR, e.g. `€50` or `50 EUR`.",
    )
    // The example is never the typed number re-labelled (¥5000 is not $5000), even when it happens to be 50.
    expect(badInput(() => parseMoneyInput('$50', 'EUR')).userMessage).toBe(
      'This ad account is in EUR; `$50` is in USD. Write the amount in EUR, e.g. `€100` or `100 EUR`.',
    )
    expect(badInput(() => parseMoneyInput('€12.30', 'USD')).userMessage).toMatch(/`€12.30` is in EUR/)
    expect(badInput(() => parseMoneyInput('R$50', 'USD')).userMessage).toMatch(/`R\$50` is in BRL/)
    expect(badInput(() => parseMoneyInput('US$50', 'EUR')).userMessage).toMatch(/`US\$50` is in USD/)
    expect(badInput(() => parseMoneyInput('5000 JPY', 'USD')).userMessage).toMatch(/`5000 JPY` is in JPY/)
    expect(badInput(() => parseMoneyInput('80 usd', 'EUR')).userMessage).toMatch(/`80 usd` is in USD/)
    expect(badInput(() => parseMoneyInput('£5', 'USD')).userMessage).toMatch(/`£5` is in GBP/)
    expect(badInput(() => parseMoneyInput('₹500', 'USD')).userMessage).toMatch(/`₹500` is in INR/)
    // "¥" is the yen's and the yuan's: fine on either; "CN¥" only on the yuan.
    expect(parseMoneyInput('¥5000', 'JPY')).toBe(5000)
    expect(parseMoneyInput('¥5000', 'CNY')).toBe(500000)
    expect(badInput(() => parseMoneyInput('CN¥5000', 'JPY')).userMessage).toBe(
      'This ad account is in JPY; `CN¥5000` is in CNY. Write the amount in JPY, e.g. `¥50` or `50 JPY`.',
    )
    // "$" is the dollar of several currencies: fine on each of them, refused elsewhere.
    expect(parseMoneyInput('$50', 'CAD')).toBe(5000)
    expect(parseMoneyInput('$50', 'AUD')).toBe(5000)
    expect(badInput(() => parseMoneyInput('$50', 'JPY')).userMessage).toMatch(/JPY; `\$50` is in USD/)
    // The account's own symbols and code, short or long, are fine.
    expect(parseMoneyInput('CA$50', 'CAD')).toBe(5000)
    expect(parseMoneyInput('R$50', 'BRL')).toBe(5000)
    expect(parseMoneyInput('80 EUR', 'EUR')).toBe(8000)
    expect(parseMoneyInput('₹4,85,202'.replaceAll(',', ''), 'INR')).toBe(48520200)
    // Backticks typed are not echoed into the code span.
    expect(badInput(() => parseMoneyInput('`$5`', 'EUR')).userMessage).not.toContain('``')
  })
  it('handles zero-decimal currencies', () => {
    expect(parseMoneyInput('¥5,000', 'JPY')).toBe(5000)
    expect(parseMoneyInput('5000', 'JPY')).toBe(5000)
    expect(parseMoneyInput('12.00', 'JPY')).toBe(12)
  })
  it('rejects too many decimals for the currency', () => {
    expect(badInput(() => parseMoneyInput('12.5', 'JPY')).userMessage).toBe(`JPY amounts can't have decimals: "12.5".`)
    expect(badInput(() => parseMoneyInput('12.345', 'USD')).userMessage).toBe('USD amounts can have at most 2 decimal places: "12.345".')
    expect(parseMoneyInput('12.340', 'USD')).toBe(1234)
  })
  it('rejects negatives', () => {
    for (const t of ['-5', '-$5', '$-5', '(5)', '−5', 'USD -5']) {
      expect(badInput(() => parseMoneyInput(t, 'USD')).userMessage).toContain("can't be negative")
    }
  })
  it('rejects garbage with a readable message', () => {
    expect(badInput(() => parseMoneyInput('', 'USD')).userMessage).toBe('Please enter an amount, for example 50 or 12.50.')
    expect(badInput(() => parseMoneyInput('   ', 'USD')).userMessage).toContain('Please enter an amount')
    for (const t of ['fifty', '$', '12abc', '1.2.3', '1,00,000', '10,0000', '50k', '5 0', 'USD']) {
      expect(badInput(() => parseMoneyInput(t, 'USD')).userMessage).toContain(`"${t}" isn't an amount I understand`)
    }
    expect(badInput(() => parseMoneyInput('12,50', 'EUR')).userMessage).toContain('Use a dot for decimals')
    expect(badInput(() => parseMoneyInput('99999999999999999999', 'USD')).userMessage).toContain('too large')
  })
})

describe('currencyOfWord', () => {
  it('reads a code in any case and a word of one currency; a word several currencies share is never read as one', () => {
    expect(currencyOfWord('usd')).toBe('USD')
    expect(currencyOfWord('JPY')).toBe('JPY')
    expect(currencyOfWord('yen')).toBe('JPY')
    expect(currencyOfWord('Euros')).toBe('EUR')
    expect(currencyOfWord('dollars')).toBe('shared')
    expect(currencyOfWord('pounds')).toBe('shared')
    expect(currencyOfWord('off')).toBeNull()
    expect(currencyOfWord('promo')).toBeNull()
  })
})
