import type { AdAccount, MetaConnection, PrismaClient } from '../../generated/prisma/client.ts'
import { accountsInScope, type ClientScope } from '../clients/client-scope.ts'

export interface ListAdAccountsOptions {
  /** The workspace, or one client's accounts only (a client's channel). */
  scope: ClientScope
}

/** An ad account with the state of the Meta connection it syncs through (never its token). */
export type AdAccountWithConnection = AdAccount & { connection: Pick<MetaConnection, 'id' | 'label' | 'status' | 'statusReason'> }

/** Every ad account of the scope, syncing or not: syncing ones first, then by name. */
export async function listAdAccounts(prisma: PrismaClient, options: ListAdAccountsOptions): Promise<AdAccountWithConnection[]> {
  return prisma.adAccount.findMany({
    where: accountsInScope(options.scope),
    include: { connection: { select: { id: true, label: true, status: true, statusReason: true } } },
    orderBy: [{ syncEnabled: 'desc' }, { name: 'asc' }],
  })
}
