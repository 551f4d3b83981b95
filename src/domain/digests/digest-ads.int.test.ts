/**
 * The digest's best and most expensive ads on a real database: the picks and their thresholds over each account's
 * 7-day window, archived and deleted ads that spent (labelled), a client's digest never naming another client's ads,
 * and an account of 200 campaigns × 20 ads read in a fixed number of queries and shown within Slack's limits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { countingQueries } from '../../../test/support/counting-queries.ts'
import {
  createAd,
  createAdAccount,
  createAdDays,
  createAdSet,
  createCampaign,
  createClient,
  createWorkspace,
} from '../../../test/support/factories.ts'
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts'
import type { Ad, PrismaClient } from '../../generated/prisma/client.ts'
import { validateMessage } from '../../playground/block-kit-validator.ts'
import { digestMessage } from '../../slack/blocks/digest-message.ts'
import { type ClientScope, workspaceScope } from '../clients/client-scope.ts'
import { buildDigestData } from './build-digest-data.ts'

const NOW = new Date('2026-03-16T14:00:00Z') // UTC accounts: yesterday is Mar 15, the week Mar 9–15

/** Figures of an ad over the week, split over two days of it (Mar 10 and Mar 15). */
function week(ad: Ad, spend: number, results: number, field: 'leads' | 'purchases' = 'leads') {
  const first = Math.floor(spend / 2)
  const firstResults = Math.floor(results / 2)
  return [
    { ad, date: '2026-03-10', spend: first, [field]: firstResults, impressions: 1_000, clicks: 20 },
    { ad, date: '2026-03-15', spend: spend - first, [field]: results - firstResults, impressions: 1_000, clicks: 20 },
  ]
}

describe('the digest names the best and most expensive ads', () => {
  let db: TestDatabase
  let workspaceId: string
  let acme: ClientScope
  let acmeAccountId: string
  let rivalAccountId: string

  beforeAll(async () => {
    db = await createTestDatabase()
    const p = db.prisma
    workspaceId = (await createWorkspace(p)).id
    const acmeClient = await createClient(p, workspaceId, { name: 'Acme' })
    const rivalClient = await createClient(p, workspaceId, { name: 'Rival' })
    acme = { workspaceId, client: { id: acmeClient.id, name: acmeClient.name } }
    const base = { workspaceId, currency: 'USD', timezoneName: 'UTC', lastSyncedAt: NOW }
    const acmeAccount = await createAdAccount(p, { ...base, name: 'Acme US', clientId: acmeClient.id })
    const rivalAccount = await createAdAccount(p, { ...base, name: 'Rival US', clientId: rivalClient.id })
    acmeAccountId = acmeAccount.id
    rivalAccountId = rivalAccount.id

    const spring = await createCampaign(p, acmeAccount.id, { name: 'Spring & sale', objective: 'OUTCOME_LEADS' })
    const prospecting = await createAdSet(p, spring, { name: 'Prospecting' })
    const retargeting = await createAdSet(p, spring, { name: 'Retargeting' })
    const video = await createAd(p, prospecting, { name: 'V1', creativeName: 'Spring <video>' })
    const carousel = await createAd(p, prospecting, { name: 'Carousel', creativeName: 'Carousel' })
    const staticAd = await createAd(p, retargeting, { name: 'Static' })
    const old = await createAd(p, retargeting, { name: 'Old', status: 'DELETED' })
    const fresh = await createAd(p, retargeting, { name: 'New' })
    const archived = await createAd(p, prospecting, { name: 'Archived winner', status: 'ARCHIVED' })
    const before = await createAd(p, prospecting, { name: 'Spent before the week' })
    const shop = await createCampaign(p, acmeAccount.id, { name: 'Shop', objective: 'OUTCOME_SALES' })
    const lone = await createAd(p, await createAdSet(p, shop, { name: 'Buyers' }), { name: 'Lone sale' })

    const rival = await createCampaign(p, rivalAccount.id, { name: 'Rival leads' })
    const rivalSet = await createAdSet(p, rival, { name: 'Rival set' })
    const rivalCheap = await createAd(p, rivalSet, { name: 'Rival cheap' })
    const rivalDear = await createAd(p, rivalSet, { name: 'Rival dear' })

    await createAdDays(p, [
      // Leads: 22,000 spent for 36 leads, pooled $6.11 a lead; most expensive from 5 × that = $30.56 spent.
      ...week(video, 2_000, 10), // $2.00
      ...week(carousel, 5_000, 10), // $5.00
      ...week(staticAd, 9_000, 6), // $15.00
      ...week(old, 4_000, 0), // deleted since, spent without a lead
      ...week(fresh, 500, 0), // too little spent to judge
      ...week(archived, 1_500, 10), // $1.50, archived since
      { ad: before, date: '2026-03-08', spend: 50_000, leads: 0 }, // the day before the week
      ...week(lone, 30_000, 10, 'purchases'), // the only sales ad: compared with nothing
      ...week(rivalCheap, 100, 10),
      ...week(rivalDear, 10_000, 0),
    ])
  }, 120_000)

  afterAll(async () => {
    await db?.drop()
  })

  it('picks by cost per lead against the pooled cost, with the threshold, labelling archived and deleted ads', async () => {
    const data = await buildDigestData(db.prisma, { scope: acme, now: NOW })
    expect(data.accounts.map((a) => a.name)).toEqual(['Acme US'])
    const [leads, ...others] = data.accounts[0]!.ads
    expect(others).toEqual([]) // one sales ad alone: nothing to compare it with
    expect(leads).toMatchObject({ resultKind: 'leads', adsWithSpend: 6, minSpendMinor: 3_056 })
    expect(leads!.pooledCostPerResultMinor).toBeCloseTo(22_000 / 36, 9)
    expect(leads!.best.map((a) => [a.name, a.state, a.costPerResultMinor])).toEqual([
      ['Archived winner', 'archived', 150],
      ['V1', 'active', 200],
      ['Carousel', 'active', 500],
    ])
    expect(leads!.worst.map((a) => [a.name, a.state, a.reason])).toEqual([
      ['Old', 'deleted', '$40.00 spent without a lead'],
      ['Static', 'active', '$15.00 per lead (6 leads, $90.00 spent)'],
    ])
    expect(leads!.best[1]).toMatchObject({
      creativeName: 'Spring <video>',
      adSet: { name: 'Prospecting' },
      campaign: { name: 'Spring & sale' },
    })

    const m = digestMessage(data)
    expect(validateMessage(m)).toEqual([])
    const json = JSON.stringify(m.blocks)
    expect(json).toContain('*Best cost per lead*')
    expect(json).toContain('*Most expensive per lead* (min. $30.56 spent)')
    expect(json).toContain(
      '2. *Spring &lt;video&gt;* (ad “V1”) · Prospecting › Spring &amp; sale — $2.00 per lead (10 leads, $20.00 spent)',
    )
    expect(json).toContain('(ad “Old”) _(deleted)_')
    expect(json).not.toContain('Spent before the week')
  })

  it("never shows another client's ads, and ranks each account's ads against its own", async () => {
    const json = JSON.stringify(await buildDigestData(db.prisma, { scope: acme, now: NOW }))
    expect(json).not.toContain('Rival')
    const all = await buildDigestData(db.prisma, { scope: workspaceScope(workspaceId), now: NOW })
    const ads = (id: string) => all.accounts.find((a) => a.id === id)!.ads
    expect(ads(acmeAccountId)[0]!.best.map((a) => a.name)).toEqual(['Archived winner', 'V1', 'Carousel'])
    expect(ads(rivalAccountId).map((r) => [r.best.map((a) => a.name), r.worst.map((a) => a.name)])).toEqual([
      [['Rival cheap'], ['Rival dear']],
    ])
  })

  it('reads an account of 200 campaigns × 20 ads in as many queries as a small one, and fits one message', async () => {
    const counts: number[] = []
    let large: Awaited<ReturnType<typeof buildDigestData>> | undefined
    for (const campaigns of [1, 200]) {
      const { scope, expected } = await seedLargeAccount(db.prisma, campaigns, 20)
      const counter = countingQueries(db.prisma)
      const data = await buildDigestData(counter.prisma, { scope, now: NOW })
      counts.push(counter.queries())
      const [r] = data.accounts[0]!.ads
      expect(r?.adsWithSpend).toBe(campaigns * 20)
      expect(r?.best.map((a) => a.costPerResultMinor)).toEqual(expected.best)
      expect(r?.worst.map((a) => a.costPerResultMinor)).toEqual(expected.worst)
      large = data
    }
    expect(counts[0]).toBe(counts[1])
    expect(counts[1]).toBeLessThanOrEqual(9)
    const m = digestMessage(large!)
    expect(validateMessage(m)).toEqual([])
    expect(m.blocks.length).toBeLessThanOrEqual(50)
    expect(JSON.stringify(m.blocks)).toContain('ads seeking leads paid per lead')
  }, 120_000)
})

/**
 * A client's account of `campaigns` lead campaigns × `adsPer` ads (4 ad sets each) with a week of figures: ad i spends
 * 1,000 + (i mod 37) × 100 for i mod 11 leads. Returns the expected best and most expensive costs per lead, computed here
 * from the seeded figures by the rule.
 */
async function seedLargeAccount(prisma: PrismaClient, campaigns: number, adsPer: number) {
  const workspaceId = (await createWorkspace(prisma)).id
  const client = await createClient(prisma, workspaceId, { name: `Large ${campaigns}` })
  const account = await createAdAccount(prisma, { workspaceId, clientId: client.id, currency: 'USD', timezoneName: 'UTC' })
  const tag = account.metaAccountId
  await prisma.campaign.createMany({
    data: Array.from({ length: campaigns }, (_, c) => ({
      adAccountId: account.id,
      metaCampaignId: `${tag}-c${c}`,
      name: `Campaign <${c}> & ${'n'.repeat(100)}`,
      objective: 'OUTCOME_LEADS',
      status: 'ACTIVE',
      effectiveStatus: 'ACTIVE',
    })),
  })
  const campaignRows = await prisma.campaign.findMany({ where: { adAccountId: account.id }, orderBy: { metaCampaignId: 'asc' } })
  await prisma.adSet.createMany({
    data: campaignRows.flatMap((c) =>
      Array.from({ length: 4 }, (_, s) => ({
        adAccountId: account.id,
        campaignId: c.id,
        metaAdSetId: `${c.metaCampaignId}-s${s}`,
        name: `Ad set ${s} <!channel> ${'s'.repeat(100)}`,
        status: 'ACTIVE',
        effectiveStatus: 'ACTIVE',
      })),
    ),
  })
  const adSets = await prisma.adSet.findMany({ where: { adAccountId: account.id }, orderBy: { metaAdSetId: 'asc' } })
  await prisma.ad.createMany({
    data: adSets.flatMap((s) =>
      Array.from({ length: adsPer / 4 }, (_, k) => ({
        adAccountId: account.id,
        campaignId: s.campaignId,
        adSetId: s.id,
        metaAdId: `${s.metaAdSetId}-a${k}`,
        name: `Ad ${k} ${'a'.repeat(200)}`,
        creativeName: `Creative & <b>${k}</b> ${'c'.repeat(300)}`,
        status: 'ACTIVE',
        effectiveStatus: 'ACTIVE',
      })),
    ),
  })
  const ads = await prisma.ad.findMany({ where: { adAccountId: account.id }, orderBy: { metaAdId: 'asc' } })
  const figures = ads.map((ad, i) => ({ ad, spend: 1_000 + (i % 37) * 100, leads: i % 11 }))
  await createAdDays(
    prisma,
    figures.map((f) => ({ ad: f.ad, date: '2026-03-14', spend: f.spend, leads: f.leads, impressions: 1_000, clicks: 10 })),
  )
  const pooled = figures.reduce((n, f) => n + f.spend, 0) / figures.reduce((n, f) => n + f.leads, 0)
  const minSpend = Math.ceil(5 * pooled)
  const best = figures
    .filter((f) => f.leads >= 5 && f.spend / f.leads < pooled)
    .map((f) => f.spend / f.leads)
    .sort((a, b) => a - b)
    .slice(0, 3)
  // Most expensive: no lead at all first (most spent first), then the highest cost per lead.
  const worst = figures
    .filter((f) => f.spend >= minSpend && (f.leads === 0 || f.spend / f.leads > pooled))
    .sort(
      (a, b) =>
        Number(b.leads === 0) - Number(a.leads === 0) || (a.leads === 0 ? b.spend - a.spend : b.spend / b.leads - a.spend / a.leads),
    )
    .map((f) => (f.leads === 0 ? null : f.spend / f.leads))
    .slice(0, 3)
  return { scope: { workspaceId, client: { id: client.id, name: client.name } }, expected: { best, worst } }
}
