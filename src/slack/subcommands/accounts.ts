import { accountsMessage } from '../blocks/accounts-message.ts'
import { usageMessage } from '../blocks/help-message.ts'
import { ephemeral, type Subcommand } from './subcommand.ts'

export const accounts: Subcommand = async ({ args, ack, respond, workspace, deps }) => {
  if (args.length > 0) return ack(ephemeral(usageMessage('`accounts` takes no arguments.', 'accounts')))
  await ack()
  const list = await deps.domain.prisma.adAccount.findMany({
    where: { workspaceId: workspace.id },
    include: { connection: true },
    orderBy: [{ syncEnabled: 'desc' }, { name: 'asc' }],
  })
  await respond(ephemeral(accountsMessage(list, deps.domain.now())))
}
