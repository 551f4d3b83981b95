import { describe, expect, it } from 'vitest'
import { formatMoney } from './money.ts'
import { formatNumber, formatPercent, formatRatio, plural } from './numbers.ts'

describe('numbers for people', () => {
  it('groups rupees the Indian way (lakh, crore), money and plain counts alike', () => {
    expect(formatMoney(48_520_208, 'INR')).toBe('₹4,85,202.08')
    expect(formatMoney(1_234_567_890, 'INR')).toBe('₹1,23,45,678.90')
    expect(formatNumber(485_202, { currency: 'INR' })).toBe('4,85,202')
    expect(formatNumber(485_202, { currency: 'USD' })).toBe('485,202')
  })

  it('keeps EUR, GBP and USD as before and JPY without decimals', () => {
    expect(formatMoney(48_520_208, 'USD')).toBe('$485,202.08')
    expect(formatMoney(48_520_208, 'EUR')).toBe('€485,202.08')
    expect(formatMoney(48_520_208, 'GBP')).toBe('£485,202.08')
    expect(formatMoney(48_520_208, 'JPY')).toBe('¥48,520,208')
  })

  it('formats percentages and ratios with fixed decimals', () => {
    expect(formatPercent(1.234)).toBe('1.23%')
    expect(formatPercent(12.5, 0)).toBe('13%')
    expect(formatRatio(2.5)).toBe('2.50×')
    expect(formatNumber(-0.0001, { maxDigits: 1 })).toBe('0')
  })

  it('puts the noun in the singular for exactly one', () => {
    expect(plural(1, 'lead')).toBe('1 lead')
    expect(plural(2, 'lead')).toBe('2 leads')
    expect(plural(0, 'purchase')).toBe('0 purchases')
    expect(plural(1, 'link click')).toBe('1 link click')
    expect(plural(1_500, 'campaign', 'campaigns')).toBe('1,500 campaigns')
    expect(plural(1.5, 'lead')).toBe('1.5 leads')
    expect(plural(100_000, 'lead', 'leads', 'INR')).toBe('1,00,000 leads')
  })
})
