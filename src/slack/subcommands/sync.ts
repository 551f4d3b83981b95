import { findAdAccount } from '../../domain/campaigns/find-ad-account.ts'
import { listSyncingAdAccounts } from '../../domain/campaigns/list-syncing-ad-accounts.ts'
import { infoMessage } from '../blocks/error-message.ts'
import { usageMessage } from '../blocks/help-message.ts'
import { ephemeral, type Subcommand } from './subcommand.ts'

/** `/promoly sync [account] [full]`: queues a sync; the user hears back when it is done. */
export const sync: Subcommand = async ({ args, ack, respond, command, workspace, deps, scope }) => {
  const words = [...args]
  const full = words.at(-1)?.toLowerCase() === 'full'
  if (full) words.pop()
  const accountQuery = words.join(' ').trim()
  if (accountQuery.length > 200) return ack(ephemeral(usageMessage('That account name is too long.', 'sync')))
  await ack()
  // In a client's channel, "sync" alone syncs that client's accounts.
  const where = await scope()
  const adAccountIds = accountQuery
    ? [(await findAdAccount(deps.domain.prisma, where, accountQuery)).id]
    : where.client
      ? (await listSyncingAdAccounts(deps.domain.prisma, { scope: where })).map((a) => a.id)
      : undefined
  const { queued, alreadyRunning } = await deps.requestSync({
    workspaceId: workspace.id,
    adAccountIds,
    full,
    notify: { teamId: command.team_id, channelId: command.channel_id, userId: command.user_id },
  })
  await respond(
    ephemeral(
      infoMessage(
        queued + alreadyRunning === 0
          ? 'No ad account to sync: connect one with /promoly connect (accounts whose token Meta rejected need a reconnect).'
          : [
              queued > 0 ? `Syncing ${queued} ad account${queued === 1 ? '' : 's'} from Meta… I will tell you here when it is done.` : '',
              alreadyRunning > 0
                ? `${alreadyRunning} ${alreadyRunning === 1 ? 'was' : 'were'} already syncing: /promoly accounts shows when it finishes.`
                : '',
            ]
              .filter(Boolean)
              .join(' '),
      ),
    ),
  )
}
