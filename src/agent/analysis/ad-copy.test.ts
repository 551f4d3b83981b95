import { describe, expect, it } from 'vitest'
import { checkAdCopy } from './ad-copy.ts'

describe('ad copy limits', () => {
  it('accepts 40/125 characters, rejects 41/126, and normalises call-to-action spelling', () => {
    expect(checkAdCopy({ headline: 'h'.repeat(40), primaryText: 'p'.repeat(125), callToAction: 'shop now' })).toMatchObject({
      ok: true,
      callToAction: 'SHOP_NOW',
    })
    const bad = checkAdCopy({ headline: 'h'.repeat(41), primaryText: 'p'.repeat(126), callToAction: 'CLICK_HERE' })
    expect(bad.ok).toBe(false)
    expect(bad.ok ? [] : bad.problems).toEqual([
      'the headline is 41 characters (limit 40)',
      'the primary text is 126 characters (limit 125)',
      expect.stringContaining('"CLICK_HERE" is not one of Meta\'s call-to-action types') as string,
    ])
  })

  it('counts characters, not UTF-16 units, and trims whitespace before counting', () => {
    expect(checkAdCopy({ headline: `  ${'🍞'.repeat(40)}  `, primaryText: 'Fresh.', callToAction: 'LEARN_MORE' }).ok).toBe(true)
    expect(checkAdCopy({ headline: '   ', primaryText: 'Fresh.', callToAction: 'LEARN_MORE' })).toMatchObject({
      ok: false,
      problems: ['the headline is empty'],
    })
  })
})
