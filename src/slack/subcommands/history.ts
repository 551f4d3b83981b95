import { findObjectOrAccount } from '../../domain/campaigns/find-object-or-account.ts'
import { foundLabel } from '../../domain/changes/changeable-object.ts'
import { type HistoryOf, listHistory } from '../../domain/changes/list-history.ts'
import { historyMessage } from '../blocks/history-message.ts'
import { ephemeral, type Subcommand } from './subcommand.ts'

/**
 * `/promoly history [campaign|ad set|ad|account]`: the audit trail of changes, with "did it work?". An object's
 * history holds the changes under it (a campaign's: its own, its ad sets' and its ads'); without one, the scope's.
 */
export const history: Subcommand = async ({ args, ack, respond, deps, scope }) => {
  await ack()
  const where = await scope()
  let of: HistoryOf | undefined
  let title: string | undefined
  if (args.length > 0) {
    const { object, account } = await findObjectOrAccount(deps.domain.prisma, where, args.join(' '))
    if (object?.ad) of = { adId: object.ad.id }
    else if (object?.adSet) of = { adSetId: object.adSet.id }
    else if (object) of = { campaignId: object.campaign.id }
    else of = { adAccountId: account.id }
    title = object ? foundLabel(object) : `Ad account “${account.name}”`
  }
  const entries = await listHistory(deps.domain.prisma, { scope: where, of })
  await respond(ephemeral(historyMessage(entries, title)))
}
