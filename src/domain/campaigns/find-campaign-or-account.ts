import type { AdAccount, PrismaClient } from '../../generated/prisma/client.ts'
import { echoInput } from '../../lib/mrkdwn.ts'
import type { ClientScope } from '../clients/client-scope.ts'
import { matchAdAccounts } from './find-ad-account.ts'
import { type CampaignWithAccount, matchCampaigns } from './find-campaign.ts'
import { ambiguous, noMatch } from './name-lookup.ts'

/**
 * One campaign (with its account) or one ad account of the scope by id or name (the exact name of either wins), or
 * the refusal, "did you mean" or ambiguity error.
 */
export async function findCampaignOrAccount(
  prisma: PrismaClient,
  scope: ClientScope,
  target: string,
): Promise<{ campaign: CampaignWithAccount | undefined; account: AdAccount }> {
  let [campaigns, accounts] = await Promise.all([matchCampaigns(prisma, scope, target), matchAdAccounts(prisma, scope, target)])
  const q = target.trim().toLowerCase()
  const exactCampaigns = campaigns.filter((c) => c.name.toLowerCase() === q)
  const exactAccounts = accounts.filter((a) => a.name.toLowerCase() === q)
  if (exactCampaigns.length + exactAccounts.length === 1) [campaigns, accounts] = [exactCampaigns, exactAccounts]
  if (campaigns.length + accounts.length === 0) {
    throw await noMatch(
      prisma,
      scope,
      target,
      ['campaign', 'account'],
      `No campaign or ad account matches "${echoInput(target)}". See \`/promoly campaigns\` and \`/promoly accounts\`.`,
    )
  }
  if (campaigns.length + accounts.length > 1) {
    throw ambiguous(target, [
      ...campaigns.map((c) => ({ name: c.name, label: `${c.name} — campaign in ${c.adAccount.name}`, metaCampaignId: c.metaCampaignId })),
      ...accounts.map((a) => ({ name: a.name, label: `${a.name} — ad account`, metaAccountId: a.metaAccountId })),
    ])
  }
  const campaign = campaigns[0]
  const account = campaign ? campaign.adAccount : accounts[0]
  if (!account) throw new Error('a single match that is neither a campaign nor an ad account')
  return { campaign, account }
}
