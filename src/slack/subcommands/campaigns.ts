import { CAMPAIGN_STATUS_FILTERS, type CampaignStatusFilter, listCampaigns } from '../../domain/campaigns/list-campaigns.ts'
import { campaignsMessage } from '../blocks/campaigns-message.ts'
import { ephemeral, type Subcommand } from './subcommand.ts'

/** `/promoly campaigns [account] [status]`: the status word may come first or last. */
export const campaigns: Subcommand = async ({ args, ack, respond, deps, pause, scope }) => {
  const words = [...args]
  let status: CampaignStatusFilter = 'active'
  const statusWord = words.find((w) => (CAMPAIGN_STATUS_FILTERS as readonly string[]).includes(w.toLowerCase()))
  if (statusWord !== undefined) {
    status = statusWord.toLowerCase() as CampaignStatusFilter
    words.splice(words.indexOf(statusWord), 1)
  }
  const account = words.length > 0 ? words.join(' ') : undefined
  await ack()
  const { items, accounts } = await listCampaigns(deps.domain.prisma, {
    scope: await scope(),
    account,
    status,
    now: deps.domain.now(),
  })
  // Rendering and posting are synchronous steps of their own: requests that came in meanwhile are acked first.
  await pause()
  const message = ephemeral(campaignsMessage(items, { status, accountName: account ? accounts[0]?.name : undefined }))
  await pause()
  await respond(message)
}
