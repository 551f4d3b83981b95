/**
 * Applies `prisma/migrations/<name>/migration.sql` through Prisma's Wasm schema engine: the same folder layout,
 * checksums and `_prisma_migrations` table as `prisma migrate deploy`, which cannot run offline.
 */
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Logger } from '../lib/logger.ts'
import {
  type DiagnoseMigrationHistoryOutput,
  type EngineLog,
  type MigrationList,
  NO_FILTERS,
  type SchemaEngine,
  type SqlMigrationAwareDriverAdapterFactory,
  withSchemaEngine,
} from './schema-engine.ts'

export const MIGRATION_FILE = 'migration.sql'
export const LOCKFILE = 'migration_lock.toml'

/** The folder holding package.json, found by walking up from this file (works from src/ and from dist/). */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`No package.json found above ${from}`)
    dir = parent
  }
  return dir
}

export function defaultMigrationsDir(): string {
  return join(packageRoot(), 'prisma', 'migrations')
}

/** Migration folder names (those holding a migration.sql), oldest first. */
export async function listMigrationNames(migrationsDir: string): Promise<string[]> {
  if (!existsSync(migrationsDir)) return []
  const entries = await readdir(migrationsDir, { withFileTypes: true })
  return entries
    .filter((e) => e.isDirectory() && existsSync(join(migrationsDir, e.name, MIGRATION_FILE)))
    .map((e) => e.name)
    .sort()
}

/** The migrations folder in the shape the schema engine expects. */
async function readMigrationsList(migrationsDir: string): Promise<MigrationList> {
  const baseDir = resolve(migrationsDir)
  const lockPath = join(baseDir, LOCKFILE)
  const names = await listMigrationNames(baseDir)
  return {
    baseDir,
    lockfile: { path: LOCKFILE, content: existsSync(lockPath) ? await readFile(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      names.map(async (name) => ({
        path: name,
        migrationFile: {
          path: MIGRATION_FILE,
          content: { tag: 'ok' as const, value: await readFile(join(baseDir, name, MIGRATION_FILE), 'utf8') },
        },
      })),
    ),
  }
}

export interface MigrateOptions {
  /** A Prisma driver adapter factory, e.g. `new PrismaPg({ connectionString })` or `new PrismaPGlite(pglite)`. */
  adapterFactory: SqlMigrationAwareDriverAdapterFactory
  /** Defaults to `<package root>/prisma/migrations`. */
  migrationsDir?: string
  logger?: Logger
}

export interface MigrationStatus {
  /** Migrations in the folder, oldest first. */
  migrations: string[]
  /** In the folder, not yet applied to the database. */
  pending: string[]
  /** Applied to the database, but missing from the folder (the database is ahead of this code). */
  unknownToFolder: string[]
  /** Applied, but the migration.sql changed since (checksum mismatch). */
  edited: string[]
  /** Recorded as failed in `_prisma_migrations`: needs a manual fix. */
  failed: string[]
  hasMigrationsTable: boolean
  upToDate: boolean
}

function engineLogger(logger?: Logger): EngineLog {
  return (line: string) => {
    if (!logger) return
    try {
      const entry = JSON.parse(line) as { level?: string; fields?: { message?: string }; target?: string }
      const msg = `schema engine: ${entry.fields?.message ?? line}`
      if (entry.level === 'ERROR' || entry.level === 'WARN') logger.warn({ target: entry.target }, msg)
      else logger.debug({ target: entry.target }, msg)
    } catch {
      logger.debug(`schema engine: ${line}`)
    }
  }
}

function toStatus(migrations: string[], d: DiagnoseMigrationHistoryOutput): MigrationStatus {
  const h = d.history
  const pending = !d.hasMigrationsTable
    ? migrations
    : h?.diagnostic === 'databaseIsBehind' || h?.diagnostic === 'historiesDiverge'
      ? h.unappliedMigrationNames
      : []
  const unknownToFolder =
    h?.diagnostic === 'migrationsDirectoryIsBehind' || h?.diagnostic === 'historiesDiverge' ? h.unpersistedMigrationNames : []
  const edited = d.editedMigrationNames
  const failed = d.failedMigrationNames
  return {
    migrations,
    pending,
    unknownToFolder,
    edited,
    failed,
    hasMigrationsTable: d.hasMigrationsTable,
    upToDate: pending.length === 0 && unknownToFolder.length === 0 && edited.length === 0 && failed.length === 0,
  }
}

function diagnose(engine: SchemaEngine, list: MigrationList): Promise<DiagnoseMigrationHistoryOutput> {
  return engine.diagnoseMigrationHistory({ migrationsList: list, optInToShadowDatabase: false, filters: NO_FILTERS })
}

/** Compares the migrations folder with the database's `_prisma_migrations` table. Changes nothing. */
export async function migrationStatus(opts: MigrateOptions): Promise<MigrationStatus> {
  const list = await readMigrationsList(opts.migrationsDir ?? defaultMigrationsDir())
  const names = list.migrationDirectories.map((m) => m.path)
  const d = await withSchemaEngine(opts.adapterFactory, (engine) => diagnose(engine, list), engineLogger(opts.logger))
  return toStatus(names, d)
}

/**
 * Applies every migration not yet recorded in `_prisma_migrations`, oldest first. Idempotent. Throws, changing
 * nothing, when an applied migration was edited or a previous run left a failed one; throws when a migration's
 * SQL fails (the failure is recorded, as `prisma migrate deploy` does).
 */
export async function applyMigrations(opts: MigrateOptions): Promise<{ applied: string[] }> {
  const migrationsDir = opts.migrationsDir ?? defaultMigrationsDir()
  const list = await readMigrationsList(migrationsDir)
  const names = list.migrationDirectories.map((m) => m.path)
  const log = opts.logger
  const started = Date.now()
  const applied = await withSchemaEngine(
    opts.adapterFactory,
    async (engine) => {
      const status = toStatus(names, await diagnose(engine, list))
      if (status.failed.length > 0) {
        throw new Error(
          `Migration(s) ${status.failed.join(', ')} failed earlier and are marked failed in _prisma_migrations. ` +
            'Fix the database by hand, then mark them rolled back (or applied) before migrating again.',
        )
      }
      if (status.edited.length > 0) {
        throw new Error(
          `Migration(s) ${status.edited.join(', ')} were changed after they were applied (checksum mismatch). ` +
            `Restore the original migration.sql in ${migrationsDir} and put the change in a new migration instead.`,
        )
      }
      if (status.unknownToFolder.length > 0) {
        log?.warn(
          { migrations: status.unknownToFolder },
          'The database has migrations that this code does not know (is it older than the database?)',
        )
      }
      if (status.pending.length === 0) return []
      const out = await engine.applyMigrations({ migrationsList: list, filters: NO_FILTERS })
      return out.appliedMigrationNames
    },
    engineLogger(log),
  )
  log?.info({ applied, ms: Date.now() - started }, applied.length ? 'Applied migrations' : 'Database schema is up to date')
  return { applied }
}
