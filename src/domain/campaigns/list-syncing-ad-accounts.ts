import type { AdAccount, PrismaClient } from '../../generated/prisma/client.ts'

export interface ListSyncingAdAccountsOptions {
  workspaceId: string
}

/** The workspace's ad accounts that sync (the ones commands, forms and proposals can use), by name. */
export async function listSyncingAdAccounts(prisma: PrismaClient, options: ListSyncingAdAccountsOptions): Promise<AdAccount[]> {
  return prisma.adAccount.findMany({ where: { workspaceId: options.workspaceId, syncEnabled: true }, orderBy: { name: 'asc' } })
}
