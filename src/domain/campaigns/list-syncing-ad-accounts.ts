import type { AdAccount, PrismaClient } from '../../generated/prisma/client.ts'
import { accountsInScope, type ClientScope } from '../clients/client-scope.ts'

export interface ListSyncingAdAccountsOptions {
  scope: ClientScope
}

/** The scope's ad accounts that sync (the ones commands, forms and proposals can use), by name. */
export async function listSyncingAdAccounts(prisma: PrismaClient, options: ListSyncingAdAccountsOptions): Promise<AdAccount[]> {
  return prisma.adAccount.findMany({ where: { ...accountsInScope(options.scope), syncEnabled: true }, orderBy: { name: 'asc' } })
}
