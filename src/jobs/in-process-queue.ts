import cron, { type ScheduledTask } from 'node-cron'
import type { Logger } from '../lib/logger.ts'
import {
  backoffDelay,
  type EnqueueOptions,
  findDefinition,
  type JobDefinition,
  type JobQueue,
  PermanentJobError,
  type Schedule,
} from './job-queue.ts'

interface Pending {
  id: string
  name: string
  payload: unknown
  attempt: number
  dedupeKey?: string
}

/**
 * Jobs in this process (the embedded default, no Redis). Same contract as the BullMQ backend:
 * payload validated, retries with backoff, dedupe keys, schedules (interval or node-cron pattern).
 */
export function createInProcessQueue(options: {
  definitions: readonly JobDefinition<unknown>[]
  logger: Logger
  concurrency?: number
}): JobQueue {
  const { definitions, logger } = options
  const concurrency = options.concurrency ?? 4
  const waiting: Pending[] = []
  const active = new Set<string>()
  const dedupe = new Set<string>()
  const timers = new Set<NodeJS.Timeout>()
  const schedules = new Map<string, { stop(): void }>()
  let running = false
  let closed = false
  let seq = 0
  const idleWaiters: Array<() => void> = []

  function notifyIdle() {
    if (waiting.length === 0 && active.size === 0 && timers.size === 0) {
      for (const w of idleWaiters.splice(0)) w()
    }
  }

  function pump() {
    if (!running || closed) return
    while (active.size < concurrency) {
      const job = waiting.shift()
      if (!job) break
      active.add(job.id)
      void run(job).finally(() => {
        active.delete(job.id)
        pump()
        notifyIdle()
      })
    }
  }

  async function run(job: Pending) {
    const def = findDefinition(definitions, job.name)
    const log = logger.child({ job: job.name, jobId: job.id, attempt: job.attempt })
    try {
      const payload = def.schema.parse(job.payload)
      await def.handler(payload, { logger: log, attempt: job.attempt, jobId: job.id })
      if (job.dedupeKey) dedupe.delete(job.dedupeKey)
    } catch (err) {
      const attempts = def.attempts ?? 3
      if (err instanceof PermanentJobError || job.attempt >= attempts || closed) {
        log.error({ err }, 'job failed')
        if (job.dedupeKey) dedupe.delete(job.dedupeKey)
        return
      }
      const delay = backoffDelay(def, job.attempt)
      log.warn({ err, retryInMs: delay }, 'job failed, will retry')
      later(delay, () => waiting.push({ ...job, attempt: job.attempt + 1 }))
    }
  }

  function later(ms: number, fn: () => void) {
    const t = setTimeout(() => {
      timers.delete(t)
      fn()
      pump()
      notifyIdle()
    }, ms)
    t.unref()
    timers.add(t)
  }

  return {
    kind: 'in-process',
    async enqueue(def, payload, opts: EnqueueOptions = {}) {
      if (closed) throw new Error('queue is closed')
      def.schema.parse(payload)
      if (opts.dedupeKey) {
        if (dedupe.has(opts.dedupeKey)) return false
        dedupe.add(opts.dedupeKey)
      }
      const job: Pending = { id: `${def.name}-${++seq}`, name: def.name, payload, attempt: 1, dedupeKey: opts.dedupeKey }
      if (opts.delayMs && opts.delayMs > 0) later(opts.delayMs, () => waiting.push(job))
      else waiting.push(job)
      pump()
      return true
    },
    async schedule(id, def, payload, sched: Schedule) {
      schedules.get(id)?.stop()
      const fire = () => {
        this.enqueue(def, payload, { dedupeKey: `schedule:${id}` }).catch((err) =>
          logger.error({ err, schedule: id }, 'scheduled enqueue failed'),
        )
      }
      if ('everyMs' in sched) {
        const t = setInterval(fire, sched.everyMs)
        t.unref()
        schedules.set(id, { stop: () => clearInterval(t) })
      } else {
        const task: ScheduledTask = cron.schedule(sched.cron, fire, { timezone: sched.tz, name: id, noOverlap: true })
        schedules.set(id, { stop: () => void task.destroy() })
      }
    },
    async startWorker() {
      running = true
      pump()
    },
    async ping() {},
    drain(timeoutMs = 60_000) {
      return new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('drain timed out')), timeoutMs)
        idleWaiters.push(() => {
          clearTimeout(t)
          resolve()
        })
        notifyIdle()
      })
    },
    async close() {
      closed = true
      for (const s of schedules.values()) s.stop()
      schedules.clear()
      for (const t of timers) clearTimeout(t)
      timers.clear()
      waiting.length = 0
      const deadline = Date.now() + 10_000
      while (active.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    },
  }
}
