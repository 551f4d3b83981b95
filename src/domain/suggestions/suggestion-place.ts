import type { PrismaClient, Suggestion } from '../../generated/prisma/client.ts'

/** Where a suggestion belongs, as every card names it: the client, the ad account (and its currency), the campaign. */
export interface SuggestionPlace {
  clientName: string
  accountName: string
  currency: string
  campaignName: string
}

/** The place of each suggestion (one query per table, whatever their number), keyed by suggestion id. */
export async function suggestionPlaces(
  prisma: PrismaClient,
  suggestions: Array<Pick<Suggestion, 'id' | 'workspaceId' | 'adAccountId' | 'campaignId'>>,
): Promise<Map<string, SuggestionPlace>> {
  if (suggestions.length === 0) return new Map()
  const [accounts, campaigns] = await Promise.all([
    prisma.adAccount.findMany({
      where: { id: { in: [...new Set(suggestions.map((s) => s.adAccountId))] } },
      select: { id: true, workspaceId: true, name: true, currency: true, client: { select: { name: true } } },
    }),
    prisma.campaign.findMany({
      where: { id: { in: [...new Set(suggestions.map((s) => s.campaignId))] } },
      select: { id: true, name: true, adAccount: { select: { workspaceId: true } } },
    }),
  ])
  const account = new Map(accounts.map((a) => [a.id, a]))
  const campaign = new Map(campaigns.map((c) => [c.id, c]))
  const places = new Map<string, SuggestionPlace>()
  for (const s of suggestions) {
    const a = account.get(s.adAccountId)
    const c = campaign.get(s.campaignId)
    places.set(s.id, {
      clientName: a && a.workspaceId === s.workspaceId ? a.client.name : 'Unknown client',
      accountName: a && a.workspaceId === s.workspaceId ? a.name : 'unknown ad account',
      currency: a?.currency ?? '',
      campaignName: c && c.adAccount.workspaceId === s.workspaceId ? c.name : 'campaign',
    })
  }
  return places
}

/** The place of one suggestion. */
export async function suggestionPlace(
  prisma: PrismaClient,
  suggestion: Pick<Suggestion, 'id' | 'workspaceId' | 'adAccountId' | 'campaignId'>,
): Promise<SuggestionPlace> {
  const places = await suggestionPlaces(prisma, [suggestion])
  return places.get(suggestion.id) as SuggestionPlace
}
