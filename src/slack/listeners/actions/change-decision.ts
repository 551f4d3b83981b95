import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt'
import { retryChange } from '../../../domain/changes/apply-change.ts'
import { loadChangeGroup } from '../../../domain/changes/change-include.ts'
import { isBudgetChange } from '../../../domain/changes/change-values.ts'
import { approveChange, rejectChange } from '../../../domain/changes/decide-change.ts'
import { findChange } from '../../../domain/changes/find-change.ts'
import { proposeUndo } from '../../../domain/changes/propose-undo.ts'
import { outOfScope } from '../../../domain/clients/client-scope.ts'
import type { Workspace } from '../../../generated/prisma/client.ts'
import { AppError, AppErrorCode } from '../../../lib/errors.ts'
import { approveNoteModal, editChangeModal } from '../../blocks/edit-change-modal.ts'
import { cardOutOfScope } from '../../card-scope.ts'
import type { SlackDeps } from '../../deps.ts'
import { requireWorkspace } from '../../middleware/workspace-context.ts'
import { postChangeCard } from '../../post-change-card.ts'
import { replyError } from '../../reply-error.ts'
import { resolveCaller } from '../../resolve-caller.ts'
import { tellUser } from '../../tell-user.ts'

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>

/**
 * The buttons of a change card. Each acks first, then decides through the domain (which makes
 * PROPOSED → APPROVED one atomic step); the outcome updates the same card, and anything refused
 * is told to the clicker alone (ephemeral) with nothing changed. A card in a client's channel whose
 * account has moved to another client acts on nothing: the click is refused (and the card redrawn as
 * the publisher's neutral stub).
 */
function handler(deps: SlackDeps, decide: (a: Args & { changeId: string; workspace: Workspace }) => Promise<string | undefined>) {
  return async (args: Args) => {
    const { ack, action, body, client } = args
    await ack()
    const to = { client, userId: body.user.id, channelId: body.channel?.id ?? body.container?.channel_id }
    try {
      const workspace = requireWorkspace(args.context)
      const changeId = action.value ?? ''
      await refuseOutOfScope(deps, workspace.id, changeId, to.channelId)
      const note = await decide({ ...args, changeId, workspace })
      if (note) await tellUser(to, { text: note })
    } catch (err) {
      await replyError(to, err, { logger: deps.logger, what: 'change decision' })
    }
  }
}

async function refuseOutOfScope(deps: SlackDeps, workspaceId: string, changeId: string, channelId: string | undefined) {
  const change = changeId ? await findChange(deps.domain.prisma, { workspaceId, changeId }) : null
  if (!change) return
  const out = await cardOutOfScope(deps.domain.prisma, { workspaceId, adAccountId: change.adAccountId, channelId })
  if (!out) return
  await deps.cards.refresh(change)
  throw outOfScope(out.scope, change.adAccount.name)
}

const decidedAlready = (status: string, by: string | null) =>
  `This change is already ${status.toLowerCase()}${by ? ` (by <@${by}>)` : ''}. Nothing more was done.`

export function changeApproveClicked(deps: SlackDeps) {
  return handler(deps, async ({ body, client, workspace, changeId }) => {
    const member = await resolveCaller(deps, workspace, body.user.id, client)
    const { change, decided } = await approveChange(deps.domain, { workspaceId: workspace.id, changeId, member })
    if (decided.length === 0) {
      if (change.status === 'EXPIRED') await deps.cards.refresh(change)
      return decidedAlready(change.status, change.decidedBySlackUserId)
    }
    await deps.cards.refresh(change)
    // Every approved part of the card is applied on its own (its own job and idempotency key).
    for (const part of decided) await deps.requestApply(part)
  })
}

export function changeRejectClicked(deps: SlackDeps) {
  return handler(deps, async ({ body, client, workspace, changeId }) => {
    const member = await resolveCaller(deps, workspace, body.user.id, client)
    const { change, decided } = await rejectChange(deps.domain, { workspaceId: workspace.id, changeId, member })
    if (decided.length === 0) return decidedAlready(change.status, change.decidedBySlackUserId)
    await deps.cards.refresh(change)
  })
}

export function changeRetryClicked(deps: SlackDeps) {
  return handler(deps, async ({ body, client, workspace, changeId }) => {
    const member = await resolveCaller(deps, workspace, body.user.id, client)
    // retryChange refuses anyone but admins and approvers (readable, told to the clicker alone).
    if (!(await retryChange(deps.domain, { workspaceId: workspace.id, changeId, member })))
      return 'This change is no longer failed; nothing to retry.'
    const change = await findChange(deps.domain.prisma, { workspaceId: workspace.id, changeId })
    if (!change) throw new AppError(AppErrorCode.NOT_FOUND, 'That change request no longer exists.')
    await deps.cards.refresh(change)
    await deps.requestApply(change)
  })
}

export function changeUndoClicked(deps: SlackDeps) {
  return handler(deps, async ({ body, client, workspace, changeId }) => {
    const member = await resolveCaller(deps, workspace, body.user.id, client)
    const proposed = await proposeUndo(deps.domain, { workspaceId: workspace.id, changeId, member })
    if (!proposed.ok)
      return proposed.reason === 'pending'
        ? 'An undo of this change is already waiting for approval.'
        : proposed.reason === 'undone'
          ? 'This change was already undone; nothing more to undo.'
          : 'Only an applied change can be undone.'
    const asked = proposed.original.cardChannelId ?? body.channel?.id ?? body.user.id
    const posted = await postChangeCard(deps, client, proposed.undo, asked, body.user.id)
    if (posted === asked) return
    const where = posted === body.user.id ? 'your DM with me' : /^[CG]/.test(posted) ? `<#${posted}>` : `a DM to <@${posted}>`
    return `The undo is proposed; its card is in ${where}.`
  })
}

/** Edit… on a budget change opens the edit form (a new proposal); on any other change, Approve with note… */
export function changeEditClicked(deps: SlackDeps) {
  return handler(deps, async ({ body, client, workspace, changeId }) => {
    const change = await findChange(deps.domain.prisma, { workspaceId: workspace.id, changeId })
    if (change?.status !== 'PROPOSED') return 'This change is no longer waiting for a decision.'
    if (change.groupId && isBudgetChange(change.type))
      return 'This card changes several ad sets together, so one amount cannot be edited here: reject it and propose again — in percent for all of them, or naming one ad set.'
    await client.views.open({
      trigger_id: body.trigger_id,
      view: isBudgetChange(change.type) ? editChangeModal(change) : approveNoteModal(change),
    })
  })
}

/** Override…: approving the amount shown with a reason (an admin's guardrail override); anyone else is told why not. */
export function changeApproveNoteClicked(deps: SlackDeps) {
  return handler(deps, async ({ body, client, workspace, changeId }) => {
    const change = await findChange(deps.domain.prisma, { workspaceId: workspace.id, changeId })
    if (change?.status !== 'PROPOSED') return 'This change is no longer waiting for a decision.'
    const member = await resolveCaller(deps, workspace, body.user.id, client)
    if (member.role !== 'ADMIN')
      return 'A guardrail refuses this change, so it cannot simply be approved: only a Promoly admin can override it, with a stated reason. Ask an admin, or Reject it. Nothing was changed.'
    const parts = await loadChangeGroup(deps.domain.prisma, change)
    await client.views.open({ trigger_id: body.trigger_id, view: approveNoteModal(change, parts) })
  })
}
