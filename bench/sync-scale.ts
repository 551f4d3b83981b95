/**
 * (b) Graph requests and wall time to sync one ad account of 500 campaigns × 28 days, beside the
 * requests a one-call-per-campaign sync makes against the same simulator.
 */
import * as z from 'zod'
import { ensureDefaultConnection } from '../src/domain/connections/ensure-default-connection.ts'
import { syncAdAccount } from '../src/domain/sync/sync-ad-account.ts'
import { createGraphClient } from '../src/integrations/meta/graph-client.ts'
import { createMetaApi } from '../src/integrations/meta/meta-api.ts'
import { startMetaSimulator } from '../src/integrations/meta-sim/index.ts'
import { TEST_GRAPH_VERSION, testDomainDeps } from '../test/support/domain-deps.ts'
import { createTestDatabase } from '../test/support/test-database.ts'
import { ms } from './stats.ts'

const CAMPAIGNS = 500

export async function benchSyncScale(): Promise<void> {
  const sim = await startMetaSimulator({
    port: 0,
    accounts: [{ id: '500500500', name: 'Scale test', currency: 'USD', timezoneName: 'America/New_York', campaigns: CAMPAIGNS }],
  })
  const db = await createTestDatabase()
  try {
    // The naive comparison below calls this Graph client directly.
    const graph = createGraphClient({ baseUrl: sim.url, version: TEST_GRAPH_VERSION })
    const deps = testDomainDeps({ prisma: db.prisma, meta: createMetaApi(graph) })
    const [account] = await ensureDefaultConnection(deps, (await db.prisma.workspace.create({ data: { slackTeamId: 'TBENCH' } })).id, {
      token: sim.accessToken,
      label: 'bench',
    })
    if (!account) throw new Error('bench: the simulator token reaches no ad account')
    sim.resetStats()
    const started = performance.now()
    const r = await syncAdAccount(deps, { adAccountId: account.id, full: true })
    const wall = performance.now() - started
    const ours = sim.stats()
    sim.resetStats()
    const again = performance.now()
    await syncAdAccount(deps, { adAccountId: account.id, full: true })
    const wall2 = performance.now() - again

    // The naive way: list campaigns, then one insights call per campaign (28 daily rows each, one page).
    sim.resetStats()
    const naiveStarted = performance.now()
    const campaigns = await deps.meta.listCampaigns(sim.accessToken, account.metaAccountId)
    const rowSchema = z.object({ date_start: z.string() }).loose()
    let naiveRows = 0
    for (const c of campaigns) {
      for await (const page of graph.paginate(
        `/${c.id}/insights`,
        { time_increment: 1, time_range: { since: r.since, until: r.until }, fields: 'impressions,spend,date_start', limit: 500 },
        rowSchema,
        { accessToken: sim.accessToken },
      )) {
        naiveRows += page.length
      }
    }
    const naiveWall = performance.now() - naiveStarted
    const naive = sim.stats()

    console.log(`\n(b) Sync of one ad account: ${r.campaigns} campaigns × 28 days (${r.since} → ${r.until}), database: ${db.kind}`)
    console.log(
      `    Promoly (daily rows paged + 2 reach requests per standard period):  ${ours.requests} Graph requests, ${r.metricRows} campaign-days, ${ms(wall)} (second run, upserting the same rows: ${ms(wall2)})`,
    )
    console.log(`      by route: ${JSON.stringify(ours.byRoute)}`)
    console.log(
      `    one call per campaign:                              ${naive.requests} Graph requests, ${naiveRows} rows, ${ms(naiveWall)} (fetch only, no writes)`,
    )
    console.log(`    → ${(naive.requests / ours.requests).toFixed(0)}× fewer requests`)
  } finally {
    await db.drop()
    await sim.close()
  }
}
