import { isAdmin } from '../../domain/members/resolve-member.ts'
import { connectResultModal, connectTokenModal } from '../blocks/connect-modals.ts'
import { errorMessage } from '../blocks/error-message.ts'
import { usageMessage } from '../blocks/help-message.ts'
import { resolveCaller } from '../resolve-caller.ts'
import { ephemeral, type Subcommand } from './subcommand.ts'

/** `/promoly connect`: opens the modal (admins only) where a Meta system-user token is pasted. */
export const connect: Subcommand = async ({ args, ack, ackBeforeModal, respond, client, command, workspace, deps }) => {
  if (args.length > 0) {
    return ack(
      ephemeral(
        usageMessage(
          'Do not paste the token into the command (it would show in the channel): run `/promoly connect` alone and paste it into the form.',
          'connect',
        ),
      ),
    )
  }
  await ackBeforeModal()
  // trigger_id expires 3 s after the command: open the modal first, check the role after.
  const view = connectTokenModal()
  view.private_metadata = JSON.stringify({ channelId: command.channel_id })
  const opened = await client.views.open({ trigger_id: command.trigger_id, view })
  const member = await resolveCaller(deps, workspace, command.user_id, client)
  if (!isAdmin(member)) {
    const viewId = opened.view?.id
    if (!viewId) throw new Error('Slack opened the connect modal without returning its id')
    await client.views.update({
      view_id: viewId,
      view: connectResultModal(':no_entry: Only Promoly admins can connect Meta accounts. Ask a workspace admin.'),
    })
    await respond(
      ephemeral(
        errorMessage('Only Promoly admins can connect Meta accounts.', 'Ask a workspace admin, or an admin can grant you the role.'),
      ),
    )
  }
}
