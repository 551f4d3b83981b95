/**
 * listCampaigns on a real database (embedded PGlite, or TEST_DATABASE_URL): yesterday's and the last 7 days'
 * sums per campaign, each account in its own time zone, the status filter, and campaigns without figures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAdAccount, createCampaign, createConnection, createWorkspace } from '../../../test/support/factories.ts'
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts'
import { addDays, type IsoDate, toDbDate } from '../../lib/dates.ts'
import { workspaceScope } from '../clients/client-scope.ts'
import { listCampaigns } from './list-campaigns.ts'

// New York: 20:00 on Mar 15 (yesterday Mar 14). Tokyo: 10:00 on Mar 16 (yesterday Mar 15).
const NOW = new Date('2026-03-16T01:00:00Z')

describe('listCampaigns', () => {
  let db: TestDatabase
  let workspaceId: string

  beforeAll(async () => {
    db = await createTestDatabase()
    const prisma = db.prisma
    workspaceId = (await createWorkspace(prisma)).id
    const connectionId = (await createConnection(prisma, workspaceId)).id
    const account = (name: string, currency: string, timezoneName: string) =>
      createAdAccount(prisma, { workspaceId, connectionId, name, currency, timezoneName })
    const ny = await account('Acme US', 'USD', 'America/New_York')
    const tokyo = await account('Sakura JP', 'JPY', 'Asia/Tokyo')
    const campaign = async (adAccountId: string, name: string, status: string, days: Array<[IsoDate, number]>) => {
      const c = await createCampaign(prisma, adAccountId, { name, status, dailyBudget: 5_000n })
      await prisma.campaignDailyMetric.createMany({
        data: days.map(([date, spend]) => ({
          campaignId: c.id,
          adAccountId,
          date: toDbDate(date),
          spend: BigInt(spend),
          impressions: 1_000n,
          clicks: 10n,
          leads: 2n,
        })),
      })
    }
    // Every day from Mar 6 to Mar 16, spend = 100 × day of month: the windows show in the sums.
    const days = (from: IsoDate, to: IsoDate): Array<[IsoDate, number]> => {
      const out: Array<[IsoDate, number]> = []
      for (let d = from; d <= to; d = addDays(d, 1)) out.push([d, 100 * Number(d.slice(8))])
      return out
    }
    await campaign(ny.id, 'NY every day', 'ACTIVE', days('2026-03-06', '2026-03-16'))
    await campaign(ny.id, 'NY no figures', 'ACTIVE', [])
    await campaign(ny.id, 'NY paused', 'PAUSED', days('2026-03-06', '2026-03-16'))
    await campaign(tokyo.id, 'Tokyo every day', 'ACTIVE', days('2026-03-06', '2026-03-16'))
    await campaign(tokyo.id, 'Tokyo archived', 'ARCHIVED', [['2026-03-15', 7]])
  })
  afterAll(async () => {
    await db?.drop()
  })

  const spendSum = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => 100 * (from + i)).reduce((a, b) => a + b, 0)

  it("sums each campaign's yesterday and last 7 days in its account's time zone", async () => {
    const { items } = await listCampaigns(db.prisma, { scope: workspaceScope(workspaceId), now: NOW })
    const byName = new Map(items.map((i) => [i.name, i]))
    expect(items.map((i) => i.name)).toEqual(['NY every day', 'NY no figures', 'Tokyo every day'])
    // New York: yesterday Mar 14, last 7 days Mar 8–14.
    expect(byName.get('NY every day')!.yesterday.totals).toMatchObject({
      spend: 1_400,
      impressions: 1_000,
      leads: 2,
      days: 1,
      currency: 'USD',
    })
    expect(byName.get('NY every day')!.last7d.totals).toMatchObject({
      spend: spendSum(8, 14),
      impressions: 7_000,
      clicks: 70,
      leads: 14,
      days: 7,
    })
    expect(byName.get('NY every day')!.last7d.derived).toMatchObject({
      results: 14,
      resultLabel: 'leads',
      costPerResult: spendSum(8, 14) / 14,
    })
    // Tokyo: yesterday Mar 15, last 7 days Mar 9–15.
    expect(byName.get('Tokyo every day')!.yesterday.totals).toMatchObject({ spend: 1_500, days: 1, currency: 'JPY' })
    expect(byName.get('Tokyo every day')!.last7d.totals).toMatchObject({ spend: spendSum(9, 15), days: 7 })
    // No rows: zeros, not missing.
    expect(byName.get('NY no figures')!.last7d.totals).toMatchObject({ spend: 0, impressions: 0, days: 0 })
    expect(byName.get('NY no figures')!.yesterday.derived).toMatchObject({ results: 0, costPerResult: null, ctr: null })
  })

  it('filters by status and by account, counting only the campaigns listed', async () => {
    const paused = await listCampaigns(db.prisma, { scope: workspaceScope(workspaceId), now: NOW, status: 'paused' })
    expect(paused.items.map((i) => [i.name, i.last7d.totals.spend])).toEqual([['NY paused', spendSum(8, 14)]])
    const archived = await listCampaigns(db.prisma, { scope: workspaceScope(workspaceId), now: NOW, status: 'archived' })
    expect(archived.items.map((i) => [i.name, i.yesterday.totals.spend, i.last7d.totals.days])).toEqual([['Tokyo archived', 7, 1]])
    const all = await listCampaigns(db.prisma, { scope: workspaceScope(workspaceId), now: NOW, status: 'all', account: 'Sakura' })
    expect(all.accounts.map((a) => a.name)).toEqual(['Sakura JP'])
    expect(all.items.map((i) => i.name)).toEqual(['Tokyo every day', 'Tokyo archived'])
  })
})
