/**
 * One campaign, ad set or ad of a ClientScope by Meta id or by name, as findCampaign finds campaigns: anywhere in the
 * name, case-insensitive, typed text taken literally; an exact name wins, names starting with it first. Archived and
 * deleted objects (their history is kept) are found by id or exact name, and by prefix only when nothing live matches.
 */
import type { Ad, AdAccount, AdSet, Campaign, PrismaClient } from '../../generated/prisma/client.ts'
import { echoInput } from '../../lib/mrkdwn.ts'
import { accountsInScope, type ClientScope } from '../clients/client-scope.ts'
import { isGone, type ObjectLevel, type StatusFilter, statusWhere } from '../metrics/load-level-totals.ts'
import { adLabel, adSetLabel, ambiguous, type NameKind, noMatch } from './name-lookup.ts'
import { NAME_MATCH_LIMIT, nameContains, nameIs, nameStartsWith, rankByName } from './name-match.ts'

/** A campaign, ad set or ad with its parents (Prisma rows); `adSet` for ad sets and ads, `ad` for ads. */
export interface FoundObject {
  level: ObjectLevel
  account: AdAccount
  campaign: Campaign
  adSet?: AdSet
  ad?: Ad
}

const LEVEL_WORD: Record<ObjectLevel, string> = { campaign: 'campaign', adset: 'ad set', ad: 'ad' }

/** "ad set", "campaign or ad set", "campaign, ad set or ad". */
function levelWords(levels: readonly ObjectLevel[]): string {
  const words = levels.map((l) => LEVEL_WORD[l])
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`
}

/** Whether an object was deleted or archived on Meta (its history is kept); null while it is live. */
export function goneWord(o: { status: string; effectiveStatus: string }): 'deleted' | 'archived' | null {
  if (!isGone(o)) return null
  return o.status === 'DELETED' || o.effectiveStatus === 'DELETED' ? 'deleted' : 'archived'
}

/** " (deleted on Meta)", " (archived on Meta)" or nothing: what a label says of an object's status. */
function goneNote(o: { status: string; effectiveStatus: string }): string {
  const gone = goneWord(o)
  return gone ? ` (${gone} on Meta)` : ''
}

/** The object found itself (the ad of an ad, the ad set of an ad set, else the campaign). */
export function objectOf(o: FoundObject): { name: string; status: string; effectiveStatus: string; metaId: string } {
  if (o.ad) return { ...o.ad, metaId: o.ad.metaAdId }
  if (o.adSet) return { ...o.adSet, metaId: o.adSet.metaAdSetId }
  return { ...o.campaign, metaId: o.campaign.metaCampaignId }
}

type NameFilter = ReturnType<typeof nameContains> | ReturnType<typeof nameIs> | ReturnType<typeof nameStartsWith>

/** Per level asked, the scope's objects whose Meta id is `id` or whose name passes `name`, with the given statuses. */
async function load(
  prisma: PrismaClient,
  scope: ClientScope,
  levels: readonly ObjectLevel[],
  by: { id: string } | { name: NameFilter; status: StatusFilter },
): Promise<FoundObject[]> {
  const where = { adAccount: { ...accountsInScope(scope), syncEnabled: true } }
  const named = 'name' in by ? { name: by.name, ...statusWhere(by.status) } : {}
  const page = { orderBy: { name: 'asc' as const }, take: NAME_MATCH_LIMIT }
  const [campaigns, adSets, ads] = await Promise.all([
    levels.includes('campaign')
      ? prisma.campaign.findMany({
          where: { ...where, ...named, ...('id' in by ? { metaCampaignId: by.id } : {}) },
          include: { adAccount: true },
          ...page,
        })
      : [],
    levels.includes('adset')
      ? prisma.adSet.findMany({
          where: { ...where, ...named, ...('id' in by ? { metaAdSetId: by.id } : {}) },
          include: { adAccount: true, campaign: true },
          ...page,
        })
      : [],
    levels.includes('ad')
      ? prisma.ad.findMany({
          where: { ...where, ...named, ...('id' in by ? { metaAdId: by.id } : {}) },
          include: { adAccount: true, campaign: true, adSet: true },
          ...page,
        })
      : [],
  ])
  return [
    ...campaigns.map(({ adAccount, ...campaign }): FoundObject => ({ level: 'campaign', account: adAccount, campaign })),
    ...adSets.map(({ adAccount, campaign, ...adSet }): FoundObject => ({ level: 'adset', account: adAccount, campaign, adSet })),
    ...ads.map(({ adAccount, campaign, adSet, ...ad }): FoundObject => ({ level: 'ad', account: adAccount, campaign, adSet, ad })),
  ]
}

/**
 * The scope's objects of the given levels (of syncing accounts) that a query names: by Meta id (any status), else by
 * name: live ones anywhere in the name and archived/deleted ones by exact name (case-insensitive); archived/deleted
 * ones by prefix only when neither matched. Ranked exact, prefix, elsewhere (campaigns before ad sets before ads
 * within a name); a single exact name wins alone.
 */
export async function matchObjects(
  prisma: PrismaClient,
  scope: ClientScope,
  query: string,
  levels: readonly ObjectLevel[],
): Promise<FoundObject[]> {
  const q = query.trim()
  if (q === '') return []
  if (/^\d+$/.test(q)) {
    const byId = await load(prisma, scope, levels, { id: q })
    if (byId.length > 0) return byId
  }
  const withName = (o: FoundObject) => ({ o, name: objectOf(o).name })
  const [live, goneExact] = await Promise.all([
    load(prisma, scope, levels, { name: nameContains(q), status: 'live' }),
    load(prisma, scope, levels, { name: nameIs(q), status: 'archived' }),
  ])
  let found = [...live, ...goneExact]
  if (found.length === 0) found = await load(prisma, scope, levels, { name: nameStartsWith(q), status: 'archived' })
  return rankByName(found.map(withName), q).map((x) => x.o)
}

/** How a match is offered and listed: plain text for a button, and mrkdwn (the parent in bold) for the list. */
export function describeMatch(o: FoundObject): { label: string; line: string } {
  const { name } = objectOf(o)
  const gone = goneNote(objectOf(o))
  const account = o.account.name
  if (o.ad && o.adSet) {
    return {
      label: `${adLabel(name, o.adSet.name, o.campaign.name, account)}${gone}`,
      line: `${name} — ad in *${o.adSet.name}* / *${o.campaign.name}* (${account})${gone}`,
    }
  }
  if (o.adSet) {
    return {
      label: `${adSetLabel(name, o.campaign.name, account)}${gone}`,
      line: `${name} — ad set in *${o.campaign.name}* (${account})${gone}`,
    }
  }
  const label = `${name} — campaign in ${account}${gone}`
  return { label, line: label }
}

/**
 * Exactly one campaign, ad set or ad (of `levels`) of the scope; otherwise the refusal (another client's), "did you
 * mean" (misspelt) or the matches listed with their level and parent (ambiguous).
 */
export async function findObject(
  prisma: PrismaClient,
  scope: ClientScope,
  query: string,
  levels: readonly ObjectLevel[],
  options: { notFound?: string } = {},
): Promise<FoundObject> {
  const matches = await matchObjects(prisma, scope, query, levels)
  const [only] = matches
  if (!only) {
    const message = options.notFound ?? `No ${levelWords(levels)} matches "${echoInput(query)}".`
    throw await noMatch(prisma, scope, query, [...levels] as NameKind[], message)
  }
  if (matches.length === 1) return only
  throw ambiguous(
    query,
    matches.map((o) => ({ name: objectOf(o).name, ref: objectOf(o).metaId, ...describeMatch(o) })),
  )
}
