import type { MetaConnection } from '../../generated/prisma/client.ts'
import { newRowId } from '../../lib/ids.ts'
import { recordAuditEvent } from '../audit/record-audit-event.ts'
import type { DomainDeps } from '../deps.ts'
import { connectionSecretContext } from '../secrets/stored-secrets.ts'
import { tokenFingerprint } from './token-fingerprint.ts'

export interface SaveMetaConnectionOptions {
  workspaceId: string
  token: string
  label: string
  metaUserId?: string
  slackUserId?: string
}

/** Stores (or refreshes) a validated token, encrypted. The same token twice is one connection. */
export async function saveMetaConnection(
  deps: Pick<DomainDeps, 'prisma' | 'secrets' | 'now'>,
  options: SaveMetaConnectionOptions,
): Promise<MetaConnection> {
  const fingerprint = tokenFingerprint(options.token)
  return deps.prisma.$transaction(async (tx) => {
    // The encrypted token is bound to its row id, so the id is known before the row is written.
    const existing = await tx.metaConnection.findUnique({
      where: { workspaceId_tokenFingerprint: { workspaceId: options.workspaceId, tokenFingerprint: fingerprint } },
      select: { id: true },
    })
    const id = existing?.id ?? newRowId()
    const accessTokenEnc = deps.secrets.encrypt(options.token, connectionSecretContext(id))
    const connection = existing
      ? await tx.metaConnection.update({
          where: { id },
          data: { accessTokenEnc, status: 'ACTIVE', statusReason: null, lastValidatedAt: deps.now(), metaUserId: options.metaUserId },
        })
      : await tx.metaConnection.create({
          data: {
            id,
            workspaceId: options.workspaceId,
            label: options.label,
            accessTokenEnc,
            tokenFingerprint: fingerprint,
            metaUserId: options.metaUserId,
            createdBySlackUserId: options.slackUserId,
            lastValidatedAt: deps.now(),
          },
        })
    await recordAuditEvent(tx, {
      workspaceId: options.workspaceId,
      actorType: options.slackUserId ? 'user' : 'system',
      actorId: options.slackUserId,
      action: 'meta_connection.saved',
      targetType: 'meta_connection',
      targetId: connection.id,
      data: { label: options.label, tokenFingerprint: fingerprint },
    })
    return connection
  })
}
