import { scopeForChannel } from '../../domain/clients/client-scope.ts'
import { ensureDefaultClient } from '../../domain/clients/default-client.ts'
import { listClientNames } from '../../domain/clients/list-clients.ts'
import { getClientSettings } from '../../domain/clients/update-client-settings.ts'
import { isAdmin } from '../../domain/members/resolve-member.ts'
import { getWorkspaceSettings } from '../../domain/settings/get-workspace-settings.ts'
import type { PrismaClient } from '../../generated/prisma/client.ts'
import { errorMessage } from '../blocks/error-message.ts'
import { usageMessage } from '../blocks/help-message.ts'
import { settingsModal, settingsNoticeModal } from '../blocks/settings-modal.ts'
import type { ModalView } from '../blocks/types.ts'
import { resolveCaller } from '../resolve-caller.ts'
import { ephemeral, type Subcommand } from './subcommand.ts'

/** What the settings form carries back to its submission handler. */
export interface SettingsMetadata {
  /** Where the command was run: the confirmation goes there. */
  channelId?: string
  /** The currency the money fields were shown (and typed) in. */
  currency?: string
  /** The client whose fields the form shows, and the currencies its targets were shown in. */
  clientId?: string
  clientCurrencies?: string[]
}

/**
 * The settings form for `client` (by id; absent: the client of the channel the command ran in, else the default
 * client): the workspace's part, then that client's. `channelId` is where the confirmation goes.
 */
export async function settingsFormView(
  prisma: PrismaClient,
  workspaceId: string,
  options: { clientId?: string; channelId?: string },
): Promise<ModalView> {
  const current = await getWorkspaceSettings(prisma, { workspaceId })
  const chosen =
    options.clientId ??
    (await scopeForChannel(prisma, workspaceId, options.channelId)).client?.id ??
    (await ensureDefaultClient(prisma, workspaceId)).id
  const [client, clients] = await Promise.all([getClientSettings(prisma, workspaceId, chosen), listClientNames(prisma, workspaceId)])
  const metadata: SettingsMetadata = {
    channelId: options.channelId,
    currency: current.currency,
    clientId: client.id,
    clientCurrencies: client.currencies.length > 0 ? client.currencies : ['USD'],
  }
  return settingsModal({
    settings: current.settings,
    approvers: current.approvers,
    admins: current.admins,
    currency: current.currency,
    client,
    clients,
    privateMetadata: JSON.stringify(metadata),
  })
}

export const NOT_ADMIN_TEXT = 'Only Promoly admins can change settings.'
const NOT_ADMIN_HINT =
  "Promoly admins are the person who installed Promoly, the Slack workspace's owners and admins, and whoever an admin named in these settings."

/**
 * `/promoly settings` (admins): admins, approvers, guardrails and the optimizer, then one client's channels, approvers,
 * targets and guardrails (the client of the channel it ran in, else the default; a picker switches).
 * The modal opens at once (the trigger_id lasts 3 s) with a loading notice; after the role check it
 * becomes the form, or a short refusal.
 */
export const settings: Subcommand = async ({ args, ack, ackBeforeModal, respond, client, command, workspace, deps, logger }) => {
  if (args.length > 0)
    return ack(ephemeral(usageMessage('`/promoly settings` takes no arguments: everything is in the form it opens.', 'settings')))
  await ackBeforeModal()
  const opened = await client.views.open({
    trigger_id: command.trigger_id,
    view: settingsNoticeModal(':hourglass_flowing_sand: Loading the settings…'),
  })
  const viewId = opened.view?.id
  if (!viewId) throw new Error('Slack opened the settings modal without returning its id')
  try {
    const member = await resolveCaller(deps, workspace, command.user_id, client)
    if (!isAdmin(member)) {
      await client.views
        .update({ view_id: viewId, view: settingsNoticeModal(`:no_entry: ${NOT_ADMIN_TEXT} ${NOT_ADMIN_HINT}`) })
        .catch((err) => logger.warn({ err }, 'could not show the settings refusal in the modal'))
      await respond(ephemeral(errorMessage(NOT_ADMIN_TEXT, NOT_ADMIN_HINT)))
      return
    }
    // The installer is an admin before Promoly has met them: on record, so the form lists them and can remove them.
    const installer = await deps.installerUserId(workspace.slackTeamId)
    if (installer && installer !== command.user_id) await resolveCaller(deps, workspace, installer, client)
    await client.views.update({
      view_id: viewId,
      view: await settingsFormView(deps.domain.prisma, workspace.id, { channelId: command.channel_id }),
    })
  } catch (err) {
    // Do not leave the modal spinning; the router reports the error itself.
    await client.views
      .update({ view_id: viewId, view: settingsNoticeModal(':warning: The settings could not be loaded. Please try again in a moment.') })
      .catch(() => undefined)
    throw err
  }
}
