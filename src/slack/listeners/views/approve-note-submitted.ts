import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt'
import { approveChange } from '../../../domain/changes/decide-change.ts'
import { findChange } from '../../../domain/changes/find-change.ts'
import { EDIT_FIELDS } from '../../blocks/edit-change-modal.ts'
import type { SlackDeps } from '../../deps.ts'
import { requireWorkspace } from '../../middleware/workspace-context.ts'
import { replyError } from '../../reply-error.ts'
import { resolveCaller } from '../../resolve-caller.ts'
import { tellUser } from '../../tell-user.ts'

/** Approve with a note (an admin's reason to override a guardrail): the amount approved is the one on the card. */
export function approveNoteSubmitted(deps: SlackDeps) {
  return async ({ ack, view, body, client, context }: AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>) => {
    const workspace = requireWorkspace(context)
    const { changeId } = JSON.parse(view.private_metadata || '{}') as { changeId?: string }
    const change = changeId ? await findChange(deps.domain.prisma, { workspaceId: workspace.id, changeId }) : null
    if (!change) return ack({ response_action: 'errors', errors: { [EDIT_FIELDS.override.block]: 'This change no longer exists.' } })
    const override = view.state.values[EDIT_FIELDS.override.block]?.[EDIT_FIELDS.override.action]?.value ?? undefined
    // Approval re-checks guardrails with Meta: close the form within Slack's 3 s and report after.
    await ack()
    const to = { client, userId: body.user.id, channelId: change.cardChannelId ?? undefined }
    try {
      const member = await resolveCaller(deps, workspace, body.user.id, client)
      const result = await approveChange(deps.domain, {
        workspaceId: workspace.id,
        changeId: change.id,
        member,
        overrideReason: override,
      })
      if (result.decided.length === 0)
        return void (await tellUser(to, { text: `This change is already ${result.change.status.toLowerCase()}. Nothing more was done.` }))
      await deps.cards.refresh(result.change)
      for (const part of result.decided) await deps.requestApply(part)
    } catch (err) {
      await replyError(to, err, { logger: deps.logger, what: 'approve with note' })
    }
  }
}
