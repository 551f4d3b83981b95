/**
 * A BullMQ worker process that dies mid-apply, for crash tests on Redis: run with tsx and env DATABASE_URL,
 * META_SIM_URL, REDIS_URL, QUEUE_PREFIX, LEASE_MS and HEARTBEAT_MS. Its worker takes the queued apply-change job,
 * applies the change until Meta has accepted the write, prints "written" and then waits for the answer forever
 * (the parent SIGKILLs it there: Meta has the new value, the job is still "active" on Redis, Promoly never heard back).
 */

import { openDatabase } from '../../src/db/database.ts'
import type { Notifier } from '../../src/domain/notifier.ts'
import { createBullmqQueue } from '../../src/jobs/bullmq-queue.ts'
import { createApplyChangeJob } from '../../src/jobs/definitions/apply-change.ts'
import type { JobQueue } from '../../src/jobs/job-queue.ts'
import { silentLogger } from '../../src/lib/logger.ts'
import { simulatorMetaApi, testDomainDeps } from './domain-deps.ts'

const env = (name: string) => {
  const v = process.env[name]
  if (!v) throw new Error(`${name} is required`)
  return v
}

const db = await openDatabase({ databaseUrl: env('DATABASE_URL'), migrate: false })
const meta = simulatorMetaApi({ url: env('META_SIM_URL') }, { sleep: async () => {}, maxWaitMs: 0 })
const dying = {
  ...meta,
  async updateCampaign(...args: Parameters<typeof meta.updateCampaign>) {
    await meta.updateCampaign(...args)
    process.stdout.write('written\n')
    return new Promise<never>(() => {})
  },
}
let queue: JobQueue | undefined
const apply = createApplyChangeJob(
  {
    domain: testDomainDeps({ prisma: db.prisma, meta: dying }),
    notifier: { refreshChangeCard: async () => {} } as unknown as Notifier,
    queue: () => queue!,
  },
  { leaseMs: Number(env('LEASE_MS')), heartbeatMs: Number(env('HEARTBEAT_MS')) },
)
queue = createBullmqQueue({
  redisUrl: env('REDIS_URL'),
  definitions: [apply.definition],
  logger: silentLogger(),
  prefix: env('QUEUE_PREFIX'),
})
await queue.startWorker()
