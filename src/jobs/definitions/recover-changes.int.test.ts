/**
 * A worker killed (SIGKILL) after Meta accepted a budget write but before its answer arrived: the recovery job
 * (at start-up, then on its schedule) finds the change and the apply job finishes it — one write on Meta, the
 * change APPLIED and its card refreshed — within 60 s of the restart. The dying worker is a real child process;
 * the time after the restart is simulated (the clock jumps from one scheduled run to the next).
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { simulatorMetaApi, testDomainDeps } from '../../../test/support/domain-deps.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../../../test/support/test-database.ts'
import { packageRoot } from '../../db/migrate.ts'
import type { ChangeWithContext } from '../../domain/changes/change-include.ts'
import { approveChange } from '../../domain/changes/decide-change.ts'
import { proposeChange } from '../../domain/changes/propose-change.ts'
import { ensureDefaultConnection } from '../../domain/connections/ensure-default-connection.ts'
import type { Notifier } from '../../domain/notifier.ts'
import { syncAdAccount } from '../../domain/sync/sync-ad-account.ts'
import { type MetaSimulator, startMetaSimulator } from '../../integrations/meta-sim/index.ts'
import { silentLogger } from '../../lib/logger.ts'
import type { JobDefinition, JobQueue } from '../job-queue.ts'
import { type ApplyChangePayload, createApplyChangeJob } from './apply-change.ts'
import { createRecoverChangesJob } from './recover-changes.ts'

const serverUrl = requirePostgresUrl()

/** Runs the dying worker until it says Meta has the write, then kills it the hard way. */
async function applyAndDie(env: Record<string, string>): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(packageRoot(), 'test/support/apply-then-die.ts')], {
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
}

describe.skipIf(!serverUrl)('recovery of a change whose worker died mid-apply', () => {
  let db: TestDatabase
  let sim: MetaSimulator

  beforeAll(async () => {
    db = await createPostgresTestDatabase(serverUrl!)
  })
  afterEach(async () => {
    vi.useRealTimers()
    await sim?.close()
  })
  afterAll(async () => {
    await db?.drop()
  })

  it('is applied exactly once within 60 s of the restart (#10 finding 7)', async () => {
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
    const writesBefore = sim.stats().writes

    await applyAndDie({
      DATABASE_URL: db.url!,
      META_SIM_URL: sim.url,
      CHANGE_ID: change.id,
      IDEMPOTENCY_KEY: change.idempotencyKey,
    })
    expect(sim.state.campaign(campaign.metaCampaignId)?.dailyBudget).toBe(target)
    expect((await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: change.id } })).status).toBe('APPLYING')

    // The restart: a fresh worker with the real recovery and apply jobs, their queue and card refreshes recorded.
    const queued: ApplyChangePayload[] = []
    const refreshed: ChangeWithContext[] = []
    const queue = {
      enqueue: async (_def: JobDefinition<unknown>, payload: unknown) => {
        queued.push(payload as ApplyChangePayload)
        return true
      },
    } as unknown as JobQueue
    const notifier = { refreshChangeCard: async (c: ChangeWithContext) => void refreshed.push(c) } as unknown as Notifier
    const apply = createApplyChangeJob({ domain: deps, notifier, queue: () => queue })
    const recover = createRecoverChangesJob({ domain: deps, queue: () => queue }, { applyChange: apply.definition })
    expect(recover.atStartup).toBe(true)
    const every = 'everyMs' in recover.schedule ? recover.schedule.everyMs : Number.POSITIVE_INFINITY
    const ctx = { logger: silentLogger(), attempt: 1, jobId: 'test' }

    const restart = Date.now()
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true })
    let recoveredAfterMs: number | null = null
    // The start-up run, then one run per scheduled interval, for the first minute after the restart.
    for (let at = 0; at <= 60_000 && recoveredAfterMs === null; at += every) {
      vi.setSystemTime(restart + at)
      await recover.definition.handler({}, ctx)
      for (const payload of queued.splice(0)) await apply.definition.handler(payload, ctx)
      const row = await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: change.id } })
      if (row.status === 'APPLIED') recoveredAfterMs = at
    }
    expect(recoveredAfterMs).not.toBeNull()
    expect(recoveredAfterMs!).toBeLessThanOrEqual(60_000)
    expect(sim.stats().writes - writesBefore).toBe(1)
    expect(sim.state.campaign(campaign.metaCampaignId)?.dailyBudget).toBe(target)
    expect(refreshed.at(-1)?.status).toBe('APPLIED')
  }, 30_000)
})
