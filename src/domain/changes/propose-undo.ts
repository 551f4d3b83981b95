import type { Member } from '../../generated/prisma/client.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import type { DomainDeps } from '../deps.ts'
import { undoValue } from './apply-change.ts'
import { type ChangeWithContext, loadChangeGroup } from './change-include.ts'
import { canApprove } from './decide-change.ts'
import { findChange } from './find-change.ts'
import { type ProposeChangeOptions, proposeChanges } from './propose-change.ts'

export interface ProposeUndoOptions {
  workspaceId: string
  /** The applied change to undo. */
  changeId: string
  /** Who asks for the undo: an admin or approver, as for approving. */
  member: Pick<Member, 'role' | 'slackUserId'>
}

export type ProposeUndoResult =
  | { ok: true; undo: ChangeWithContext; original: ChangeWithContext }
  /**
   * not_applied: the change is unknown, not APPLIED, or has no campaign; pending: an undo of it is already waiting;
   * undone: it was undone already (on a card of several parts: every applied part).
   */
  | { ok: false; reason: 'not_applied' | 'pending' | 'undone' }

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
  // On a card of several parts, Undo proposes the undo of every part that was applied and not undone yet (an undo
  // applied or still open leaves that part out: undoing it again would revert a newer change), as one card.
  const group = (await loadChangeGroup(deps.prisma, original)).filter((p) => p.status === 'APPLIED' && p.campaignId)
  const undos = await deps.prisma.changeRequest.findMany({
    where: { workspaceId: options.workspaceId, undoOfId: { in: group.map((p) => p.id) }, status: { in: [...OPEN, 'APPLIED'] } },
    select: { undoOfId: true, status: true },
  })
  const applied = group.filter((p) => !undos.some((u) => u.undoOfId === p.id))
  if (applied.length === 0) return { ok: false, reason: undos.some((u) => u.status !== 'APPLIED') ? 'pending' : 'undone' }
  const ids = applied.map((p) => p.id)
  const pendingWhere = { workspaceId: options.workspaceId, undoOfId: { in: ids }, status: { in: [...OPEN] } }
  const by = original.decidedBySlackUserId ? `<@${original.decidedBySlackUserId}>` : 'Promoly'
  const parts: ProposeChangeOptions[] = applied.map((part) => {
    const reverse = undoValue(part)
    return {
      workspaceId: options.workspaceId,
      type: reverse.type,
      source: 'UNDO',
      ...objectIdsOf(part),
      proposedValue: reverse.proposedValue,
      requestedBySlackUserId: options.member.slackUserId,
      reason: `Undo of the change approved by ${by}.`,
      undoOfId: part.id,
    }
  })
  const undo = await proposeChanges(deps, parts, {
    async inTransaction(tx, created) {
      // Concurrent undos of one change queue here; the later one sees the earlier one's proposal and gives up.
      await tx.$queryRaw`SELECT id FROM "ChangeRequest" WHERE id = ${original.id} FOR UPDATE`
      const mine = created.groupId ? { groupId: { not: created.groupId } } : { id: { not: created.id } }
      const other = await tx.changeRequest.findFirst({ where: { ...pendingWhere, ...mine }, select: { id: true } })
      if (other) throw new UndoPending()
    },
  }).catch((err) => {
    if (err instanceof UndoPending) return null
    throw err
  })
  const lead = undo?.[0]
  return lead ? { ok: true, undo: lead, original } : { ok: false, reason: 'pending' }
}

/** The object an undo writes to: the one the original change wrote to. */
function objectIdsOf(change: ChangeWithContext): { campaignId?: string; adSetId?: string; adId?: string } {
  if (change.level === 'ad' && change.adId) return { adId: change.adId }
  if (change.level === 'adset' && change.adSetId) return { adSetId: change.adSetId }
  return { campaignId: change.campaignId ?? undefined }
}

class UndoPending extends Error {}
