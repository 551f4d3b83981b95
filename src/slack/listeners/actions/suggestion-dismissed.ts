import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt'
import { dismissSuggestion } from '../../../domain/suggestions/dismiss-suggestion.ts'
import { suggestionMessage } from '../../blocks/suggestion-message.ts'
import type { SlackDeps } from '../../deps.ts'
import { requireWorkspace } from '../../middleware/workspace-context.ts'
import { replyError } from '../../reply-error.ts'
import { resolveCaller } from '../../resolve-caller.ts'

/** Dismiss on a notice: the finding is rejected (quiet for the cooldown) and the message says so. */
export function suggestionDismissed(deps: SlackDeps) {
  return async ({ ack, action, body, client, context, respond }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>) => {
    await ack()
    try {
      const workspace = requireWorkspace(context)
      const member = await resolveCaller(deps, workspace, body.user.id, client)
      const result = await dismissSuggestion(deps.domain, { workspaceId: workspace.id, suggestionId: action.value ?? '', member })
      if (!result) return
      await respond({ replace_original: true, ...suggestionMessage(result.suggestion, result.place) })
    } catch (err) {
      await replyError({ client, userId: body.user.id, respond }, err, { logger: deps.logger, what: 'dismissing a suggestion' })
    }
  }
}
