import * as z from 'zod'
import { describe, expect, it } from 'vitest'
import { silentLogger } from '../lib/logger.ts'
import { createInProcessQueue } from './in-process-queue.ts'
import { PermanentJobError, type JobDefinition } from './job-queue.ts'

describe('in-process queue', () => {
  it('runs, retries with backoff, stops on permanent errors and dedupes by key', async () => {
    const seen: string[] = []
    let flaky = 0
    let permanentRuns = 0
    const echo: JobDefinition<{ id: string }> = { name: 'echo', schema: z.object({ id: z.string() }), handler: async (p) => void seen.push(p.id) }
    const retry: JobDefinition<Record<string, never>> = {
      name: 'retry',
      schema: z.object({}) as z.ZodType<Record<string, never>>,
      attempts: 3,
      backoffMs: 5,
      handler: async () => {
        if (++flaky < 3) throw new Error('transient')
        seen.push('retried')
      },
    }
    const permanent: JobDefinition<Record<string, never>> = {
      name: 'permanent',
      schema: z.object({}) as z.ZodType<Record<string, never>>,
      attempts: 5,
      backoffMs: 5,
      handler: async () => {
        permanentRuns++
        throw new PermanentJobError('no')
      },
    }
    const q = createInProcessQueue({ definitions: [echo, retry, permanent], logger: silentLogger() })
    await q.enqueue(echo, { id: 'a' }, { dedupeKey: 'k' })
    await q.enqueue(echo, { id: 'b' }, { dedupeKey: 'k' })
    await q.enqueue(retry, {})
    await q.enqueue(permanent, {})
    await expect(q.enqueue(echo, { id: 3 } as never)).rejects.toThrow()
    await q.startWorker()
    await q.drain(5_000)
    expect(seen.sort()).toEqual(['a', 'retried'])
    expect(flaky).toBe(3)
    expect(permanentRuns).toBe(1)
    // The key is free again once its job finished.
    await q.enqueue(echo, { id: 'c' }, { dedupeKey: 'k' })
    await q.drain(5_000)
    expect(seen).toContain('c')
    await q.close()
  })

  it('fires interval schedules', async () => {
    let ticks = 0
    const tick: JobDefinition<Record<string, never>> = { name: 'tick', schema: z.object({}) as z.ZodType<Record<string, never>>, handler: async () => void ticks++ }
    const q = createInProcessQueue({ definitions: [tick], logger: silentLogger() })
    await q.startWorker()
    await q.schedule('t', tick, {}, { everyMs: 20 })
    await new Promise((r) => setTimeout(r, 130))
    await q.close()
    expect(ticks).toBeGreaterThanOrEqual(3)
  })
})
