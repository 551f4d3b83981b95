/**
 * Fresh, migrated databases for tests.
 *
 * - `createTestDatabase()`: on the PostgreSQL server named by TEST_DATABASE_URL or DATABASE_URL, a new database
 *   per call (dropped by `drop()`); without either, an in-memory PGlite restored from a migrated template (~0.4 s).
 * - `requirePostgresUrl()` / `postgresAvailable()`: for tests that need a real server. The server URL comes from
 *   TEST_DATABASE_URL, else DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/postgres. When it does not
 *   answer, tests skip with a warning, except when CI=true: then a missing server is an error.
 */
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { type Database, openDatabase } from '../../src/db/database.ts'
import { applyMigrations, packageRoot } from '../../src/db/migrate.ts'
import { openPGliteDatabase, pgliteMigrationAdapter } from '../../src/db/pglite-database.ts'

export type TestDatabase = Database & { url?: string; drop(): Promise<void> }

const DEFAULT_POSTGRES_URL = 'postgresql://postgres@127.0.0.1:5432/postgres'
const PROBE_TIMEOUT_MS = 3000

/** The PostgreSQL server tests would use, and where that choice came from. */
export function postgresServerUrl(): { url: string; source: string } {
  if (process.env.TEST_DATABASE_URL) return { url: process.env.TEST_DATABASE_URL, source: 'TEST_DATABASE_URL' }
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, source: 'DATABASE_URL' }
  return { url: DEFAULT_POSTGRES_URL, source: 'the default' }
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return '(unparseable URL)'
  }
}

/** CI=true: a missing server fails the run. Otherwise: one loud warning, and the caller skips. */
function unavailable(url: string, source: string, reason: string): undefined {
  const message = `PostgreSQL at ${redactUrl(url)} (from ${source}) does not answer: ${reason}`
  if (process.env.CI === 'true') throw new Error(`${message}. CI=true requires a real PostgreSQL server.`)
  console.warn(`\n⚠️  ${message}\n⚠️  SKIPPING the tests that need a real PostgreSQL server.\n`)
  return undefined
}

let syncProbe: { url: string | undefined } | undefined

/**
 * The server URL if it answers (checked once per process, synchronously, so it can gate `describe.skipIf`);
 * undefined (after a warning) if not; throws when CI=true and it does not answer.
 */
export function requirePostgresUrl(): string | undefined {
  if (syncProbe) return syncProbe.url
  const { url, source } = postgresServerUrl()
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `const pg = require('pg'); const c = new pg.Client({ connectionString: process.env.PROBE_URL, connectionTimeoutMillis: ${PROBE_TIMEOUT_MS} });
       c.connect().then(() => c.query('SELECT 1')).then(() => c.end()).then(() => process.exit(0), (e) => { console.error(e.message); process.exit(1) })`,
    ],
    { cwd: packageRoot(), env: { ...process.env, PROBE_URL: url }, encoding: 'utf8', timeout: PROBE_TIMEOUT_MS + 2000 },
  )
  const ok = probe.status === 0
  syncProbe = { url: ok ? url : unavailable(url, source, probe.stderr.trim() || probe.error?.message || 'timed out') }
  return syncProbe.url
}

let asyncProbe: Promise<boolean> | undefined

/** Whether the test PostgreSQL server answers (same policy as requirePostgresUrl, without blocking). */
export function postgresAvailable(): Promise<boolean> {
  if (syncProbe) return Promise.resolve(syncProbe.url !== undefined)
  asyncProbe ??= (async () => {
    const { url, source } = postgresServerUrl()
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: PROBE_TIMEOUT_MS })
    try {
      await client.connect()
      await client.query('SELECT 1')
      return true
    } catch (error) {
      return unavailable(url, source, (error as Error).message) ?? false
    } finally {
      await client.end().catch(() => {})
    }
  })()
  return asyncProbe
}

async function onServer<T>(serverUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** A new, migrated database `promoly_t_<random>` on the server at `serverUrl`; `drop()` removes it. */
export async function createPostgresTestDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `promoly_t_${randomBytes(6).toString('hex')}`
  await onServer(serverUrl, (c) => c.query(`CREATE DATABASE "${name}"`))
  const u = new URL(serverUrl)
  u.pathname = `/${name}`
  const url = u.toString()
  let db: Database
  try {
    db = await openDatabase({ databaseUrl: url })
  } catch (error) {
    await onServer(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))
    throw error
  }
  let dropping: Promise<void> | undefined
  return {
    ...db,
    url,
    drop() {
      dropping ??= db
        .close()
        .then(() => onServer(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)))
        .then(() => undefined)
      return dropping
    },
  }
}

let template: Promise<Blob> | undefined

/** A dump of an in-memory PGlite with every migration applied, made once per process. */
function migratedTemplate(): Promise<Blob> {
  template ??= (async () => {
    const pglite = await PGlite.create({ dataDir: 'memory://' })
    try {
      await applyMigrations({ adapterFactory: pgliteMigrationAdapter(pglite) })
      return await pglite.dumpDataDir('none')
    } finally {
      await pglite.close()
    }
  })()
  template.catch(() => {
    template = undefined
  })
  return template
}

/** A fresh in-memory PGlite database restored from the migrated template. */
export async function createPGliteTestDatabase(): Promise<TestDatabase & { pglite: PGlite }> {
  const pglite = await PGlite.create({ loadDataDir: await migratedTemplate() })
  const db = await openPGliteDatabase(pglite, { migrate: false })
  return { ...db, pglite, drop: () => db.close() }
}

/** A fresh, migrated database: PostgreSQL when TEST_DATABASE_URL or DATABASE_URL is set, PGlite otherwise. */
export function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL
  return serverUrl ? createPostgresTestDatabase(serverUrl) : createPGliteTestDatabase()
}
