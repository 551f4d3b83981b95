import type { DomainDeps } from '../deps.ts'
import { undoValue } from './apply-change.ts'
import type { ChangeWithContext } from './change-include.ts'
import { findChange } from './find-change.ts'
import { proposeChange } from './propose-change.ts'

export interface ProposeUndoOptions {
  workspaceId: string
  /** The applied change to undo. */
  changeId: string
  /** Who asks for the undo. */
  slackUserId: string
}

export type ProposeUndoResult =
  | { ok: true; undo: ChangeWithContext; original: ChangeWithContext }
  /** not_applied: the change is unknown, not APPLIED, or has no campaign; pending: an undo of it is already waiting. */
  | { ok: false; reason: 'not_applied' | 'pending' }

/**
 * Proposes the change that undoes an applied one (source UNDO, back to its value before): a change
 * request like any other, decided on its card. One undo of a change waits at a time.
 */
export async function proposeUndo(deps: DomainDeps, options: ProposeUndoOptions): Promise<ProposeUndoResult> {
  const original = await findChange(deps.prisma, { workspaceId: options.workspaceId, changeId: options.changeId })
  if (original?.status !== 'APPLIED' || !original.campaignId) return { ok: false, reason: 'not_applied' }
  const pending = await deps.prisma.changeRequest.findFirst({
    where: { workspaceId: options.workspaceId, undoOfId: original.id, status: { in: ['PROPOSED', 'APPROVED', 'APPLYING'] } },
    select: { id: true },
  })
  if (pending) return { ok: false, reason: 'pending' }
  const reverse = undoValue(original)
  const undo = await proposeChange(deps, {
    workspaceId: options.workspaceId,
    type: reverse.type,
    source: 'UNDO',
    campaignId: original.campaignId,
    proposedValue: reverse.proposedValue,
    requestedBySlackUserId: options.slackUserId,
    reason: `Undo of the change approved by ${original.decidedBySlackUserId ? `@${original.decidedBySlackUserId}` : 'Promoly'}.`,
    undoOfId: original.id,
  })
  return { ok: true, undo, original }
}
