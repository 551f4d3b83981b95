import type { AllMiddlewareArgs, BlockStaticSelectAction, SlackActionMiddlewareArgs } from '@slack/bolt'
import { findMember } from '../../../domain/members/find-member.ts'
import { isAdmin } from '../../../domain/members/resolve-member.ts'
import type { SlackDeps } from '../../deps.ts'
import { requireWorkspace } from '../../middleware/workspace-context.ts'
import { type SettingsMetadata, settingsFormView } from '../../subcommands/settings.ts'

/**
 * The client picker of `/promoly settings`: the form is shown again (views.update) with the chosen client's
 * fields. Slack keeps what was typed in the workspace's fields (same block ids); the client's fields carry the
 * client's id in theirs, so they show the chosen client's values.
 */
export function settingsClientPicked(deps: SlackDeps) {
  return async ({ ack, action, body, client, context }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockStaticSelectAction>) => {
    await ack()
    const workspace = requireWorkspace(context)
    const view = body.view
    const clientId = action.selected_option?.value
    if (!view || !clientId) return
    const member = await findMember(deps.domain.prisma, { workspaceId: workspace.id, slackUserId: body.user.id })
    if (!member || !isAdmin(member)) return
    let meta: SettingsMetadata = {}
    try {
      meta = JSON.parse(view.private_metadata || '{}') as SettingsMetadata
    } catch {}
    try {
      const next = await settingsFormView(deps.domain.prisma, workspace.id, { clientId, channelId: meta.channelId })
      await client.views.update({ view_id: view.id, hash: view.hash, view: next })
    } catch (err) {
      // A hash conflict (the form changed meanwhile) or a client removed meanwhile: the form stays as it was.
      deps.logger.warn({ err: { message: (err as Error).message } }, 'could not show the chosen client in the settings')
    }
  }
}
