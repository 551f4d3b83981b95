import { findCampaign } from '../../domain/campaigns/find-campaign.ts'
import { listHistory } from '../../domain/changes/list-history.ts'
import { historyMessage } from '../blocks/history-message.ts'
import { ephemeral, type Subcommand } from './subcommand.ts'

/** `/promoly history [campaign]`: the audit trail of changes, with "did it work?". */
export const history: Subcommand = async ({ args, ack, respond, deps, scope }) => {
  await ack()
  const where = await scope()
  const campaign = args.length > 0 ? await findCampaign(deps.domain.prisma, where, args.join(' ')) : undefined
  const entries = await listHistory(deps.domain.prisma, { scope: where, campaignId: campaign?.id })
  await respond(ephemeral(historyMessage(entries, campaign?.name)))
}
