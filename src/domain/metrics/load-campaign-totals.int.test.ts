/** Per-campaign sums of an ad account over a range (the agent's spend mix), scoped to the workspace. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAdAccount, createCampaign, createWorkspace } from '../../../test/support/factories.ts'
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts'
import { loadCampaignTotals } from './load-campaign-totals.ts'

describe('loadCampaignTotals', () => {
  let db: TestDatabase
  let workspaceId: string
  let otherId: string
  let adAccountId: string
  const campaigns: Record<string, string> = {}

  beforeAll(async () => {
    db = await createTestDatabase()
    workspaceId = (await createWorkspace(db.prisma)).id
    otherId = (await createWorkspace(db.prisma)).id
    adAccountId = (await createAdAccount(db.prisma, { workspaceId })).id
    for (const [key, name] of [
      ['spring', 'Spring sale'],
      ['summer', 'Summer sale'],
      ['idle', 'Idle'],
    ] as const) {
      campaigns[key] = (await createCampaign(db.prisma, adAccountId, { name })).id
    }
    const day = (campaignId: string, date: string, spend: bigint, leads: bigint) =>
      db.prisma.campaignDailyMetric.create({
        data: { campaignId, adAccountId, date: new Date(`${date}T00:00:00Z`), spend, leads, linkClicks: leads * 10n, purchases: 1n },
      })
    await day(campaigns.spring!, '2026-03-01', 1_000n, 2n)
    await day(campaigns.spring!, '2026-03-02', 1_500n, 3n)
    await day(campaigns.spring!, '2026-03-03', 9_999n, 9n) // after the range
    await day(campaigns.summer!, '2026-03-02', 700n, 1n)
    await day(campaigns.idle!, '2026-02-27', 50n, 0n) // before the range
  })

  afterAll(async () => {
    await db?.drop()
  })

  it('sums each campaign with a row in the range, inclusive, with its name', async () => {
    const totals = await loadCampaignTotals(db.prisma, { workspaceId, adAccountId, range: { since: '2026-03-01', until: '2026-03-02' } })
    expect(totals.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      {
        campaignId: campaigns.spring,
        name: 'Spring sale',
        objective: 'OUTCOME_LEADS',
        spend: 2_500,
        leads: 5,
        purchases: 2,
        linkClicks: 50,
        impressions: 0,
        reach: 0,
        clicks: 0,
        purchaseValue: 0,
      },
      {
        campaignId: campaigns.summer,
        name: 'Summer sale',
        objective: 'OUTCOME_LEADS',
        spend: 700,
        leads: 1,
        purchases: 1,
        linkClicks: 10,
        impressions: 0,
        reach: 0,
        clicks: 0,
        purchaseValue: 0,
      },
    ])
  })

  it('returns nothing for an ad account of another workspace', async () => {
    expect(
      await loadCampaignTotals(db.prisma, { workspaceId: otherId, adAccountId, range: { since: '2026-03-01', until: '2026-03-02' } }),
    ).toEqual([])
  })
})
