import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt'
import { saveMetaConnection } from '../../../domain/connections/save-meta-connection.ts'
import { validateMetaToken } from '../../../domain/connections/validate-meta-token.ts'
import { isAdmin } from '../../../domain/members/resolve-member.ts'
import { AppError, AppErrorCode } from '../../../lib/errors.ts'
import { escapeMrkdwn } from '../../../lib/mrkdwn.ts'
import { checkingTokenModal, connectAccountsModal, connectTokenModal, TOKEN_ACTION, TOKEN_BLOCK } from '../../blocks/connect-modals.ts'
import type { SlackDeps } from '../../deps.ts'
import { requireWorkspace } from '../../middleware/workspace-context.ts'
import { logUserError } from '../../reply-error.ts'
import { resolveCaller } from '../../resolve-caller.ts'

/**
 * Step 1 of connect: the token is checked with Meta after the ack (the modal shows "checking"),
 * stored encrypted, and the modal moves on to choosing ad accounts — or back, with the problem.
 */
export function connectTokenSubmitted(deps: SlackDeps) {
  return async ({ ack, view, body, client, context }: AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>) => {
    const token = view.state.values[TOKEN_BLOCK]?.[TOKEN_ACTION]?.value?.trim() ?? ''
    if (token.length < 20 || /\s/.test(token)) {
      return ack({ response_action: 'errors', errors: { [TOKEN_BLOCK]: 'Paste the whole access token (no spaces).' } })
    }
    await ack({ response_action: 'update', view: checkingTokenModal() })
    const viewId = view.id
    try {
      const workspace = requireWorkspace(context)
      const member = await resolveCaller(deps, workspace, body.user.id, client)
      if (!isAdmin(member)) throw new AppError(AppErrorCode.FORBIDDEN, 'Only Promoly admins can connect Meta accounts.')
      const validated = await validateMetaToken(deps.domain, token)
      const connection = await saveMetaConnection(deps.domain, {
        workspaceId: workspace.id,
        token,
        label: `Meta user ${validated.metaUserName}`,
        metaUserId: validated.metaUserId,
        slackUserId: body.user.id,
      })
      await client.views.update({ view_id: viewId, view: connectAccountsModal(connection.id, validated.accounts, validated.metaUserName) })
    } catch (err) {
      // The answer is the form itself, shown again with the problem above it.
      const error = logUserError(err, { logger: deps.logger, what: 'connect' })
      const retry = connectTokenModal()
      retry.blocks = [{ type: 'section', text: { type: 'mrkdwn', text: `:warning: ${escapeMrkdwn(error.userMessage)}` } }, ...retry.blocks]
      await client.views
        .update({ view_id: viewId, view: retry })
        .catch((e) => deps.logger.warn({ err: e }, 'could not update the connect modal'))
    }
  }
}
