import type { PrismaClient } from '../../generated/prisma/client.ts'
import { accountsInScope, type ClientScope } from '../clients/client-scope.ts'
import { CHANGE_INCLUDE, type ChangeWithContext } from './change-include.ts'

export type HistoryEntry = ChangeWithContext & {
  result: { verdict: string; summary: string; days: number } | null
  /** The proposal an edit replaced this one with (empty unless this one was closed by an edit). */
  replacedBy: Array<{ requestedBySlackUserId: string | null }>
}

/** The audit trail of changes of the scope's accounts (newest first): who asked, who decided, before, after, outcome. */
export async function listHistory(
  prisma: PrismaClient,
  options: { scope: ClientScope; campaignId?: string; limit?: number },
): Promise<HistoryEntry[]> {
  return prisma.changeRequest.findMany({
    where: {
      workspaceId: options.scope.workspaceId,
      adAccount: accountsInScope(options.scope),
      ...(options.campaignId ? { campaignId: options.campaignId } : {}),
    },
    include: {
      ...CHANGE_INCLUDE,
      result: { select: { verdict: true, summary: true, days: true } },
      replacedBy: { select: { requestedBySlackUserId: true }, take: 1 },
    },
    orderBy: { createdAt: 'desc' },
    take: options.limit ?? 15,
  })
}
