import { describe, expect, it, vi } from 'vitest'
import * as z from 'zod'
import { silentLogger } from '../lib/logger.ts'
import { createInProcessQueue } from './in-process-queue.ts'
import { type JobDefinition, PermanentJobError } from './job-queue.ts'

describe('in-process queue', () => {
  it('runs, retries with backoff, stops on permanent errors and dedupes by key', async () => {
    const seen: string[] = []
    let flaky = 0
    let permanentRuns = 0
    const echo: JobDefinition<{ id: string }> = {
      name: 'echo',
      schema: z.object({ id: z.string() }),
      handler: async (p) => void seen.push(p.id),
    }
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

  it('fires interval schedules once per interval, a rescheduled id replaces its schedule, none after close', async () => {
    vi.useFakeTimers()
    try {
      const ticks: string[] = []
      const tick: JobDefinition<{ from: string }> = {
        name: 'tick',
        schema: z.object({ from: z.string() }),
        handler: async (p) => void ticks.push(p.from),
      }
      const q = createInProcessQueue({ definitions: [tick], logger: silentLogger() })
      await q.startWorker()
      await q.schedule('t', tick, { from: 'first' }, { everyMs: 20 })
      await vi.advanceTimersByTimeAsync(19)
      expect(ticks).toEqual([])
      await vi.advanceTimersByTimeAsync(1)
      expect(ticks).toEqual(['first'])
      await vi.advanceTimersByTimeAsync(40)
      expect(ticks).toEqual(['first', 'first', 'first'])
      // The same id again: the old interval stops, the new one runs on its own period.
      await q.schedule('t', tick, { from: 'second' }, { everyMs: 50 })
      await vi.advanceTimersByTimeAsync(100)
      expect(ticks).toEqual(['first', 'first', 'first', 'second', 'second'])
      await q.close()
      await vi.advanceTimersByTimeAsync(1_000)
      expect(ticks).toHaveLength(5)
    } finally {
      vi.useRealTimers()
    }
  })
})
