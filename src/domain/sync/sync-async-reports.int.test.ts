/**
 * Large reads as Meta wants them (reference §3 "Async report runs", §8), on real PostgreSQL against the simulator:
 * async report runs chosen up front by size (running → completed), the timeout subcodes going async without
 * retrying the same request, a failed run split in halves, and a run that never completes abandoned at the
 * deadline: its days become a gap named in /promoly accounts, left as they were, and fetched at the next sync.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { simulatorMetaApi, testDomainDeps } from '../../../test/support/domain-deps.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../../../test/support/test-database.ts'
import { type MetaSimulator, startMetaSimulator } from '../../integrations/meta-sim/index.ts'
import { accountsMessage } from '../../slack/blocks/accounts-message.ts'
import { ensureDefaultConnection } from '../connections/ensure-default-connection.ts'
import type { DomainDeps } from '../deps.ts'
import { syncAdAccount } from './sync-ad-account.ts'
import { readSyncGaps } from './sync-gaps.ts'
import type { SyncSettings } from './sync-settings.ts'

const serverUrl = requirePostgresUrl()
const NOW = new Date('2026-11-25T15:00:00Z')
const ACT = '444'

describe.skipIf(!serverUrl)('async report runs', () => {
  let sim: MetaSimulator
  let db: TestDatabase
  let base: DomainDeps
  let accountId: string
  /** Ad-days as the synchronous path stored them: what every other path must store too. */
  let reference: string[]

  /** A fake clock the polls advance: deadlines pass without waiting. */
  function deps(settings: Partial<SyncSettings> = {}): DomainDeps & { waited: () => number } {
    let clock = 0
    return {
      ...base,
      sync: {
        sleep: async (ms) => {
          clock += ms
        },
        clockMs: () => clock,
        ...settings,
      },
      waited: () => clock,
    }
  }

  async function adDays(): Promise<string[]> {
    const rows = await db.prisma.adDailyMetric.findMany({
      where: { adAccountId: accountId },
      include: { ad: { select: { metaAdId: true } } },
      orderBy: [{ adId: 'asc' }, { date: 'asc' }],
    })
    return rows.map((r) => `${r.ad.metaAdId}|${r.date.toISOString().slice(0, 10)}|${r.spend}|${r.impressions}|${r.leads}|${r.reach}`).sort()
  }

  beforeAll(async () => {
    sim = await startMetaSimulator({
      now: () => NOW,
      accounts: [
        { id: ACT, name: 'Large', currency: 'USD', timezoneName: 'America/New_York', campaigns: 20, adSetsPerCampaign: 3, adsPerAdSet: 4 },
      ],
    })
    db = await createPostgresTestDatabase(serverUrl!)
    base = testDomainDeps({ prisma: db.prisma, meta: simulatorMetaApi(sim, { sleep: async () => {} }), now: () => NOW })
    const ws = await db.prisma.workspace.create({ data: { slackTeamId: 'TASYNC' } })
    const [account] = await ensureDefaultConnection(base, ws.id, { token: sim.accessToken, label: 'sim' })
    accountId = account!.id
    const r = await syncAdAccount(deps(), { adAccountId: accountId })
    expect(r.reads).toEqual({ syncReads: 1, asyncRuns: 0, fallbacks: 0 })
    reference = await adDays()
    expect(reference.length).toBeGreaterThan(2_000)
  })

  afterAll(async () => {
    await db?.drop()
    await sim?.close()
  })

  beforeEach(() => {
    sim.faults.clear()
    sim.resetStats()
  })

  it('a window estimated too large goes async up front: the run is polled until complete, then read page by page', async () => {
    const d = deps({ asyncAboveRows: 1_000 })
    const r = await syncAdAccount(d, { adAccountId: accountId, full: true })
    expect(r.reads).toEqual({ syncReads: 0, asyncRuns: 1, fallbacks: 0 })
    expect(r.gaps).toEqual([])
    const routes = sim.stats().byRoute
    expect(routes['POST /act_{id}/insights']).toBe(1)
    // "Job Started" / "Job Running", then "Job Completed" at 100%.
    expect(routes['GET /{report_run_id}']).toBe(3)
    expect(routes['GET /{report_run_id}/insights']).toBe(Math.ceil(r.metricRows / 500))
    expect(d.waited()).toBeGreaterThan(0)
    expect(await adDays()).toEqual(reference)
  })

  it.each([100, 2] as const)('a synchronous timeout (%i/…) is read again as a report run, never retried as is', async (code) => {
    sim.faults.insightsTimeout({ code, method: 'GET', times: 1 })
    const r = await syncAdAccount(deps(), { adAccountId: accountId, full: true })
    expect(r.reads).toEqual({ syncReads: 0, asyncRuns: 1, fallbacks: 1 })
    const routes = sim.stats().byRoute
    const campaignDays = await db.prisma.campaignDailyMetric.count({ where: { adAccountId: accountId } })
    // One timed-out GET (no retry), then the campaign reach pages and the 8 period-reach requests.
    expect(routes['GET /act_{id}/insights']).toBe(1 + Math.ceil(campaignDays / 500) + 8)
    expect(routes['POST /act_{id}/insights']).toBe(1)
    expect(await adDays()).toEqual(reference)
  })

  it("a period's reach Meta cannot compute in time keeps the cached reach instead of failing the sync", async () => {
    const cached = await db.prisma.periodReach.count({ where: { adAccountId: accountId } })
    expect(cached).toBeGreaterThan(0)
    // Period reach requests are the Insights calls without time_increment.
    const timeouts: typeof fetch = async (input, init) => {
      const url = new URL(String(input instanceof Request ? input.url : input))
      if (url.pathname.endsWith('/insights') && !url.searchParams.has('time_increment')) {
        const error = { message: 'Please reduce the amount of data', code: 100, error_subcode: 1504018, fbtrace_id: 'T' }
        return new Response(JSON.stringify({ error }), { status: 400, headers: { 'content-type': 'application/json' } })
      }
      return fetch(input, init)
    }
    const r = await syncAdAccount(
      { ...deps(), meta: simulatorMetaApi(sim, { sleep: async () => {}, fetch: timeouts }) },
      { adAccountId: accountId },
    )
    expect(r.gaps).toEqual([])
    expect(await db.prisma.periodReach.count({ where: { adAccountId: accountId } })).toBe(cached)
  })

  it('a failed run is split in halves until the parts complete (28 → 14 → 7 days)', async () => {
    sim.faults.reportFailure({ longerThanDays: 7 })
    const r = await syncAdAccount(deps({ asyncAboveRows: 1_000 }), { adAccountId: accountId, full: true })
    expect(r.gaps).toEqual([])
    expect(r.reads).toMatchObject({ asyncRuns: 7 })
    expect(sim.stats().byRoute['POST /act_{id}/insights']).toBe(7)
    expect(await adDays()).toEqual(reference)
  })

  it('a run that never completes is abandoned at the deadline: a gap named in /promoly accounts, its days left alone, retried at the next sync', async () => {
    // A stored day Meta would revise: it must stay as it is while its range is a gap.
    const day = await db.prisma.adDailyMetric.findFirstOrThrow({
      where: { adAccountId: accountId, date: new Date('2026-11-10T00:00:00Z') },
    })
    await db.prisma.adDailyMetric.update({ where: { adId_date: { adId: day.adId, date: day.date } }, data: { spend: 1n } })
    const before = await db.prisma.adAccount.findUniqueOrThrow({ where: { id: accountId } })

    sim.faults.reportStuck()
    const d = deps({ asyncAboveRows: 1_000, reportDeadlineMs: 15 * 60_000 })
    const r = await syncAdAccount(d, { adAccountId: accountId, full: true })
    expect(d.waited()).toBe(15 * 60_000)
    expect(r.gaps).toEqual([{ since: '2026-10-29', until: '2026-11-25', reason: 'deadline', waitedMinutes: 15, at: NOW.toISOString() }])
    expect(r.metricRows).toBe(0)
    const stuck = await db.prisma.adAccount.findUniqueOrThrow({ where: { id: accountId }, include: { connection: true } })
    expect(readSyncGaps(stuck.syncGaps)).toEqual(r.gaps)
    // Not shown as complete: lastSyncedDate stays where the last complete sync left it.
    expect(stuck.lastSyncedDate).toEqual(before.lastSyncedDate)
    expect((await db.prisma.adDailyMetric.findUniqueOrThrow({ where: { adId_date: { adId: day.adId, date: day.date } } })).spend).toBe(1n)
    const text = JSON.stringify(accountsMessage([stuck], new Date(NOW.getTime() + 60_000)).blocks)
    expect(text).toContain('partly synced just now')
    expect(text).toContain("Meta's report for Thu 29 Oct – Wed 25 Nov did not finish within 15 min; retried at the next sync.")

    // Meta answers again: a plain sync (8-day window) also fetches the gap, restores the day, and the gap is gone.
    sim.faults.clear()
    const next = await syncAdAccount(deps({ asyncAboveRows: 1_000 }), { adAccountId: accountId })
    expect(next).toMatchObject({ since: '2026-11-18', until: '2026-11-25', gaps: [] })
    expect(sim.stats().byRoute['POST /act_{id}/insights']).toBe(2)
    const healed = await db.prisma.adAccount.findUniqueOrThrow({ where: { id: accountId } })
    expect(healed.syncGaps).toEqual([])
    expect(healed.lastSyncedDate?.toISOString().slice(0, 10)).toBe('2026-11-25')
    expect(await adDays()).toEqual(reference)
  })

  it('a run that failed because the request is invalid (2/1504041) fails the sync with the reason, without splitting it', async () => {
    const invalid: typeof fetch = async (input, init) => {
      const url = new URL(String(input instanceof Request ? input.url : input))
      if ((init?.method ?? 'GET') === 'GET' && /^\/v[\d.]+\/\d+$/.test(url.pathname)) {
        const body = {
          id: url.pathname.split('/').pop(),
          async_status: 'Job Failed',
          async_percent_completion: 0,
          error_code: 2,
          error_subcode: 1504041,
          error_message: 'Invalid breakdowns combination',
        }
        return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } })
      }
      return fetch(input, init)
    }
    const before = await adDays()
    await expect(
      syncAdAccount(
        { ...deps({ asyncAboveRows: 1_000 }), meta: simulatorMetaApi(sim, { sleep: async () => {}, fetch: invalid }) },
        { adAccountId: accountId, full: true },
      ),
    ).rejects.toThrow()
    expect(sim.stats().byRoute['POST /act_{id}/insights']).toBe(1)
    expect(await adDays()).toEqual(before)
    expect(readSyncGaps((await db.prisma.adAccount.findUniqueOrThrow({ where: { id: accountId } })).syncGaps)).toEqual([])
  })

  it('a backfill that commits after a sync keeps the gap that sync recorded, and each commit merges into the account as it is then', async () => {
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const held: typeof fetch = async (input, init) => {
      await gate
      return fetch(input, init)
    }
    // The backfill reads the account (no gaps yet), then waits on Meta…
    const backfill = syncAdAccount(
      { ...deps(), meta: simulatorMetaApi(sim, { sleep: async () => {}, fetch: held }) },
      { adAccountId: accountId, backfill: true },
    )
    // …while a sync leaves a gap behind.
    sim.faults.reportStuck()
    const stuck = await syncAdAccount(deps({ asyncAboveRows: 1_000, reportDeadlineMs: 60_000 }), { adAccountId: accountId, full: true })
    expect(stuck.gaps).toHaveLength(1)
    sim.faults.clear()
    release()
    const late = await backfill
    // Its own days all came; the account's gaps after its commit still hold the sync's.
    expect(late.gaps).toEqual(stuck.gaps)
    const after = await db.prisma.adAccount.findUniqueOrThrow({ where: { id: accountId } })
    expect(readSyncGaps(after.syncGaps)).toEqual(stuck.gaps)
    expect(after.adLevelSince?.toISOString().slice(0, 10)).toBe(late.since)
    // The next sync fetches the gap and clears it.
    const healed = await syncAdAccount(deps({ asyncAboveRows: 1_000 }), { adAccountId: accountId })
    expect(healed.gaps).toEqual([])
    expect(readSyncGaps((await db.prisma.adAccount.findUniqueOrThrow({ where: { id: accountId } })).syncGaps)).toEqual([])
  })
})
