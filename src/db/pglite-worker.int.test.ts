/**
 * The embedded database as `npm start` opens it: PGlite in a worker thread, on disk, migrated at opening,
 * with the Prisma client talking to it through the forwarding driver adapter.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAdAccount, createCampaign } from '../../test/support/factories.ts'
import { Prisma } from '../generated/prisma/client.ts'
import { type Database, openDatabase } from './database.ts'
import { applyMigrations, defaultMigrationsDir, listMigrationNames, migrationStatus } from './migrate.ts'
import { startPGliteWorker } from './pglite-worker.ts'

describe('the embedded database in a worker thread', () => {
  let scratch: string
  let db: Database
  let workspaceId: string

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'promoly-pglite-worker-'))
    db = await openDatabase({ dataDir: join(scratch, 'data') })
    workspaceId = (await db.prisma.workspace.create({ data: { slackTeamId: 'T-WORKER' } })).id
  })
  afterAll(async () => {
    await db?.close()
    await rm(scratch, { recursive: true, force: true })
  })

  it('applied every migration at opening', async () => {
    expect(db.kind).toBe('pglite')
    await db.ping()
    const rows = await db.prisma.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name`
    expect(rows.map((r) => r.migration_name)).toEqual(await listMigrationNames(defaultMigrationsDir()))
  })

  it('round-trips BigInt money columns beyond 2^53, dates and floats exactly', async () => {
    const big = 9_007_199_254_740_993n
    const account = await createAdAccount(db.prisma, { workspaceId })
    const campaign = await createCampaign(db.prisma, account.id, { dailyBudget: big })
    const date = new Date('2026-03-01T00:00:00Z')
    await db.prisma.campaignDailyMetric.create({
      data: { campaignId: campaign.id, adAccountId: account.id, date, spend: 123_456_789_012_345n, frequency: 1.25 },
    })
    expect((await db.prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).dailyBudget).toBe(big)
    const metric = await db.prisma.campaignDailyMetric.findUniqueOrThrow({ where: { campaignId_date: { campaignId: campaign.id, date } } })
    expect(metric).toMatchObject({ spend: 123_456_789_012_345n, frequency: 1.25 })
    expect(metric.date.toISOString()).toBe('2026-03-01T00:00:00.000Z')
  })

  it("reports PostgreSQL's errors as Prisma's (a duplicate key is P2002)", async () => {
    const duplicate = db.prisma.workspace.create({ data: { slackTeamId: 'T-WORKER' } })
    await expect(duplicate).rejects.toBeInstanceOf(Prisma.PrismaClientKnownRequestError)
    await expect(duplicate).rejects.toMatchObject({ code: 'P2002' })
  })

  it('commits and rolls back interactive transactions, while other queries wait for them', async () => {
    let outside: Promise<{ name: string }> | undefined
    await db.prisma.$transaction(async (tx) => {
      await tx.workspace.update({ where: { id: workspaceId }, data: { name: 'committed' } })
      // A query outside the transaction, issued while it is open, runs after it (and sees the row committed).
      outside = db.prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } })
      await tx.workspace.findUniqueOrThrow({ where: { id: workspaceId } })
    })
    expect((await outside!).name).toBe('committed')
    await expect(
      db.prisma.$transaction(async (tx) => {
        await tx.workspace.update({ where: { id: workspaceId }, data: { name: 'rolled back' } })
        throw new Error('abort')
      }),
    ).rejects.toThrow('abort')
    expect((await db.prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } })).name).toBe('committed')
  })

  it('records a failing migration through the thread, throws, and refuses to continue', async () => {
    const dir = join(scratch, 'failing-migrations')
    await cp(defaultMigrationsDir(), dir, { recursive: true })
    await mkdir(join(dir, '29991231235959_broken'))
    await writeFile(join(dir, '29991231235959_broken', 'migration.sql'), 'ALTER TABLE "Workspace" ADD COLUMN "x" INT;\nSELEC 1;\n')
    const worker = await startPGliteWorker('memory://')
    try {
      const adapterFactory = worker.adapterFactory
      await expect(applyMigrations({ adapterFactory, migrationsDir: dir })).rejects.toThrow(/syntax error at or near "SELEC"/)
      expect((await migrationStatus({ adapterFactory, migrationsDir: dir })).failed).toEqual(['29991231235959_broken'])
      await expect(applyMigrations({ adapterFactory, migrationsDir: dir })).rejects.toThrow(/failed earlier/)
    } finally {
      await worker.close()
    }
  })

  it('keeps its data on disk: closed and reopened, it has the rows and its migrations once each', async () => {
    await db.close()
    await expect(db.prisma.workspace.count()).rejects.toThrow()
    db = await openDatabase({ dataDir: join(scratch, 'data') })
    expect(await db.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: 'T-WORKER' } })).toMatchObject({
      id: workspaceId,
      name: 'committed',
    })
    const rows = await db.prisma.$queryRaw<
      { migration_name: string }[]
    >`SELECT migration_name FROM _prisma_migrations ORDER BY migration_name`
    expect(rows.map((r) => r.migration_name)).toEqual(await listMigrationNames(defaultMigrationsDir()))
  })

  it('fails the opening with the reason when PGlite cannot open its folder', async () => {
    const file = join(scratch, 'not-a-folder')
    await writeFile(file, 'x')
    await expect(startPGliteWorker(join(file, 'pgdata'))).rejects.toThrow(/ENOTDIR/)
  })
})
