/**
 * Archived and deleted objects as Meta really serves them (reference §8), on real PostgreSQL against the simulator:
 * lists omit ARCHIVED/DELETED unless filtered and Insights omit deleted objects unless filtered, so a sync that
 * did not ask for them would leave them ACTIVE and erase their history. Here they keep their days and show their
 * true status; deleting inside the revision window keeps the totals; an object Meta no longer returns at all is
 * marked DELETED; an ad only Insights still name is created DELETED; ad set budgets changed on Meta are audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { simulatorMetaApi, testDomainDeps } from '../../../test/support/domain-deps.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../../../test/support/test-database.ts'
import { type MetaSimulator, startMetaSimulator } from '../../integrations/meta-sim/index.ts'
import { ensureDefaultConnection } from '../connections/ensure-default-connection.ts'
import type { DomainDeps } from '../deps.ts'
import { BUDGET_SEEN_CHANGED, syncAdAccount } from './sync-ad-account.ts'

const serverUrl = requirePostgresUrl()
const NOW = new Date('2026-11-25T15:00:00Z')
const ACT = '333'

describe.skipIf(!serverUrl)('deleted and archived objects', () => {
  let sim: MetaSimulator
  let db: TestDatabase
  let deps: DomainDeps
  let accountId: string

  beforeAll(async () => {
    sim = await startMetaSimulator({
      now: () => NOW,
      accounts: [{ id: ACT, name: 'Deletions', currency: 'EUR', timezoneName: 'Europe/Berlin', campaigns: 12 }],
    })
    db = await createPostgresTestDatabase(serverUrl!)
    // Promoly's clock moves a second per reading, as real time does: each sync stamps its rows with its own instant, so
    // days a later sync does not get again are told apart from the ones it wrote (a frozen clock would hide that).
    let tick = 0
    const now = () => new Date(NOW.getTime() + 1_000 * tick++)
    deps = {
      ...testDomainDeps({ prisma: db.prisma, meta: simulatorMetaApi(sim, { sleep: async () => {} }), now }),
      sync: { sleep: async () => {} },
    }
    const ws = await db.prisma.workspace.create({ data: { slackTeamId: 'TDEL' } })
    const [account] = await ensureDefaultConnection(deps, ws.id, { token: sim.accessToken, label: 'sim' })
    accountId = account!.id
  })

  afterAll(async () => {
    await db?.drop()
    await sim?.close()
  })

  /** Spend per object over all stored days (ad-days), by Meta id. */
  /** Spend stored for the object, over every day or from `since` (the days the next sync fetches again). */
  async function spendOf(level: 'ad' | 'adSet' | 'campaign', metaId: string, since?: string): Promise<number> {
    const where =
      level === 'ad'
        ? { ad: { metaAdId: metaId } }
        : level === 'adSet'
          ? { ad: { adSet: { metaAdSetId: metaId } } }
          : { ad: { campaign: { metaCampaignId: metaId } } }
    const dates = since ? { date: { gte: new Date(`${since}T00:00:00Z`) } } : {}
    const r = await db.prisma.adDailyMetric.aggregate({ where: { adAccountId: accountId, ...where, ...dates }, _sum: { spend: true } })
    return Number(r._sum.spend ?? 0n)
  }

  async function accountTotals() {
    const ads = await db.prisma.adDailyMetric.aggregate({
      where: { adAccountId: accountId },
      _sum: { spend: true, impressions: true, leads: true },
    })
    const campaigns = await db.prisma.campaignDailyMetric.aggregate({
      where: { adAccountId: accountId },
      _sum: { spend: true, impressions: true, leads: true },
    })
    return { ads: ads._sum, campaigns: campaigns._sum }
  }

  it('objects deleted or archived before the first sync come with their history and their true status', async () => {
    await syncAdAccount(deps, { adAccountId: accountId })
    const deletedAds = sim.state.ads(ACT).filter((a) => a.status === 'DELETED')
    const archivedAdSets = sim.state.adSets(ACT).filter((s) => s.status === 'ARCHIVED')
    const deletedAdSets = sim.state.adSets(ACT).filter((s) => s.status === 'DELETED')
    expect(deletedAds.length).toBeGreaterThan(0)
    expect(archivedAdSets.length).toBeGreaterThan(0)
    expect(deletedAdSets.length).toBeGreaterThan(0)
    for (const a of deletedAds) {
      const stored = await db.prisma.ad.findUniqueOrThrow({ where: { adAccountId_metaAdId: { adAccountId: accountId, metaAdId: a.id } } })
      expect([stored.status, stored.effectiveStatus]).toEqual(['DELETED', 'DELETED'])
    }
    for (const s of [...archivedAdSets, ...deletedAdSets]) {
      const stored = await db.prisma.adSet.findUniqueOrThrow({
        where: { adAccountId_metaAdSetId: { adAccountId: accountId, metaAdSetId: s.id } },
      })
      expect(stored.status).toBe(s.status)
    }
    // The one deleted two days ago delivered in the window: its days are there.
    const recent = deletedAdSets.find((s) => s.stoppedDate && s.stoppedDate >= '2026-10-29')
    expect(recent).toBeDefined()
    expect(await spendOf('adSet', recent!.id)).toBeGreaterThan(0)
  })

  it('deleting a campaign, an ad set and an ad and archiving a campaign inside the revision window keeps their days and the totals', async () => {
    // Objects that delivered in the 3 days the next sync fetches again: without the deleted-objects filters their
    // days there would come back missing and be removed.
    const window = '2026-11-23'
    const live = sim.state.campaigns(ACT).filter((c) => c.status === 'ACTIVE')
    const spenders: string[] = []
    for (const c of live) if ((await spendOf('campaign', c.id, window)) > 0) spenders.push(c.id)
    const [deletedCampaign, archivedCampaign, ...others] = spenders
    let adSet: { id: string } | undefined
    let ad: { id: string } | undefined
    for (const other of others) {
      const sets = sim.state.adSets(other).filter((s) => s.status === 'ACTIVE')
      const spendingSets: string[] = []
      for (const s of sets) if ((await spendOf('adSet', s.id, window)) > 0) spendingSets.push(s.id)
      if (spendingSets.length < 2) continue
      adSet = { id: spendingSets[0]! }
      for (const a of sim.state.ads(other)) {
        if (a.status === 'ACTIVE' && a.adSetId !== adSet.id && (await spendOf('ad', a.id, window)) > 0) {
          ad = { id: a.id }
          break
        }
      }
      if (ad) break
    }
    if (!adSet || !ad) throw new Error('the simulator has no campaign with two ad sets delivering in the window')
    for (const [level, id] of [
      ['campaign', deletedCampaign!],
      ['campaign', archivedCampaign!],
      ['adSet', adSet.id],
      ['ad', ad.id],
    ] as const)
      expect(await spendOf(level, id, window)).toBeGreaterThan(0)

    const before = {
      totals: await accountTotals(),
      deleted: await spendOf('campaign', deletedCampaign!),
      archived: await spendOf('campaign', archivedCampaign!),
      adSet: await spendOf('adSet', adSet.id),
      ad: await spendOf('ad', ad.id),
    }
    expect(before.adSet).toBeGreaterThan(0)
    // Changed "in Ads Manager": straight on Meta, today, inside the 8 days the next sync fetches again.
    sim.adsManager.setStatus(deletedCampaign!, 'DELETED')
    sim.adsManager.setStatus(archivedCampaign!, 'ARCHIVED')
    sim.adsManager.setStatus(adSet.id, 'DELETED')
    sim.adsManager.setStatus(ad.id, 'DELETED')

    const r = await syncAdAccount(deps, { adAccountId: accountId })
    expect(r).toMatchObject({ since: '2026-11-18', until: '2026-11-25', gaps: [] })
    expect(await accountTotals()).toEqual(before.totals)
    expect({
      totals: await accountTotals(),
      deleted: await spendOf('campaign', deletedCampaign!),
      archived: await spendOf('campaign', archivedCampaign!),
      adSet: await spendOf('adSet', adSet.id),
      ad: await spendOf('ad', ad.id),
    }).toEqual(before)

    const byMeta = (metaCampaignId: string) =>
      db.prisma.campaign.findUniqueOrThrow({ where: { adAccountId_metaCampaignId: { adAccountId: accountId, metaCampaignId } } })
    expect((await byMeta(deletedCampaign!)).status).toBe('DELETED')
    expect((await byMeta(archivedCampaign!)).status).toBe('ARCHIVED')
    const storedAdSet = await db.prisma.adSet.findUniqueOrThrow({
      where: { adAccountId_metaAdSetId: { adAccountId: accountId, metaAdSetId: adSet.id } },
    })
    expect(storedAdSet.status).toBe('DELETED')
    const storedAd = await db.prisma.ad.findUniqueOrThrow({ where: { adAccountId_metaAdId: { adAccountId: accountId, metaAdId: ad.id } } })
    expect([storedAd.status, storedAd.effectiveStatus]).toEqual(['DELETED', 'DELETED'])
  })

  it('an object Meta no longer returns at all is marked DELETED, never left ACTIVE; its days stay', async () => {
    const campaign = await db.prisma.campaign.findFirstOrThrow({ where: { adAccountId: accountId } })
    const ghost = await db.prisma.campaign.create({
      data: {
        adAccountId: accountId,
        metaCampaignId: '990001',
        name: 'Gone',
        objective: 'OUTCOME_LEADS',
        status: 'ACTIVE',
        effectiveStatus: 'ACTIVE',
      },
    })
    const ghostSet = await db.prisma.adSet.create({
      data: {
        adAccountId: accountId,
        campaignId: campaign.id,
        metaAdSetId: '990002',
        name: 'Gone set',
        status: 'PAUSED',
        effectiveStatus: 'PAUSED',
      },
    })
    // Created before this sync's lists were read (a row created while a sync runs is left for the next one).
    await db.prisma.$executeRaw`UPDATE "Campaign" SET "createdAt" = now() - interval '1 hour' WHERE "id" = ${ghost.id}`
    await db.prisma.$executeRaw`UPDATE "AdSet" SET "createdAt" = now() - interval '1 hour' WHERE "id" = ${ghostSet.id}`
    await db.prisma.campaignDailyMetric.create({
      data: { campaignId: ghost.id, adAccountId: accountId, date: new Date('2026-10-01T00:00:00Z'), spend: 700n },
    })
    await syncAdAccount(deps, { adAccountId: accountId })
    const after = await db.prisma.campaign.findUniqueOrThrow({ where: { id: ghost.id } })
    expect([after.status, after.effectiveStatus]).toEqual(['DELETED', 'DELETED'])
    expect((await db.prisma.adSet.findUniqueOrThrow({ where: { id: ghostSet.id } })).status).toBe('DELETED')
    // Outside every synced range: kept.
    expect(await db.prisma.campaignDailyMetric.count({ where: { campaignId: ghost.id } })).toBe(1)
  })

  it('an ad that only Insights still name (gone from the lists) is created DELETED under its ad set, with its days', async () => {
    const target = sim.state.ads(ACT).find((a) => a.status === 'ACTIVE')!
    await db.prisma.ad.delete({ where: { adAccountId_metaAdId: { adAccountId: accountId, metaAdId: target.id } } })
    // Meta's ads list no longer returns the ad (purged), while Insights still report its delivery.
    const dropFromList: typeof fetch = async (input, init) => {
      const url = String(input instanceof Request ? input.url : input)
      const res = await fetch(input, init)
      if (!/\/act_\d+\/ads\?/.test(url)) return res
      const body = (await res.json()) as { data: Array<{ id: string }> }
      body.data = body.data.filter((a) => a.id !== target.id)
      return new Response(JSON.stringify(body), { status: res.status, headers: res.headers })
    }
    const meta = simulatorMetaApi(sim, { sleep: async () => {}, fetch: dropFromList })
    await syncAdAccount({ ...deps, meta }, { adAccountId: accountId, full: true })
    const stored = await db.prisma.ad.findUniqueOrThrow({
      where: { adAccountId_metaAdId: { adAccountId: accountId, metaAdId: target.id } },
      include: { adSet: true },
    })
    expect(stored).toMatchObject({ name: target.name, status: 'DELETED', effectiveStatus: 'DELETED', seenAt: null })
    expect(stored.adSet.metaAdSetId).toBe(target.adSetId)
    expect(await spendOf('ad', target.id)).toBeGreaterThan(0)
    // Listed again: its true status and creative come back.
    await syncAdAccount(deps, { adAccountId: accountId })
    const relisted = await db.prisma.ad.findUniqueOrThrow({ where: { id: stored.id } })
    expect(relisted).toMatchObject({ status: 'ACTIVE', creativeName: target.creative.name })
  })

  it("records an ad set's daily budget changed on Meta (targetType adset), once", async () => {
    const adSet = sim.state.adSets(ACT).find((s) => s.status === 'ACTIVE' && s.dailyBudget !== undefined)!
    expect(adSet).toBeDefined()
    const stored = await db.prisma.adSet.findUniqueOrThrow({
      where: { adAccountId_metaAdSetId: { adAccountId: accountId, metaAdSetId: adSet.id } },
    })
    expect(Number(stored.dailyBudget)).toBe(adSet.dailyBudget)
    sim.adsManager.setBudget(adSet.id, { daily: adSet.dailyBudget! + 1_000 })
    await syncAdAccount(deps, { adAccountId: accountId })
    await syncAdAccount(deps, { adAccountId: accountId })
    const seen = await db.prisma.auditEvent.findMany({ where: { action: BUDGET_SEEN_CHANGED, targetType: 'adset' } })
    expect(seen.map((e) => ({ targetId: e.targetId, data: e.data }))).toEqual([
      { targetId: stored.id, data: { fromMinor: adSet.dailyBudget, toMinor: adSet.dailyBudget! + 1_000 } },
    ])
  })
})
