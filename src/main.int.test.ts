/**
 * The production shape: PostgreSQL (DATABASE_URL) and Redis (REDIS_URL), with `web` and `worker`
 * as separate Promoly instances sharing them. A sync asked for over Slack on the web instance is
 * run by the worker instance and reported back to Slack from the job.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_ENCRYPTION_KEY } from '../test/support/domain-deps.ts'
import { blockActionsPayload, type FakeSlack, sendSlashCommand, slackSignature, startFakeSlack } from '../test/support/fake-slack.ts'
import { freePort, waitUntil } from '../test/support/net.ts'
import { waitForStartupSync } from '../test/support/start-promoly.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../test/support/test-database.ts'
import { requireRedisUrl, uniquePrefix } from '../test/support/test-redis.ts'
import { loadConfig } from './config/env.ts'
import { silentLogger } from './lib/logger.ts'
import { type Promoly, startPromoly } from './main.ts'

const pgUrl = requirePostgresUrl()
const redisUrl = requireRedisUrl()
const SECRET = 'prod-path-secret'

describe.skipIf(!pgUrl || !redisUrl)('web and worker on PostgreSQL and Redis', () => {
  let slack: FakeSlack
  let db: TestDatabase
  let web: Promoly
  let worker: Promoly
  let port: number

  beforeAll(async () => {
    slack = await startFakeSlack({ users: { UADMIN: { is_admin: true } } })
    db = await createPostgresTestDatabase(pgUrl!)
    port = await freePort()
    const env = {
      SLACK_BOT_TOKEN: 'xoxb-prod',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      DATABASE_URL: db.url!,
      REDIS_URL: redisUrl!,
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      PORT: String(port),
      LOG_LEVEL: 'silent',
      META_SIMULATOR: '1',
    }
    const prefix = uniquePrefix()
    // Each instance opens its own connections from DATABASE_URL, as separate processes would.
    worker = await startPromoly(loadConfig(env), { roles: { web: false, worker: true }, logger: silentLogger(), queuePrefix: prefix })
    web = await startPromoly(loadConfig(env), { roles: { web: true, worker: false }, logger: silentLogger(), queuePrefix: prefix })
    await waitForStartupSync(db.prisma) // run by the worker instance
  }, 90_000)

  afterAll(async () => {
    await web?.stop()
    await worker?.stop()
    await db?.drop()
    await slack?.close()
  })

  it('uses BullMQ and PostgreSQL, and the worker synced every account at start-up', async () => {
    expect(web.queue.kind).toBe('bullmq')
    expect(web.db.kind).toBe('postgres')
    expect(await db.prisma.adAccount.count({ where: { lastSyncedAt: { not: null } } })).toBe(5)
  })

  it('runs a sync asked for on the web instance on the worker, and reports it to Slack', async () => {
    const res = await sendSlashCommand(`http://127.0.0.1:${port}/slack/events`, SECRET, {
      text: 'sync Thames',
      responseUrl: slack.responseUrl('s1'),
    })
    expect(res.status).toBe(200)
    const done = await slack.waitFor<{ method: string; args: Record<string, unknown>; token?: string }>(
      'call',
      (c) => c.method === 'chat.postEphemeral' && String(c.args.text).includes('Thames'),
      20_000,
    )
    expect(done.args.text).toMatch(/Synced \*Thames Fitness Ltd\*: \d+ campaigns/)
    expect(done.token).toBe('xoxb-prod')
  })

  it('applies a change once: 20 concurrent approvals and redelivered block_actions, one Meta write', async () => {
    const endpoint = `http://127.0.0.1:${port}/slack/events`
    const campaign = await db.prisma.campaign.findFirstOrThrow({ where: { status: 'ACTIVE', dailyBudget: { not: null } } })
    await sendSlashCommand(endpoint, SECRET, {
      text: `budget ${campaign.metaCampaignId} +10%`,
      responseUrl: slack.responseUrl('b1'),
      userId: 'UMEMBER',
    })
    const reply = await slack.waitFor<{ path: string; body: Record<string, unknown> }>('response', (r) => r.path === '/response/b1', 20_000)
    expect(JSON.stringify(reply.body)).toContain('Proposed')
    const card = await slack.waitFor<{ method: string; args: { text?: string; ts?: string; blocks?: unknown[]; [key: string]: unknown } }>(
      'call',
      (c) => c.method === 'chat.postMessage' && String(c.args.text).includes('Change daily budget'),
      20_000,
    )
    const changeId = (card.args.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>)
      .find((b) => b.type === 'actions')!
      .elements!.find((e) => e.action_id === 'change_approve')!.value
    const writesBefore = worker.simulator!.stats().writes + web.simulator!.stats().writes
    const payload = (n: number) =>
      blockActionsPayload({
        userId: 'UADMIN',
        messageTs: card.args.ts,
        triggerId: `${n}.1.x`,
        responseUrl: slack.responseUrl(),
        action: { action_id: 'change_approve', block_id: `change_${changeId}`, value: changeId },
      })
    const deliver = async (n: number, retry?: number) => {
      const body = new URLSearchParams({ payload: JSON.stringify(payload(n)) }).toString()
      const ts = Math.floor(Date.now() / 1000)
      const headers: Record<string, string> = {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': slackSignature(SECRET, ts, body),
      }
      if (retry) Object.assign(headers, { 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_timeout' })
      return (await fetch(endpoint, { method: 'POST', body, headers })).status
    }
    const statuses = await Promise.all([...Array.from({ length: 20 }, (_, i) => deliver(i)), deliver(0, 1), deliver(0, 2), deliver(0, 3)])
    expect(statuses.every((s) => s === 200)).toBe(true)
    await waitUntil(
      'the change is applied',
      async () => (await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: changeId } })).status === 'APPLIED',
      30_000,
    )
    await new Promise((r) => setTimeout(r, 500))
    expect(worker.simulator!.stats().writes + web.simulator!.stats().writes).toBe(writesBefore + 1)
    expect(await db.prisma.auditEvent.count({ where: { targetId: changeId, action: 'change.approved' } })).toBe(1)
    expect(await db.prisma.auditEvent.count({ where: { targetId: changeId, action: 'change.applied' } })).toBe(1)
  })

  it('reports ready only while PostgreSQL and Redis answer', async () => {
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`)
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: 'ok', queue: 'ok' } })
  })
})
