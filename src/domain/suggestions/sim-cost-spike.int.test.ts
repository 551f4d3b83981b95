/**
 * Issue 14's playground path, end to end on real PostgreSQL through the Meta simulator: a campaign made dearer with the
 * control API's cost-per-result edit (`{"cost_per_result":4,"since_days_ago":3}`) shows up, after the next regular
 * sync, as a cost-spike suggestion about that campaign over a window ending yesterday.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GENERATOR_TODAY } from '../../../bench/optimizer/planted-problems.ts'
import { simulatorMetaApi, testDomainDeps } from '../../../test/support/domain-deps.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../../../test/support/test-database.ts'
import { type MetaSimulator, startMetaSimulator } from '../../integrations/meta-sim/index.ts'
import { addDays } from '../../lib/dates.ts'
import { ensureDefaultConnection } from '../connections/ensure-default-connection.ts'
import type { DomainDeps } from '../deps.ts'
import { syncAdAccount } from '../sync/sync-ad-account.ts'
import { optimizeAdAccount } from './optimize-ad-account.ts'

const serverUrl = requirePostgresUrl()

describe.skipIf(!serverUrl)('a cost spike caused through the simulator’s control API', () => {
  let db: TestDatabase
  let sim: MetaSimulator
  let deps: DomainDeps
  const clock = new Date(`${GENERATOR_TODAY}T15:00:00Z`)

  beforeAll(async () => {
    db = await createPostgresTestDatabase(serverUrl!)
    sim = await startMetaSimulator({
      now: () => clock,
      accounts: [{ id: '916', name: 'Lead shop', currency: 'USD', timezoneName: 'UTC', campaigns: 30 }],
    })
    deps = testDomainDeps({ prisma: db.prisma, meta: simulatorMetaApi(sim, { sleep: async () => {}, maxWaitMs: 0 }), now: () => clock })
  })
  afterAll(async () => {
    await sim?.close()
    await db?.drop()
  })

  it('finds the spike in the campaign made dearer, over a window ending yesterday', async () => {
    const workspace = await db.prisma.workspace.create({ data: { slackTeamId: 'TSIMCOST' } })
    const [account] = await ensureDefaultConnection(deps, workspace.id, { token: sim.accessToken, label: 'sim' })
    await syncAdAccount(deps, { adAccountId: account!.id })

    // The active lead campaign with its own budget (cost spikes are judged where the budget lives) and the most leads.
    const leadsBy = await db.prisma.campaignDailyMetric.groupBy({
      by: ['campaignId'],
      where: { adAccountId: account!.id, campaign: { objective: 'OUTCOME_LEADS', status: 'ACTIVE', dailyBudget: { not: null } } },
      _sum: { leads: true },
    })
    const best = leadsBy.sort((a, b) => Number((b._sum.leads ?? 0n) - (a._sum.leads ?? 0n)))[0]
    if (!best || Number(best._sum.leads ?? 0n) < 50) throw new Error('the simulator has no active lead campaign with 50 leads')
    const campaign = await db.prisma.campaign.findUniqueOrThrow({ where: { id: best.campaignId } })

    // Nothing about it before the edit.
    await optimizeAdAccount(deps, { adAccountId: account!.id })
    expect(await db.prisma.suggestion.count({ where: { campaignId: campaign.id, kind: 'cost_spike' } })).toBe(0)

    sim.adsManager.raiseCostPerResult(campaign.metaCampaignId, 4, 3)
    const again = await syncAdAccount(deps, { adAccountId: account!.id })
    expect(again.since).toBe(addDays(GENERATOR_TODAY, -7))
    await optimizeAdAccount(deps, { adAccountId: account!.id })

    const spikes = await db.prisma.suggestion.findMany({ where: { campaignId: campaign.id, kind: 'cost_spike' } })
    expect(spikes).toHaveLength(1)
    const evidence = spikes[0]!.evidence as Array<{ label: string; value: string }>
    // "CPL, last 3 days (…)": "last" only for a window ending yesterday (series.ts windowText).
    expect(evidence.map((e) => e.label)).toContainEqual(expect.stringMatching(/^CPL, last \d+ days \(/))
    // A winner to scale found before the spike does not stay open beside it.
    expect(await db.prisma.suggestion.count({ where: { campaignId: campaign.id, kind: 'scale_winner', status: 'OPEN' } })).toBe(0)
  })
})
