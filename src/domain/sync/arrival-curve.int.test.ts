/**
 * The arrival curve learned on real PostgreSQL from the simulator's late conversions: an account synced once a day
 * at noon for two weeks records each day as first seen 1, 2 and 3 days after it and as last seen; with too little
 * history a result type has no curve (the optimizer's default applies), with enough the learned curve matches the
 * simulator's own, and the optimizer is handed it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { simulatorMetaApi, testDomainDeps } from '../../../test/support/domain-deps.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../../../test/support/test-database.ts'
import { arrivedShare, DEFAULT_SIM_ARRIVAL } from '../../integrations/meta-sim/arrival.ts'
import { type MetaSimulator, startMetaSimulator } from '../../integrations/meta-sim/index.ts'
import type { SimArrivalCurve } from '../../integrations/meta-sim/types.ts'
import { addDays, fromDbDate, type IsoDate, localDate, toDbDate } from '../../lib/dates.ts'
import { ensureDefaultConnection } from '../connections/ensure-default-connection.ts'
import type { DomainDeps } from '../deps.ts'
import type { ArrivalCurve } from '../optimizer/types.ts'
import { optimizeAdAccount, optimizerContext } from '../suggestions/optimize-ad-account.ts'
import { loadCompleteness } from './arrival-curve.ts'
import { syncAdAccount } from './sync-ad-account.ts'

const serverUrl = requirePostgresUrl()
const TZ = 'America/New_York'
const HOUR = 3_600_000
/** Noon in New York (EST all through the test's weeks). */
const FIRST_SYNC = new Date('2026-11-20T17:00:00Z')
const LEADS: SimArrivalCurve = { atEndOfDay: 0.5, afterDays: [0.7, 0.85, 0.95] }

describe.skipIf(!serverUrl)('arrival curves learned from re-synced days', () => {
  let sim: MetaSimulator
  let db: TestDatabase
  let deps: DomainDeps
  let clock = FIRST_SYNC
  let adAccountId: string
  /** The account's leads and purchases of each day as stored right after each sync, by sync day. */
  const storedAt = new Map<IsoDate, Map<IsoDate, { leads: number; purchases: number }>>()

  beforeAll(async () => {
    sim = await startMetaSimulator({
      now: () => clock,
      accounts: [
        // Many small campaigns: a sync is quick and the account has hundreds of leads and purchases a week.
        {
          id: '444',
          name: 'Late',
          currency: 'USD',
          timezoneName: TZ,
          campaigns: 150,
          adSetsPerCampaign: 1,
          adsPerAdSet: 1,
          arrival: { leads: LEADS },
        },
      ],
    })
    db = await createPostgresTestDatabase(serverUrl!)
    deps = { ...testDomainDeps({ prisma: db.prisma, meta: simulatorMetaApi(sim), now: () => clock }), sync: { sleep: async () => {} } }
    const ws = await db.prisma.workspace.create({ data: { slackTeamId: 'TARRIVAL' } })
    const [account] = await ensureDefaultConnection(deps, ws.id, { token: sim.accessToken, label: 'sim' })
    adAccountId = account!.id
  })

  afterAll(async () => {
    await db?.drop()
    await sim?.close()
  })

  /** Syncs on day `i` after the first, at noon, and keeps what the account's days showed then. */
  async function syncOnDay(i: number) {
    clock = new Date(FIRST_SYNC.getTime() + i * 24 * HOUR)
    await syncAdAccount(deps, { adAccountId })
    const rows = await db.prisma.campaignDailyMetric.groupBy({
      by: ['date'],
      where: { adAccountId },
      _sum: { leads: true, purchases: true },
    })
    storedAt.set(
      today(),
      new Map(rows.map((r) => [fromDbDate(r.date), { leads: Number(r._sum.leads ?? 0), purchases: Number(r._sum.purchases ?? 0) }])),
    )
  }

  const today = () => localDate(clock, TZ)

  it('records each day as first seen 1, 2 and 3 days after it and as last seen, up to 7 days after; not today', async () => {
    for (let i = 0; i <= 9; i++) await syncOnDay(i)
    const rows = await db.prisma.resultArrival.findMany({ where: { adAccountId }, orderBy: [{ kind: 'asc' }, { date: 'asc' }] })
    const t = today()
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['leads', 'purchases']))
    // The first sync saw 28 days: only the last 7 of them, and every day since but today.
    const dates = [...new Set(rows.map((r) => fromDbDate(r.date)))]
    expect(dates[0]).toBe(addDays('2026-11-20', -7))
    expect(dates.at(-1)).toBe(addDays(t, -1))
    for (const r of rows) {
      const date = fromDbDate(r.date)
      const kind = r.kind as 'leads' | 'purchases'
      const shown = (syncDay: IsoDate) => BigInt(storedAt.get(syncDay)?.get(date)?.[kind] ?? 0)
      const age = Math.min(7, Math.round((Date.parse(t) - Date.parse(date)) / 86_400_000))
      expect(r.latestAge, date).toBe(age)
      expect(r.latest, date).toBe(shown(addDays(date, age)))
      // First seen at ages 1–3 by the daily syncs; days the first sync saw older have no such value.
      for (const [n, value] of [r.atDay1, r.atDay2, r.atDay3].entries()) {
        const syncDay = addDays(date, n + 1)
        expect(value, `${kind} ${date} at day ${n + 1}`).toBe(syncDay < '2026-11-20' || n + 1 > age ? null : shown(syncDay))
      }
    }
    // Late conversions: a day's purchases grow after it.
    const purchases = rows.filter((r) => r.kind === 'purchases' && r.atDay1 !== null && r.latestAge === 7)
    expect(purchases.length).toBeGreaterThan(0)
    for (const r of purchases) expect(r.latest).toBeGreaterThanOrEqual(r.atDay1!)
    expect(purchases.reduce((s, r) => s + Number(r.latest - r.atDay1!), 0)).toBeGreaterThan(0)
  }, 120_000)

  it('has no curve with fewer than 7 final days (the default applies), and says so to the optimizer', async () => {
    // Days seen at ages 1 and 7 so far: 2026-11-19 … 2026-11-22 (4).
    expect(await loadCompleteness(db.prisma, adAccountId, today())).toEqual({})
    const account = await db.prisma.adAccount.findUniqueOrThrow({ where: { id: adAccountId } })
    const { ctx } = await optimizerContext(deps, account, clock)
    expect(ctx.completeness).toEqual({})
  })

  it('learns the simulator’s curve per result type from two weeks of daily syncs, and hands it to the optimizer', async () => {
    for (let i = 10; i <= 16; i++) await syncOnDay(i)
    const completeness = await loadCompleteness(db.prisma, adAccountId, today())
    const finals = await db.prisma.resultArrival.findMany({
      where: { adAccountId, latestAge: 7, date: { gte: toDbDate(addDays(today(), -42)) } },
    })
    for (const [kind, curve] of [
      ['leads', LEADS],
      ['purchases', DEFAULT_SIM_ARRIVAL.purchases],
    ] as const) {
      const learned: ArrivalCurve | undefined = completeness[kind]
      // Days used: final days seen at some age from 1 to 3 (the first sync saw a few days first at age 2 or 3).
      const days = finals.filter((r) => r.kind === kind && (r.atDay1 !== null || r.atDay2 !== null || r.atDay3 !== null))
      expect(learned?.learnedFromDays, kind).toBe(days.length)
      expect(days.length).toBeGreaterThanOrEqual(10)
      // The fewest results behind a fraction: the days seen at age 1.
      const total = days.filter((r) => r.atDay1 !== null).reduce((s, r) => s + Number(r.latest), 0)
      // Syncs at noon see a day 12, 36 and 60 hours after it ended, and last at 156 hours (age 7, not quite all of
      // it): the learned share is the simulator's share then over its share at 156 hours. Each result arrives on
      // its own (binomial), so with n results the share's standard deviation is at most √(0.25 / n); the tolerance
      // is three of them (about 0.05 with the 1,200–1,600 results here;
      // the learned shares fall within 0.01 of the expected ones).
      const tolerance = 3 * Math.sqrt(0.25 / total)
      for (const [n, hours] of [12, 36, 60].entries()) {
        const expected = arrivedShare(curve, hours) / arrivedShare(curve, 156)
        expect(Math.abs((learned?.fractions[n] ?? 0) - expected), `${kind} after ${n + 1} day(s): n = ${total}`).toBeLessThan(tolerance)
      }
    }
    // Leads here arrive faster than purchases, as configured: the two curves are learned apart.
    expect(completeness.leads!.fractions[0]).toBeGreaterThan(completeness.purchases!.fractions[0])

    const account = await db.prisma.adAccount.findUniqueOrThrow({ where: { id: adAccountId } })
    const { ctx } = await optimizerContext(deps, account, clock)
    expect(ctx.completeness).toEqual(completeness)
    await expect(optimizeAdAccount(deps, { adAccountId })).resolves.toBeDefined()
  }, 120_000)

  it('keeps the first value seen at an age: a later sync the same day updates only the latest', async () => {
    const yesterday = addDays(today(), -1)
    const key = { adAccountId_date_kind: { adAccountId, date: toDbDate(yesterday), kind: 'purchases' } }
    const before = await db.prisma.resultArrival.findUniqueOrThrow({ where: key })
    clock = new Date(clock.getTime() + 10 * HOUR)
    await syncAdAccount(deps, { adAccountId, fast: true })
    const after = await db.prisma.resultArrival.findUniqueOrThrow({ where: key })
    expect(after.atDay1).toBe(before.atDay1)
    expect(after.latestAge).toBe(1)
    expect(after.latest).toBeGreaterThanOrEqual(before.latest)
    expect(after.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime())
  })
})
