/**
 * The optimizer's input on real PostgreSQL: budget changes applied through Promoly reach the pacing rule dated on the
 * account's calendar, so a campaign whose budget was raised is judged against the budget in force each day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAd, createAdAccount, createAdDays, createAdSet, createCampaign, createWorkspace } from '../../../test/support/factories.ts'
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts'
import { addDays, toDbDate } from '../../lib/dates.ts'
import { runOptimizer } from '../optimizer/index.ts'
import { BUDGET_SEEN_CHANGED } from '../sync/sync-ad-account.ts'
import { loadCampaignSeries } from './load-series.ts'

const TODAY = '2026-12-05'

describe('loadCampaignSeries', () => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase()
  }, 60_000)
  afterAll(async () => {
    await db?.drop()
  })

  async function campaignWithRaise(spendBefore: number, spendAfter: number) {
    const ws = await createWorkspace(db.prisma)
    const account = await createAdAccount(db.prisma, { workspaceId: ws.id, currency: 'USD', timezoneName: 'America/New_York' })
    const c = await createCampaign(db.prisma, account.id, { dailyBudget: 22_500n })
    // Applied at 03:00 UTC on 4 Dec = the evening of 3 Dec in New York (2 days before today).
    const applied = {
      workspaceId: ws.id,
      adAccountId: account.id,
      campaignId: c.id,
      type: 'SET_DAILY_BUDGET' as const,
      source: 'COMMAND' as const,
      expiresAt: new Date('2026-12-10T00:00:00Z'),
    }
    await db.prisma.changeRequest.create({
      data: {
        ...applied,
        status: 'APPLIED',
        appliedAt: new Date('2026-12-04T03:00:00Z'),
        currentValue: { dailyBudgetMinor: 15_000 },
        proposedValue: { dailyBudgetMinor: 22_500 },
      },
    })
    // Neither a proposal nor a failed change counts.
    await db.prisma.changeRequest.create({
      data: { ...applied, status: 'PROPOSED', currentValue: { dailyBudgetMinor: 22_500 }, proposedValue: { dailyBudgetMinor: 5_000 } },
    })
    await db.prisma.changeRequest.create({
      data: {
        ...applied,
        status: 'FAILED',
        currentValue: { dailyBudgetMinor: 15_000 },
        proposedValue: { dailyBudgetMinor: 30_000 },
        appliedAt: null,
      },
    })
    await db.prisma.campaignDailyMetric.createMany({
      data: Array.from({ length: 40 }, (_, i) => {
        const k = i + 1 // days before today
        const spend = (k >= 3 ? spendBefore : spendAfter) - (k % 3) * 300
        return {
          campaignId: c.id,
          adAccountId: account.id,
          date: toDbDate(addDays(TODAY, -k)),
          impressions: 10_000n,
          reach: 8_000n,
          frequency: 1.25,
          clicks: 250n,
          linkClicks: 160n,
          spend: BigInt(spend),
          leads: 4n,
          purchases: 0n,
          purchaseValue: 0n,
        }
      }),
    })
    return { account, campaign: c }
  }

  it('dates applied budget changes on the account calendar; a raise after full delivery is not underspending', async () => {
    const { account, campaign } = await campaignWithRaise(15_000, 22_500)
    const series = await loadCampaignSeries(db.prisma, account.id, TODAY, account.timezoneName)
    const s = series.find((x) => x.campaignId === campaign.id)!
    expect(s.budgetChanges).toEqual([{ date: '2026-12-03', fromMinor: 15_000, toMinor: 22_500 }])
    const out = runOptimizer(series, { currency: 'USD', today: TODAY })
    expect(out.filter((x) => x.kind === 'underpacing')).toEqual([])
  })

  it('a campaign that truly underspends is still flagged against the budgets in force', async () => {
    const { account, campaign } = await campaignWithRaise(9_000, 13_500)
    const series = await loadCampaignSeries(db.prisma, account.id, TODAY, account.timezoneName)
    const under = runOptimizer(series, { currency: 'USD', today: TODAY }).find(
      (x) => x.campaignId === campaign.id && x.kind === 'underpacing',
    )
    expect(under?.title).toContain('$150.00/day (Sat 28 Nov – Wed 2 Dec), then $225.00/day (Fri 4 Dec)')
    expect(under?.title).toContain('Thu 3 Dec left out: the budget changed that day')
    const spend = [7, 6, 5, 4, 3].reduce((a, k) => a + 9_000 - (k % 3) * 300, 0) + 13_500 - 300
    expect(under?.evidence.find((e) => e.label.startsWith('Spend, '))?.value).toBe(`$${(spend / 100).toFixed(2)} of $975.00`)
  })
})

describe('loadCampaignSeries with a budget changed in Ads Manager', () => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase()
  }, 60_000)
  afterAll(async () => {
    await db?.drop()
  })

  it('counts a change the sync saw on Meta like one applied through Promoly (dated when seen)', async () => {
    const ws = await createWorkspace(db.prisma)
    const account = await createAdAccount(db.prisma, { workspaceId: ws.id, currency: 'USD', timezoneName: 'America/New_York' })
    const c = await createCampaign(db.prisma, account.id, { dailyBudget: 22_500n })
    await db.prisma.auditEvent.create({
      data: {
        workspaceId: ws.id,
        actorType: 'system',
        action: BUDGET_SEEN_CHANGED,
        targetType: 'campaign',
        targetId: c.id,
        data: { fromMinor: 15_000, toMinor: 22_500 },
        createdAt: new Date('2026-12-04T03:00:00Z'),
      },
    })
    const series = await loadCampaignSeries(db.prisma, account.id, TODAY, account.timezoneName)
    expect(series.find((x) => x.campaignId === c.id)?.budgetChanges).toEqual([{ date: '2026-12-03', fromMinor: 15_000, toMinor: 22_500 }])
  })

  it('carries the live ad sets (budgets and their budget changes, applied or seen on Meta), the live ads with their own days and the retired ads apart', async () => {
    const ws = await createWorkspace(db.prisma)
    const account = await createAdAccount(db.prisma, { workspaceId: ws.id, currency: 'USD', timezoneName: 'UTC' })
    const c = await createCampaign(db.prisma, account.id, { name: 'Ad set budgets', dailyBudget: null })
    const set = await createAdSet(db.prisma, c, { name: 'Lookalike', dailyBudget: 12_000n })
    await createAdSet(db.prisma, c, { name: 'Old', status: 'ARCHIVED', dailyBudget: 5_000n })
    const live = await createAd(db.prisma, set, { name: 'Video' })
    const deleted = await createAd(db.prisma, set, { name: 'Deleted', status: 'DELETED' })
    await createAdDays(db.prisma, [
      { ad: live, date: addDays(TODAY, -2), impressions: 1_000, spend: 9_000 },
      { ad: live, date: addDays(TODAY, -1), impressions: 1_200, spend: 9_500 },
      { ad: live, date: TODAY, impressions: 99, spend: 99 }, // today: incomplete, never loaded
    ])
    await db.prisma.changeRequest.create({
      data: {
        workspaceId: ws.id,
        adAccountId: account.id,
        campaignId: c.id,
        adSetId: set.id,
        level: 'adset',
        type: 'SET_DAILY_BUDGET',
        source: 'OPTIMIZER',
        status: 'APPLIED',
        appliedAt: new Date(`${addDays(TODAY, -3)}T12:00:00Z`),
        currentValue: { dailyBudgetMinor: 10_000 },
        proposedValue: { dailyBudgetMinor: 11_000 },
        expiresAt: new Date('2026-12-10T00:00:00Z'),
      },
    })
    await db.prisma.auditEvent.create({
      data: {
        workspaceId: ws.id,
        actorType: 'system',
        action: BUDGET_SEEN_CHANGED,
        targetType: 'adset',
        targetId: set.id,
        data: { fromMinor: 11_000, toMinor: 12_000 },
        createdAt: new Date(`${addDays(TODAY, -2)}T06:00:00Z`),
      },
    })
    const [series] = await loadCampaignSeries(db.prisma, account.id, TODAY, 'UTC')
    expect(series?.adSets).toEqual([
      {
        adSetId: set.id,
        name: 'Lookalike',
        status: 'ACTIVE',
        dailyBudgetMinor: 12_000,
        budgetChanges: [
          { date: addDays(TODAY, -3), fromMinor: 10_000, toMinor: 11_000 },
          { date: addDays(TODAY, -2), fromMinor: 11_000, toMinor: 12_000 },
        ],
        ads: [
          {
            adId: live.id,
            name: 'Video',
            status: 'ACTIVE',
            days: [
              expect.objectContaining({ date: addDays(TODAY, -2), impressions: 1_000, spend: 9_000 }),
              expect.objectContaining({ date: addDays(TODAY, -1), impressions: 1_200, spend: 9_500 }),
            ],
          },
        ],
        retiredAds: [{ adId: deleted.id, name: 'Deleted', status: 'DELETED', days: [] }],
      },
    ])
    expect(series?.days.map((d) => d.spend)).toEqual([9_000, 9_500])
  })
})

describe('an ad set whose spending ad was deleted and replaced', () => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase()
  }, 60_000)
  afterAll(async () => {
    await db?.drop()
  })

  it('judges the ad set on every ad-day its budget paid for (the deleted ad too): no underpacing or zero delivery', async () => {
    const ws = await createWorkspace(db.prisma)
    const account = await createAdAccount(db.prisma, { workspaceId: ws.id, currency: 'USD', timezoneName: 'UTC' })
    const c = await createCampaign(db.prisma, account.id, { name: 'Ad set budgets', dailyBudget: null })
    const set = await createAdSet(db.prisma, c, { name: 'Lookalike', dailyBudget: 10_000n })
    // A spent ≈ $93 of the $100/day for 3 weeks, was deleted yesterday in Ads Manager and replaced by B (1 day so far);
    // Meta barely served C, a live sibling (≈ $2 a day). The ad set spent its budget every day.
    const a = await createAd(db.prisma, set, { name: 'A', status: 'DELETED' })
    const b = await createAd(db.prisma, set, { name: 'B' })
    const cAd = await createAd(db.prisma, set, { name: 'C' })
    const day = (k: number, spend: number, scale = 1) => {
      const impressions = Math.round((5_000 + ([0, 150, -100, 50, -150, 100, -50][k % 7] ?? 0)) * scale)
      return { impressions, reach: Math.round(impressions / 1.2), clicks: Math.round(impressions * 0.025), spend, leads: scale < 1 ? 0 : 4 }
    }
    await createAdDays(db.prisma, [
      ...Array.from({ length: 21 }, (_, i) => ({ ad: a, date: addDays(TODAY, -(i + 2)), ...day(i + 2, 9_300 - ((i + 2) % 3) * 200) })),
      ...Array.from({ length: 22 }, (_, i) => ({ ad: cAd, date: addDays(TODAY, -(i + 1)), ...day(i + 1, 200, 0.02) })),
      { ad: b, date: addDays(TODAY, -1), ...day(1, 9_300) },
    ])
    const series = await loadCampaignSeries(db.prisma, account.id, TODAY, 'UTC')
    const onAdSet = runOptimizer(series, { currency: 'USD', today: TODAY }).filter((x) => x.level === 'adset')
    expect(onAdSet.map((x) => x.kind)).toEqual([])
    // Judged on all of it, a real underspend of the ad set is still found (its budget doubled: ≈ 47 % spent).
    await db.prisma.adSet.update({ where: { id: set.id }, data: { dailyBudget: 20_000n } })
    const under = runOptimizer(await loadCampaignSeries(db.prisma, account.id, TODAY, 'UTC'), { currency: 'USD', today: TODAY })
    const found = under.filter((x) => x.level === 'adset')
    expect(found.map((x) => [x.kind, x.adSetId])).toEqual([['underpacing', set.id]])
    expect(found[0]?.title).toMatch(/^Spends only 4\d% of its \$200\.00\/day budget/)
  })
})
