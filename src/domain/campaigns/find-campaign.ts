import type { AdAccount, Campaign, PrismaClient } from '../../generated/prisma/client.ts'
import { echoInput } from '../../lib/mrkdwn.ts'
import { accountsInScope, type ClientScope } from '../clients/client-scope.ts'
import { ambiguous, noMatch } from './name-lookup.ts'
import { NAME_MATCH_LIMIT, nameContains, rankByName } from './name-match.ts'

export type CampaignWithAccount = Campaign & { adAccount: AdAccount }

/**
 * The scope's campaigns (of syncing accounts) by Meta campaign id, or by name anywhere in it (case-insensitive): an
 * exact name wins, names starting with the query come first.
 */
export async function matchCampaigns(prisma: PrismaClient, scope: ClientScope, query: string): Promise<CampaignWithAccount[]> {
  const q = query.trim()
  if (q === '') return []
  const where = { adAccount: { ...accountsInScope(scope), syncEnabled: true } }
  if (/^\d+$/.test(q)) {
    const byId = await prisma.campaign.findMany({ where: { ...where, metaCampaignId: q }, include: { adAccount: true } })
    if (byId.length > 0) return byId
  }
  const byName = await prisma.campaign.findMany({
    where: { ...where, name: nameContains(q) },
    include: { adAccount: true },
    orderBy: { name: 'asc' },
    take: NAME_MATCH_LIMIT,
  })
  return rankByName(byName, q)
}

/** Exactly one campaign of the scope; otherwise a refusal (another client's), "did you mean" (misspelt) or the matches (ambiguous). */
export async function findCampaign(prisma: PrismaClient, scope: ClientScope, query: string): Promise<CampaignWithAccount> {
  const matches = await matchCampaigns(prisma, scope, query)
  const [only] = matches
  if (!only)
    throw await noMatch(prisma, scope, query, ['campaign'], `No campaign matches "${echoInput(query)}". See \`/promoly campaigns\`.`)
  if (matches.length === 1) return only
  throw ambiguous(
    query,
    matches.map((c) => ({ name: c.name, label: `${c.name} (${c.adAccount.name})`, metaCampaignId: c.metaCampaignId })),
  )
}
