/**
 * A BullMQ worker process killed (SIGKILL) after Meta accepted a budget write but before its answer arrived: its job
 * stays "active" on Redis. A restarted worker (real Redis, real BullMQ, the real recovery and apply jobs on their
 * schedule) finishes the change — one write on Meta, the change APPLIED and its card refreshed — within the bound
 * lease + recovery interval of the crash, not whenever BullMQ's stalled-job check gets to the dead job.
 *
 * The timings are scaled down (lease 4 s, heartbeat 1 s, recovery every 2 s: bound 6 s + slack); with
 * PROMOLY_TEST_PRODUCTION_TIMINGS=1 the production ones are used (lease 30 s, heartbeat 10 s, recovery every 15 s:
 * bound 45 s, checked against the issue's 60 s).
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { simulatorMetaApi, testDomainDeps } from '../../../test/support/domain-deps.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../../../test/support/test-database.ts'
import { requireRedisUrl, uniquePrefix } from '../../../test/support/test-redis.ts'
import { packageRoot } from '../../db/migrate.ts'
import { APPLY_LEASE } from '../../domain/changes/apply-change.ts'
import type { ChangeWithContext } from '../../domain/changes/change-include.ts'
import { approveChange } from '../../domain/changes/decide-change.ts'
import { proposeChange } from '../../domain/changes/propose-change.ts'
import { ensureDefaultConnection } from '../../domain/connections/ensure-default-connection.ts'
import type { Notifier } from '../../domain/notifier.ts'
import { syncAdAccount } from '../../domain/sync/sync-ad-account.ts'
import { type MetaSimulator, startMetaSimulator } from '../../integrations/meta-sim/index.ts'
import { silentLogger } from '../../lib/logger.ts'
import { createBullmqQueue } from '../bullmq-queue.ts'
import type { JobQueue } from '../job-queue.ts'
import { createApplyChangeJob, queueApply } from './apply-change.ts'
import { createRecoverChangesJob, RECOVER_EVERY_MS } from './recover-changes.ts'

const serverUrl = requirePostgresUrl()
const redisUrl = requireRedisUrl()
const production = process.env.PROMOLY_TEST_PRODUCTION_TIMINGS === '1'
const timings = production
  ? { leaseMs: APPLY_LEASE.leaseMs, heartbeatMs: APPLY_LEASE.heartbeatMs, everyMs: RECOVER_EVERY_MS }
  : { leaseMs: 4_000, heartbeatMs: 1_000, everyMs: 2_000 }
/** The promise: the lease runs out, then the next sweep queues the change again; a little slack for the work. */
const boundMs = timings.leaseMs + timings.everyMs + 3_000

/** Starts the dying worker, waits until it says Meta has the write, then kills it the hard way. */
async function workAndDie(env: Record<string, string>): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(packageRoot(), 'test/support/apply-worker-then-die.ts')], {
    cwd: packageRoot(),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (d) => (stderr += String(d)))
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => String(d).includes('written') && resolve())
    child.once('exit', (code) => reject(new Error(`the worker exited (${code}) before writing: ${stderr}`)))
  })
  const gone = new Promise((r) => child.once('exit', r))
  child.kill('SIGKILL')
  await gone
  return Date.now()
}

describe.skipIf(!serverUrl || !redisUrl)('recovery of a change whose BullMQ worker died mid-apply', () => {
  let db: TestDatabase
  let sim: MetaSimulator
  const queues: JobQueue[] = []

  beforeAll(async () => {
    db = await createPostgresTestDatabase(serverUrl!)
  })
  afterEach(async () => {
    for (const q of queues.splice(0)) await q.close()
    await sim?.close()
  })
  afterAll(async () => {
    await db?.drop()
  })

  it(`is applied exactly once within ${boundMs / 1000} s of the crash, on Redis (#10 finding 7)`, async () => {
    sim = await startMetaSimulator({ accounts: [{ id: '881', name: 'Crash shop', currency: 'USD', timezoneName: 'UTC', campaigns: 4 }] })
    const deps = testDomainDeps({ prisma: db.prisma, meta: simulatorMetaApi(sim, { sleep: async () => {}, maxWaitMs: 0 }) })
    const ws = await db.prisma.workspace.create({ data: { slackTeamId: 'TCRASH', settings: { guardrails: { cooldownHours: 0 } } } })
    const [account] = await ensureDefaultConnection(deps, ws.id, { token: sim.accessToken, label: 'sim' })
    await syncAdAccount(deps, { adAccountId: account!.id })
    const admin = await db.prisma.member.create({ data: { workspaceId: ws.id, slackUserId: 'UADMIN', role: 'ADMIN' } })
    const campaign = await db.prisma.campaign.findFirstOrThrow({ where: { adAccountId: account!.id, dailyBudget: { gt: 0 } } })
    const target = Math.round(Number(campaign.dailyBudget) * 1.1)
    const proposed = await proposeChange(deps, {
      workspaceId: ws.id,
      type: 'SET_DAILY_BUDGET',
      source: 'COMMAND',
      campaignId: campaign.id,
      proposedValue: { dailyBudgetMinor: target },
    })
    const { change } = await approveChange(deps, { workspaceId: ws.id, changeId: proposed.id, member: admin })

    // The approval queues the apply job on Redis, as the Approve button does.
    const prefix = uniquePrefix()
    const refreshed: ChangeWithContext[] = []
    const notifier = { refreshChangeCard: async (c: ChangeWithContext) => void refreshed.push(c) } as unknown as Notifier
    let queue: JobQueue | undefined
    const apply = createApplyChangeJob({ domain: deps, notifier, queue: () => queue! }, timings)
    const recover = createRecoverChangesJob({ domain: deps, queue: () => queue! }, { applyChange: apply.definition }, timings.everyMs)
    queue = createBullmqQueue({ redisUrl: redisUrl!, definitions: [apply.definition, recover.definition], logger: silentLogger(), prefix })
    queues.push(queue)
    expect(await queueApply(queue, apply.definition, change)).toBe(true)
    const writesBefore = sim.stats().writes

    const crashedAt = await workAndDie({
      DATABASE_URL: db.url!,
      META_SIM_URL: sim.url,
      REDIS_URL: redisUrl!,
      QUEUE_PREFIX: prefix,
      LEASE_MS: String(timings.leaseMs),
      HEARTBEAT_MS: String(timings.heartbeatMs),
    })
    expect(sim.state.campaign(campaign.metaCampaignId)?.dailyBudget).toBe(target)
    expect((await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: change.id } })).status).toBe('APPLYING')
    // The dead worker's job is still "running" on Redis: the usual re-enqueue is swallowed by its dedupe key.
    expect(await queueApply(queue, apply.definition, change)).toBe(false)

    // The restart: a worker with the real recovery job (on its schedule and once at start-up) and apply job.
    await queue.startWorker()
    await queue.schedule(recover.definition.name, recover.definition, {}, recover.schedule)
    await queue.enqueue(recover.definition, {}, { dedupeKey: 'recover-changes-startup' })
    let recoveredAfterMs: number | null = null
    while (Date.now() - crashedAt < boundMs + 5_000) {
      const row = await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: change.id } })
      if (row.status === 'APPLIED') {
        recoveredAfterMs = Date.now() - crashedAt
        break
      }
      await new Promise((r) => setTimeout(r, 100))
    }
    console.info(`recovered ${recoveredAfterMs === null ? 'never' : `after ${recoveredAfterMs} ms`} (bound ${boundMs} ms)`)
    expect(recoveredAfterMs).not.toBeNull()
    expect(recoveredAfterMs!).toBeLessThanOrEqual(Math.min(boundMs, 60_000))
    expect(sim.stats().writes - writesBefore).toBe(1)
    expect(sim.state.campaign(campaign.metaCampaignId)?.dailyBudget).toBe(target)
    // The card is refreshed right after the APPLIED row is committed (not in the same step): give it a moment.
    for (let i = 0; i < 50 && refreshed.at(-1)?.status !== 'APPLIED'; i++) await new Promise((r) => setTimeout(r, 100))
    expect(refreshed.at(-1)?.status).toBe('APPLIED')
  }, 120_000)
})
