import type { AdAccount, PrismaClient } from '../../generated/prisma/client.ts'
import { accountsInScope, type ClientScope } from '../clients/client-scope.ts'

export interface GetAdAccountOptions {
  /** The workspace, or one client's accounts only (a form run in a client's channel). */
  scope: ClientScope
  /** Promoly's internal id (what forms carry), not Meta's act_ id. */
  adAccountId: string
}

/** One ad account of the scope by its internal id; null when the scope has none such. */
export async function getAdAccount(prisma: PrismaClient, options: GetAdAccountOptions): Promise<AdAccount | null> {
  return prisma.adAccount.findFirst({ where: { ...accountsInScope(options.scope), id: options.adAccountId } })
}
