import { findCampaign } from '../../domain/campaigns/find-campaign.ts'
import { listHistory } from '../../domain/changes/list-history.ts'
import { historyMessage } from '../blocks/history-message.ts'
import { ephemeral, type Subcommand } from './subcommand.ts'

/** `/promoly history [campaign]`: the audit trail of changes, with "did it work?". */
export const history: Subcommand = async ({ args, ack, respond, workspace, deps }) => {
  await ack()
  const campaign = args.length > 0 ? await findCampaign(deps.domain.prisma, workspace.id, args.join(' ')) : undefined
  const entries = await listHistory(deps.domain.prisma, { workspaceId: workspace.id, campaignId: campaign?.id })
  await respond(ephemeral(historyMessage(entries, campaign?.name)))
}
