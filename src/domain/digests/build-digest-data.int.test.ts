/**
 * buildDigestData on a real database (embedded PGlite, or TEST_DATABASE_URL): figures per account in its own
 * time zone and currency, the 7-day baseline, pacing, top/bottom campaigns, preliminary and refresh flags, open
 * suggestions with their proposed changes, and a query count that does not depend on the number of campaigns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { countingQueries } from '../../../test/support/counting-queries.ts'
import {
  createAd,
  createAdAccount,
  createAdSet,
  createCampaign,
  createConnection,
  createWorkspace,
} from '../../../test/support/factories.ts'
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts'
import type { PrismaClient } from '../../generated/prisma/client.ts'
import { addDays, type IsoDate, toDbDate } from '../../lib/dates.ts'
import { workspaceScope } from '../clients/client-scope.ts'
import { buildDigestData } from './build-digest-data.ts'
import type { AccountDigest } from './digest-types.ts'

const NOW = new Date('2026-03-16T14:00:00Z') // New York 10:00 on Mar 16, Tokyo 23:00 on Mar 16
const DAY = '2026-03-15'
const HOUR = 3_600_000

interface DayFigures {
  spend: number
  leads?: number
  purchases?: number
  purchaseValue?: number
  impressions?: number
  clicks?: number
}

async function seedWorkspace(prisma: PrismaClient) {
  const workspaceId = (await createWorkspace(prisma)).id
  return { workspaceId, connectionId: (await createConnection(prisma, workspaceId)).id }
}

function seedAccount(
  prisma: PrismaClient,
  ws: { workspaceId: string; connectionId: string },
  data: { name: string; currency: string; timezoneName: string; lastSyncedAt?: Date | null; lastSyncError?: string | null },
) {
  return createAdAccount(prisma, { ...ws, lastSyncedAt: NOW, ...data })
}

async function seedCampaign(
  prisma: PrismaClient,
  adAccountId: string,
  c: { name: string; objective: string; dailyBudget?: number | null; status?: string },
  from: IsoDate,
  to: IsoDate,
  day: (date: IsoDate) => DayFigures | null,
  syncedAt: (date: IsoDate) => Date = () => new Date(NOW.getTime() - HOUR),
) {
  const campaign = await createCampaign(prisma, adAccountId, {
    name: c.name,
    objective: c.objective,
    status: c.status,
    dailyBudget: c.dailyBudget == null ? null : BigInt(c.dailyBudget),
  })
  const rows = []
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const f = day(d)
    if (!f) continue
    rows.push({
      campaignId: campaign.id,
      adAccountId,
      date: toDbDate(d),
      impressions: BigInt(f.impressions ?? 10_000),
      clicks: BigInt(f.clicks ?? 100),
      linkClicks: BigInt(f.clicks ?? 100),
      spend: BigInt(f.spend),
      leads: BigInt(f.leads ?? 0),
      purchases: BigInt(f.purchases ?? 0),
      purchaseValue: BigInt(f.purchaseValue ?? 0),
      syncedAt: syncedAt(d),
    })
  }
  if (rows.length) await prisma.campaignDailyMetric.createMany({ data: rows })
  return campaign
}

describe('buildDigestData', () => {
  let db: TestDatabase
  let ws: { workspaceId: string; connectionId: string }
  let ids: { usd: string; jpy: string; stale: string; paused: string }
  let proposedChangeId: string

  beforeAll(async () => {
    db = await createTestDatabase()
    const p = db.prisma
    ws = await seedWorkspace(p)
    const usd = await seedAccount(p, ws, {
      name: 'Acme US',
      currency: 'USD',
      timezoneName: 'America/New_York',
      lastSyncedAt: new Date(NOW.getTime() - HOUR),
    })
    const jpy = await seedAccount(p, ws, {
      name: 'Tokyo Store',
      currency: 'JPY',
      timezoneName: 'Asia/Tokyo',
      lastSyncedAt: new Date(NOW.getTime() - 2 * HOUR),
      lastSyncError: 'Meta API error (code 2): Service temporarily unavailable',
    })
    const stale = await seedAccount(p, ws, {
      name: 'Stale Ltd',
      currency: 'EUR',
      timezoneName: 'Europe/Berlin',
      lastSyncedAt: new Date(NOW.getTime() - 8 * HOUR),
    })
    const paused = await createAdAccount(p, { ...ws, name: 'Not syncing', currency: 'USD', timezoneName: 'UTC', syncEnabled: false })
    ids = { usd: usd.id, jpy: jpy.id, stale: stale.id, paused: paused.id }

    // USD, leads. From Mar 1 to Mar 15: every day is the same except yesterday (Mar 15).
    const from = '2026-02-20'
    const winner = await seedCampaign(
      p,
      usd.id,
      { name: 'Winner <leads>', objective: 'OUTCOME_LEADS', dailyBudget: 5_000 },
      from,
      DAY,
      (d) => (d === DAY ? { spend: 4_000, leads: 10 } : { spend: 3_000, leads: 6 }),
    )
    await seedCampaign(p, usd.id, { name: 'Average', objective: 'OUTCOME_LEADS', dailyBudget: 10_000 }, from, DAY, () => ({
      spend: 8_000,
      leads: 5,
    }))
    await seedCampaign(p, usd.id, { name: 'Pricey', objective: 'OUTCOME_LEADS', dailyBudget: 10_000 }, from, DAY, () => ({
      spend: 9_000,
      leads: 1,
    }))
    await seedCampaign(p, usd.id, { name: 'Money pit', objective: 'OUTCOME_LEADS', dailyBudget: 5_000 }, from, DAY, () => ({
      spend: 4_000,
      leads: 0,
    }))
    await seedCampaign(p, usd.id, { name: 'Too small', objective: 'OUTCOME_LEADS', dailyBudget: null }, from, DAY, (d) =>
      d === DAY ? { spend: 100, leads: 1 } : null,
    )
    // Its budget lives on its ad sets: the active one's counts, a paused or deleted one's does not.
    const tooSmall = await p.campaign.findFirstOrThrow({ where: { adAccountId: usd.id, name: 'Too small' } })
    await createAdSet(p, tooSmall, { dailyBudget: 2_000n })
    await createAdSet(p, tooSmall, { dailyBudget: 9_999n, status: 'PAUSED' })
    await createAdSet(p, tooSmall, { dailyBudget: 9_999n, status: 'DELETED' })
    await seedCampaign(p, usd.id, { name: 'Old', objective: 'OUTCOME_LEADS', dailyBudget: 99_999, status: 'PAUSED' }, from, DAY, () => null)

    // JPY, purchases with revenue; yesterday fetched at 19:00 Tokyo on Mar 15 (before the day ended).
    const early = new Date('2026-03-15T10:00:00Z')
    await seedCampaign(
      p,
      jpy.id,
      { name: 'Sale', objective: 'OUTCOME_SALES', dailyBudget: 20_000 },
      '2026-03-08',
      DAY,
      (d) => (d === DAY ? { spend: 15_000, purchases: 4, purchaseValue: 60_000 } : { spend: 12_345, purchases: 3, purchaseValue: 37_035 }),
      (d) => (d === DAY ? early : new Date(NOW.getTime() - 2 * HOUR)),
    )

    await seedCampaign(p, stale.id, { name: 'Euro', objective: 'OUTCOME_TRAFFIC', dailyBudget: 1_000 }, '2026-03-10', DAY, () => ({
      spend: 900,
      clicks: 50,
    }))

    // Suggestions: the most confident has a proposed change, the next one's change was rejected.
    const change = await p.changeRequest.create({
      data: {
        workspaceId: ws.workspaceId,
        adAccountId: usd.id,
        campaignId: winner.id,
        type: 'SET_DAILY_BUDGET',
        source: 'OPTIMIZER',
        proposedValue: { dailyBudgetMinor: 7_500 },
        currentValue: { dailyBudgetMinor: 5_000 },
        expiresAt: new Date(NOW.getTime() + 48 * HOUR),
      },
    })
    proposedChangeId = change.id
    const rejected = await p.changeRequest.create({
      data: {
        workspaceId: ws.workspaceId,
        adAccountId: usd.id,
        campaignId: winner.id,
        type: 'PAUSE',
        status: 'REJECTED',
        source: 'OPTIMIZER',
        proposedValue: { status: 'PAUSED' },
        expiresAt: new Date(NOW.getTime() + 48 * HOUR),
      },
    })
    const sugg = (title: string, confidence: number, changeRequestId: string | null, status = 'OPEN') =>
      p.suggestion.create({
        data: {
          workspaceId: ws.workspaceId,
          adAccountId: usd.id,
          campaignId: winner.id,
          kind: `k${confidence}`,
          status,
          title,
          confidence,
          metricName: 'cpl',
          metricValue: 1,
          changeRequestId,
        },
      })
    await sugg('Scale Winner', 0.9, change.id)
    await sugg('Pause it', 0.8, rejected.id)
    await sugg('Refresh creatives', 0.7, null)
    await sugg('Lower CPM', 0.6, null)
    await sugg('Dismissed', 0.99, null, 'REJECTED')
  }, 120_000)

  afterAll(async () => {
    await db?.drop()
  })

  const account = (data: { accounts: AccountDigest[] }, id: string) => data.accounts.find((a) => a.id === id)!

  it('reports yesterday against the previous 7-day daily average, in the account currency', async () => {
    const data = await buildDigestData(db.prisma, { scope: workspaceScope(ws.workspaceId), now: NOW })
    expect(data.accounts.map((a) => a.name)).toEqual(['Acme US', 'Stale Ltd', 'Tokyo Store']) // syncing accounts only
    const a = account(data, ids.usd)
    expect(a.day).toBe(DAY)
    // the ranking window is the last 7 days as every surface names them: the 7 days ending yesterday, New York time
    expect(a.weekLabel).toBe('last 7 days (Mon 9 Mar – Sun 15 Mar)')
    expect(account(data, ids.jpy).weekLabel).toBe('last 7 days (Mon 9 Mar – Sun 15 Mar)')
    expect(a.resultKind).toBe('leads')
    expect(a.yesterday.spendMinor).toBe(4_000 + 8_000 + 9_000 + 4_000 + 100)
    expect(a.yesterday.leads).toBe(10 + 5 + 1 + 0 + 1)
    expect(a.yesterday.results).toBe(17)
    expect(a.yesterday.costPerResultMinor).toBeCloseTo(25_100 / 17, 6)
    expect(a.yesterday.ctr).toBeCloseTo((500 * 100) / 50_000, 6)
    expect(a.yesterday.cpmMinor).toBeCloseTo((25_100 * 1000) / 50_000, 6)
    expect(a.yesterday.roas).toBeNull()
    expect(a.baselineDays).toBe(7)
    expect(a.baseline!.spendMinor).toBe(3_000 + 8_000 + 9_000 + 4_000)
    expect(a.baseline!.leads).toBe(12)
    expect(a.baseline!.costPerResultMinor).toBeCloseTo(24_000 / 12, 6)

    const j = account(data, ids.jpy)
    expect(j.currency).toBe('JPY')
    expect(j.resultKind).toBe('purchases')
    expect(j.yesterday.spendMinor).toBe(15_000)
    expect(j.yesterday.costPerResultMinor).toBe(3_750)
    expect(j.yesterday.roas).toBeCloseTo(4, 6)
    expect(j.baseline!.spendMinor).toBeCloseTo(12_345, 6)
    expect(j.baseline!.roas).toBeCloseTo(3, 6)
    expect(j.series).toHaveLength(14)
    expect(j.series.at(-1)).toEqual({ date: DAY, spendMinor: 15_000, results: 4 })
    expect(j.series[0]).toEqual({ date: '2026-03-02', spendMinor: 0, results: 0 })
    expect(j.series.find((s) => s.date === '2026-03-08')).toEqual({ date: '2026-03-08', spendMinor: 12_345, results: 3 })
  })

  it("paces the month against the active daily budgets, campaign budgets or their active ad sets'", async () => {
    const a = account(await buildDigestData(db.prisma, { scope: workspaceScope(ws.workspaceId), now: NOW }), ids.usd)
    const monthSpend = 14 * 24_000 + 25_100
    expect(a.pacing).toMatchObject({
      month: '2026-03',
      daysElapsed: 15,
      daysInMonth: 31,
      spendMinor: monthSpend,
      dailyBudgetMinor: 32_000,
      plannedMinor: 480_000,
    })
    expect(a.pacing.projectedMinor).toBe(Math.round((monthSpend / 15) * 31))
    expect(a.pacing.pacePercent).toBeCloseTo((monthSpend / 480_000) * 100, 6)
    expect(a.activeCampaignCount).toBe(5)
    expect(a.campaignCount).toBe(6)
  })

  it('ranks campaigns by cost per result with the reason in words', async () => {
    const a = account(await buildDigestData(db.prisma, { scope: workspaceScope(ws.workspaceId), now: NOW }), ids.usd)
    // 7 days Mar 9–15: Winner 6×3,000+4,000 / 6×6+10 leads; Average 56,000/35; Pricey 63,000/7; Money pit 28,000/0; Too small 1 lead.
    expect(a.top.map((c) => c.name)).toEqual(['Winner <leads>', 'Average'])
    expect(a.bottom.map((c) => c.name)).toEqual(['Money pit', 'Pricey'])
    const accountCpl = (22_000 + 56_000 + 63_000 + 28_000 + 100) / (46 + 35 + 7 + 0 + 1)
    expect(a.top[0]!.costPerResultMinor).toBeCloseTo(22_000 / 46, 6)
    expect(a.top[0]!.accountCostPerResultMinor).toBeCloseTo(accountCpl, 6)
    expect(a.top[0]!.reason).toBe(
      `$4.78 per lead, ${Math.round(((accountCpl - 22_000 / 46) / accountCpl) * 100)}% below the lead campaigns' $19.00 (46 leads in 7 days)`,
    )
    expect(a.bottom[0]!.reason).toBe('spent $280.00 in 7 days without a single lead (the lead campaigns pay $19.00 per lead)')
    expect(a.bottom[1]!.reason).toMatch(/^\$90\.00 per lead, \d+% above the lead campaigns' \$19\.00 \(7 leads in 7 days\)$/)
  })

  it('flags preliminary figures and accounts whose refresh failed', async () => {
    const data = await buildDigestData(db.prisma, { scope: workspaceScope(ws.workspaceId), now: NOW })
    const usd = account(data, ids.usd)
    expect(usd.preliminary).toBe(true)
    expect(usd.preliminaryReason).toBe('Meta may still revise the last 3 days')
    expect(usd.refreshFailed).toBe(false)
    const jpy = account(data, ids.jpy)
    expect(jpy.preliminaryReason).toBe('the day was still running at the last refresh')
    expect(jpy.refreshFailed).toBe(true)
    expect(jpy.lastSyncError).toContain('Service temporarily unavailable')
    expect(jpy.refreshProblem).toBe('last refresh failed: Meta API error (code 2): Service temporarily unavailable')
    const stale = account(data, ids.stale)
    expect(stale.refreshFailed).toBe(true)
    expect(stale.refreshProblem).toBe('last refreshed 8 hours ago')
    expect(stale.resultKind).toBe('link clicks') // its only campaign seeks traffic: link clicks are its results

    // Figures re-fetched after Meta's revision window are final.
    await db.prisma.campaignDailyMetric.updateMany({
      where: { adAccountId: ids.usd, date: toDbDate(DAY) },
      data: { syncedAt: new Date('2026-03-19T12:00:00Z') },
    })
    const final = await buildDigestData(db.prisma, { scope: workspaceScope(ws.workspaceId), now: NOW, adAccountIds: [ids.usd] })
    expect(final.accounts).toHaveLength(1)
    expect(final.accounts[0]!.preliminary).toBe(false)
    await db.prisma.campaignDailyMetric.updateMany({
      where: { adAccountId: ids.usd, date: toDbDate(DAY) },
      data: { syncedAt: new Date(NOW.getTime() - HOUR) },
    })
  })

  it('lists open suggestions, most confident first, with the change still waiting for a decision', async () => {
    const data = await buildDigestData(db.prisma, { scope: workspaceScope(ws.workspaceId), now: NOW })
    expect(data.suggestions.openCount).toBe(4)
    expect(data.suggestions.top.map((s) => [s.title, s.proposedChangeId])).toEqual([
      ['Scale Winner', proposedChangeId],
      ['Pause it', null],
      ['Refresh creatives', null],
    ])
    expect(data.suggestions.top[0]).toMatchObject({ campaignName: 'Winner <leads>', accountName: 'Acme US' })
    const onlyJpy = await buildDigestData(db.prisma, { scope: workspaceScope(ws.workspaceId), now: NOW, adAccountIds: [ids.jpy] })
    expect(onlyJpy.suggestions).toEqual({ openCount: 0, top: [] })
  })

  it('names the level and object of an ad set or ad finding, and its change acts on that object', async () => {
    const own = await seedWorkspace(db.prisma)
    const acct = await seedAccount(db.prisma, own, { name: 'Levels', currency: 'USD', timezoneName: 'UTC' })
    const campaign = await createCampaign(db.prisma, acct.id, { name: 'Spring' })
    const adSet = await createAdSet(db.prisma, campaign, { name: 'Lookalike', dailyBudget: 10_000n })
    const ad = await createAd(db.prisma, adSet, { name: 'Worn video' })
    const pause = await db.prisma.changeRequest.create({
      data: {
        workspaceId: own.workspaceId,
        adAccountId: acct.id,
        campaignId: campaign.id,
        adSetId: adSet.id,
        adId: ad.id,
        level: 'ad',
        type: 'PAUSE',
        source: 'OPTIMIZER',
        proposedValue: { status: 'PAUSED' },
        expiresAt: new Date(NOW.getTime() + 48 * HOUR),
      },
    })
    const finding = { workspaceId: own.workspaceId, adAccountId: acct.id, campaignId: campaign.id, metricName: 'ctr', metricValue: 1 }
    await db.prisma.suggestion.create({
      data: {
        ...finding,
        level: 'ad',
        adSetId: adSet.id,
        adId: ad.id,
        kind: 'creative_fatigue',
        title: 'Worn',
        confidence: 0.9,
        changeRequestId: pause.id,
      },
    })
    await db.prisma.suggestion.create({
      data: { ...finding, level: 'adset', adSetId: adSet.id, kind: 'underpacing', title: 'Slow', confidence: 0.8 },
    })
    const data = await buildDigestData(db.prisma, { scope: workspaceScope(own.workspaceId), now: NOW })
    expect(data.suggestions.top.map((s) => [s.title, s.level, s.campaignName, s.adSetName, s.adName])).toEqual([
      ['Worn', 'ad', 'Spring', 'Lookalike', 'Worn video'],
      ['Slow', 'adset', 'Spring', 'Lookalike', null],
    ])
    expect(data.suggestions.top[0]?.approval).toEqual({ verb: 'Pause', name: 'Worn video', amounts: null, refused: [] })
  })

  it('listed accounts are included even when not syncing', async () => {
    const data = await buildDigestData(db.prisma, { scope: workspaceScope(ws.workspaceId), now: NOW, adAccountIds: [ids.paused] })
    expect(data.accounts.map((a) => a.name)).toEqual(['Not syncing'])
    expect(data.accounts[0]!.baseline).toBeNull()
    expect(data.accounts[0]!.pacing.spendMinor).toBe(0)
  })

  it('uses the same number of queries for 10 and 500 campaigns', async () => {
    const counts: number[] = []
    for (const size of [10, 500]) {
      const w = await seedWorkspace(db.prisma)
      const acc = await seedAccount(db.prisma, w, { name: `Scale ${size}`, currency: 'USD', timezoneName: 'UTC' })
      const campaigns = await Promise.all(
        Array.from({ length: size }, (_, i) => createCampaign(db.prisma, acc.id, { name: `C${i}`, dailyBudget: 1_000n })),
      )
      const rows = campaigns.flatMap((c, i) =>
        Array.from({ length: 14 }, (_, k) => ({
          campaignId: c.id,
          adAccountId: acc.id,
          date: toDbDate(addDays(DAY, -k)),
          spend: BigInt(500 + i),
          leads: BigInt(1 + (i % 7)),
          impressions: 1000n,
          clicks: 10n,
        })),
      )
      await db.prisma.campaignDailyMetric.createMany({ data: rows })
      await db.prisma.suggestion.create({
        data: {
          workspaceId: w.workspaceId,
          adAccountId: acc.id,
          campaignId: campaigns[0]!.id,
          kind: 'x',
          title: 't',
          confidence: 0.5,
          metricName: 'm',
          metricValue: 1,
          changeRequestId: 'missing',
        },
      })
      const counter = countingQueries(db.prisma)
      const data = await buildDigestData(counter.prisma, { scope: workspaceScope(w.workspaceId), now: NOW })
      expect(data.accounts[0]!.campaignCount).toBe(size)
      expect(data.accounts[0]!.top).toHaveLength(3)
      counts.push(counter.queries())
    }
    expect(counts[0]).toBe(counts[1])
    expect(counts[0]).toBeLessThanOrEqual(9)
  }, 120_000)
})
