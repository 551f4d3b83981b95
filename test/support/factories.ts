/**
 * Rows for database tests, with the defaults the tests share: pass only the values a test is about.
 * Unique columns (slackTeamId, tokenFingerprint, metaAccountId, metaCampaignId) default to a fresh value
 * on each call, so several rows of a kind can be created without naming them.
 *
 *   const ws = await createWorkspace(db.prisma)
 *   const account = await createAdAccount(db.prisma, { workspaceId: ws.id, name: 'Shop' })  // and its own connection
 *   const campaign = await createCampaign(db.prisma, account.id, { name: 'Spring sale' })
 */
import { ensureDefaultClient } from '../../src/domain/clients/default-client.ts'
import { METRIC_FIELDS, type MetricField } from '../../src/domain/metrics/vocabulary.ts'
import { rollUpCampaignDays } from '../../src/domain/sync/roll-up-campaign-days.ts'
import type {
  Ad,
  AdAccount,
  AdSet,
  Campaign,
  Client,
  MetaConnection,
  Prisma,
  PrismaClient,
  Workspace,
} from '../../src/generated/prisma/client.ts'
import type { IsoDate } from '../../src/lib/dates.ts'

let seq = 0
const next = () => ++seq

/** A workspace; slackTeamId defaults to a fresh `TFACTORY<n>`. */
export function createWorkspace(prisma: PrismaClient, overrides: Partial<Prisma.WorkspaceUncheckedCreateInput> = {}): Promise<Workspace> {
  return prisma.workspace.create({ data: { slackTeamId: `TFACTORY${next()}`, ...overrides } })
}

/** An ACTIVE Meta connection of the workspace, with a placeholder token and a fresh fingerprint. */
export function createConnection(
  prisma: PrismaClient,
  workspaceId: string,
  overrides: Partial<Omit<Prisma.MetaConnectionUncheckedCreateInput, 'workspaceId'>> = {},
): Promise<MetaConnection> {
  const n = next()
  return prisma.metaConnection.create({
    data: { workspaceId, label: 'test', accessTokenEnc: 'x', tokenFingerprint: `fp${n}`, ...overrides },
  })
}

type AdAccountDefaults = 'connectionId' | 'clientId' | 'metaAccountId' | 'name' | 'currency' | 'timezoneName'
type AdAccountFields = Omit<Prisma.AdAccountUncheckedCreateInput, AdAccountDefaults> &
  Partial<Pick<Prisma.AdAccountUncheckedCreateInput, AdAccountDefaults>>

/** A client of the workspace (not the default one), named `Client <n>` unless given. */
export function createClient(
  prisma: PrismaClient,
  workspaceId: string,
  overrides: Partial<Omit<Prisma.ClientUncheckedCreateInput, 'workspaceId'>> = {},
): Promise<Client> {
  return prisma.client.create({ data: { workspaceId, name: `Client ${next()}`, ...overrides } })
}

/**
 * A syncing EUR ad account in Europe/Berlin with a fresh `act_<n>` id. Without a connectionId it gets a
 * connection of its own (createConnection's defaults); without a clientId it joins the workspace's default client.
 */
export async function createAdAccount(prisma: PrismaClient, fields: AdAccountFields): Promise<AdAccount> {
  const n = next()
  const connectionId = fields.connectionId ?? (await createConnection(prisma, fields.workspaceId)).id
  const clientId = fields.clientId ?? (await ensureDefaultClient(prisma, fields.workspaceId)).id
  return prisma.adAccount.create({
    data: {
      metaAccountId: `act_${n}`,
      name: `Account ${n}`,
      currency: 'EUR',
      timezoneName: 'Europe/Berlin',
      ...fields,
      connectionId,
      clientId,
    },
  })
}

/** An ACTIVE OUTCOME_LEADS campaign without budget; effectiveStatus follows status unless given. */
export function createCampaign(
  prisma: PrismaClient,
  adAccountId: string,
  overrides: Partial<Omit<Prisma.CampaignUncheckedCreateInput, 'adAccountId'>> = {},
): Promise<Campaign> {
  const n = next()
  const status = overrides.status ?? 'ACTIVE'
  return prisma.campaign.create({
    data: {
      metaCampaignId: String(n),
      name: `Campaign ${n}`,
      objective: 'OUTCOME_LEADS',
      ...overrides,
      adAccountId,
      status,
      effectiveStatus: overrides.effectiveStatus ?? status,
    },
  })
}

/** An ACTIVE ad set of the campaign (its account taken from the campaign), without budget unless given. */
export function createAdSet(
  prisma: PrismaClient,
  campaign: Pick<Campaign, 'id' | 'adAccountId'>,
  overrides: Partial<Omit<Prisma.AdSetUncheckedCreateInput, 'adAccountId' | 'campaignId'>> = {},
): Promise<AdSet> {
  const n = next()
  const status = overrides.status ?? 'ACTIVE'
  return prisma.adSet.create({
    data: {
      metaAdSetId: String(100_000 + n),
      name: `Ad set ${n}`,
      optimizationGoal: 'LEAD_GENERATION',
      billingEvent: 'IMPRESSIONS',
      ...overrides,
      adAccountId: campaign.adAccountId,
      campaignId: campaign.id,
      status,
      effectiveStatus: overrides.effectiveStatus ?? status,
    },
  })
}

/** An ACTIVE ad of the ad set (campaign and account taken from it), with a creative named after it. */
export function createAd(
  prisma: PrismaClient,
  adSet: Pick<AdSet, 'id' | 'adAccountId' | 'campaignId'>,
  overrides: Partial<Omit<Prisma.AdUncheckedCreateInput, 'adAccountId' | 'campaignId' | 'adSetId'>> = {},
): Promise<Ad> {
  const n = next()
  const status = overrides.status ?? 'ACTIVE'
  return prisma.ad.create({
    data: {
      metaAdId: String(200_000 + n),
      name: `Ad ${n}`,
      creativeId: String(300_000 + n),
      creativeName: `Creative ${n}`,
      ...overrides,
      adAccountId: adSet.adAccountId,
      campaignId: adSet.campaignId,
      adSetId: adSet.id,
      status,
      effectiveStatus: overrides.effectiveStatus ?? status,
    },
  })
}

/**
 * Daily rows for ads (`date` YYYY-MM-DD; missing metrics 0), then the campaign-days rolled up from them exactly as
 * the sync does, so campaign-level readers see the same figures.
 */
export async function createAdDays(
  prisma: PrismaClient,
  days: Array<{ ad: Pick<Ad, 'id' | 'adSetId' | 'campaignId' | 'adAccountId'>; date: string } & Partial<Record<MetricField, number>>>,
): Promise<void> {
  if (days.length === 0) return
  await prisma.adDailyMetric.createMany({
    data: days.map(({ ad, date, ...m }) => {
      const row: Prisma.AdDailyMetricCreateManyInput = {
        adId: ad.id,
        adSetId: ad.adSetId,
        campaignId: ad.campaignId,
        adAccountId: ad.adAccountId,
        date: new Date(`${date}T00:00:00Z`),
      }
      for (const f of METRIC_FIELDS) row[f] = BigInt(m[f] ?? 0)
      return row
    }),
  })
  const byAccount = new Map<string, string[]>()
  for (const d of days) byAccount.set(d.ad.adAccountId, [...(byAccount.get(d.ad.adAccountId) ?? []), d.date])
  for (const [adAccountId, dates] of byAccount) {
    dates.sort()
    const since = dates[0] as IsoDate
    const until = dates[dates.length - 1] as IsoDate
    await prisma.$transaction((tx) => rollUpCampaignDays(tx, { adAccountId, since, until, syncedAt: new Date() }))
  }
}
