/**
 * The ad sets and ads migration on a PostgreSQL database holding today's schema and data (campaigns and their
 * campaign-level days): it applies, the campaign history still reads the same, and the first ad-level sync keeps
 * the campaigns' ids, rewrites only the days it fetched (28), leaves the older campaign-level history as it was,
 * records where ad-level data starts (adLevelSince) and marks a campaign Meta no longer returns as DELETED.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { simulatorMetaApi, TEST_ENCRYPTION_KEY, testDomainDeps } from '../../../test/support/domain-deps.ts'
import { requirePostgresUrl } from '../../../test/support/test-database.ts'
import { type Database, migrateDatabase, openDatabase } from '../../db/database.ts'
import { defaultMigrationsDir, listMigrationNames } from '../../db/migrate.ts'
import { type MetaSimulator, startMetaSimulator } from '../../integrations/meta-sim/index.ts'
import { createSecretBox } from '../../lib/crypto.ts'
import { addDays } from '../../lib/dates.ts'
import type { DomainDeps } from '../deps.ts'
import { loadTotals } from '../metrics/load-totals.ts'
import { connectionSecretContext } from '../secrets/stored-secrets.ts'
import { syncAdAccount } from './sync-ad-account.ts'

const serverUrl = requirePostgresUrl()
const NOW = new Date('2026-11-25T15:00:00Z')
const ACT = '555'
const TODAY = '2026-11-25'
/** 60 days of campaign-level history, as the campaign-level sync stored it. */
const HISTORY_FROM = addDays(TODAY, -59)
const WINDOW_FROM = addDays(TODAY, -27)

describe.skipIf(!serverUrl)('the ad sets and ads migration on a database with data', () => {
  let sim: MetaSimulator
  let scratch: string
  let admin: pg.Client
  let dbName: string
  let db: Database
  let url: string

  beforeAll(async () => {
    sim = await startMetaSimulator({
      now: () => NOW,
      accounts: [{ id: ACT, name: 'Before ad level', currency: 'USD', timezoneName: 'UTC', campaigns: 6 }],
    })
    scratch = await mkdtemp(join(tmpdir(), 'promoly-ad-level-'))
    admin = new pg.Client({ connectionString: serverUrl })
    await admin.connect()
    dbName = `promoly_t_adlvl_${Date.now().toString(36)}`
    await admin.query(`CREATE DATABASE "${dbName}"`)
    const u = new URL(serverUrl!)
    u.pathname = `/${dbName}`
    url = u.toString()
  })

  afterAll(async () => {
    await db?.close()
    await admin?.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`)
    await admin?.end()
    await sim?.close()
    await rm(scratch, { recursive: true, force: true })
  })

  it('keeps the campaign history readable, then the first ad-level sync rewrites only the days it fetched', async () => {
    // 1. The schema as it was before the migration.
    const all = await listMigrationNames(defaultMigrationsDir())
    const migration = all.find((n) => n.endsWith('_ad_sets_and_ads'))!
    const before = join(scratch, 'before')
    for (const name of all.slice(0, all.indexOf(migration)))
      await cp(join(defaultMigrationsDir(), name), join(before, name), { recursive: true })
    await cp(join(defaultMigrationsDir(), 'migration_lock.toml'), join(before, 'migration_lock.toml'))
    await migrateDatabase({ databaseUrl: url, migrationsDir: before })

    // 2. Today's data: an account, its campaigns (the simulator's, plus one Meta no longer has), 60 campaign-days each.
    const token = createSecretBox(TEST_ENCRYPTION_KEY).encrypt(sim.accessToken, connectionSecretContext('conn1'))
    const c = new pg.Client({ connectionString: url })
    await c.connect()
    const campaigns = [
      ...sim.state.campaigns(ACT).map((k) => ({ meta: k.id, name: k.name })),
      { meta: '77700001', name: 'Old, gone from Meta' },
    ]
    try {
      await c.query(`INSERT INTO "Workspace" ("id", "slackTeamId", "updatedAt") VALUES ('ws1', 'TMIG', now())`)
      await c.query(
        `INSERT INTO "Client" ("id", "workspaceId", "name", "isDefault", "updatedAt") VALUES ('cl1', 'ws1', 'Ours', true, now())`,
      )
      await c.query(
        `INSERT INTO "MetaConnection" ("id", "workspaceId", "label", "accessTokenEnc", "tokenFingerprint", "updatedAt") VALUES ('conn1', 'ws1', 'sim', $1, 'fp1', now())`,
        [token],
      )
      await c.query(
        `INSERT INTO "AdAccount" ("id", "workspaceId", "connectionId", "clientId", "metaAccountId", "name", "currency", "timezoneName", "lastSyncedAt", "lastSyncedDate", "updatedAt")
         VALUES ('acc1', 'ws1', 'conn1', 'cl1', 'act_${ACT}', 'Before ad level', 'USD', 'UTC', $1, $2, now())`,
        [NOW, addDays(TODAY, -1)],
      )
      for (const [i, k] of campaigns.entries()) {
        await c.query(
          `INSERT INTO "Campaign" ("id", "adAccountId", "metaCampaignId", "name", "objective", "status", "effectiveStatus", "updatedAt")
           VALUES ($1, 'acc1', $2, $3, 'OUTCOME_LEADS', 'ACTIVE', 'ACTIVE', now())`,
          [`camp${i}`, k.meta, k.name],
        )
        await c.query(
          `INSERT INTO "CampaignDailyMetric" ("campaignId", "adAccountId", "date", "impressions", "reach", "spend", "leads")
           SELECT $1, 'acc1', d::date, 1000, 800, 5000 + $2, 3 FROM generate_series($3::date, $4::date, interval '1 day') d`,
          [`camp${i}`, i, HISTORY_FROM, k.meta.startsWith('777') ? addDays(WINDOW_FROM, -1) : TODAY],
        )
      }
    } finally {
      await c.end()
    }

    // 3. The migration (openDatabase applies what is pending), and the history reads as before.
    db = await openDatabase({ databaseUrl: url })
    const deps: DomainDeps = {
      ...testDomainDeps({ prisma: db.prisma, meta: simulatorMetaApi(sim, { sleep: async () => {} }), now: () => NOW }),
      sync: { sleep: async () => {} },
    }
    const account = await db.prisma.adAccount.findUniqueOrThrow({ where: { id: 'acc1' } })
    expect(account).toMatchObject({ adLevelSince: null, syncGaps: [] })
    expect(await db.prisma.campaign.count({ where: { seenAt: null } })).toBe(campaigns.length)
    const oldRange = { since: HISTORY_FROM, until: addDays(WINDOW_FROM, -1) }
    const oldTotals = await loadTotals(db.prisma, { adAccountId: 'acc1' }, oldRange, 'USD')
    expect(oldTotals).toMatchObject({ impressions: 1000 * 32 * campaigns.length, leads: 3 * 32 * campaigns.length })

    // 4. The first ad-level sync: 28 days, whatever lastSyncedDate says.
    const r = await syncAdAccount(deps, { adAccountId: 'acc1' })
    expect(r).toMatchObject({ since: WINDOW_FROM, until: TODAY, gaps: [] })
    const after = await db.prisma.adAccount.findUniqueOrThrow({ where: { id: 'acc1' } })
    expect(after.adLevelSince?.toISOString().slice(0, 10)).toBe(WINDOW_FROM)
    // Same campaign rows (ids kept), now seen on Meta; the one Meta no longer returns is DELETED, its history kept.
    const stored = await db.prisma.campaign.findMany({ where: { adAccountId: 'acc1' }, orderBy: { id: 'asc' } })
    expect(stored.filter((k) => k.id.startsWith('camp')).map((k) => k.metaCampaignId)).toEqual(campaigns.map((k) => k.meta))
    const gone = stored.find((k) => k.metaCampaignId === '77700001')!
    expect([gone.status, gone.effectiveStatus, gone.seenAt]).toEqual(['DELETED', 'DELETED', null])
    // Days before adLevelSince are untouched campaign-level history.
    expect(await loadTotals(db.prisma, { adAccountId: 'acc1' }, oldRange, 'USD')).toEqual(oldTotals)
    // Days from adLevelSince on are the sum of their ads.
    const window = { since: WINDOW_FROM, until: TODAY }
    const campaignSide = await loadTotals(db.prisma, { adAccountId: 'acc1' }, window, 'USD')
    const ads = await db.prisma.adDailyMetric.aggregate({
      where: { adAccountId: 'acc1', date: { gte: new Date(`${WINDOW_FROM}T00:00:00Z`) } },
      _sum: { spend: true, impressions: true, leads: true },
    })
    expect([campaignSide.spend, campaignSide.impressions, campaignSide.leads]).toEqual([
      Number(ads._sum.spend),
      Number(ads._sum.impressions),
      Number(ads._sum.leads),
    ])
    expect(campaignSide.impressions).not.toBe(1000 * 28 * (campaigns.length - 1))
  })
})
