/**
 * A workspace for agent tests and the agent bench, in a fresh migrated database handed in by the caller
 * (test/support/test-database.ts): the Meta simulator behind a real Graph client (so proposals can check
 * Meta's minimum budget, and tests can assert that nothing was written), a default connection to one USD
 * ad account, and campaigns with daily metrics seeded directly through Prisma so every figure is known.
 */

import type { Database } from '../../src/db/database.ts'
import { ensureDefaultConnection } from '../../src/domain/connections/ensure-default-connection.ts'
import type { DomainDeps } from '../../src/domain/deps.ts'
import type { AdAccount, Campaign, PrismaClient } from '../../src/generated/prisma/client.ts'
import { type MetaSimulator, startMetaSimulator } from '../../src/integrations/meta-sim/index.ts'
import { addDays, localDate, toDbDate } from '../../src/lib/dates.ts'
import { simulatorMetaApi, testDomainDeps } from './domain-deps.ts'

/** 15:00 UTC: 10:00 in New York, so "yesterday" there is 2026-11-24. */
const FIXTURE_NOW = new Date('2026-11-25T15:00:00Z')

export interface DayFigures {
  impressions: number
  clicks: number
  /** Minor units (cents). */
  spend: number
  leads?: number
  purchases?: number
}

export interface SeedCampaign {
  name: string
  metaCampaignId: string
  objective?: string
  status?: 'ACTIVE' | 'PAUSED'
  /** Minor units; null = budgets on ad sets. */
  dailyBudget?: number | null
  /** Figures per day by days ago (1 = yesterday … n); days not returned have no row. */
  day: (daysAgo: number) => DayFigures | null
  days?: number
}

/** A migrated database the fixture may drop when done (test/support/test-database.ts makes these). */
export type FixtureDatabase = Database & { drop(): Promise<void> }

export interface AgentFixture {
  db: FixtureDatabase
  sim: MetaSimulator
  deps: DomainDeps
  workspaceId: string
  account: AdAccount
  seedCampaign(spec: SeedCampaign): Promise<Campaign>
  close(): Promise<void>
}

export async function createAgentFixture(db: FixtureDatabase, options: { now?: () => Date } = {}): Promise<AgentFixture> {
  const now = options.now ?? (() => FIXTURE_NOW)
  const sim = await startMetaSimulator({
    now,
    accounts: [{ id: '111222333444', name: 'Sunrise Bakery', currency: 'USD', timezoneName: 'America/New_York', campaigns: 1 }],
  })
  const deps = testDomainDeps({
    prisma: db.prisma,
    meta: simulatorMetaApi(sim, { sleep: async () => {}, maxWaitMs: 0, maxAttempts: 1 }),
    now,
  })
  const workspaceId = (await db.prisma.workspace.create({ data: { slackTeamId: `TAGENT${Math.random().toString(36).slice(2, 8)}` } })).id
  const [account] = await ensureDefaultConnection(deps, workspaceId, { token: sim.accessToken, label: 'Simulator' })
  return {
    db,
    sim,
    deps,
    workspaceId,
    account: account!,
    seedCampaign: (spec) => seedCampaign(db.prisma, account!, now(), spec),
    async close() {
      await db.drop()
      await sim.close()
    },
  }
}

async function seedCampaign(prisma: PrismaClient, account: AdAccount, now: Date, spec: SeedCampaign): Promise<Campaign> {
  const campaign = await prisma.campaign.create({
    data: {
      adAccountId: account.id,
      metaCampaignId: spec.metaCampaignId,
      name: spec.name,
      objective: spec.objective ?? 'OUTCOME_LEADS',
      status: spec.status ?? 'ACTIVE',
      effectiveStatus: spec.status ?? 'ACTIVE',
      dailyBudget: spec.dailyBudget === null ? null : BigInt(spec.dailyBudget ?? 5_000),
    },
  })
  const today = localDate(now, account.timezoneName)
  const rows = []
  for (let ago = 1; ago <= (spec.days ?? 28); ago++) {
    const f = spec.day(ago)
    if (!f) continue
    rows.push({
      campaignId: campaign.id,
      adAccountId: account.id,
      date: toDbDate(addDays(today, -ago)),
      impressions: BigInt(f.impressions),
      reach: BigInt(Math.round(f.impressions * 0.7)),
      clicks: BigInt(f.clicks),
      linkClicks: BigInt(Math.round(f.clicks * 0.8)),
      spend: BigInt(f.spend),
      leads: BigInt(f.leads ?? 0),
      purchases: BigInt(f.purchases ?? 0),
    })
  }
  if (rows.length > 0) await prisma.campaignDailyMetric.createMany({ data: rows })
  await prisma.adAccount.update({ where: { id: account.id }, data: { lastSyncedAt: now } })
  return campaign
}
