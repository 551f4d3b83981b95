import { type ClientScope, inScope, scopeForChannel } from '../domain/clients/client-scope.ts'
import type { PrismaClient } from '../generated/prisma/client.ts'

/**
 * A card (a change request's or a suggestion's) lives in a channel; its ad account may since have moved to another
 * client. When the channel belongs to a client that no longer owns the account, the card must not show or act on
 * it any more: this says so (the channel's scope and the account's client now), or null while the card may stay.
 * The account is read live, so a move takes effect on the next draw or click.
 */
export async function cardOutOfScope(
  prisma: PrismaClient,
  options: { workspaceId: string; adAccountId: string; channelId: string | null | undefined },
): Promise<{ scope: ClientScope; clientId: string; accountName: string } | null> {
  if (!options.channelId) return null
  const scope = await scopeForChannel(prisma, options.workspaceId, options.channelId)
  if (!scope.client) return null
  const account = await prisma.adAccount.findUnique({
    where: { id: options.adAccountId },
    select: { workspaceId: true, clientId: true, name: true },
  })
  if (!account || inScope(scope, account)) return null
  return { scope, clientId: account.clientId, accountName: account.name }
}
