/**
 * The optimizer at the level where a problem lives, on stored ad-days (real PostgreSQL): a fatigued ad among
 * delivering siblings is one suggestion with an ad-level PAUSE proposal (not a second one for its campaign); an ad
 * set overspending its own budget gets an ad-set-level budget proposal; reruns update per object, and a finding
 * that no longer holds is resolved on its own object only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GENERATOR_TODAY } from '../../../bench/optimizer/planted-problems.ts'
import { simulatorMetaApi, testDomainDeps } from '../../../test/support/domain-deps.ts'
import { createAd, createAdDays, createAdSet, createCampaign } from '../../../test/support/factories.ts'
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts'
import { type MetaSimulator, startMetaSimulator } from '../../integrations/meta-sim/index.ts'
import { addDays } from '../../lib/dates.ts'
import { ensureDefaultConnection } from '../connections/ensure-default-connection.ts'
import type { DomainDeps } from '../deps.ts'
import { optimizeAdAccount } from './optimize-ad-account.ts'

const DAYS = 60

/** Day k of the series (k = DAYS … 1, 1 = yesterday) for a steady ad: 5,000 impressions, 2.5 % CTR, $90, 4 leads. */
function steady(k: number, spend = 9_000) {
  const wiggle = [0, 150, -100, 50, -150, 100, -50][k % 7] ?? 0
  const impressions = 5_000 + wiggle
  return { impressions, reach: Math.round(impressions / 1.2), clicks: Math.round(impressions * 0.025), linkClicks: 80, spend, leads: 4 }
}

/**
 * A worn-out ad, Meta's favourite (three times the impressions of each sibling, so its campaign looks fatigued too):
 * frequency climbs 1.2 → 2.3 and CTR falls 2.5 % → 1.2 % over the last 28 days.
 */
function fatigued(k: number) {
  const one = steady(k)
  const day = { ...one, impressions: 3 * one.impressions }
  const p = k > 28 ? 0 : (28 - k + 1) / 28
  const frequency = 1.2 + 1.1 * p
  return { ...day, reach: Math.round(day.impressions / frequency), clicks: Math.round(day.impressions * (0.025 - 0.013 * p)) }
}

describe('optimizeAdAccount at ad set and ad level', () => {
  let sim: MetaSimulator
  let db: TestDatabase
  let deps: DomainDeps
  let adAccountId: string
  const ids: Record<string, string> = {}
  const clock = new Date(`${GENERATOR_TODAY}T15:00:00Z`)

  beforeAll(async () => {
    sim = await startMetaSimulator({ accounts: [{ id: '889', name: 'Levels', currency: 'USD', timezoneName: 'UTC', campaigns: 1 }] })
    db = await createTestDatabase()
    deps = testDomainDeps({ prisma: db.prisma, meta: simulatorMetaApi(sim), now: () => clock })
    const ws = await db.prisma.workspace.create({ data: { slackTeamId: 'TOPTLEVELS' } })
    const [account] = await ensureDefaultConnection(deps, ws.id, { token: sim.accessToken, label: 'sim' })
    adAccountId = account!.id
    const rows: Parameters<typeof createAdDays>[1] = []
    const series = (ad: Parameters<typeof createAdDays>[1][number]['ad'], day: (k: number) => object) => {
      for (let k = DAYS; k >= 1; k--) rows.push({ ad, date: addDays(GENERATOR_TODAY, -k), ...day(k) })
    }

    // A campaign budget ($300/day); one ad set of three ads, one of which wears out.
    const creatives = await createCampaign(db.prisma, adAccountId, { name: 'Creatives', objective: 'OUTCOME_LEADS', dailyBudget: 30_000n })
    const creativesSet = await createAdSet(db.prisma, creatives, { name: 'Broad' })
    const worn = await createAd(db.prisma, creativesSet, { name: 'Worn out video' })
    series(worn, fatigued)
    for (const name of ['Fresh image', 'Fresh carousel']) series(await createAd(db.prisma, creativesSet, { name }), steady)
    ids.creatives = creatives.id
    ids.worn = worn.id
    ids.creativesSet = creativesSet.id

    // Budgets on the ad sets ($100/day each): one spends 140 % of its budget over the last 14 days.
    const adSetBudgets = await createCampaign(db.prisma, adAccountId, {
      name: 'Ad set budgets',
      objective: 'OUTCOME_LEADS',
      dailyBudget: null,
    })
    const hot = await createAdSet(db.prisma, adSetBudgets, { name: 'Lookalike', dailyBudget: 10_000n })
    const calm = await createAdSet(db.prisma, adSetBudgets, { name: 'Interests', dailyBudget: 10_000n })
    for (const name of ['Hot A', 'Hot B']) series(await createAd(db.prisma, hot, { name }), (k) => steady(k, k <= 14 ? 7_000 : 4_500))
    for (const name of ['Calm A', 'Calm B']) series(await createAd(db.prisma, calm, { name }), (k) => steady(k, 4_500))
    ids.adSetBudgets = adSetBudgets.id
    ids.hot = hot.id
    await createAdDays(db.prisma, rows)
  }, 60_000)

  afterAll(async () => {
    await db?.drop()
    await sim?.close()
  })

  it('proposes pausing the worn-out ad (one suggestion, at ad level) and lowering the overspending ad set budget', async () => {
    const r = await optimizeAdAccount(deps, { adAccountId })
    const creatives = r.created.filter((s) => s.campaignId === ids.creatives)
    expect(creatives.map((s) => [s.kind, s.level, s.adSetId, s.adId])).toEqual([['creative_fatigue', 'ad', ids.creativesSet, ids.worn]])
    const pause = await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: creatives[0]!.changeRequestId! } })
    expect(pause).toMatchObject({ type: 'PAUSE', level: 'ad', adId: ids.worn, status: 'PROPOSED', source: 'OPTIMIZER' })
    expect(pause.reason).toContain('Pause this ad')

    const budgets = r.created.filter((s) => s.campaignId === ids.adSetBudgets)
    expect(budgets.map((s) => [s.kind, s.level, s.adSetId, s.adId])).toEqual([['overpacing', 'adset', ids.hot, null]])
    const lower = await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: budgets[0]!.changeRequestId! } })
    expect(lower).toMatchObject({ type: 'SET_DAILY_BUDGET', level: 'adset', adSetId: ids.hot, status: 'PROPOSED' })
    expect((lower.proposedValue as { dailyBudgetMinor: number }).dailyBudgetMinor).toBeLessThan(10_000)
    expect(sim.stats().writes).toBe(0)
  })

  it('updates each open finding on its own object when run again, and resolves only the one that no longer holds', async () => {
    const again = await optimizeAdAccount(deps, { adAccountId })
    expect(again.created).toHaveLength(0)
    expect(again.updated).toBe(2)
    // The ad set is back within its budget (its last 14 days rewritten at 90 %): its finding resolves, the ad's stays.
    await db.prisma.adDailyMetric.updateMany({
      where: { adSetId: ids.hot, date: { gte: new Date(`${addDays(GENERATOR_TODAY, -14)}T00:00:00Z`) } },
      data: { spend: 4_500n },
    })
    // One run without the finding is not enough (late results arrive all day): it resolves once it has not held for 3 h.
    expect((await optimizeAdAccount(deps, { adAccountId })).resolved).toBe(0)
    await db.prisma.$executeRaw`UPDATE "Suggestion" SET "updatedAt" = "updatedAt" - interval '4 hours' WHERE "adAccountId" = ${adAccountId}`
    const after = await optimizeAdAccount(deps, { adAccountId })
    expect(after.resolved).toBe(1)
    const open = await db.prisma.suggestion.findMany({ where: { adAccountId, status: 'OPEN' } })
    expect(open.map((s) => [s.level, s.adId])).toEqual([['ad', ids.worn]])
    const hot = await db.prisma.suggestion.findFirstOrThrow({ where: { adSetId: ids.hot, kind: 'overpacing' } })
    expect(hot.status).toBe('RESOLVED')
    expect(await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: hot.changeRequestId! } })).toMatchObject({ status: 'EXPIRED' })
    // Handed back so the job redraws its card without the Approve button, and audited like any expiry.
    expect(after.expired.map((c) => [c.id, c.status])).toEqual([[hot.changeRequestId, 'EXPIRED']])
    expect(await db.prisma.auditEvent.count({ where: { action: 'change.expired', targetId: hot.changeRequestId! } })).toBe(1)
  })

  it('reopens a finding resolved within the day when it holds again: the same suggestion and proposal, redrawn, not posted anew', async () => {
    // An hour later the ad set overspends again (a finding on the rule's edge flaps with the hourly fast loop).
    await db.prisma.adDailyMetric.updateMany({
      where: { adSetId: ids.hot, date: { gte: new Date(`${addDays(GENERATOR_TODAY, -14)}T00:00:00Z`) } },
      data: { spend: 14_000n },
    })
    const before = await db.prisma.suggestion.findFirstOrThrow({ where: { adSetId: ids.hot, kind: 'overpacing' } })
    const again = await optimizeAdAccount(deps, { adAccountId })
    // (Spending more for the same leads is a cost finding of its own: new. The overpacing one is not.)
    expect(again.created.filter((s) => s.kind === 'overpacing')).toEqual([])
    expect(again.changed.map((s) => s.id)).toContain(before.id)
    expect(await db.prisma.suggestion.count({ where: { adSetId: ids.hot, kind: 'overpacing' } })).toBe(1)
    expect((await db.prisma.suggestion.findUniqueOrThrow({ where: { id: before.id } })).status).toBe('OPEN')
    expect(await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: before.changeRequestId! } })).toMatchObject({
      status: 'PROPOSED',
    })
  })

  it('proposes the change once an open notice calls for one (a spike first a notice, then severe enough to pause)', async () => {
    const worn = await db.prisma.suggestion.findFirstOrThrow({ where: { adId: ids.worn, kind: 'creative_fatigue', status: 'OPEN' } })
    // As if it had been posted as a notice: no change request yet.
    await db.prisma.changeRequest.updateMany({ where: { suggestionId: worn.id }, data: { status: 'EXPIRED', suggestionId: null } })
    await db.prisma.suggestion.update({ where: { id: worn.id }, data: { changeRequestId: null } })
    const r = await optimizeAdAccount(deps, { adAccountId })
    expect(r.created.map((s) => s.id)).toContain(worn.id)
    const now = await db.prisma.suggestion.findUniqueOrThrow({ where: { id: worn.id } })
    expect(now.changeRequestId).not.toBeNull()
    expect(await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: now.changeRequestId! } })).toMatchObject({
      type: 'PAUSE',
      adId: ids.worn,
      status: 'PROPOSED',
    })
    // And it stays one card: the next run updates it.
    expect((await optimizeAdAccount(deps, { adAccountId })).created.map((s) => s.id)).not.toContain(worn.id)
  })
})
