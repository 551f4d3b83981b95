/**
 * Keeps prisma/schema.prisma and prisma/migrations in step. If this fails after a schema change, run
 * `npm run db:migrate:create -- <name>`; never edit a migration that was already committed.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPGliteTestDatabase } from '../../test/support/test-database.ts'
import type { Database } from './database.ts'
import { applyMigrations, defaultMigrationsDir, listMigrationNames, migrationStatus, packageRoot } from './migrate.ts'
import { openPGliteDatabase, pgliteMigrationAdapter } from './pglite-database.ts'
import { diffSchemas } from './schema-engine.ts'

const migrationsDir = defaultMigrationsDir()
/**
 * A migration may hold hand-written SQL (a data backfill) between `-- hand-written: begin` and `-- hand-written: end`,
 * and keep a generated statement it replaces as a `-- generated: …` comment: the rest must be exactly Prisma's diff.
 */
const generatedPart = (sql: string) =>
  sql.replace(/^-- hand-written: begin$[\s\S]*?^-- hand-written: end$/gm, '').replace(/^-- generated: /gm, '')
const normalise = (sql: string) => generatedPart(sql).replace(/\s+/g, ' ').trim()
const read = (...parts: string[]) => readFile(join(...parts), 'utf8')

describe('schema.prisma and prisma/migrations', () => {
  it('has at least one migration, each with its schema snapshot', async () => {
    const names = await listMigrationNames(migrationsDir)
    expect(names.length).toBeGreaterThan(0)
    for (const name of names) await expect(read(migrationsDir, name, 'schema.prisma')).resolves.toContain('model ')
  })

  it('the newest snapshot equals the current schema (else: npm run db:migrate:create -- <name>)', async () => {
    const names = await listMigrationNames(migrationsDir)
    const snapshot = await read(migrationsDir, names.at(-1)!, 'schema.prisma')
    const current = await read(packageRoot(), 'prisma', 'schema.prisma')
    expect(await diffSchemas(snapshot, current)).toBe('')
  })

  it('every migration.sql is exactly the diff between its snapshot and the previous one', async () => {
    let previous: string | null = null
    for (const name of await listMigrationNames(migrationsDir)) {
      const snapshot = await read(migrationsDir, name, 'schema.prisma')
      const expected = await diffSchemas(previous, snapshot)
      expect(normalise(await read(migrationsDir, name, 'migration.sql')), name).toBe(normalise(expected))
      previous = snapshot
    }
  })
})

describe('applying the migrations to a fresh PGlite database', () => {
  let pglite: PGlite
  let db: Database
  let names: string[]

  beforeAll(async () => {
    names = await listMigrationNames(migrationsDir)
    pglite = await PGlite.create({ dataDir: 'memory://' })
    db = await openPGliteDatabase(pglite, { migrate: false })
  })
  afterAll(async () => {
    await db?.close()
  })

  it('applies every migration once, then nothing (idempotent)', async () => {
    const adapterFactory = pgliteMigrationAdapter(pglite)
    expect((await migrationStatus({ adapterFactory })).pending).toEqual(names)
    expect(await applyMigrations({ adapterFactory })).toEqual({ applied: names })
    expect(await applyMigrations({ adapterFactory })).toEqual({ applied: [] })
    const status = await migrationStatus({ adapterFactory })
    expect(status).toMatchObject({ upToDate: true, pending: [], edited: [], failed: [], hasMigrationsTable: true })
    const rows = await pglite.query<{ migration_name: string }>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name',
    )
    expect(rows.rows.map((r) => r.migration_name)).toEqual(names)
  })

  it('the generated client can write and read a Workspace', async () => {
    const created = await db.prisma.workspace.create({ data: { slackTeamId: 'T-DRIFT', name: 'Acme' } })
    const found = await db.prisma.workspace.findUnique({ where: { slackTeamId: 'T-DRIFT' } })
    expect(found).toMatchObject({ id: created.id, name: 'Acme', firstChannelId: null })
    await db.ping()
  })
})

describe('migration safety', () => {
  let scratch: string
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'promoly-migrations-'))
  })
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true })
  })

  async function copyOfMigrations(label: string): Promise<string> {
    const dir = join(scratch, label)
    await cp(migrationsDir, dir, { recursive: true })
    return dir
  }

  it('refuses to run when an applied migration was edited', async () => {
    const db = await createPGliteTestDatabase()
    try {
      const dir = await copyOfMigrations('edited')
      const [first] = await listMigrationNames(dir)
      await writeFile(join(dir, first!, 'migration.sql'), `${await read(dir, first!, 'migration.sql')}\n-- edited\n`)
      const adapterFactory = pgliteMigrationAdapter(db.pglite)
      await expect(applyMigrations({ adapterFactory, migrationsDir: dir })).rejects.toThrow(/changed after they were applied/)
      expect((await migrationStatus({ adapterFactory, migrationsDir: dir })).edited).toEqual([first])
    } finally {
      await db.drop()
    }
  })

  it('the clients migration keeps existing ad accounts: each workspace gets a default client that owns them', async () => {
    const pglite = await PGlite.create({ dataDir: 'memory://' })
    try {
      const dir = await copyOfMigrations('clients')
      const names = await listMigrationNames(dir)
      const clients = names.find((n) => n.endsWith('_clients'))!
      const later = names.slice(names.indexOf(clients))
      const held = join(scratch, 'clients-held')
      await mkdir(held, { recursive: true })
      for (const name of later) await cp(join(dir, name), join(held, name), { recursive: true })
      for (const name of later) await rm(join(dir, name), { recursive: true })
      const adapterFactory = pgliteMigrationAdapter(pglite)
      await applyMigrations({ adapterFactory, migrationsDir: dir })
      await pglite.exec(`
        INSERT INTO "Workspace" ("id", "slackTeamId", "name", "suggestionsChannelId", "updatedAt") VALUES ('w1', 'T1', 'Agency', 'C1', now()), ('w2', 'T2', '', NULL, now());
        INSERT INTO "MetaConnection" ("id", "workspaceId", "label", "accessTokenEnc", "tokenFingerprint", "updatedAt") VALUES ('m1', 'w1', 'x', 'x', 'f1', now());
        INSERT INTO "AdAccount" ("id", "workspaceId", "connectionId", "metaAccountId", "name", "currency", "timezoneName", "updatedAt")
          VALUES ('a1', 'w1', 'm1', 'act_1', 'Acme', 'EUR', 'UTC', now()), ('a2', 'w1', 'm1', 'act_2', 'Globex', 'USD', 'UTC', now());`)
      for (const name of later) await cp(join(held, name), join(dir, name), { recursive: true })
      await applyMigrations({ adapterFactory, migrationsDir: dir })
      const rows = await pglite.query<{ name: string; isDefault: boolean; suggestionsChannelId: string | null; accounts: number }>(
        `SELECT c."name", c."isDefault", c."suggestionsChannelId", count(a."id")::int AS accounts
         FROM "Client" c LEFT JOIN "AdAccount" a ON a."clientId" = c."id" GROUP BY c."id" ORDER BY c."name"`,
      )
      expect(rows.rows).toEqual([
        { name: 'Agency', isDefault: true, suggestionsChannelId: 'C1', accounts: 2 },
        { name: 'Our accounts', isDefault: true, suggestionsChannelId: null, accounts: 0 },
      ])
      // The old suggestions channel is bound to the default client that now posts there.
      const bound = await pglite.query<{ channelId: string; name: string }>(
        `SELECT b."channelId", c."name" FROM "ClientChannel" b JOIN "Client" c ON c."id" = b."clientId"`,
      )
      expect(bound.rows).toEqual([{ channelId: 'C1', name: 'Agency' }])
    } finally {
      await pglite.close()
    }
  })

  it('records a failing migration, throws, and refuses to continue until it is resolved', async () => {
    const db = await createPGliteTestDatabase()
    try {
      const dir = await copyOfMigrations('failing')
      await mkdir(join(dir, '29991231235959_broken'))
      await writeFile(join(dir, '29991231235959_broken', 'migration.sql'), 'ALTER TABLE "Workspace" ADD COLUMN "x" INT;\nSELEC 1;\n')
      const adapterFactory = pgliteMigrationAdapter(db.pglite)
      await expect(applyMigrations({ adapterFactory, migrationsDir: dir })).rejects.toThrow(/syntax error at or near "SELEC"/)
      expect((await migrationStatus({ adapterFactory, migrationsDir: dir })).failed).toEqual(['29991231235959_broken'])
      await expect(applyMigrations({ adapterFactory, migrationsDir: dir })).rejects.toThrow(/failed earlier/)
    } finally {
      await db.drop()
    }
  })
})
