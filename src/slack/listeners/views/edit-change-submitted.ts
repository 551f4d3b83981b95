import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt'
import { editChange, readEditedBudget } from '../../../domain/changes/edit-change.ts'
import { findChange } from '../../../domain/changes/find-change.ts'
import { isAppError } from '../../../lib/errors.ts'
import { EDIT_FIELDS } from '../../blocks/edit-change-modal.ts'
import type { SlackDeps } from '../../deps.ts'
import { requireWorkspace } from '../../middleware/workspace-context.ts'
import { postChangeCard } from '../../post-change-card.ts'
import { replyError } from '../../reply-error.ts'
import { resolveCaller } from '../../resolve-caller.ts'
import { tellUser } from '../../tell-user.ts'

/**
 * The edit form: never an approval. The new amount becomes a new proposal by the editor, which takes
 * over the edited proposal's card (so everyone there sees the amount to decide on); the edited one is
 * closed as replaced. Amount problems are shown under the field.
 */
export function editChangeSubmitted(deps: SlackDeps) {
  return async ({ ack, view, body, client, context }: AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>) => {
    const workspace = requireWorkspace(context)
    const { changeId } = JSON.parse(view.private_metadata || '{}') as { changeId?: string }
    const change = changeId ? await findChange(deps.domain.prisma, { workspaceId: workspace.id, changeId }) : null
    if (!change) return ack({ response_action: 'errors', errors: { [EDIT_FIELDS.amount.block]: 'This change no longer exists.' } })
    const amountText = view.state.values[EDIT_FIELDS.amount.block]?.[EDIT_FIELDS.amount.action]?.value ?? ''
    let budgetMinor: number
    try {
      budgetMinor = await readEditedBudget(deps.domain.prisma, change, amountText)
    } catch (err) {
      return ack({
        response_action: 'errors',
        errors: {
          [EDIT_FIELDS.amount.block]: isAppError(err)
            ? err.userMessage
            : 'Enter an amount such as 50 or 49.90, or a change such as +20% or -10%.',
        },
      })
    }
    if (budgetMinor <= 0)
      return ack({ response_action: 'errors', errors: { [EDIT_FIELDS.amount.block]: 'The budget must be more than zero.' } })
    // Proposing checks guardrails with Meta: close the form within Slack's 3 s and report after.
    await ack()
    const to = { client, userId: body.user.id, channelId: change.cardChannelId ?? undefined }
    try {
      const member = await resolveCaller(deps, workspace, body.user.id, client)
      const result = await editChange(deps.domain, { workspaceId: workspace.id, changeId: change.id, budgetMinor, member })
      if (!result.edited)
        return void (await tellUser(to, {
          text: `This change is already ${result.change.status.toLowerCase()}; it can no longer be edited. Nothing was changed.`,
        }))
      if (result.change.cardMessageTs) await deps.cards.refresh(result.change)
      else await postChangeCard(deps, client, result.change, change.cardChannelId ?? body.user.id, body.user.id)
      await tellUser(to, {
        text: 'Your amount is now the proposal on the card. It still needs an approval: an admin or approver clicks Approve (when four eyes apply, someone other than you).',
      })
    } catch (err) {
      await replyError(to, err, { logger: deps.logger, what: 'edit change' })
    }
  }
}
