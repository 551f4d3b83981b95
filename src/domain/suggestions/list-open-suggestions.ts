import type { Prisma, PrismaClient, Suggestion } from '../../generated/prisma/client.ts'
import { matchAdAccounts } from '../campaigns/find-ad-account.ts'
import { matchCampaigns } from '../campaigns/find-campaign.ts'
import { matchObjects } from '../campaigns/find-object.ts'
import { CHANGE_INCLUDE, type ChangeWithContext } from '../changes/change-include.ts'
import { accountsInScope, type ClientScope, outOfScope, workspaceScope } from '../clients/client-scope.ts'
import { type SuggestionPlace, suggestionPlaces } from './suggestion-place.ts'

export interface ListOpenSuggestionsOptions {
  /** The workspace, or one client's accounts only (a client's channel). */
  scope: ClientScope
  /**
   * Only for this campaign (its findings at every level), ad set (its own and its ads'), ad, or ad account (name,
   * start of a name, or Meta id); all when absent.
   */
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

/**
 * The optimizer's open suggestions, most confident first (campaigns, ad sets and ads the target names win over an
 * account it names).
 */
export async function listOpenSuggestions(prisma: PrismaClient, options: ListOpenSuggestionsOptions): Promise<OpenSuggestions> {
  const { workspaceId } = options.scope
  const target = options.target?.trim()
  let only: Prisma.SuggestionWhereInput = {}
  if (target) {
    const [campaigns, below, accounts] = await Promise.all([
      matchCampaigns(prisma, options.scope, target),
      matchObjects(prisma, options.scope, target, ['adset', 'ad']),
      matchAdAccounts(prisma, options.scope, target),
    ])
    const adSets = below.flatMap((o) => (o.level === 'adset' && o.adSet ? [o.adSet.id] : []))
    const ads = below.flatMap((o) => (o.level === 'ad' && o.ad ? [o.ad.id] : []))
    if (campaigns.length + adSets.length + ads.length + accounts.length === 0) {
      // Another client's campaign or account asked for in a client's channel: refused, not "none open".
      if (options.scope.client && (await matchesAnywhere(prisma, workspaceId, target))) throw outOfScope(options.scope, target)
      return { targetFound: false, total: 0, suggestions: [] }
    }
    const objects: Prisma.SuggestionWhereInput[] = [
      ...(campaigns.length > 0 ? [{ campaignId: { in: campaigns.map((c) => c.id) } }] : []),
      ...(adSets.length > 0 ? [{ adSetId: { in: adSets } }] : []),
      ...(ads.length > 0 ? [{ adId: { in: ads } }] : []),
    ]
    only = objects.length > 0 ? { OR: objects } : { adAccountId: { in: accounts.map((a) => a.id) } }
  }
  // A client's channel: only that client's accounts (the target's matches are within them already).
  const clientAccounts = options.scope.client
    ? (await prisma.adAccount.findMany({ where: accountsInScope(options.scope), select: { id: true } })).map((a) => a.id)
    : null
  const where = { workspaceId, status: 'OPEN', ...(clientAccounts ? { adAccountId: { in: clientAccounts } } : {}), ...only }
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

async function matchesAnywhere(prisma: PrismaClient, workspaceId: string, target: string): Promise<boolean> {
  const everywhere = workspaceScope(workspaceId)
  const [objects, accounts] = await Promise.all([
    matchObjects(prisma, everywhere, target, ['campaign', 'adset', 'ad']),
    matchAdAccounts(prisma, everywhere, target),
  ])
  return objects.length + accounts.length > 0
}
