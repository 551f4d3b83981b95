/**
 * Child of the ack-latency bench: Promoly (HTTP receiver, in-process queue, Meta simulator) alone in its
 * process, on a fresh database (BENCH_DATABASE=pglite|postgres), once the simulated accounts are synced.
 * The embedded database is opened as `npm start` opens it: on disk, in a temporary data folder.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../../src/config/env.ts'
import { type Database, openDatabase } from '../../src/db/database.ts'
import { silentLogger } from '../../src/lib/logger.ts'
import { startPromoly } from '../../src/main.ts'
import { freePort, waitUntil } from '../../test/support/net.ts'
import { createPostgresTestDatabase, postgresServerUrl } from '../../test/support/test-database.ts'
import { parentEnv, reportStartupError, serveParent, toParent } from './protocol.ts'

try {
  const db: Database & { drop(): Promise<void> } =
    process.env.BENCH_DATABASE === 'postgres' ? await createPostgresTestDatabase(postgresServerUrl().url) : await embedded()
  const port = await freePort()
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: parentEnv('BENCH_SIGNING_SECRET'),
    SLACK_API_URL: parentEnv('BENCH_SLACK_API_URL'),
    PORT: String(port),
    ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
    META_SIMULATOR: '1',
  })
  const promoly = await startPromoly(config, { database: db, logger: silentLogger() })
  // Wait for the embedded workspace to be connected and synced, so `campaigns` has data.
  await waitUntil(
    'the simulated accounts are synced',
    async () => (await db.prisma.adAccount.count({ where: { lastSyncedAt: { not: null } } })) >= 5,
    120_000,
  )
  await promoly.queue.drain(120_000)
  const campaigns = await db.prisma.campaign.count()
  const active = await db.prisma.campaign.count({ where: { status: 'ACTIVE' } })
  const profile = await startProfile()
  serveParent({}, async () => {
    await profile?.()
    await promoly.stop()
    await db.drop()
  })
  toParent({ type: 'ready', endpoint: `http://127.0.0.1:${port}/slack/events`, kind: db.kind, campaigns, active })
} catch (err) {
  reportStartupError(err)
}

/** BENCH_CPU_PROF_DIR=<dir>: a CPU profile of the measured part (from ready to stop) is written there. */
async function startProfile(): Promise<(() => Promise<void>) | undefined> {
  const dir = process.env.BENCH_CPU_PROF_DIR
  if (!dir) return undefined
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: 200 })
  await session.post('Profiler.start')
  return async () => {
    const { profile } = await session.post('Profiler.stop')
    writeFileSync(join(dir, `promoly-${process.env.BENCH_DATABASE}-${process.pid}.cpuprofile`), JSON.stringify(profile))
    session.disconnect()
  }
}

async function embedded(): Promise<Database & { drop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'promoly-bench-'))
  const db = await openDatabase({ dataDir })
  return {
    ...db,
    drop: async () => {
      await db.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
