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
import type { AdAccount, Campaign, Client, MetaConnection, Prisma, PrismaClient, Workspace } from '../../src/generated/prisma/client.ts'

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
