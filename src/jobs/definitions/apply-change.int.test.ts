/**
 * The apply job on both queue backends (in-process, and BullMQ on real Redis) when several changes of one campaign are
 * approved at the same moment: one is applied at a time, the others wait (rescheduled by the job, however often they
 * wait) and then fail on Meta's new budget instead of writing from a stale one (round 4 finding B1).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { simulatorMetaApi, testDomainDeps } from '../../../test/support/domain-deps.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../../../test/support/test-database.ts'
import { requireRedisUrl, uniquePrefix } from '../../../test/support/test-redis.ts'
import type { ChangeWithContext } from '../../domain/changes/change-include.ts'
import { approveChange } from '../../domain/changes/decide-change.ts'
import { proposeChange } from '../../domain/changes/propose-change.ts'
import { ensureDefaultConnection } from '../../domain/connections/ensure-default-connection.ts'
import type { Notifier } from '../../domain/notifier.ts'
import { syncAdAccount } from '../../domain/sync/sync-ad-account.ts'
import { type MetaSimulator, startMetaSimulator } from '../../integrations/meta-sim/index.ts'
import { silentLogger } from '../../lib/logger.ts'
import { createBullmqQueue } from '../bullmq-queue.ts'
import { createInProcessQueue } from '../in-process-queue.ts'
import type { JobDefinition, JobQueue } from '../job-queue.ts'
import { createApplyChangeJob, queueApply } from './apply-change.ts'

const serverUrl = requirePostgresUrl()
const redisUrl = requireRedisUrl()

describe.skipIf(!serverUrl)('apply jobs of changes approved at the same moment on one campaign', () => {
  let db: TestDatabase
  let sim: MetaSimulator
  let worlds = 0
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

  const backends: Array<['in-process' | 'bullmq', boolean]> = [
    ['in-process', true],
    ['bullmq', Boolean(redisUrl)],
  ]
  for (const [backend, available] of backends) {
    it.skipIf(!available)(
      `writes one after another and fails the stale ones, on the ${backend} queue`,
      async () => {
        sim = await startMetaSimulator({
          accounts: [{ id: '991', name: 'Burst shop', currency: 'USD', timezoneName: 'UTC', campaigns: 4 }],
        })
        const deps = testDomainDeps({ prisma: db.prisma, meta: simulatorMetaApi(sim, { sleep: async () => {}, maxWaitMs: 0 }) })
        const ws = await db.prisma.workspace.create({
          data: {
            slackTeamId: `TBURST${++worlds}`,
            settings: { guardrails: { cooldownHours: 0, maxChangesPerAccountPerDay: 100, maxBudgetChangePct: 100 } },
          },
        })
        const [account] = await ensureDefaultConnection(deps, ws.id, { token: sim.accessToken, label: 'sim' })
        await syncAdAccount(deps, { adAccountId: account!.id })
        const admin = await db.prisma.member.create({ data: { workspaceId: ws.id, slackUserId: 'UADMIN', role: 'ADMIN' } })
        const campaign = await db.prisma.campaign.findFirstOrThrow({ where: { adAccountId: account!.id, dailyBudget: { gt: 0 } } })
        const budget = Number(campaign.dailyBudget)
        const approved: ChangeWithContext[] = []
        for (const pct of [5, 10, 15]) {
          const p = await proposeChange(deps, {
            workspaceId: ws.id,
            type: 'SET_DAILY_BUDGET',
            source: 'COMMAND',
            campaignId: campaign.id,
            proposedValue: { dailyBudgetMinor: Math.round(budget * (1 + pct / 100)) },
          })
          approved.push((await approveChange(deps, { workspaceId: ws.id, changeId: p.id, member: admin })).change)
        }

        const notifier = { refreshChangeCard: async () => {} } as unknown as Notifier
        let queue: JobQueue | undefined
        const apply = createApplyChangeJob({ domain: deps, notifier, queue: () => queue! })
        const definitions = [apply.definition] as JobDefinition<unknown>[]
        queue =
          backend === 'bullmq'
            ? createBullmqQueue({ redisUrl: redisUrl!, definitions, logger: silentLogger(), prefix: uniquePrefix() })
            : createInProcessQueue({ definitions, logger: silentLogger() })
        queues.push(queue)
        // The first write takes longer than a wait: the others wait twice (each wait is rescheduled by the job).
        sim.faults.delay(4_500, { method: 'POST', times: 1 })
        const writes = sim.stats().writes
        for (const a of approved) expect(await queueApply(queue, apply.definition, a)).toBe(true)
        await queue.startWorker()

        const deadline = Date.now() + 30_000
        let rows = await db.prisma.changeRequest.findMany({ where: { id: { in: approved.map((a) => a.id) } } })
        while (rows.some((r) => r.status === 'APPROVED' || r.status === 'APPLYING') && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 200))
          rows = await db.prisma.changeRequest.findMany({ where: { id: { in: approved.map((a) => a.id) } } })
        }
        expect(rows.map((r) => r.status).sort()).toEqual(['APPLIED', 'FAILED', 'FAILED'])
        expect(sim.stats().writes - writes).toBe(1)
        const applied = rows.find((r) => r.status === 'APPLIED')!
        const asked = (applied.proposedValue as { dailyBudgetMinor: number }).dailyBudgetMinor
        expect((applied.outcome as { dailyBudgetMinor: number }).dailyBudgetMinor).toBe(asked)
        expect(sim.state.campaign(campaign.metaCampaignId)?.dailyBudget).toBe(asked)
        for (const f of rows.filter((r) => r.status === 'FAILED'))
          expect(f.failureReason).toMatch(/budget changed on Meta since this was proposed/)
      },
      60_000,
    )
  }
})
