import type { AdAccount, PrismaClient } from '../../generated/prisma/client.ts'

export interface GetAdAccountOptions {
  workspaceId: string
  /** Promoly's internal id (what forms carry), not Meta's act_ id. */
  adAccountId: string
}

/** One ad account of the workspace by its internal id; null when the workspace has none such. */
export async function getAdAccount(prisma: PrismaClient, options: GetAdAccountOptions): Promise<AdAccount | null> {
  return prisma.adAccount.findFirst({ where: { id: options.adAccountId, workspaceId: options.workspaceId } })
}
