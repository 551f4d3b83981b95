import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt'
import { attachAdAccounts } from '../../../domain/connections/attach-ad-accounts.ts'
import { discardUnusedConnection } from '../../../domain/connections/discard-unused-connection.ts'
import { isAdmin } from '../../../domain/members/resolve-member.ts'
import { escapeMrkdwn } from '../../../lib/mrkdwn.ts'
import { ACCOUNTS_ACTION, ACCOUNTS_BLOCK } from '../../blocks/connect-modals.ts'
import type { SlackDeps } from '../../deps.ts'
import { requireWorkspace } from '../../middleware/workspace-context.ts'
import { replyError } from '../../reply-error.ts'
import { resolveCaller } from '../../resolve-caller.ts'
import { tellUser } from '../../tell-user.ts'

/**
 * Step 2 of connect: attach the chosen accounts, start their first sync, tell the user in a DM. The admin
 * check comes first, before the form is read, Meta is asked or anything is written (a submission can be
 * forged by anyone in the workspace, whatever the modal showed).
 */
export function connectAccountsSubmitted(deps: SlackDeps) {
  return async ({ ack, view, body, client, context }: AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>) => {
    const member = context.workspace ? await resolveCaller(deps, context.workspace, body.user.id, client).catch(() => undefined) : undefined
    if (!member || !isAdmin(member))
      return ack({
        response_action: 'errors',
        errors: { [ACCOUNTS_BLOCK]: 'Only Promoly admins can connect Meta accounts. Nothing was changed.' },
      })
    const chosen = view.state.values[ACCOUNTS_BLOCK]?.[ACCOUNTS_ACTION]?.selected_options?.map((o) => o.value) ?? []
    if (chosen.length === 0) return ack({ response_action: 'errors', errors: { [ACCOUNTS_BLOCK]: 'Choose at least one ad account.' } })
    const { connectionId } = JSON.parse(view.private_metadata || '{}') as { connectionId?: string }
    await ack()
    const dm = { client, userId: body.user.id }
    let text: string
    try {
      const workspace = requireWorkspace(context)
      if (!connectionId) throw new Error('connect modal without a connection id')
      const attached = await attachAdAccounts(deps.domain, {
        workspaceId: workspace.id,
        connectionId,
        metaAccountIds: chosen,
        // The domain checks the admin role again (the check above answers the form before its ack).
        actor: { slackUserId: body.user.id },
      })
      await deps.requestSync({ workspaceId: workspace.id, adAccountIds: attached.map((a) => a.id), full: true })
      text = `:white_check_mark: Connected ${attached.map((a) => `*${escapeMrkdwn(a.name)}*`).join(', ')}. The first sync (last 28 days) is running; try \`/promoly campaigns\` in a minute.`
    } catch (err) {
      return replyError(dm, err, { logger: deps.logger, what: 'attaching ad accounts' })
    }
    await tellUser(dm, { text }).catch((err) => deps.logger.warn({ err }, 'could not DM the connect result'))
  }
}

/** Closing step 2 without choosing leaves no connection behind that follows nothing. */
export function connectAccountsClosed(deps: SlackDeps) {
  return async ({ ack, view, context }: AllMiddlewareArgs & SlackViewMiddlewareArgs) => {
    await ack()
    const { connectionId } = JSON.parse(view.private_metadata || '{}') as { connectionId?: string }
    if (!connectionId || !context.workspace) return
    await discardUnusedConnection(deps.domain.prisma, { workspaceId: context.workspace.id, connectionId })
  }
}
