/** Campaign-days are the sum of their ads' days (the roll-up the sync and the test factories share). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAd, createAdAccount, createAdDays, createAdSet, createCampaign, createWorkspace } from '../../../test/support/factories.ts'
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts'
import { rollUpCampaignDays } from './roll-up-campaign-days.ts'

describe('rollUpCampaignDays', () => {
  let db: TestDatabase

  beforeAll(async () => {
    db = await createTestDatabase()
  })
  afterAll(async () => {
    await db?.drop()
  })

  it('writes each campaign-day as the sum of its ads and drops days no ad delivered on', async () => {
    const workspaceId = (await createWorkspace(db.prisma)).id
    const account = await createAdAccount(db.prisma, { workspaceId })
    const campaign = await createCampaign(db.prisma, account.id)
    const [setA, setB] = [await createAdSet(db.prisma, campaign), await createAdSet(db.prisma, campaign)]
    const ads = [await createAd(db.prisma, setA), await createAd(db.prisma, setA), await createAd(db.prisma, setB)]
    // A campaign-day from before ad-level syncs, inside the range: no ad delivered that day, so it goes.
    await db.prisma.campaignDailyMetric.create({
      data: { campaignId: campaign.id, adAccountId: account.id, date: new Date('2026-03-03T00:00:00Z'), spend: 999n },
    })
    await createAdDays(db.prisma, [
      { ad: ads[0]!, date: '2026-03-01', spend: 1_000, impressions: 400, reach: 300, leads: 2 },
      { ad: ads[1]!, date: '2026-03-01', spend: 500, impressions: 200, reach: 150, leads: 1 },
      { ad: ads[2]!, date: '2026-03-01', spend: 250, impressions: 100, reach: 90 },
      { ad: ads[2]!, date: '2026-03-04', spend: 70, impressions: 30, reach: 30 },
    ])
    const rows = await db.prisma.campaignDailyMetric.findMany({ where: { campaignId: campaign.id }, orderBy: { date: 'asc' } })
    expect(rows.map((r) => [r.date.toISOString().slice(0, 10), Number(r.spend), Number(r.impressions), Number(r.leads)])).toEqual([
      ['2026-03-01', 1_750, 700, 3],
      ['2026-03-04', 70, 30, 0],
    ])
    // Reach does not add up: the largest ad's until Meta's campaign reach is written.
    expect(Number(rows[0]!.reach)).toBe(300)

    // Re-running over the range after an ad's day was revised rewrites the sum, and keeps an existing row's reach.
    await db.prisma.campaignDailyMetric.update({
      where: { campaignId_date: { campaignId: campaign.id, date: rows[0]!.date } },
      data: { reach: 640n },
    })
    await db.prisma.adDailyMetric.update({ where: { adId_date: { adId: ads[2]!.id, date: rows[0]!.date } }, data: { spend: 300n } })
    await db.prisma.$transaction((tx) =>
      rollUpCampaignDays(tx, { adAccountId: account.id, since: '2026-03-01', until: '2026-03-04', syncedAt: new Date() }),
    )
    const after = await db.prisma.campaignDailyMetric.findUniqueOrThrow({
      where: { campaignId_date: { campaignId: campaign.id, date: rows[0]!.date } },
    })
    expect([Number(after.spend), Number(after.reach)]).toEqual([1_800, 640])
  })
})
