import { matchAdAccounts } from '../../domain/campaigns/find-ad-account.ts'
import { matchCampaigns } from '../../domain/campaigns/find-campaign.ts'
import { CHANGE_INCLUDE } from '../../domain/changes/propose-change.ts'
import { changeCard } from '../blocks/change-card.ts'
import { infoMessage } from '../blocks/error-message.ts'
import { suggestionMessage } from '../blocks/suggestion-message.ts'
import { ephemeral, type Subcommand } from './subcommand.ts'

/** `/promoly suggestions [account|campaign]`: the open findings, each with its card. */
export const suggestions: Subcommand = async ({ args, ack, respond, workspace, deps }) => {
  await ack()
  const prisma = deps.domain.prisma
  const query = args.join(' ').trim()
  let where: { campaignId?: { in: string[] }; adAccountId?: { in: string[] } } = {}
  if (query) {
    const [campaigns, accounts] = await Promise.all([matchCampaigns(prisma, workspace.id, query), matchAdAccounts(prisma, workspace.id, query)])
    where = campaigns.length > 0 ? { campaignId: { in: campaigns.map((c) => c.id) } } : { adAccountId: { in: accounts.map((a) => a.id) } }
  }
  const open = await prisma.suggestion.findMany({ where: { workspaceId: workspace.id, status: 'OPEN', ...where }, orderBy: { confidence: 'desc' }, take: 50 })
  if (open.length === 0) {
    return void (await respond(ephemeral(infoMessage(`No open suggestions${query ? ` for "${query}"` : ''}. Promoly looks again after every sync.`))))
  }
  // A response_url takes 5 answers: the summary and the 4 most confident cards.
  const shown = open.slice(0, 4)
  const more = open.length > shown.length ? ` (the ${shown.length} most confident below)` : ''
  await respond(ephemeral(infoMessage(`${open.length} open suggestion${open.length === 1 ? '' : 's'}${query ? ` for "${query}"` : ''}${more}:`)))
  for (const s of shown) {
    const change = s.changeRequestId ? await prisma.changeRequest.findUnique({ where: { id: s.changeRequestId }, include: CHANGE_INCLUDE }) : null
    if (change) {
      await respond(ephemeral(changeCard(change)))
    } else {
      const campaign = await prisma.campaign.findUnique({ where: { id: s.campaignId }, select: { name: true } })
      await respond(ephemeral(suggestionMessage(s, campaign?.name ?? 'campaign')))
    }
  }
}
