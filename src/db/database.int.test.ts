/**
 * Against a real PostgreSQL server (TEST_DATABASE_URL, DATABASE_URL or the local default; skipped with a warning
 * when none answers, failing when CI=true). Each run uses its own throwaway database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAdAccount, createCampaign, createWorkspace } from '../../test/support/factories.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../../test/support/test-database.ts'
import { Prisma } from '../generated/prisma/client.ts'
import { migrateDatabase } from './database.ts'
import { defaultMigrationsDir, listMigrationNames } from './migrate.ts'

const serverUrl = requirePostgresUrl()

describe.skipIf(!serverUrl)('database on PostgreSQL', () => {
  let db: TestDatabase
  let adAccountId: string
  let campaignId: string

  beforeAll(async () => {
    db = await createPostgresTestDatabase(serverUrl!)
    const workspace = await createWorkspace(db.prisma)
    adAccountId = (await createAdAccount(db.prisma, { workspaceId: workspace.id })).id
    campaignId = (await createCampaign(db.prisma, adAccountId)).id
  })
  afterAll(async () => {
    await db?.drop()
  })

  it('applied every migration and re-running applies nothing', async () => {
    expect(db.kind).toBe('postgres')
    await db.ping()
    const names = await listMigrationNames(defaultMigrationsDir())
    const rows = await db.prisma.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name`
    expect(rows.map((r) => r.migration_name)).toEqual(names)
    expect(await migrateDatabase({ databaseUrl: db.url })).toEqual({ applied: [] })
  })

  it('round-trips BigInt money columns beyond 2^53 exactly', async () => {
    const big = 9_007_199_254_740_993n // 2^53 + 1: not representable as a JS number
    await db.prisma.campaign.update({ where: { id: campaignId }, data: { dailyBudget: big, lifetimeBudget: 0n } })
    const campaign = await db.prisma.campaign.findUniqueOrThrow({ where: { id: campaignId } })
    expect(campaign.dailyBudget).toBe(big)
    expect(campaign.lifetimeBudget).toBe(0n)

    const date = new Date('2026-03-01T00:00:00Z')
    await db.prisma.campaignDailyMetric.create({
      data: { campaignId, adAccountId, date, spend: 123_456_789_012_345n, purchaseValue: big, frequency: 1.25 },
    })
    const metric = await db.prisma.campaignDailyMetric.findUniqueOrThrow({ where: { campaignId_date: { campaignId, date } } })
    expect(metric).toMatchObject({ spend: 123_456_789_012_345n, purchaseValue: big, impressions: 0n, frequency: 1.25 })
    expect(metric.date.toISOString()).toBe('2026-03-01T00:00:00.000Z')
    const sum = await db.prisma.campaignDailyMetric.aggregate({ where: { campaignId }, _sum: { purchaseValue: true } })
    expect(sum._sum.purchaseValue).toBe(big)
  })

  it('rejects a second metric row for the same (campaignId, date) with P2002, while upsert stays idempotent', async () => {
    const date = new Date('2026-03-02T00:00:00Z')
    await db.prisma.campaignDailyMetric.create({ data: { campaignId, adAccountId, date, clicks: 1n } })
    const duplicate = db.prisma.campaignDailyMetric.create({ data: { campaignId, adAccountId, date, clicks: 2n } })
    await expect(duplicate).rejects.toBeInstanceOf(Prisma.PrismaClientKnownRequestError)
    await expect(duplicate).rejects.toMatchObject({ code: 'P2002' })

    const upsert = (clicks: bigint) =>
      db.prisma.campaignDailyMetric.upsert({
        where: { campaignId_date: { campaignId, date } },
        create: { campaignId, adAccountId, date, clicks },
        update: { clicks },
      })
    await upsert(5n)
    await upsert(5n)
    const rows = await db.prisma.campaignDailyMetric.findMany({ where: { campaignId, date } })
    expect(rows).toHaveLength(1)
    expect(rows[0]?.clicks).toBe(5n)
  })
})
