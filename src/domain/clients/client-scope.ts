import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { echoInput } from '../../lib/mrkdwn.ts'

/**
 * What a surface may show: the whole workspace (a DM, or a channel no client owns), or one client's accounts only
 * (a channel bound to that client). Every read that a person sees in a channel goes through one of these.
 */
export interface ClientScope {
  workspaceId: string
  /** The client the channel belongs to; null: every client of the workspace. */
  client: { id: string; name: string } | null
}

export function workspaceScope(workspaceId: string): ClientScope {
  return { workspaceId, client: null }
}

/** The scope of a Slack conversation: its client when the channel is bound to one, else the whole workspace. */
export async function scopeForChannel(prisma: PrismaClient, workspaceId: string, channelId: string | undefined): Promise<ClientScope> {
  if (!channelId) return workspaceScope(workspaceId)
  const bound = await prisma.clientChannel.findUnique({
    where: { workspaceId_channelId: { workspaceId, channelId } },
    select: { client: { select: { id: true, name: true } } },
  })
  return { workspaceId, client: bound ? bound.client : null }
}

/** A Prisma `where` for the ad accounts the scope may show (syncing or not). */
export function accountsInScope(scope: ClientScope): Prisma.AdAccountWhereInput {
  return scope.client ? { workspaceId: scope.workspaceId, clientId: scope.client.id } : { workspaceId: scope.workspaceId }
}

/** Whether an account (by its client) may be shown in this scope. */
export function inScope(scope: ClientScope, account: { workspaceId: string; clientId: string }): boolean {
  return account.workspaceId === scope.workspaceId && (scope.client === null || account.clientId === scope.client.id)
}

/**
 * The refusal for something asked in a client's channel that belongs to another client. It never names the other
 * client (the channel may be shared with this client's people) and shows nothing of it.
 */
export function outOfScope(scope: ClientScope, asked: string): AppError {
  const clientName = scope.client ? echoInput(scope.client.name, 80) : 'one client'
  return new AppError(
    AppErrorCode.FORBIDDEN,
    `This channel belongs to *${clientName}*, and "${echoInput(asked)}" is not one of ${clientName}'s ad accounts, campaigns, ad sets or ads, so nothing of it is shown here. Ask in a DM with me or in that client's channel.`,
  )
}
