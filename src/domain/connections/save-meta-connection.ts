import type { MetaConnection } from '../../generated/prisma/client.ts'
import { recordAuditEvent } from '../audit/record-audit-event.ts'
import type { DomainDeps } from '../deps.ts'
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
  const accessTokenEnc = deps.secrets.encrypt(options.token)
  return deps.prisma.$transaction(async (tx) => {
    const connection = await tx.metaConnection.upsert({
      where: { workspaceId_tokenFingerprint: { workspaceId: options.workspaceId, tokenFingerprint: fingerprint } },
      create: {
        workspaceId: options.workspaceId,
        label: options.label,
        accessTokenEnc,
        tokenFingerprint: fingerprint,
        metaUserId: options.metaUserId,
        createdBySlackUserId: options.slackUserId,
        lastValidatedAt: deps.now(),
      },
      update: { accessTokenEnc, status: 'ACTIVE', statusReason: null, lastValidatedAt: deps.now(), metaUserId: options.metaUserId },
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
