/**
 * The optimizer on stored metrics (embedded database, or TEST_DATABASE_URL): planted problems become
 * suggestions (with change requests where something can be applied), reruns update instead of
 * reposting, rejected findings stay quiet unless the metric gets materially worse.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GENERATOR_TODAY, generateLabelledCampaigns } from '../../../bench/optimizer/planted-problems.ts'
import { simulatorMetaApi, testDomainDeps } from '../../../test/support/domain-deps.ts'
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts'
import { type MetaSimulator, startMetaSimulator } from '../../integrations/meta-sim/index.ts'
import { toDbDate } from '../../lib/dates.ts'
import { ensureDefaultConnection } from '../connections/ensure-default-connection.ts'
import type { DomainDeps } from '../deps.ts'
import { optimizeAdAccount } from './optimize-ad-account.ts'

describe('optimizeAdAccount', () => {
  let sim: MetaSimulator
  let db: TestDatabase
  let deps: DomainDeps
  let adAccountId: string
  let planted: Map<string, string | null>
  let clock = new Date(`${GENERATOR_TODAY}T15:00:00Z`)

  beforeAll(async () => {
    sim = await startMetaSimulator({ accounts: [{ id: '888', name: 'Planted', currency: 'USD', timezoneName: 'UTC', campaigns: 1 }] })
    db = await createTestDatabase()
    deps = testDomainDeps({ prisma: db.prisma, meta: simulatorMetaApi(sim), now: () => clock })
    const ws = await db.prisma.workspace.create({ data: { slackTeamId: 'TOPT' } })
    const [account] = await ensureDefaultConnection(deps, ws.id, { token: sim.accessToken, label: 'sim' })
    adAccountId = account!.id
    planted = new Map()
    const labelled = generateLabelledCampaigns({ seed: 7, count: 40, days: 60, currency: 'USD' })
    for (const [i, { series, planted: kind }] of labelled.entries()) {
      const c = await db.prisma.campaign.create({
        data: {
          adAccountId,
          metaCampaignId: String(9000 + i),
          name: series.name,
          objective: series.objective,
          status: series.status,
          effectiveStatus: series.status,
          dailyBudget: series.dailyBudgetMinor === null ? null : BigInt(series.dailyBudgetMinor),
        },
      })
      planted.set(c.id, kind)
      await db.prisma.campaignDailyMetric.createMany({
        data: series.days.map((d) => ({
          campaignId: c.id,
          adAccountId,
          date: toDbDate(d.date),
          impressions: BigInt(d.impressions),
          reach: BigInt(d.reach),
          frequency: d.reach ? d.impressions / d.reach : 0,
          clicks: BigInt(d.clicks),
          linkClicks: BigInt(d.linkClicks),
          spend: BigInt(d.spend),
          leads: BigInt(d.leads),
          purchases: BigInt(d.purchases),
          purchaseValue: BigInt(d.purchaseValue),
        })),
      })
    }
  }, 60_000)

  afterAll(async () => {
    await db?.drop()
    await sim?.close()
  })

  it('finds the planted problems, and proposes changes only as change requests', async () => {
    const r = await optimizeAdAccount(deps, { adAccountId })
    expect(r.created.length).toBeGreaterThan(5)
    const hits = r.created.filter((s) => planted.get(s.campaignId) === s.kind).length
    expect(hits / r.created.length).toBeGreaterThanOrEqual(0.8)
    const withChange = r.created.filter((s) => s.changeRequestId)
    expect(withChange.length).toBeGreaterThan(0)
    const changes = await db.prisma.changeRequest.findMany({ where: { id: { in: withChange.map((s) => s.changeRequestId!) } } })
    expect(changes.every((c) => c.status === 'PROPOSED' && c.source === 'OPTIMIZER')).toBe(true)
    expect(sim.stats().writes).toBe(0)
  })

  it('updates open findings on a rerun instead of posting them again', async () => {
    const before = await db.prisma.suggestion.count()
    const r = await optimizeAdAccount(deps, { adAccountId })
    expect(r.created).toHaveLength(0)
    expect(r.updated).toBeGreaterThan(0)
    expect(await db.prisma.suggestion.count()).toBe(before)
  })

  it('keeps a rejected finding quiet during the cooldown unless its metric gets materially worse', async () => {
    const open = await db.prisma.suggestion.findFirstOrThrow({ where: { status: 'OPEN', metricBaseline: { not: null } } })
    await db.prisma.suggestion.update({ where: { id: open.id }, data: { status: 'REJECTED', rejectedAt: clock } })
    const again = await optimizeAdAccount(deps, { adAccountId })
    expect(again.created.find((s) => s.campaignId === open.campaignId && s.kind === open.kind)).toBeUndefined()
    // Pretend the rejected finding was much milder than today's: it comes back.
    await db.prisma.suggestion.update({
      where: { id: open.id },
      data: { metricValue: open.metricBaseline! * (open.metricValue >= open.metricBaseline! ? 1.001 : 0.999) },
    })
    const worse = await optimizeAdAccount(deps, { adAccountId })
    expect(worse.created.find((s) => s.campaignId === open.campaignId && s.kind === open.kind)).toBeDefined()
    // After the cooldown it may come back anyway.
    clock = new Date(clock.getTime() + 8 * 86_400_000)
  })
})
