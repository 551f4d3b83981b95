import { type ConnectionOptions, type Job, Queue, UnrecoverableError, Worker } from 'bullmq'
import { Redis } from 'ioredis'
import type { Logger } from '../lib/logger.ts'
import { type EnqueueOptions, findDefinition, type JobDefinition, type JobQueue, PermanentJobError, type Schedule } from './job-queue.ts'

const DEFAULT_QUEUE_NAME = 'promoly'

function connectionFromUrl(redisUrl: string): ConnectionOptions {
  const u = new URL(redisUrl)
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname && u.pathname.length > 1 ? Number(u.pathname.slice(1)) : undefined,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    // BullMQ workers need this; producers fail fast instead (enableOfflineQueue below).
    maxRetriesPerRequest: null,
  }
}

/**
 * Jobs on Redis through BullMQ: any number of worker processes share one queue; dedupe keys,
 * retries with exponential backoff and schedules (upsertJobScheduler) are BullMQ's own.
 */
export function createBullmqQueue(options: {
  redisUrl: string
  definitions: readonly JobDefinition<unknown>[]
  logger: Logger
  queueName?: string
  /** Redis key prefix (tests use a unique one). */
  prefix?: string
  concurrency?: number
}): JobQueue {
  const { definitions, logger } = options
  const queueName = options.queueName ?? DEFAULT_QUEUE_NAME
  const prefix = options.prefix ?? 'bull'
  const connection = connectionFromUrl(options.redisUrl)
  const producer = new Redis({ ...(connection as object), maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false })
  producer.on('error', (err) => logger.warn({ err: { message: err.message } }, 'redis connection error'))
  const queue = new Queue(queueName, {
    connection: producer,
    prefix,
    defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 5000 },
  })
  queue.on('error', (err) => logger.warn({ err: { message: err.message } }, 'bullmq queue error'))
  let worker: Worker | undefined

  function jobOptions(def: JobDefinition<unknown>) {
    return {
      attempts: def.attempts ?? 3,
      backoff: { type: 'exponential' as const, delay: def.backoffMs ?? 2000 },
    }
  }

  async function waitReady() {
    if (producer.status === 'ready') return
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`Redis at ${new URL(options.redisUrl).host} did not answer`)), 5000)
      producer.once('ready', () => {
        clearTimeout(t)
        resolve()
      })
    })
  }

  return {
    kind: 'bullmq',
    async enqueue(def, payload, opts: EnqueueOptions = {}) {
      def.schema.parse(payload)
      await waitReady()
      const dedupeId = opts.dedupeKey?.replaceAll(':', '_')
      if (dedupeId && (await queue.getDeduplicationJobId(dedupeId))) return false
      await queue.add(def.name, payload, {
        ...jobOptions(def),
        delay: opts.delayMs,
        deduplication: dedupeId ? { id: dedupeId } : undefined,
      })
      return true
    },
    async schedule(id, def, payload, sched: Schedule) {
      await waitReady()
      const repeat = 'everyMs' in sched ? { every: sched.everyMs } : { pattern: sched.cron, tz: sched.tz }
      await queue.upsertJobScheduler(id, repeat, { name: def.name, data: payload, opts: jobOptions(def) })
    },
    async startWorker() {
      if (worker) return
      worker = new Worker(
        queueName,
        async (job: Job) => {
          const def = findDefinition(definitions, job.name)
          const log = logger.child({ job: job.name, jobId: job.id, attempt: job.attemptsMade + 1 })
          let payload: unknown
          try {
            payload = def.schema.parse(job.data)
          } catch (err) {
            throw new UnrecoverableError(`invalid payload for ${job.name}: ${(err as Error).message}`)
          }
          try {
            await def.handler(payload, { logger: log, attempt: job.attemptsMade + 1, jobId: String(job.id) })
          } catch (err) {
            if (err instanceof PermanentJobError) throw new UnrecoverableError(err.message)
            throw err
          }
        },
        { connection, prefix, concurrency: options.concurrency ?? 4 },
      )
      worker.on('failed', (job, err) => logger.warn({ job: job?.name, jobId: job?.id, err: { message: err.message } }, 'job failed'))
      worker.on('error', (err) => logger.warn({ err: { message: err.message } }, 'bullmq worker error'))
      await worker.waitUntilReady()
    },
    async ping() {
      await waitReady()
      await producer.ping()
    },
    async drain(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const c = await queue.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children')
        if (Object.values(c).every((n) => n === 0)) return
        if (Date.now() > deadline) throw new Error(`drain timed out: ${JSON.stringify(c)}`)
        await new Promise((r) => setTimeout(r, 50))
      }
    },
    async close() {
      await worker?.close()
      await queue.close()
      producer.disconnect()
    },
  }
}
