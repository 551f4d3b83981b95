import { describe, expect, it } from 'vitest'
import { claimable, STALE_CLAIM_MS } from './alert-claims.ts'

const NOW = new Date('2026-11-25T13:05:00.000Z')
const markerAt = (msAgo: number) => `posting:${new Date(NOW.getTime() - msAgo).toISOString()}#a1b2`

describe('which intraday alerts a check may claim to post', () => {
  it('an alert never posted and not being posted', () => {
    expect(claimable({ postedChannelId: null, postedTs: null }, NOW)).toBe(true)
  })

  it('not one already posted', () => {
    expect(claimable({ postedChannelId: 'C0ALERTS1', postedTs: '1764075900.1' }, NOW)).toBe(false)
    expect(claimable({ postedChannelId: 'C0ALERTS1', postedTs: null }, NOW)).toBe(false)
  })

  it('not one another worker is posting; yes once that claim is stale (the worker died)', () => {
    expect(claimable({ postedChannelId: markerAt(0), postedTs: null }, NOW)).toBe(false)
    expect(claimable({ postedChannelId: markerAt(STALE_CLAIM_MS - 1000), postedTs: null }, NOW)).toBe(false)
    expect(claimable({ postedChannelId: markerAt(STALE_CLAIM_MS), postedTs: null }, NOW)).toBe(true)
  })

  it('one whose marker cannot be read (nothing else would ever free it)', () => {
    expect(claimable({ postedChannelId: 'posting:yesterday#x', postedTs: null }, NOW)).toBe(true)
  })
})
