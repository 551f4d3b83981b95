import type { Member } from '../../generated/prisma/client.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import type { DomainDeps } from '../deps.ts'
import { undoValue } from './apply-change.ts'
import type { ChangeWithContext } from './change-include.ts'
import { canApprove } from './decide-change.ts'
import { findChange } from './find-change.ts'
import { proposeChange } from './propose-change.ts'

export interface ProposeUndoOptions {
  workspaceId: string
  /** The applied change to undo. */
  changeId: string
  /** Who asks for the undo: an admin or approver, as for approving. */
  member: Pick<Member, 'role' | 'slackUserId'>
}

export type ProposeUndoResult =
  | { ok: true; undo: ChangeWithContext; original: ChangeWithContext }
  /** not_applied: the change is unknown, not APPLIED, or has no campaign; pending: an undo of it is already waiting. */
  | { ok: false; reason: 'not_applied' | 'pending' }

const OPEN = ['PROPOSED', 'APPROVED', 'APPLYING'] as const

/**
 * Proposes the change that undoes an applied one (source UNDO, back to its value before): a change
 * request like any other, decided on its card. Only admins and approvers may ask for one (Undo moves
 * money like Approve). One undo of a change waits at a time, also when two clicks arrive together:
 * the check runs again in the creating transaction, under a lock on the original change.
 */
export async function proposeUndo(deps: DomainDeps, options: ProposeUndoOptions): Promise<ProposeUndoResult> {
  if (!canApprove(options.member))
    throw new AppError(AppErrorCode.FORBIDDEN, 'Only Promoly admins and approvers can undo a change. Nothing was changed.')
  const original = await findChange(deps.prisma, { workspaceId: options.workspaceId, changeId: options.changeId })
  if (original?.status !== 'APPLIED' || !original.campaignId) return { ok: false, reason: 'not_applied' }
  const pendingWhere = { workspaceId: options.workspaceId, undoOfId: original.id, status: { in: [...OPEN] } }
  if (await deps.prisma.changeRequest.findFirst({ where: pendingWhere, select: { id: true } })) return { ok: false, reason: 'pending' }
  const reverse = undoValue(original)
  const undo = await proposeChange(
    deps,
    {
      workspaceId: options.workspaceId,
      type: reverse.type,
      source: 'UNDO',
      campaignId: original.campaignId,
      proposedValue: reverse.proposedValue,
      requestedBySlackUserId: options.member.slackUserId,
      reason: `Undo of the change approved by ${original.decidedBySlackUserId ? `<@${original.decidedBySlackUserId}>` : 'Promoly'}.`,
      undoOfId: original.id,
    },
    {
      async inTransaction(tx, created) {
        // Concurrent undos of one change queue here; the later one sees the earlier one's proposal and gives up.
        await tx.$queryRaw`SELECT id FROM "ChangeRequest" WHERE id = ${original.id} FOR UPDATE`
        const other = await tx.changeRequest.findFirst({ where: { ...pendingWhere, id: { not: created.id } }, select: { id: true } })
        if (other) throw new UndoPending()
      },
    },
  ).catch((err) => {
    if (err instanceof UndoPending) return null
    throw err
  })
  return undo ? { ok: true, undo, original } : { ok: false, reason: 'pending' }
}

class UndoPending extends Error {}
