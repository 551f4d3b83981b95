import type { AdAccount, PrismaClient } from '../../generated/prisma/client.ts'
import { echoInput } from '../../lib/mrkdwn.ts'
import { accountsInScope, type ClientScope } from '../clients/client-scope.ts'
import { accountIdOf, ambiguous, noMatch } from './name-lookup.ts'
import { NAME_MATCH_LIMIT, nameContains, rankByName } from './name-match.ts'

/** Exactly one syncing ad account of the scope, by Meta id (act_123 or 123) or by name; see findCampaign for the rest. */
export async function findAdAccount(prisma: PrismaClient, scope: ClientScope, query: string): Promise<AdAccount> {
  const matches = await matchAdAccounts(prisma, scope, query)
  const [only] = matches
  if (!only)
    throw await noMatch(
      prisma,
      scope,
      query,
      ['account'],
      `No connected ad account matches "${echoInput(query)}". See \`/promoly accounts\`.`,
    )
  if (matches.length === 1) return only
  throw ambiguous(query, matches)
}

/** The scope's syncing ad accounts by Meta id, or by name anywhere in it (an exact name wins, prefixes first). */
export async function matchAdAccounts(prisma: PrismaClient, scope: ClientScope, query: string): Promise<AdAccount[]> {
  const q = query.trim()
  if (q === '') return []
  const where = { ...accountsInScope(scope), syncEnabled: true }
  const id = accountIdOf(q)
  if (id) {
    const byId = await prisma.adAccount.findMany({ where: { ...where, metaAccountId: id } })
    if (byId.length > 0) return byId
  }
  const byName = await prisma.adAccount.findMany({
    where: { ...where, name: nameContains(q) },
    orderBy: { name: 'asc' },
    take: NAME_MATCH_LIMIT,
  })
  return rankByName(byName, q)
}
