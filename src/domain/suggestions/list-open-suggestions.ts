import type { PrismaClient, Suggestion } from '../../generated/prisma/client.ts'
import { matchAdAccounts } from '../campaigns/find-ad-account.ts'
import { matchCampaigns } from '../campaigns/find-campaign.ts'
import { CHANGE_INCLUDE, type ChangeWithContext } from '../changes/change-include.ts'
import { type SuggestionPlace, suggestionPlaces } from './suggestion-place.ts'

export interface ListOpenSuggestionsOptions {
  workspaceId: string
  /** Only for this campaign or ad account (name, start of a name, or id); all when absent. */
  target?: string
  /** How many to return, most confident first. */
  limit: number
}

/** An open suggestion with its campaign's name, its place (client, account) and, when it proposes one, its change request. */
export type OpenSuggestion = Suggestion & { campaignName: string | null; place: SuggestionPlace; change: ChangeWithContext | null }

export interface OpenSuggestions {
  /** False when a target was given and no campaign or ad account matches it. */
  targetFound: boolean
  /** How many are open (for the target), also those beyond the limit. */
  total: number
  suggestions: OpenSuggestion[]
}

/** The optimizer's open suggestions, most confident first (campaigns win when the target names both a campaign and an account). */
export async function listOpenSuggestions(prisma: PrismaClient, options: ListOpenSuggestionsOptions): Promise<OpenSuggestions> {
  const { workspaceId } = options
  const target = options.target?.trim()
  let scope: { campaignId?: { in: string[] }; adAccountId?: { in: string[] } } = {}
  if (target) {
    const [campaigns, accounts] = await Promise.all([
      matchCampaigns(prisma, workspaceId, target),
      matchAdAccounts(prisma, workspaceId, target),
    ])
    if (campaigns.length + accounts.length === 0) return { targetFound: false, total: 0, suggestions: [] }
    scope = campaigns.length > 0 ? { campaignId: { in: campaigns.map((c) => c.id) } } : { adAccountId: { in: accounts.map((a) => a.id) } }
  }
  const where = { workspaceId, status: 'OPEN', ...scope }
  const [total, open] = await Promise.all([
    prisma.suggestion.count({ where }),
    prisma.suggestion.findMany({ where, orderBy: [{ confidence: 'desc' }, { createdAt: 'desc' }], take: options.limit }),
  ])
  const [campaigns, changes, places] = await Promise.all([
    prisma.campaign.findMany({
      where: { id: { in: open.map((s) => s.campaignId) }, adAccount: { workspaceId } },
      select: { id: true, name: true },
    }),
    prisma.changeRequest.findMany({
      where: { workspaceId, id: { in: open.flatMap((s) => (s.changeRequestId ? [s.changeRequestId] : [])) } },
      include: CHANGE_INCLUDE,
    }),
    suggestionPlaces(prisma, open),
  ])
  const name = new Map(campaigns.map((c) => [c.id, c.name]))
  const change = new Map(changes.map((c) => [c.id, c]))
  return {
    targetFound: true,
    total,
    suggestions: open.map((s) => ({
      ...s,
      campaignName: name.get(s.campaignId) ?? null,
      place: places.get(s.id) as SuggestionPlace,
      change: (s.changeRequestId && change.get(s.changeRequestId)) || null,
    })),
  }
}
