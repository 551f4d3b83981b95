/**
 * Digests end to end on PostgreSQL and Redis: three worker instances tick and post, each digest goes
 * out exactly once per (subscription, local date) with its chart; Slack's 429 is waited out and the
 * digest sent once; a channel that is gone pauses the subscription and tells the subscriber.
 * Slack is the playground's emulator (real upload flow and per-channel rate limits).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_ENCRYPTION_KEY } from '../../../test/support/domain-deps.ts'
import { freePort, waitUntil } from '../../../test/support/net.ts'
import { waitForStartupSync } from '../../../test/support/start-promoly.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../../../test/support/test-database.ts'
import { requireRedisUrl, uniquePrefix } from '../../../test/support/test-redis.ts'
import { loadConfig } from '../../config/env.ts'
import { silentLogger } from '../../lib/logger.ts'
import { type Promoly, startPromoly } from '../../main.ts'
import { YOU } from '../../playground/model.ts'
import { type SlackEmulator, startSlackEmulator } from '../../playground/server.ts'

const pgUrl = requirePostgresUrl()
const redisUrl = requireRedisUrl()

describe.skipIf(!pgUrl || !redisUrl)('daily digests with three workers', () => {
  let slack: SlackEmulator
  let db: TestDatabase
  const workers: Promoly[] = []
  let workspaceId: string

  beforeAll(async () => {
    slack = await startSlackEmulator({ requestUrl: 'http://127.0.0.1:9/slack/events', rateLimit: { burst: 2, perSecond: 2 } })
    db = await createPostgresTestDatabase(pgUrl!)
    const env = {
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: slack.signingSecret,
      SLACK_API_URL: slack.apiUrl,
      DATABASE_URL: db.url!,
      REDIS_URL: redisUrl!,
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      PORT: String(await freePort()),
      LOG_LEVEL: 'silent',
      META_SIMULATOR: '1',
    }
    const prefix = uniquePrefix()
    for (let i = 0; i < 3; i++)
      workers.push(
        await startPromoly(loadConfig(env), { roles: { web: false, worker: true }, logger: silentLogger(), queuePrefix: prefix }),
      )
    await waitForStartupSync(db.prisma, 90_000)
    workspaceId = (await db.prisma.workspace.findFirstOrThrow()).id
    // Digests post only while their creator is an approver or admin on record.
    await db.prisma.member.upsert({
      where: { workspaceId_slackUserId: { workspaceId, slackUserId: YOU } },
      create: { workspaceId, slackUserId: YOU, role: 'ADMIN' },
      update: { role: 'ADMIN' },
    })
  }, 150_000)

  afterAll(async () => {
    for (const w of workers) await w.stop()
    await db?.drop()
    await slack?.close()
  })

  it('posts every due digest exactly once, with its chart, and waits out 429s', async () => {
    const accounts = await db.prisma.adAccount.findMany({ orderBy: { name: 'asc' } })
    const jpy = accounts.find((a) => a.currency === 'JPY')!
    // Five digests due now in one channel (00:00 has passed in every zone): more than its rate limit.
    for (const a of accounts) {
      await db.prisma.digestSubscription.create({
        data: {
          workspaceId,
          channelId: 'C0ADS00001',
          localTime: '00:00',
          timeZone: a.timezoneName,
          adAccountIds: [a.id],
          createdBySlackUserId: YOU,
          createdAt: new Date(Date.now() - 2 * 86_400_000),
        },
      })
    }
    // Every worker ticks several times at once: claims decide who posts.
    await Promise.all(workers.flatMap((w) => [1, 2, 3].map(() => w.queue.enqueue(w.jobs.digestTick, {}))))
    await waitUntil(
      'all digests are sent',
      async () => (await db.prisma.digestRun.count({ where: { status: 'SENT' } })) === accounts.length,
      60_000,
    )
    await new Promise((r) => setTimeout(r, 1500))
    await Promise.all(workers.map((w) => w.queue.enqueue(w.jobs.digestTick, {})))
    await new Promise((r) => setTimeout(r, 1500))
    const posted = slack.state.messages.filter((m) => m.channel === 'C0ADS00001' && !m.threadTs && (m.blocks?.length ?? 0) > 0)
    expect(posted).toHaveLength(accounts.length)
    expect(slack.calls.some((c) => c.method === 'chat.postMessage' && c.error === 'ratelimited')).toBe(true)
    const charts = slack.state.messages.filter((m) => m.channel === 'C0ADS00001' && m.files?.some((f) => f.mimetype === 'image/png'))
    expect(charts).toHaveLength(accounts.length)
    const yen = posted.find((m) => JSON.stringify(m.blocks).includes(jpy.name))!
    expect(JSON.stringify(yen.blocks)).toMatch(/¥[\d,]+(?!\.\d)/)
    expect(await db.prisma.digestRun.count()).toBe(accounts.length)
  })

  it('pauses a subscription whose channel is gone and tells its subscriber by DM, without retrying', async () => {
    const sub = await db.prisma.digestSubscription.create({
      data: {
        workspaceId,
        channelId: 'C0DELETED1',
        localTime: '00:00',
        timeZone: 'UTC',
        createdBySlackUserId: YOU,
        createdAt: new Date(Date.now() - 2 * 86_400_000),
      },
    })
    await workers[0]!.queue.enqueue(workers[0]!.jobs.digestTick, {})
    await waitUntil(
      'the subscription is paused',
      async () => (await db.prisma.digestSubscription.findUniqueOrThrow({ where: { id: sub.id } })).status === 'PAUSED',
      30_000,
    )
    expect((await db.prisma.digestSubscription.findUniqueOrThrow({ where: { id: sub.id } })).pausedReason).toMatch(/not found/)
    await waitUntil(
      'the subscriber is told',
      async () => slack.state.messages.some((m) => m.channel === 'D0PROMOLY1' && m.text.includes('is paused')),
      10_000,
    )
    const attempts = slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === 'C0DELETED1').length
    await workers[1]!.queue.enqueue(workers[1]!.jobs.digestTick, {})
    await new Promise((r) => setTimeout(r, 1000))
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === 'C0DELETED1')).toHaveLength(attempts)
  })
})
