/**
 * Sync on real PostgreSQL against the Meta simulator through the real Graph client: ad level, campaign-days the
 * sum of their ads, idempotent, one request per page per account, one statement per page, revisions and omitted days, all-or-nothing on failure,
 * expired tokens pausing the connection, and a zero-decimal (JPY) account.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { countingQueries } from '../../../test/support/counting-queries.ts'
import { simulatorMetaApi, testDomainDeps } from '../../../test/support/domain-deps.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../../../test/support/test-database.ts'
import type { CampaignReachDay } from '../../integrations/meta/meta-api.ts'
import { type MetaSimulator, startMetaSimulator } from '../../integrations/meta-sim/index.ts'
import { toDbDate } from '../../lib/dates.ts'
import { AppErrorCode } from '../../lib/errors.ts'
import { ensureDefaultConnection } from '../connections/ensure-default-connection.ts'
import type { DomainDeps } from '../deps.ts'
import { resolvePeriod } from '../metrics/periods.ts'
import { newSyncRunId } from './stage-ad-days.ts'
import { BUDGET_SEEN_CHANGED, syncAdAccount } from './sync-ad-account.ts'
import { REACH_PERIODS } from './sync-period-reach.ts'

const serverUrl = requirePostgresUrl()
const NOW = new Date('2026-11-25T15:00:00Z')

describe.skipIf(!serverUrl)('syncAdAccount on PostgreSQL', () => {
  let sim: MetaSimulator
  let db: TestDatabase
  let deps: DomainDeps
  let usd: string
  let jpy: string

  beforeAll(async () => {
    sim = await startMetaSimulator({
      now: () => NOW,
      accounts: [
        { id: '111', name: 'Big USD account', currency: 'USD', timezoneName: 'America/Los_Angeles', campaigns: 60 },
        { id: '222', name: 'Tokyo shop', currency: 'JPY', timezoneName: 'Asia/Tokyo', campaigns: 5 },
      ],
    })
    db = await createPostgresTestDatabase(serverUrl!)
    deps = {
      ...testDomainDeps({
        prisma: db.prisma,
        meta: simulatorMetaApi(sim, { sleep: async () => {}, baseDelayMs: 1, maxDelayMs: 5 }),
        now: () => NOW,
      }),
      sync: { sleep: async () => {} },
    }
    const ws = await db.prisma.workspace.create({ data: { slackTeamId: 'TSYNC' } })
    const accounts = await ensureDefaultConnection(deps, ws.id, { token: sim.accessToken, label: 'sim' })
    usd = accounts.find((a) => a.currency === 'USD')!.id
    jpy = accounts.find((a) => a.currency === 'JPY')!.id
  })

  afterAll(async () => {
    await db?.drop()
    await sim?.close()
  })

  beforeEach(() => {
    sim.faults.clear()
    sim.resetStats()
  })

  async function snapshot(adAccountId: string) {
    const rows = await db.prisma.campaignDailyMetric.findMany({ where: { adAccountId }, orderBy: [{ campaignId: 'asc' }, { date: 'asc' }] })
    const ads = await db.prisma.adDailyMetric.findMany({ where: { adAccountId }, orderBy: [{ adId: 'asc' }, { date: 'asc' }] })
    return { campaignDays: rows.map((r) => ({ ...r, syncedAt: undefined })), adDays: ads.map((r) => ({ ...r, syncedAt: undefined })) }
  }

  it('first sync takes 28 account-local days at ad level, with requests that grow with pages, not objects', async () => {
    const counter = countingQueries(db.prisma)
    const r = await syncAdAccount({ ...deps, prisma: counter.prisma }, { adAccountId: usd })
    const ads = sim.state.ads('111')
    expect(r).toMatchObject({
      since: '2026-10-29',
      until: '2026-11-25',
      campaigns: 60,
      adSets: sim.state.adSets('111').length,
      ads: ads.length,
    })
    expect(r.gaps).toEqual([])
    expect(r.metricRows).toBeGreaterThan(5_000)
    const stored = await db.prisma.adDailyMetric.count({ where: { adAccountId: usd } })
    expect(stored).toBe(r.metricRows)
    const campaignDays = await db.prisma.campaignDailyMetric.count({ where: { adAccountId: usd } })
    const stats = sim.stats()
    // Ad-days and campaign-day reach by the page, plus each standard period's reach (a campaign- and an account-level request).
    expect(stats.byRoute['GET /act_{id}/insights']).toBe(
      Math.ceil(r.metricRows / 500) + Math.ceil(campaignDays / 500) + 2 * REACH_PERIODS.length,
    )
    expect(stats.byRoute['GET /act_{id}/ads']).toBe(Math.ceil(ads.length / 500))
    expect(stats.byRoute['GET /act_{id}/campaigns']).toBe(1)
    expect(stats.byRoute['GET /act_{id}/adsets']).toBe(1)
    expect(stats.requests).toBeLessThanOrEqual(Math.ceil(r.metricRows / 500) + Math.ceil(campaignDays / 500) + 2 * REACH_PERIODS.length + 4)
    // Bulk writes: one INSERT per Insights page into the stage, the rest a constant (structure chunks, the commit).
    expect(counter.queries()).toBeLessThanOrEqual(Math.ceil(r.metricRows / 500) + 30)
    expect(await db.prisma.adDailyMetricStage.count()).toBe(0)
    const account = await db.prisma.adAccount.findUniqueOrThrow({ where: { id: usd } })
    expect(account.lastSyncedDate?.toISOString().slice(0, 10)).toBe('2026-11-25')
    expect(account.adLevelSince?.toISOString().slice(0, 10)).toBe('2026-10-29')
    expect(account.syncGaps).toEqual([])
  })

  it("campaign-days are the sum of their ads, and equal Meta's campaign rows, with Meta's campaign reach", async () => {
    const [mismatch] = await db.prisma.$queryRaw<Array<{ n: bigint }>>`
      SELECT count(*) AS n FROM "CampaignDailyMetric" c
        FULL JOIN (SELECT "campaignId", "date", sum("spend") AS spend, sum("impressions") AS impressions, sum("leads") AS leads, max("reach") AS reach
                     FROM "AdDailyMetric" WHERE "adAccountId" = ${usd} GROUP BY 1, 2) a
          ON a."campaignId" = c."campaignId" AND a."date" = c."date"
       WHERE (c."adAccountId" = ${usd} OR c."adAccountId" IS NULL)
         AND (c."spend" IS DISTINCT FROM a.spend OR c."impressions" IS DISTINCT FROM a.impressions OR c."leads" IS DISTINCT FROM a.leads
              OR c."reach" < a.reach)`
    expect(Number(mismatch!.n)).toBe(0)
    // Meta's campaign-level rows (deleted campaigns included) give the same spend per campaign-day, and their reach.
    const metaRows: CampaignReachDay[] = []
    for await (const page of deps.meta.fetchDailyReport(sim.accessToken, 'act_111', 'campaign_reach', {
      since: '2026-10-29',
      until: '2026-11-25',
      currency: 'USD',
    }))
      metaRows.push(...page)
    const ours = await db.prisma.campaignDailyMetric.findMany({ where: { adAccountId: usd }, include: { campaign: true } })
    const byKey = new Map(ours.map((c) => [`${c.campaign.metaCampaignId}|${c.date.toISOString().slice(0, 10)}`, c]))
    expect(ours.length).toBe(metaRows.length)
    let reachBelowSumOfAds = 0
    for (const m of metaRows) {
      const c = byKey.get(`${m.campaignId}|${m.date}`)
      expect(c, `${m.campaignId} ${m.date}`).toBeDefined()
      expect(Number(c!.reach)).toBe(m.reach)
      expect(Number(c!.impressions)).toBe(m.impressions)
      if (m.reach < m.impressions) reachBelowSumOfAds++
    }
    expect(reachBelowSumOfAds).toBeGreaterThan(0)
  })

  it('is idempotent: syncing again leaves exactly the same rows', async () => {
    const before = await snapshot(usd)
    await syncAdAccount(deps, { adAccountId: usd, full: true })
    await syncAdAccount(deps, { adAccountId: usd })
    expect(await snapshot(usd)).toEqual(before)
    expect(await db.prisma.campaign.count({ where: { adAccountId: usd } })).toBe(60)
  })

  it('records a daily budget changed on Meta since the last sync (once), for pacing to judge each day right', async () => {
    const campaign = await db.prisma.campaign.findFirstOrThrow({
      where: { adAccountId: usd, dailyBudget: { not: null } },
      orderBy: { metaCampaignId: 'asc' },
    })
    const before = Number(campaign.dailyBudget)
    // Changed in "Ads Manager": straight on Meta, not through Promoly.
    await deps.meta.updateCampaign(sim.accessToken, campaign.metaCampaignId, { dailyBudgetMinor: before + 5_000 })
    await syncAdAccount(deps, { adAccountId: usd })
    await syncAdAccount(deps, { adAccountId: usd })
    const seen = await db.prisma.auditEvent.findMany({ where: { action: BUDGET_SEEN_CHANGED } })
    expect(seen.map((e) => ({ targetId: e.targetId, data: e.data }))).toEqual([
      { targetId: campaign.id, data: { fromMinor: before, toMinor: before + 5_000 } },
    ])
  })

  it('later syncs fetch the last 8 days (late conversions), the fast loop only the last 3', async () => {
    const r = await syncAdAccount(deps, { adAccountId: usd })
    expect(r).toMatchObject({ since: '2026-11-18', until: '2026-11-25' })
    const fast = await syncAdAccount(deps, { adAccountId: usd, fast: true })
    expect(fast).toMatchObject({ since: '2026-11-23', until: '2026-11-25' })
  })

  it('removes days Meta no longer reports and restores revised values', async () => {
    const campaign = await db.prisma.campaign.findFirstOrThrow({ where: { adAccountId: usd, status: 'ACTIVE' } })
    const day = new Date('2026-11-24T00:00:00Z')
    const real = await db.prisma.campaignDailyMetric.findUniqueOrThrow({
      where: { campaignId_date: { campaignId: campaign.id, date: day } },
    })
    await db.prisma.campaignDailyMetric.update({
      where: { campaignId_date: { campaignId: campaign.id, date: day } },
      data: { spend: 1n, leads: 999n },
    })
    const ghost = await db.prisma.campaign.create({
      data: {
        adAccountId: usd,
        metaCampaignId: '999999',
        name: 'ghost',
        objective: 'OUTCOME_LEADS',
        status: 'ACTIVE',
        effectiveStatus: 'ACTIVE',
      },
    })
    await db.prisma.campaignDailyMetric.create({ data: { campaignId: ghost.id, adAccountId: usd, date: day, spend: 500n } })
    await syncAdAccount(deps, { adAccountId: usd })
    const after = await db.prisma.campaignDailyMetric.findUniqueOrThrow({
      where: { campaignId_date: { campaignId: campaign.id, date: day } },
    })
    expect(after.spend).toBe(real.spend)
    expect(after.leads).toBe(real.leads)
    expect(await db.prisma.campaignDailyMetric.count({ where: { campaignId: ghost.id } })).toBe(0)
  })

  it("caches each standard period's true reach: Meta's deduplicated figure, not the sum of daily reach", async () => {
    await syncAdAccount(deps, { adAccountId: usd })
    const last7 = resolvePeriod('last_7d', NOW, 'America/Los_Angeles').current
    const where = { adAccountId: usd, since: toDbDate(last7.since), until: toDbDate(last7.until) }
    const account = await db.prisma.periodReach.findFirstOrThrow({ where: { ...where, campaignId: null } })
    const campaigns = await db.prisma.periodReach.findMany({ where: { ...where, campaignId: { not: null } } })
    expect(campaigns.length).toBeGreaterThan(10)
    // Per campaign: at most the sum of its daily reach, at least its best day, and below the sum when it delivered on several days.
    let strictlyBelow = 0
    for (const row of campaigns) {
      const days = await db.prisma.campaignDailyMetric.findMany({
        where: { campaignId: row.campaignId!, date: { gte: where.since, lte: where.until } },
      })
      const daily = days.map((d) => Number(d.reach))
      const sum = daily.reduce((a, b) => a + b, 0)
      expect(Number(row.reach)).toBeLessThanOrEqual(sum)
      expect(Number(row.reach)).toBeGreaterThanOrEqual(Math.max(...daily))
      if (daily.length > 1 && Number(row.reach) < sum) strictlyBelow++
      expect(Number(row.impressions)).toBe(days.reduce((a, d) => a + Number(d.impressions), 0))
    }
    expect(strictlyBelow).toBeGreaterThan(0)
    // The account's reach deduplicates across campaigns too.
    expect(Number(account.reach)).toBeLessThan(campaigns.reduce((a, r) => a + Number(r.reach), 0))
    // Every standard period is cached, once (a second sync replaces, never duplicates).
    await syncAdAccount(deps, { adAccountId: usd })
    const accountRows = await db.prisma.periodReach.findMany({ where: { adAccountId: usd, campaignId: null } })
    expect(accountRows).toHaveLength(REACH_PERIODS.length)
  })

  it('writes nothing when a page fails half-way (no half-written state)', async () => {
    const before = await snapshot(usd)
    await db.prisma.adAccount.update({ where: { id: usd }, data: { lastSyncedDate: null } })
    // The network fails on every request for a second insights page: the sync gives up and must leave
    // the data as it was, although the first page had arrived (and was staged).
    const flaky: typeof fetch = async (input, init) => {
      const url = String(input instanceof Request ? input.url : input)
      if (url.includes('/insights') && url.includes('after=')) throw new TypeError('fetch failed')
      return fetch(input, init)
    }
    await expect(
      syncAdAccount({ ...deps, meta: simulatorMetaApi(sim, { sleep: async () => {}, fetch: flaky }) }, { adAccountId: usd }),
    ).rejects.toThrow()
    expect(sim.stats().byRoute['GET /act_{id}/insights']).toBe(1)
    expect(await snapshot(usd)).toEqual(before)
    expect(await db.prisma.adDailyMetricStage.count()).toBe(0)
    const account = await db.prisma.adAccount.findUniqueOrThrow({ where: { id: usd } })
    expect(account.lastSyncError).toBeTruthy()
    expect(account.lastSyncedDate).toBeNull()
    sim.faults.clear()
    await syncAdAccount(deps, { adAccountId: usd })
    expect((await db.prisma.adAccount.findUniqueOrThrow({ where: { id: usd } })).lastSyncError).toBeNull()
  })

  it("clears a crashed run's staged rows at the next run of the account, never a run still going", async () => {
    const row = { adAccountId: usd, metaAdId: '1', metaAdSetId: '2', metaCampaignId: '3', date: new Date('2026-11-20T00:00:00Z') }
    const metrics = {
      impressions: 1n,
      reach: 1n,
      frequency: 1,
      clicks: 0n,
      linkClicks: 0n,
      spend: 1n,
      leads: 0n,
      purchases: 0n,
      purchaseValue: 0n,
    }
    const crashed = newSyncRunId(new Date(NOW.getTime() - 7 * 3_600_000), 'crashed0000000')
    const running = newSyncRunId(new Date(NOW.getTime() - 60_000), 'running0000000')
    await db.prisma.adDailyMetricStage.createMany({
      data: [
        { syncRunId: crashed, ...row, ...metrics },
        { syncRunId: running, ...row, ...metrics },
      ],
    })
    await syncAdAccount(deps, { adAccountId: usd })
    expect((await db.prisma.adDailyMetricStage.findMany()).map((r) => r.syncRunId)).toEqual([running])
    await db.prisma.adDailyMetricStage.deleteMany()
  })

  it('retries a throttled request after the wait Meta asks for, and succeeds', async () => {
    const waits: number[] = []
    const meta = simulatorMetaApi(sim, { sleep: async (ms) => void waits.push(ms) })
    sim.faults.throttle(613, { path: '/insights', times: 1, subcode: 1487742, regainMinutes: 1 })
    const r = await syncAdAccount({ ...deps, meta }, { adAccountId: jpy })
    expect(r.metricRows).toBeGreaterThan(0)
    expect(sim.stats().byRoute['GET /act_{id}/insights']).toBeGreaterThanOrEqual(2)
    // The usage headers said one minute: the client waited at least that long, not a blind backoff.
    expect(Math.max(...waits)).toBeGreaterThanOrEqual(60_000)
  })

  it('backfills the older month without touching the sync bookkeeping', async () => {
    const before = await db.prisma.adAccount.findUniqueOrThrow({ where: { id: usd } })
    const r = await syncAdAccount(deps, { adAccountId: usd, backfill: true })
    expect(r).toMatchObject({ since: '2026-09-24', until: '2026-10-28' })
    const after = await db.prisma.adAccount.findUniqueOrThrow({ where: { id: usd } })
    expect(after.lastSyncedDate).toEqual(before.lastSyncedDate)
    const first = await db.prisma.campaignDailyMetric.aggregate({ where: { adAccountId: usd }, _min: { date: true } })
    expect(first._min.date!.toISOString().slice(0, 10) <= '2026-09-25').toBe(true)
  })

  it('stores JPY money as whole yen (zero-decimal currency)', async () => {
    const rows = await db.prisma.campaignDailyMetric.findMany({ where: { adAccountId: jpy, spend: { gt: 0n } } })
    expect(rows.length).toBeGreaterThan(0)
    const camp = await db.prisma.campaign.findFirstOrThrow({ where: { adAccountId: jpy, dailyBudget: { not: null } } })
    const simCampaign = sim.state.campaign(camp.metaCampaignId)!
    expect(Number(camp.dailyBudget)).toBe(simCampaign.dailyBudget)
    // Daily spend of a yen account is in the thousands of yen, not hundreds of thousands (no ×100).
    const avg = rows.reduce((s, r) => s + Number(r.spend), 0) / rows.length
    expect(avg).toBeGreaterThan(100)
    expect(avg).toBeLessThan(1_000_000)
  })

  it('pauses the connection on an expired token (190) instead of retrying forever', async () => {
    sim.faults.expireToken(sim.accessToken)
    // Sync throws the domain's AppError (domain/meta-errors.ts), keeping Meta's kind and code in its details.
    await expect(syncAdAccount(deps, { adAccountId: usd })).rejects.toMatchObject({
      code: AppErrorCode.META_AUTH,
      details: { kind: 'auth', code: 190 },
    })
    const conn = await db.prisma.metaConnection.findFirstOrThrow()
    expect(conn.status).toBe('NEEDS_RECONNECT')
    const requestsSoFar = sim.stats().requests
    const skipped = await syncAdAccount(deps, { adAccountId: usd })
    expect(skipped.skipped).toBe('needs_reconnect')
    expect(sim.stats().requests).toBe(requestsSoFar)
    expect(await db.prisma.auditEvent.count({ where: { action: 'meta_connection.needs_reconnect' } })).toBe(1)
  })
})
