import { Redis } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import * as z from 'zod'
import { requireRedisUrl, uniquePrefix } from '../../test/support/test-redis.ts'
import { silentLogger } from '../lib/logger.ts'
import { createBullmqQueue } from './bullmq-queue.ts'
import { type JobDefinition, type JobQueue, PermanentJobError } from './job-queue.ts'

const redisUrl = requireRedisUrl()

describe.skipIf(!redisUrl)('BullMQ queue on real Redis', () => {
  const queues: JobQueue[] = []
  afterEach(async () => {
    for (const q of queues.splice(0)) await q.close()
  })

  function queue(defs: JobDefinition<unknown>[], prefix = uniquePrefix()) {
    const q = createBullmqQueue({ redisUrl: redisUrl!, definitions: defs, logger: silentLogger(), prefix })
    queues.push(q)
    return q
  }

  it('runs jobs with validated payloads, retries failures and gives up on permanent errors', async () => {
    const seen: string[] = []
    let flaky = 0
    const echo: JobDefinition<{ id: string }> = {
      name: 'echo',
      schema: z.object({ id: z.string() }),
      handler: async (p) => void seen.push(p.id),
    }
    const retry: JobDefinition<{ id: string }> = {
      name: 'retry',
      schema: z.object({ id: z.string() }),
      attempts: 3,
      backoffMs: 10,
      handler: async (p) => {
        flaky++
        if (flaky < 3) throw new Error('transient')
        seen.push(`retried-${p.id}`)
      },
    }
    let permanentRuns = 0
    const permanent: JobDefinition<Record<string, never>> = {
      name: 'permanent',
      schema: z.object({}) as z.ZodType<Record<string, never>>,
      attempts: 5,
      backoffMs: 10,
      handler: async () => {
        permanentRuns++
        throw new PermanentJobError('token revoked')
      },
    }
    const q = queue([echo, retry, permanent])
    await q.startWorker()
    await q.enqueue(echo, { id: 'a' })
    await q.enqueue(retry, { id: 'b' })
    await q.enqueue(permanent, {})
    await expect(q.enqueue(echo, { id: 1 } as never)).rejects.toThrow()
    const deadline = Date.now() + 10_000
    while ((seen.length < 2 || permanentRuns < 1) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25))
    await new Promise((r) => setTimeout(r, 300))
    expect(seen.sort()).toEqual(['a', 'retried-b'])
    expect(flaky).toBe(3)
    expect(permanentRuns).toBe(1)
  })

  it('deduplicates jobs with the same key while one is waiting, across producers', async () => {
    let runs = 0
    const slow: JobDefinition<{ n: number }> = {
      name: 'slow',
      schema: z.object({ n: z.number() }),
      handler: async () => {
        runs++
        await new Promise((r) => setTimeout(r, 200))
      },
    }
    const prefix = uniquePrefix()
    const producerA = queue([slow], prefix)
    const producerB = queue([slow], prefix)
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? producerA : producerB).enqueue(slow, { n: i }, { dedupeKey: 'sync:acct-1' })),
    )
    const worker = queue([slow], prefix)
    await worker.startWorker()
    await new Promise((r) => setTimeout(r, 100))
    await worker.drain(10_000)
    expect(runs).toBe(1)
  })

  it('keeps one scheduler per id however often it is upserted', async () => {
    const tick: JobDefinition<Record<string, never>> = {
      name: 'tick',
      schema: z.object({}) as z.ZodType<Record<string, never>>,
      handler: async () => {},
    }
    const prefix = uniquePrefix()
    const q = queue([tick], prefix)
    await q.schedule('sync-all', tick, {}, { everyMs: 3_600_000 })
    await q.schedule('sync-all', tick, {}, { everyMs: 7_200_000 })
    await q.schedule('digest', tick, {}, { cron: '0 9 * * 1-5', tz: 'Europe/Berlin' })
    const redis = new Redis(redisUrl!)
    try {
      const ids = await redis.zrange(`${prefix}:promoly:repeat`, '0', '-1')
      expect(ids.sort()).toEqual(['digest', 'sync-all'])
    } finally {
      redis.disconnect()
    }
  })

  it('answers ping and fails fast when Redis is unreachable', async () => {
    const q = queue([], uniquePrefix())
    await expect(q.ping()).resolves.toBeUndefined()
    const dead = createBullmqQueue({ redisUrl: 'redis://127.0.0.1:1', definitions: [], logger: silentLogger() })
    await expect(dead.ping()).rejects.toThrow()
    await dead.close()
  })
})
