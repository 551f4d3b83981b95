/** Ad set and ad sums over a range, their status filter, and campaigns equal to the sum of their ads. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAd, createAdAccount, createAdDays, createAdSet, createCampaign, createWorkspace } from '../../../test/support/factories.ts'
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts'
import { loadLevelTotals } from './load-level-totals.ts'

describe('loadLevelTotals', () => {
  let db: TestDatabase
  let adAccountId: string
  let campaignId: string
  const range = { since: '2026-03-01', until: '2026-03-02' } as const

  beforeAll(async () => {
    db = await createTestDatabase()
    const workspaceId = (await createWorkspace(db.prisma)).id
    adAccountId = (await createAdAccount(db.prisma, { workspaceId })).id
    const campaign = await createCampaign(db.prisma, adAccountId, { name: 'Spring' })
    campaignId = campaign.id
    const prospecting = await createAdSet(db.prisma, campaign, { name: 'Prospecting', dailyBudget: 5_000n })
    const retargeting = await createAdSet(db.prisma, campaign, { name: 'Retargeting', dailyBudget: 2_000n })
    const old = await createAdSet(db.prisma, campaign, { name: 'Old test', status: 'DELETED' })
    const video = await createAd(db.prisma, prospecting, { name: 'Video', creativeName: 'Spring video' })
    const carousel = await createAd(db.prisma, prospecting, { name: 'Carousel', status: 'ARCHIVED' })
    const remarketing = await createAd(db.prisma, retargeting, { name: 'Remarketing' })
    const oldAd = await createAd(db.prisma, old, { name: 'Old ad', status: 'DELETED' })
    await createAdDays(db.prisma, [
      { ad: video, date: '2026-03-01', spend: 1_000, leads: 4 },
      { ad: video, date: '2026-03-02', spend: 1_200, leads: 5 },
      { ad: carousel, date: '2026-03-01', spend: 300, leads: 1 },
      { ad: remarketing, date: '2026-03-02', spend: 800, leads: 2 },
      { ad: oldAd, date: '2026-03-01', spend: 150, leads: 0 },
      { ad: video, date: '2026-03-03', spend: 9_999 }, // after the range
    ])
    await createAdSet(db.prisma, campaign, { name: 'Idle' })
  })
  afterAll(async () => {
    await db?.drop()
  })

  it('lists live ad sets by spend, idle ones with zeros, and archived or deleted ones only when asked', async () => {
    const live = await loadLevelTotals(db.prisma, { adAccountId, level: 'adset', range, campaignId })
    expect(live.map((s) => [s.name, s.spend, s.leads, s.dailyBudget])).toEqual([
      ['Prospecting', 2_500, 10, 5_000],
      ['Retargeting', 800, 2, 2_000],
      ['Idle', 0, 0, null],
    ])
    const gone = await loadLevelTotals(db.prisma, { adAccountId, level: 'adset', range, campaignId, status: 'archived' })
    expect(gone.map((s) => [s.name, s.status, s.spend])).toEqual([['Old test', 'DELETED', 150]])
  })

  it('lists ads with their creative and parents', async () => {
    const ads = await loadLevelTotals(db.prisma, { adAccountId, level: 'ad', range, campaignId, status: 'all' })
    expect(ads.map((a) => [a.name, a.adSet?.name, a.campaign.name, a.spend])).toEqual([
      ['Video', 'Prospecting', 'Spring', 2_200],
      ['Remarketing', 'Retargeting', 'Spring', 800],
      ['Carousel', 'Prospecting', 'Spring', 300],
      ['Old ad', 'Old test', 'Spring', 150],
    ])
    expect(ads[0]?.creativeName).toBe('Spring video')
  })

  it('gives a campaign the sum of all its ads, deleted and archived ones included', async () => {
    const [campaign] = await loadLevelTotals(db.prisma, { adAccountId, level: 'campaign', range })
    const ads = await loadLevelTotals(db.prisma, { adAccountId, level: 'ad', range, status: 'all' })
    expect(campaign?.spend).toBe(ads.reduce((sum, a) => sum + a.spend, 0))
    expect(campaign?.leads).toBe(12)
  })
})
