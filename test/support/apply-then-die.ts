/**
 * A worker that dies mid-apply, for crash tests: run with tsx and env DATABASE_URL, META_SIM_URL, CHANGE_ID and
 * IDEMPOTENCY_KEY, it applies the change until Meta has accepted the write, prints "written" and then waits for
 * the answer forever (the parent SIGKILLs it there: Meta has the new value, Promoly never heard back).
 */

import { openDatabase } from '../../src/db/database.ts'
import { applyChange } from '../../src/domain/changes/apply-change.ts'
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
await applyChange(testDomainDeps({ prisma: db.prisma, meta: dying }), {
  changeId: env('CHANGE_ID'),
  idempotencyKey: env('IDEMPOTENCY_KEY'),
})
