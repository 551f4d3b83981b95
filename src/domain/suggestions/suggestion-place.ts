import type { PrismaClient, Suggestion } from '../../generated/prisma/client.ts'
import type { SuggestionLevel } from '../optimizer/index.ts'

/**
 * Where a suggestion belongs, as every card names it: the client, the ad account (and its currency), the campaign,
 * and for a finding on an ad set or an ad, that ad set (and ad).
 */
export interface SuggestionPlace {
  clientName: string
  accountName: string
  currency: string
  campaignName: string
  /** Where the finding was judged. */
  level: SuggestionLevel
  /** The ad set (level adset) or the ad's ad set (level ad); null for a campaign. */
  adSetName: string | null
  /** The ad (level ad); null otherwise. */
  adName: string | null
}

type Placed = Pick<Suggestion, 'id' | 'workspaceId' | 'adAccountId' | 'campaignId' | 'level' | 'adSetId' | 'adId'>

function levelOf(s: Placed): SuggestionLevel {
  return s.level === 'ad' || s.level === 'adset' ? s.level : 'campaign'
}

/** The place of each suggestion (one query per table, whatever their number), keyed by suggestion id. */
export async function suggestionPlaces(prisma: PrismaClient, suggestions: Placed[]): Promise<Map<string, SuggestionPlace>> {
  if (suggestions.length === 0) return new Map()
  const ids = (pick: (s: Placed) => string | null) => [...new Set(suggestions.flatMap((s) => (pick(s) ? [pick(s) as string] : [])))]
  const [accounts, campaigns, adSets, ads] = await Promise.all([
    prisma.adAccount.findMany({
      where: { id: { in: ids((s) => s.adAccountId) } },
      select: { id: true, workspaceId: true, name: true, currency: true, client: { select: { name: true } } },
    }),
    prisma.campaign.findMany({
      where: { id: { in: ids((s) => s.campaignId) } },
      select: { id: true, name: true, adAccount: { select: { workspaceId: true } } },
    }),
    prisma.adSet.findMany({
      where: { id: { in: ids((s) => s.adSetId) } },
      select: { id: true, name: true, adAccount: { select: { workspaceId: true } } },
    }),
    prisma.ad.findMany({
      where: { id: { in: ids((s) => s.adId) } },
      select: { id: true, name: true, adAccount: { select: { workspaceId: true } } },
    }),
  ])
  const account = new Map(accounts.map((a) => [a.id, a]))
  const campaign = new Map(campaigns.map((c) => [c.id, c]))
  const adSet = new Map(adSets.map((c) => [c.id, c]))
  const ad = new Map(ads.map((c) => [c.id, c]))
  /** The object's name when it is in the suggestion's workspace, else what to call it. */
  const named = (o: { name: string; adAccount: { workspaceId: string } } | undefined, s: Placed, unknown: string) =>
    o && o.adAccount.workspaceId === s.workspaceId ? o.name : unknown
  const places = new Map<string, SuggestionPlace>()
  for (const s of suggestions) {
    const a = account.get(s.adAccountId)
    const level = levelOf(s)
    places.set(s.id, {
      clientName: a && a.workspaceId === s.workspaceId ? a.client.name : 'Unknown client',
      accountName: a && a.workspaceId === s.workspaceId ? a.name : 'unknown ad account',
      currency: a?.currency ?? '',
      campaignName: named(campaign.get(s.campaignId), s, 'campaign'),
      level,
      adSetName: level === 'campaign' ? null : named(s.adSetId ? adSet.get(s.adSetId) : undefined, s, 'an ad set no longer synced'),
      adName: level === 'ad' ? named(s.adId ? ad.get(s.adId) : undefined, s, 'an ad no longer synced') : null,
    })
  }
  return places
}

/** The place of one suggestion. */
export async function suggestionPlace(prisma: PrismaClient, suggestion: Placed): Promise<SuggestionPlace> {
  const places = await suggestionPlaces(prisma, [suggestion])
  return places.get(suggestion.id) as SuggestionPlace
}
