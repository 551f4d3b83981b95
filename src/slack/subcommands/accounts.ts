import { listAdAccounts } from '../../domain/campaigns/list-ad-accounts.ts'
import { accountsMessage } from '../blocks/accounts-message.ts'
import { usageMessage } from '../blocks/help-message.ts'
import { ephemeral, type Subcommand } from './subcommand.ts'

export const accounts: Subcommand = async ({ args, ack, respond, deps, scope }) => {
  if (args.length > 0) return ack(ephemeral(usageMessage('`accounts` takes no arguments.', 'accounts')))
  await ack()
  const list = await listAdAccounts(deps.domain.prisma, { scope: await scope() })
  await respond(ephemeral(accountsMessage(list, deps.domain.now())))
}
