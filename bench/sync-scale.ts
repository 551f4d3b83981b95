/**
 * (b) The first sync (28 days) of one ad account of 200 campaigns × 5 ad sets × 4 ads (4,000 ads: the simulator's
 * scale preset) on PostgreSQL, through the real Graph client:
 * - the ad-level sync on the synchronous path (Meta answering every page in time),
 * - the ad-level sync on the async path (the default above 20,000 estimated rows: one report run, polled, read),
 * - beside the campaign-level sync Promoly ran before ad sets and ads (level=campaign).
 * Each sync runs in a child process (bench/sync-scale-process.ts), so its peak RSS is the sync's own.
 * Prints Graph requests by route, wall time, rows written per second, peak RSS and the tables' size.
 * Goals (issue 12): requests ≤ 1 per 500 rows + a constant, ≥ 20,000 rows/s written, RSS < 300 MB.
 */
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { ensureDefaultConnection } from '../src/domain/connections/ensure-default-connection.ts'
import type { SyncAdAccountResult } from '../src/domain/sync/sync-ad-account.ts'
import type { SyncSettings } from '../src/domain/sync/sync-settings.ts'
import { SCALE_SIM_ACCOUNT, startMetaSimulator } from '../src/integrations/meta-sim/index.ts'
import { simulatorMetaApi, TEST_ENCRYPTION_KEY, testDomainDeps } from '../test/support/domain-deps.ts'
import { createPostgresTestDatabase, requirePostgresUrl } from '../test/support/test-database.ts'
import { ms } from './stats.ts'

interface Phase {
  label: string
  mode: 'ad' | 'campaign'
  /** Objects × days above which the simulator's synchronous Insights time out (Meta's behaviour; default 20,000). */
  syncInsightsLimit?: number
  settings?: Partial<Omit<SyncSettings, 'sleep' | 'clockMs'>>
}

const PHASES: Phase[] = [
  {
    label: 'ad level, synchronous pages',
    mode: 'ad',
    syncInsightsLimit: 1_000_000_000,
    settings: { asyncAboveRows: Number.MAX_SAFE_INTEGER },
  },
  // Polls every 250 ms (the simulator completes a run on its third poll; Meta takes seconds to an hour).
  { label: 'ad level, async report run', mode: 'ad', settings: { pollFirstMs: 250, pollMaxMs: 1_000 } },
  { label: 'campaign level (before ad sets and ads)', mode: 'campaign', syncInsightsLimit: 1_000_000_000 },
]

const TABLES = ['AdDailyMetric', 'AdDailyMetricStage', 'CampaignDailyMetric', 'Ad', 'AdSet', 'Campaign'] as const

interface ChildReport {
  result: Pick<SyncAdAccountResult, 'since' | 'until' | 'campaigns' | 'metricRows'> &
    Partial<Pick<SyncAdAccountResult, 'adSets' | 'ads' | 'reads' | 'gaps'>> & {
      timings?: SyncAdAccountResult['timings']
    }
  wallMs: number
  maxRssMb: number
  /** The same ad-days staged again alone (no fetch overlapping), page by page: the database's own staging time. */
  stageAloneMs: number
  /** process.memoryUsage() in the child: after its imports, connected, after the sync. */
  memory: Record<string, { rssMb: number; heapMb: number }>
  /** The highest V8 heap in use seen during the sync (sampled every 50 ms). */
  peakHeapMb: number
}

function runChild(job: Record<string, unknown>): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./sync-scale-process.ts', import.meta.url)), [], {
      env: { ...process.env, SYNC_SCALE_JOB: JSON.stringify(job) },
      // BENCH_HEAP_MB caps the child's V8 old space (e.g. 96): shows the live set is bounded, not just the peak.
      execArgv: [...process.execArgv, ...(process.env.BENCH_HEAP_MB ? [`--max-old-space-size=${process.env.BENCH_HEAP_MB}`] : [])],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    let report: ChildReport | undefined
    child.on('message', (m) => {
      report = m as ChildReport
    })
    child.on('exit', (code) => (report ? resolve(report) : reject(new Error(`sync child exited with code ${code} without a report`))))
  })
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

export async function benchSyncScale(): Promise<void> {
  const serverUrl = requirePostgresUrl()
  if (!serverUrl) {
    console.log('\n(b) sync scale: skipped, no PostgreSQL server')
    return
  }
  console.log(
    `\n(b) First sync (28 days) of one ad account: ${SCALE_SIM_ACCOUNT.campaigns} campaigns × ${SCALE_SIM_ACCOUNT.adSetsPerCampaign} ad sets × ${SCALE_SIM_ACCOUNT.adsPerAdSet} ads, PostgreSQL${process.env.BENCH_HEAP_MB ? `, sync process old space capped at ${process.env.BENCH_HEAP_MB} MB` : ''}`,
  )
  for (const phase of PHASES) {
    const sim = await startMetaSimulator({
      port: 0,
      accounts: [{ ...SCALE_SIM_ACCOUNT }],
      ...(phase.syncInsightsLimit ? { syncInsightsLimit: phase.syncInsightsLimit } : {}),
    })
    const db = await createPostgresTestDatabase(serverUrl)
    try {
      const deps = testDomainDeps({ prisma: db.prisma, meta: simulatorMetaApi(sim) })
      const ws = await db.prisma.workspace.create({ data: { slackTeamId: 'TBENCH' } })
      const [account] = await ensureDefaultConnection(deps, ws.id, { token: sim.accessToken, label: 'bench' })
      if (!account) throw new Error('bench: the simulator token reaches no ad account')
      sim.resetStats()
      const child = await runChild({
        mode: phase.mode,
        databaseUrl: db.url,
        simUrl: sim.url,
        token: sim.accessToken,
        adAccountId: account.id,
        encryptionKey: TEST_ENCRYPTION_KEY,
        settings: phase.settings ?? {},
      })
      const stats = sim.stats()
      // The stage is empty after a sync; its dead rows go at the next (auto)vacuum, as here.
      await db.prisma.$executeRawUnsafe('VACUUM "AdDailyMetricStage"')
      const sizes = await db.prisma.$queryRawUnsafe<Array<{ t: string; bytes: bigint }>>(
        `SELECT t, pg_total_relation_size(format('%I', t)) AS bytes FROM unnest($1::text[]) AS t`,
        [...TABLES],
      )
      const total = sizes.reduce((s, r) => s + Number(r.bytes), 0)
      const r = child.result
      const rows = r.metricRows
      const writeMs = (r.timings?.stageMs ?? 0) + (r.timings?.commitMs ?? 0)
      const objects = phase.mode === 'ad' ? `${r.campaigns} campaigns, ${r.adSets} ad sets, ${r.ads} ads` : `${r.campaigns} campaigns`
      console.log(`\n  ${phase.label}: ${objects}, ${rows} ${phase.mode === 'ad' ? 'ad-days' : 'campaign-days'} (${r.since} → ${r.until})`)
      console.log(
        `    Graph requests: ${stats.requests} (≤ 1 per 500 rows + constant: ${Math.ceil(rows / 500)} + ${stats.requests - Math.ceil(rows / 500)})`,
      )
      console.log(`      by route: ${JSON.stringify(stats.byRoute)}`)
      if (r.reads) console.log(`      reads: ${JSON.stringify(r.reads)}${r.gaps?.length ? `, gaps: ${JSON.stringify(r.gaps)}` : ''}`)
      console.log(
        `    wall time: ${ms(child.wallMs)}; database writes ${ms(writeMs)} (staging ${ms(r.timings?.stageMs ?? 0)}, commit ${ms(r.timings?.commitMs ?? 0)})`,
      )
      if (r.timings?.commitSteps) console.log(`      commit steps (ms): ${JSON.stringify(r.timings.commitSteps)}`)
      console.log(
        `    rows written per second: ${Math.round(rows / (writeMs / 1000))} (staging as measured in the sync + commit), ${Math.round(rows / (child.wallMs / 1000))} (whole sync)`,
      )
      if (child.stageAloneMs > 0) {
        const dbMs = child.stageAloneMs + (r.timings?.commitMs ?? 0)
        console.log(
          `      staging alone ${ms(child.stageAloneMs)} (${Math.round(rows / (child.stageAloneMs / 1000))} rows/s) + commit (${Math.round(rows / ((r.timings?.commitMs ?? 1) / 1000))} rows/s): ${Math.round(rows / (dbMs / 1000))} rows/s of database time`,
        )
      }
      console.log(
        `    peak RSS of the sync process: ${child.maxRssMb.toFixed(0)} MB (${Object.entries(child.memory)
          .map(([at, m]) => `${at}: RSS ${m.rssMb} MB, heap ${m.heapMb} MB`)
          .join('; ')}; peak heap during the sync ${child.peakHeapMb} MB)`,
      )
      console.log(`    database size (stage vacuumed): ${mb(total)} (${sizes.map((s) => `${s.t} ${mb(Number(s.bytes))}`).join(', ')})`)
    } finally {
      await db.drop()
      await sim.close()
    }
  }
}
