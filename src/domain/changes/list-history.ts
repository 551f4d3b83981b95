import type { PrismaClient } from '../../generated/prisma/client.ts'
import { accountsInScope, type ClientScope } from '../clients/client-scope.ts'
import { CHANGE_INCLUDE, type ChangeWithContext } from './change-include.ts'

export type HistoryEntry = ChangeWithContext & {
  result: { verdict: string; summary: string; days: number } | null
  /** The proposal an edit replaced this one with (empty unless this one was closed by an edit). */
  replacedBy: Array<{ requestedBySlackUserId: string | null }>
}

/**
 * Whose changes: an ad account's, a campaign's (its own, its ad sets' and its ads'), an ad set's (its own and its
 * ads') or an ad's (internal ids); none: the whole scope's.
 */
export type HistoryOf = { adAccountId: string } | { campaignId: string } | { adSetId: string } | { adId: string }

/**
 * The audit trail of changes of the scope's accounts (newest first): who asked, who decided, before, after, outcome.
 * A change names its object and that object's parents (an ad's change carries its ad set and campaign), so the
 * changes under an object are those that name it.
 */
export async function listHistory(
  prisma: PrismaClient,
  options: { scope: ClientScope; of?: HistoryOf; limit?: number },
): Promise<HistoryEntry[]> {
  return prisma.changeRequest.findMany({
    where: {
      workspaceId: options.scope.workspaceId,
      adAccount: accountsInScope(options.scope),
      ...options.of,
    },
    include: {
      ...CHANGE_INCLUDE,
      result: { select: { verdict: true, summary: true, days: true } },
      replacedBy: { select: { requestedBySlackUserId: true }, take: 1 },
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: options.limit ?? 15,
  })
}
