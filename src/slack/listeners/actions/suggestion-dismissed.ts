import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt'
import { outOfScope } from '../../../domain/clients/client-scope.ts'
import { dismissSuggestion } from '../../../domain/suggestions/dismiss-suggestion.ts'
import { movedAwayCard } from '../../blocks/moved-away-card.ts'
import { suggestionMessage } from '../../blocks/suggestion-message.ts'
import { cardOutOfScope } from '../../card-scope.ts'
import type { SlackDeps } from '../../deps.ts'
import { requireWorkspace } from '../../middleware/workspace-context.ts'
import { replyError } from '../../reply-error.ts'
import { resolveCaller } from '../../resolve-caller.ts'

/**
 * Dismiss on a notice: the finding is rejected (quiet for the cooldown) and the message says so. A notice in a
 * client's channel whose account has moved to another client is not acted on: the click is refused and the
 * notice becomes the neutral stub.
 */
export function suggestionDismissed(deps: SlackDeps) {
  return async ({ ack, action, body, client, context, respond }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>) => {
    await ack()
    try {
      const workspace = requireWorkspace(context)
      const suggestionId = action.value ?? ''
      const found = suggestionId
        ? await deps.domain.prisma.suggestion.findFirst({
            where: { id: suggestionId, workspaceId: workspace.id },
            select: { adAccountId: true },
          })
        : null
      const channelId = body.channel?.id ?? body.container?.channel_id
      const out =
        found && (await cardOutOfScope(deps.domain.prisma, { workspaceId: workspace.id, adAccountId: found.adAccountId, channelId }))
      if (found && out) {
        await respond({ replace_original: true, ...movedAwayCard() })
        throw outOfScope(out.scope, out.accountName)
      }
      const member = await resolveCaller(deps, workspace, body.user.id, client)
      const result = await dismissSuggestion(deps.domain, { workspaceId: workspace.id, suggestionId, member })
      if (!result) return
      await respond({ replace_original: true, ...suggestionMessage(result.suggestion, result.place) })
    } catch (err) {
      await replyError({ client, userId: body.user.id, respond }, err, { logger: deps.logger, what: 'dismissing a suggestion' })
    }
  }
}
