import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt'
import { retryChange, undoValue } from '../../../domain/changes/apply-change.ts'
import { approveChange, rejectChange } from '../../../domain/changes/decide-change.ts'
import { CHANGE_INCLUDE, proposeChange } from '../../../domain/changes/propose-change.ts'
import { escapeMrkdwn } from '../../../lib/mrkdwn.ts'
import { editChangeModal } from '../../blocks/edit-change-modal.ts'
import { postChangeCard } from '../../post-change-card.ts'
import type { SlackDeps } from '../../deps.ts'
import { resolveCaller } from '../../resolve-caller.ts'
import { toUserError } from '../../user-error.ts'

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>

/**
 * The buttons of a change card. Each acks first, then decides through the domain (which makes
 * PROPOSED → APPROVED one atomic step); the outcome updates the same card, and anything refused
 * is told to the clicker alone (ephemeral) with nothing changed.
 */
function handler(deps: SlackDeps, decide: (a: Args & { changeId: string }) => Promise<string | void>) {
  return async (args: Args) => {
    const { ack, action, body, client } = args
    await ack()
    const channel = body.channel?.id ?? body.container?.channel_id
    const tell = async (text: string) => {
      if (channel) await client.chat.postEphemeral({ channel, user: body.user.id, text }).catch(() => client.chat.postMessage({ channel: body.user.id, text }))
      else await client.chat.postMessage({ channel: body.user.id, text })
    }
    try {
      const note = await decide({ ...args, changeId: action.value ?? '' })
      if (note) await tell(note)
    } catch (err) {
      const { error, unexpected } = toUserError(err)
      if (unexpected) deps.logger.error({ err }, 'change decision failed')
      await tell(`:warning: ${escapeMrkdwn(error.userMessage)}`).catch((e) => deps.logger.warn({ err: e }, 'could not report a refused decision'))
    }
  }
}

const decidedAlready = (status: string, by: string | null) => `This change is already ${status.toLowerCase()}${by ? ` (by <@${by}>)` : ''}. Nothing more was done.`

export function changeApproveClicked(deps: SlackDeps) {
  return handler(deps, async ({ body, client, context, changeId }) => {
    const member = await resolveCaller(deps, context.workspace!, body.user.id, client)
    const { change, transitioned } = await approveChange(deps.domain, { workspaceId: context.workspace!.id, changeId, member })
    if (!transitioned) {
      if (change.status === 'EXPIRED') await deps.cards.refresh(change)
      return decidedAlready(change.status, change.decidedBySlackUserId)
    }
    await deps.cards.refresh(change)
    await deps.requestApply(change)
  })
}

export function changeRejectClicked(deps: SlackDeps) {
  return handler(deps, async ({ body, client, context, changeId }) => {
    const member = await resolveCaller(deps, context.workspace!, body.user.id, client)
    const { change, transitioned } = await rejectChange(deps.domain, { workspaceId: context.workspace!.id, changeId, member })
    if (!transitioned) return decidedAlready(change.status, change.decidedBySlackUserId)
    await deps.cards.refresh(change)
  })
}

export function changeRetryClicked(deps: SlackDeps) {
  return handler(deps, async ({ body, client, context, changeId }) => {
    const member = await resolveCaller(deps, context.workspace!, body.user.id, client)
    if (member.role === 'MEMBER') return 'Only Promoly admins and approvers can retry a change.'
    if (!(await retryChange(deps.domain, { workspaceId: context.workspace!.id, changeId, slackUserId: body.user.id }))) return 'This change is no longer failed; nothing to retry.'
    const change = await deps.domain.prisma.changeRequest.findUniqueOrThrow({ where: { id: changeId }, include: CHANGE_INCLUDE })
    await deps.cards.refresh(change)
    await deps.requestApply(change)
  })
}

export function changeUndoClicked(deps: SlackDeps) {
  return handler(deps, async ({ body, client, context, changeId }) => {
    const original = await deps.domain.prisma.changeRequest.findFirst({ where: { id: changeId, workspaceId: context.workspace!.id }, include: CHANGE_INCLUDE })
    if (!original || original.status !== 'APPLIED' || !original.campaignId) return 'Only an applied change can be undone.'
    const existing = await deps.domain.prisma.changeRequest.findFirst({ where: { undoOfId: original.id, status: { in: ['PROPOSED', 'APPROVED', 'APPLYING'] } } })
    if (existing) return 'An undo of this change is already waiting for approval.'
    const reverse = undoValue(original)
    const undo = await proposeChange(deps.domain, {
      workspaceId: context.workspace!.id,
      type: reverse.type,
      source: 'UNDO',
      campaignId: original.campaignId,
      proposedValue: reverse.proposedValue,
      requestedBySlackUserId: body.user.id,
      reason: `Undo of the change approved by ${original.decidedBySlackUserId ? `@${original.decidedBySlackUserId}` : 'Promoly'}.`,
      undoOfId: original.id,
    })
    await postChangeCard(deps, client, undo, original.cardChannelId ?? body.channel?.id ?? body.user.id, body.user.id)
  })
}

export function changeEditClicked(deps: SlackDeps) {
  return handler(deps, async ({ body, client, context, changeId }) => {
    const change = await deps.domain.prisma.changeRequest.findFirst({ where: { id: changeId, workspaceId: context.workspace!.id }, include: CHANGE_INCLUDE })
    if (!change || change.status !== 'PROPOSED') return 'This change is no longer waiting for a decision.'
    await client.views.open({ trigger_id: body.trigger_id, view: editChangeModal(change) })
  })
}
