/**
 * The fast loop (issue 14, item 4) on PostgreSQL and the Meta simulator, with the real jobs on the in-process queue:
 * the tick queues a fast sync only for accounts whose local hour is inside the workspace's fast-loop hours and that no
 * sync touched for about an hour; a fast sync reads only the last 3 days, records fastSyncedAt, and queues the
 * optimizer and the intraday alerts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { simulatorMetaApi, testDomainDeps } from '../../../test/support/domain-deps.ts'
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts'
import { ensureDefaultConnection } from '../../domain/connections/ensure-default-connection.ts'
import type { DomainDeps } from '../../domain/deps.ts'
import type { Notifier } from '../../domain/notifier.ts'
import { parseSettings } from '../../domain/settings/workspace-settings.ts'
import { FAST_SYNC_DAYS } from '../../domain/sync/sync-window.ts'
import type { MetaApi } from '../../integrations/meta/meta-api.ts'
import { type MetaSimulator, startMetaSimulator } from '../../integrations/meta-sim/index.ts'
import { addDays, localDate } from '../../lib/dates.ts'
import { silentLogger } from '../../lib/logger.ts'
import { createInProcessQueue } from '../in-process-queue.ts'
import type { JobQueue } from '../job-queue.ts'
import { createJobs, type PromolyJobs } from '../registry.ts'
import { FAST_SYNC_EVERY_MS } from './fast-sync-tick.ts'

/** 15:00 UTC: 10:00 in New York (inside the default 7–21 fast-loop hours), midnight in Tokyo (outside). */
const START = new Date('2026-11-25T15:00:00Z')
const NY = 'America/New_York'
const TOKYO = 'Asia/Tokyo'

/** Insights reads as Promoly asked for them (method, account, days). */
interface InsightsRead {
  method: string
  actId: string
  since: string
  until: string
}

/** The MetaApi Promoly uses, recording every insights read it makes on the way to the simulator. */
function recordingMeta(inner: MetaApi, reads: InsightsRead[]): MetaApi {
  const queryArg: Record<string, number> = { fetchDailyCampaignInsights: 2, fetchDailyReport: 3, startDailyReport: 3, fetchPeriodReach: 2 }
  return new Proxy(inner, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver)
      if (typeof value !== 'function') return value
      const at = queryArg[String(key)]
      return (...args: unknown[]) => {
        if (at !== undefined) {
          const q = args[at] as { since: string; until: string }
          reads.push({ method: String(key), actId: String(args[1]), since: q.since, until: q.until })
        }
        return value.apply(target, args)
      }
    },
  })
}

describe('the fast loop', () => {
  let sim: MetaSimulator
  let db: TestDatabase
  let deps: DomainDeps
  let jobs: PromolyJobs
  let queue: JobQueue
  let clock = START
  const reads: InsightsRead[] = []
  const enqueued: Array<{ job: string; payload: Record<string, unknown> }> = []
  const ids: Record<'ny' | 'tokyo', { id: string; act: string }> = {} as never
  let workspaceId: string
  const ctx = { logger: silentLogger(), attempt: 1, jobId: 'test' }

  /** Runs one tick now and waits for everything it started; returns the jobs it and they enqueued. */
  async function tick() {
    const from = enqueued.length
    await jobs.fastSyncTick.handler({}, ctx)
    await queue.drain(60_000)
    return enqueued.slice(from)
  }

  beforeAll(async () => {
    sim = await startMetaSimulator({
      now: () => clock,
      accounts: [
        { id: '7001', name: 'New York', currency: 'USD', timezoneName: NY, campaigns: 2, adSetsPerCampaign: 1, adsPerAdSet: 1 },
        { id: '7002', name: 'Tokyo', currency: 'JPY', timezoneName: TOKYO, campaigns: 2, adSetsPerCampaign: 1, adsPerAdSet: 1 },
      ],
    })
    db = await createTestDatabase()
    deps = testDomainDeps({ prisma: db.prisma, meta: recordingMeta(simulatorMetaApi(sim), reads), now: () => clock })
    workspaceId = (await db.prisma.workspace.create({ data: { slackTeamId: 'TFAST' } })).id
    for (const a of await ensureDefaultConnection(deps, workspaceId, { token: sim.accessToken, label: 'sim' }))
      ids[a.timezoneName === NY ? 'ny' : 'tokyo'] = { id: a.id, act: a.metaAccountId }
    const quiet = async () => {}
    const notifier = { postSuggestions: quiet, redrawSuggestions: quiet, refreshChangeCard: quiet } as unknown as Notifier
    jobs = createJobs({ domain: deps, notifier, syncIntervalMs: 3 * 3_600_000, queue: () => queue })
    const inner = createInProcessQueue({ definitions: jobs.all, logger: silentLogger() })
    queue = {
      kind: inner.kind,
      async enqueue(def, payload, options) {
        enqueued.push({ job: def.name, payload: payload as Record<string, unknown> })
        return inner.enqueue(def, payload, options)
      },
      schedule: (id, def, payload, schedule) => inner.schedule(id, def, payload, schedule),
      startWorker: () => inner.startWorker(),
      ping: () => inner.ping(),
      drain: (ms) => inner.drain(ms),
      close: () => inner.close(),
    }
    await queue.startWorker()
  }, 60_000)

  afterAll(async () => {
    await queue?.close()
    await db?.drop()
    await sim?.close()
  })

  it('a regular sync checks intraday alerts only for an account inside its fast-loop hours', async () => {
    for (const a of Object.values(ids)) await queue.enqueue(jobs.syncAccount, { adAccountId: a.id })
    await queue.drain(60_000)
    const alerts = enqueued.filter((e) => e.job === 'intraday-alerts').map((e) => e.payload.adAccountId)
    expect(alerts).toEqual([ids.ny.id])
    // Both were synced (the first sync: 28 days) and optimized.
    for (const a of Object.values(ids))
      expect(enqueued.filter((e) => e.job === 'optimize-account' && e.payload.adAccountId === a.id)).toHaveLength(1)
  }, 60_000)

  it('queues nothing for an account synced less than an hour ago', async () => {
    clock = new Date(START.getTime() + 30 * 60_000)
    expect(await tick()).toEqual([])
  })

  it('fast-syncs only the account in its daytime, reading only its last 3 days, then runs the optimizer and the alerts', async () => {
    clock = new Date(START.getTime() + FAST_SYNC_EVERY_MS)
    const readsBefore = reads.length
    const insightsBefore = sim.stats().byRoute['GET /act_{id}/insights'] ?? 0
    const started = await tick()
    expect(started).toEqual([
      { job: 'sync-account', payload: { adAccountId: ids.ny.id, fast: true } },
      { job: 'optimize-account', payload: { adAccountId: ids.ny.id } },
      { job: 'intraday-alerts', payload: { adAccountId: ids.ny.id } },
    ])
    const today = localDate(clock, NY)
    const fastReads = reads.slice(readsBefore)
    expect(fastReads.length).toBeGreaterThan(0)
    // Every insights read was for New York's today, yesterday and the day before: no period reach, no older days.
    for (const r of fastReads) expect(r).toMatchObject({ actId: ids.ny.act, since: addDays(today, -(FAST_SYNC_DAYS - 1)), until: today })
    expect(fastReads.map((r) => r.method)).not.toContain('fetchPeriodReach')
    expect((sim.stats().byRoute['GET /act_{id}/insights'] ?? 0) - insightsBefore).toBe(fastReads.length)
    const ny = await db.prisma.adAccount.findUniqueOrThrow({ where: { id: ids.ny.id } })
    expect(ny.fastSyncedAt).toEqual(clock)
    expect(ny.lastSyncedAt).toEqual(clock)
    const tokyo = await db.prisma.adAccount.findUniqueOrThrow({ where: { id: ids.tokyo.id } })
    expect(tokyo.fastSyncedAt).toBeNull()
  }, 60_000)

  it('does not fast-sync the same account twice within the hour, and does again an hour later', async () => {
    const lastFast = clock
    clock = new Date(lastFast.getTime() + 15 * 60_000)
    expect(await tick()).toEqual([])
    clock = new Date(lastFast.getTime() + 45 * 60_000)
    expect(await tick()).toEqual([])
    clock = new Date(lastFast.getTime() + 60 * 60_000)
    expect((await tick()).filter((e) => e.job === 'sync-account')).toEqual([
      { job: 'sync-account', payload: { adAccountId: ids.ny.id, fast: true } },
    ])
  }, 60_000)

  it("follows the workspace's hours: none when they are equal, Tokyo's morning when they start at 8", async () => {
    const monitoring = { ...parseSettings({}).monitoring, fastSyncFromHour: 9, fastSyncUntilHour: 9 }
    await db.prisma.workspace.update({ where: { id: workspaceId }, data: { settings: { monitoring } } })
    clock = new Date(clock.getTime() + 2 * 3_600_000)
    expect(await tick()).toEqual([])
    // 23:30 UTC: 08:30 in Tokyo, 18:30 in New York; from 8 until 12 only Tokyo's morning is in.
    await db.prisma.workspace.update({
      where: { id: workspaceId },
      data: { settings: { monitoring: { ...monitoring, fastSyncFromHour: 8, fastSyncUntilHour: 12 } } },
    })
    clock = new Date('2026-11-25T23:30:00Z')
    expect((await tick()).filter((e) => e.job === 'sync-account')).toEqual([
      { job: 'sync-account', payload: { adAccountId: ids.tokyo.id, fast: true } },
    ])
  }, 60_000)
})
