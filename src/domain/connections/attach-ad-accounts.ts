import type { AdAccount } from '../../generated/prisma/client.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { recordAuditEvent } from '../audit/record-audit-event.ts'
import { ensureDefaultClient } from '../clients/default-client.ts'
import type { DomainDeps } from '../deps.ts'
import { connectionToken } from './connection-token.ts'

export interface AttachAdAccountsOptions {
  workspaceId: string
  connectionId: string
  /** act_… ids chosen by the user; accounts of this connection not listed stop syncing. */
  metaAccountIds: string[]
  /**
   * Who chooses: a person, who must be a Promoly admin (checked here, whatever the surface checked before),
   * or `system`: Promoly itself attaching the deployment's default connection at bootstrap.
   */
  actor: { slackUserId: string } | 'system'
}

/**
 * Makes the chosen ad accounts sync through this connection (currency and time zone from Meta).
 * An account already attached through another connection of the workspace moves to this one.
 * Only a Promoly admin may choose (FORBIDDEN otherwise, before Meta is asked or anything is written).
 */
export async function attachAdAccounts(
  deps: Pick<DomainDeps, 'prisma' | 'meta' | 'secrets'>,
  options: AttachAdAccountsOptions,
): Promise<AdAccount[]> {
  const slackUserId = options.actor === 'system' ? undefined : options.actor.slackUserId
  if (slackUserId !== undefined) {
    const member = await deps.prisma.member.findUnique({
      where: { workspaceId_slackUserId: { workspaceId: options.workspaceId, slackUserId } },
      select: { role: true },
    })
    if (member?.role !== 'ADMIN')
      throw new AppError(AppErrorCode.FORBIDDEN, 'Only Promoly admins can connect Meta accounts. Nothing was changed.')
  }
  if (options.metaAccountIds.length === 0) throw new AppError(AppErrorCode.BAD_INPUT, 'Choose at least one ad account.')
  const connection = await deps.prisma.metaConnection.findFirst({ where: { id: options.connectionId, workspaceId: options.workspaceId } })
  if (!connection) throw new AppError(AppErrorCode.NOT_FOUND, 'That Meta connection no longer exists. Run `/promoly connect` again.')
  const available = await deps.meta.listAdAccounts(connectionToken(deps, connection))
  const byId = new Map(available.map((a) => [a.id, a]))
  const chosen = options.metaAccountIds.flatMap((id) => byId.get(id) ?? [])
  const missing = options.metaAccountIds.filter((id) => !byId.has(id))
  if (missing.length > 0) {
    throw new AppError(AppErrorCode.BAD_INPUT, `This token cannot reach ${missing.join(', ')}. Pick accounts from the list.`)
  }
  return deps.prisma.$transaction(async (tx) => {
    // A newly attached account joins the default client; one attached before keeps its client.
    const defaultClient = await ensureDefaultClient(tx, options.workspaceId)
    const attached: AdAccount[] = []
    for (const a of chosen) {
      attached.push(
        await tx.adAccount.upsert({
          where: { workspaceId_metaAccountId: { workspaceId: options.workspaceId, metaAccountId: a.id } },
          create: {
            workspaceId: options.workspaceId,
            connectionId: connection.id,
            clientId: defaultClient.id,
            metaAccountId: a.id,
            name: a.name,
            currency: a.currency,
            timezoneName: a.timezoneName ?? 'UTC',
            accountStatus: a.accountStatus ?? null,
            countryCode: a.countryCode,
          },
          update: {
            connectionId: connection.id,
            name: a.name,
            currency: a.currency,
            timezoneName: a.timezoneName ?? 'UTC',
            accountStatus: a.accountStatus ?? null,
            countryCode: a.countryCode,
            syncEnabled: true,
          },
        }),
      )
    }
    await tx.adAccount.updateMany({
      where: { connectionId: connection.id, metaAccountId: { notIn: options.metaAccountIds } },
      data: { syncEnabled: false },
    })
    await recordAuditEvent(tx, {
      workspaceId: options.workspaceId,
      actorType: slackUserId ? 'user' : 'system',
      actorId: slackUserId,
      action: 'ad_accounts.attached',
      targetType: 'meta_connection',
      targetId: connection.id,
      data: { metaAccountIds: options.metaAccountIds },
    })
    return attached
  })
}
