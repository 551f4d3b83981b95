import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts'

export interface RecordAuditEventOptions {
  workspaceId: string
  actorType: 'user' | 'system' | 'agent'
  actorId?: string | null
  action: string
  targetType?: string
  targetId?: string
  data?: Prisma.InputJsonValue
}

type Db = Pick<PrismaClient, 'auditEvent'> | Prisma.TransactionClient

/** Appends one audit event. Call it inside the same transaction as the change it records. */
export async function recordAuditEvent(db: Db, options: RecordAuditEventOptions): Promise<void> {
  await db.auditEvent.create({
    data: {
      workspaceId: options.workspaceId,
      actorType: options.actorType,
      actorId: options.actorId ?? null,
      action: options.action,
      targetType: options.targetType,
      targetId: options.targetId,
      data: options.data ?? {},
    },
  })
}
