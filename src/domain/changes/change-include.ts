import type { ChangeRequest, PrismaClient } from '../../generated/prisma/client.ts'

/** A change request with what every view of it names: its ad account and its campaign. */
export type ChangeWithContext = ChangeRequest & {
  adAccount: { id: string; name: string; currency: string; metaAccountId: string; client: { name: string } }
  campaign: { id: string; name: string; metaCampaignId: string } | null
  /** The proposal this one replaced (an edit): who asked for what. */
  replaces?: { requestedBySlackUserId: string | null; proposedValue: unknown; source: ChangeRequest['source'] } | null
}

/** The Prisma `include` that loads a change request as a ChangeWithContext. */
export const CHANGE_INCLUDE = {
  adAccount: { select: { id: true, name: true, currency: true, metaAccountId: true, client: { select: { name: true } } } },
  campaign: { select: { id: true, name: true, metaCampaignId: true } },
  replaces: { select: { requestedBySlackUserId: true, proposedValue: true, source: true } },
} as const

/** One change with its context (throws when there is no such change). */
export async function loadChange(prisma: PrismaClient, changeId: string): Promise<ChangeWithContext> {
  return prisma.changeRequest.findUniqueOrThrow({ where: { id: changeId }, include: CHANGE_INCLUDE })
}
