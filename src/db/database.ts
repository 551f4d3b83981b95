/**
 * Opens Promoly's database: PostgreSQL when a URL is given (@prisma/adapter-pg), otherwise embedded PGlite
 * (PostgreSQL in Wasm, in a worker thread: see pglite-worker.ts) with its files under `<dataDir>/pgdata`.
 * Migrations run before the client is handed out, unless told otherwise. The embedded database's modules are
 * imported only when it is opened (pglite-database.ts), so a process on PostgreSQL does not carry them.
 */
import { join } from 'node:path'
import { PrismaPg } from '@prisma/adapter-pg'
import pg from 'pg'
import { PrismaClient } from '../generated/prisma/client.ts'
import { lockDataDir } from '../lib/data-dir-lock.ts'
import type { Logger } from '../lib/logger.ts'
import { ensurePrivateDir } from '../lib/private-dir.ts'
import type { Database } from './database-handle.ts'
import { makeDatabase } from './database-handle.ts'
import { applyMigrations } from './migrate.ts'

export type { Database } from './database-handle.ts'

export interface DatabaseLocation {
  /** A PostgreSQL URL (`postgresql://user:pass@host:5432/db`, optional `?schema=name`). Wins over dataDir. */
  databaseUrl?: string
  /** Folder for the embedded database (PGlite files go to `<dataDir>/pgdata`), or `memory://` for a throwaway one. */
  dataDir?: string
  logger?: Logger
  /** Defaults to `<package root>/prisma/migrations`. */
  migrationsDir?: string
}

export interface OpenDatabaseOptions extends DatabaseLocation {
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean
}

const MEMORY_DATA_DIR = 'memory://'

/**
 * Where PGlite keeps its files for a Promoly data folder; creates (or tightens) the folder and `pgdata`
 * readable by their owner only (0700). The encryption key file lives beside pgdata, never inside it.
 */
function pgliteDataPath(dataDir: string): string {
  if (dataDir.startsWith(MEMORY_DATA_DIR)) return dataDir
  ensurePrivateDir(dataDir, { tighten: true })
  const path = join(dataDir, 'pgdata')
  ensurePrivateDir(path, { tighten: true })
  return path
}

/**
 * Takes an on-disk data folder for this process (see data-dir-lock.ts: waits up to ~25 s for a lock whose
 * holder may have just died); nothing to take for `memory://`.
 */
async function lockEmbedded(dataDir: string, logger: Logger | undefined): Promise<() => void> {
  if (dataDir.startsWith(MEMORY_DATA_DIR)) return () => {}
  return lockDataDir(dataDir, { onWaiting: (message) => logger?.warn(message) })
}

function postgresAdapter(connection: string | pg.Pool, databaseUrl: string): PrismaPg {
  const schema = new URL(databaseUrl).searchParams.get('schema') ?? undefined
  return new PrismaPg(typeof connection === 'string' ? { connectionString: connection } : connection, { schema })
}

/** Applies migrations to a PostgreSQL URL or a PGlite data folder without building a Prisma client. */
export async function migrateDatabase(opts: DatabaseLocation): Promise<{ applied: string[] }> {
  const { logger, migrationsDir } = opts
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 2 })
    try {
      return await applyMigrations({ adapterFactory: postgresAdapter(pool, opts.databaseUrl), migrationsDir, logger })
    } finally {
      await pool.end()
    }
  }
  const dataDir = requireDataDir(opts)
  const path = pgliteDataPath(dataDir)
  const unlock = await lockEmbedded(dataDir, logger)
  try {
    const { PGlite } = await import('@electric-sql/pglite')
    const { pgliteMigrationAdapter } = await import('./pglite-database.ts')
    const pglite = await PGlite.create({ dataDir: path })
    try {
      return await applyMigrations({ adapterFactory: pgliteMigrationAdapter(pglite), migrationsDir, logger })
    } finally {
      await pglite.close()
    }
  } finally {
    unlock()
  }
}

function requireDataDir(opts: DatabaseLocation): string {
  if (!opts.dataDir) throw new Error('Set DATABASE_URL (PostgreSQL) or a data folder for the embedded database')
  return opts.dataDir
}

export async function openDatabase(opts: OpenDatabaseOptions = {}): Promise<Database> {
  if (opts.databaseUrl) {
    if (opts.migrate ?? true) await migrateDatabase(opts)
    const prisma = new PrismaClient({ adapter: postgresAdapter(opts.databaseUrl, opts.databaseUrl) })
    return makeDatabase(prisma, 'postgres', async () => {})
  }
  const dataDir = requireDataDir(opts)
  const dataPath = pgliteDataPath(dataDir)
  const unlock = await lockEmbedded(dataDir, opts.logger)
  const started = Date.now()
  // Imported here: a process on PostgreSQL never loads PGlite (its Wasm and driver adapter weigh some 40 MB of RSS).
  const { startPGliteWorker } = await import('./pglite-worker.ts')
  let worker: Awaited<ReturnType<typeof startPGliteWorker>> | undefined
  try {
    // In its own thread, so that executing SQL never holds up the event loop (and Slack's acks with it).
    worker = await startPGliteWorker(dataPath)
    opts.logger?.debug({ dataDir: dataPath, ms: Date.now() - started }, 'Embedded database (PGlite) opened in a worker thread')
    if (opts.migrate ?? true)
      await applyMigrations({ adapterFactory: worker.adapterFactory, migrationsDir: opts.migrationsDir, logger: opts.logger })
  } catch (error) {
    await worker?.close()
    unlock()
    throw error
  }
  const opened = worker
  const prisma = new PrismaClient({ adapter: opened.adapterFactory })
  return makeDatabase(prisma, 'pglite', () => opened.close().finally(unlock))
}
