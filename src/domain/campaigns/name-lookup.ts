import type { PrismaClient } from '../../generated/prisma/client.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { echoInput } from '../../lib/mrkdwn.ts'
import { accountsInScope, type ClientScope, outOfScope } from '../clients/client-scope.ts'
import { closestByName, DID_YOU_MEAN_MAX, type DidYouMean, type DidYouMeanOption, nameContains } from './name-match.ts'

/** What a look-up looks for. */
export type NameKind = 'campaign' | 'account' | 'adset' | 'ad'

/** How many names of the scope a misspelling is compared with at most (per kind). */
const CANDIDATES = 2000

/** Meta's campaign id (digits) or an account id (act_ and digits, or digits alone). */
export function accountIdOf(query: string): string | null {
  const q = query.trim()
  return /^(act_)?\d+$/.test(q) ? (q.startsWith('act_') ? q : `act_${q}`) : null
}

/**
 * The ad accounts named in typed words: one name however many words it has ("acme home" is one account), or
 * several separated by commas ("Acme Home, Globex"); a run of Meta account ids may also be separated by spaces.
 */
export function accountQueries(words: string[]): string[] {
  return words
    .join(' ')
    .split(',')
    .map((part) => part.trim().split(/\s+/).filter(Boolean))
    .flatMap((part) => (part.length > 1 && part.every((w) => accountIdOf(w)) ? part : [part.join(' ')]))
    .filter((q) => q !== '')
}

/**
 * The error for a name or id that matched nothing in the scope. In a client's channel, something of another client
 * that matches is refused with the reason (outOfScope; nothing of it shown). Otherwise NOT_FOUND with `message`, and
 * the closest names of the scope, if any are close, as "did you mean" options (never another client's).
 */
export async function noMatch(
  prisma: PrismaClient,
  scope: ClientScope,
  query: string,
  kinds: NameKind[],
  message: string,
): Promise<AppError> {
  const q = query.trim()
  if (scope.client && q !== '' && (await matchesElsewhere(prisma, scope, q, kinds))) return outOfScope(scope, q)
  const close = closestByName(await candidates(prisma, scope, kinds), q)
  if (close.length === 0) return new AppError(AppErrorCode.NOT_FOUND, message)
  const didYouMean: DidYouMean = { query: q, options: close.map((c) => c.option) }
  return new AppError(
    AppErrorCode.NOT_FOUND,
    `${message}\nDid you mean ${close.map((c) => `*${echoInput(c.option.label, 120)}*`).join(', ')}?`,
    { details: { didYouMean } },
  )
}

/** The names of the scope a misspelling is compared with, each with what to type instead (its id) and what it is. */
async function candidates(
  prisma: PrismaClient,
  scope: ClientScope,
  kinds: NameKind[],
): Promise<Array<{ name: string; option: DidYouMeanOption }>> {
  const accounts = { ...accountsInScope(scope), syncEnabled: true }
  const page = { orderBy: { name: 'asc' as const }, take: CANDIDATES }
  const parents = { campaign: { select: { name: true } }, adAccount: { select: { name: true } } }
  const [campaigns, adAccounts, adSets, ads] = await Promise.all([
    kinds.includes('campaign')
      ? prisma.campaign.findMany({
          where: { adAccount: accounts },
          select: { name: true, metaCampaignId: true, adAccount: { select: { name: true } } },
          ...page,
        })
      : [],
    kinds.includes('account') ? prisma.adAccount.findMany({ where: accounts, select: { name: true, metaAccountId: true }, ...page }) : [],
    kinds.includes('adset')
      ? prisma.adSet.findMany({ where: { adAccount: accounts }, select: { name: true, metaAdSetId: true, ...parents }, ...page })
      : [],
    kinds.includes('ad')
      ? prisma.ad.findMany({
          where: { adAccount: accounts },
          select: { name: true, metaAdId: true, adSet: { select: { name: true } }, ...parents },
          ...page,
        })
      : [],
  ])
  const both = kinds.length > 1
  return [
    ...campaigns.map((c) => ({ name: c.name, option: { ref: c.metaCampaignId, label: campaignLabel(c.name, c.adAccount.name, both) } })),
    ...adAccounts.map((a) => ({ name: a.name, option: { ref: a.metaAccountId, label: accountLabel(a.name, both) } })),
    ...adSets.map((s) => ({
      name: s.name,
      option: { ref: s.metaAdSetId, label: adSetLabel(s.name, s.campaign.name, s.adAccount.name) },
    })),
    ...ads.map((a) => ({
      name: a.name,
      option: { ref: a.metaAdId, label: adLabel(a.name, a.adSet.name, a.campaign.name, a.adAccount.name) },
    })),
  ]
}

/** Whether the query names (by id or anywhere in the name) a syncing ad account, campaign, ad set or ad of the workspace outside the scope. */
async function matchesElsewhere(prisma: PrismaClient, scope: ClientScope, q: string, kinds: NameKind[]): Promise<boolean> {
  const elsewhere = { workspaceId: scope.workspaceId, syncEnabled: true, NOT: { clientId: scope.client?.id } }
  const actId = accountIdOf(q)
  const digits = /^\d+$/.test(q)
  const name = { name: nameContains(q) }
  const [campaigns, accounts, adSets, ads] = await Promise.all([
    kinds.includes('campaign')
      ? prisma.campaign.count({ where: { adAccount: elsewhere, OR: [name, ...(digits ? [{ metaCampaignId: q }] : [])] } })
      : 0,
    kinds.includes('account')
      ? prisma.adAccount.count({ where: { ...elsewhere, OR: [name, ...(actId ? [{ metaAccountId: actId }] : [])] } })
      : 0,
    kinds.includes('adset')
      ? prisma.adSet.count({ where: { adAccount: elsewhere, OR: [name, ...(digits ? [{ metaAdSetId: q }] : [])] } })
      : 0,
    kinds.includes('ad') ? prisma.ad.count({ where: { adAccount: elsewhere, OR: [name, ...(digits ? [{ metaAdId: q }] : [])] } }) : 0,
  ])
  return campaigns + accounts + adSets + ads > 0
}

const campaignLabel = (name: string, accountName: string, withKind: boolean) =>
  withKind ? `${name} — campaign in ${accountName}` : `${name} (${accountName})`
const accountLabel = (name: string, withKind: boolean) => (withKind ? `${name} — ad account` : name)

/** An ad set as a choice (plain text, for buttons): "Retargeting — ad set in Spring sale (Acme)". */
export const adSetLabel = (name: string, campaignName: string, accountName: string) =>
  `${name} — ad set in ${campaignName} (${accountName})`
/** An ad as a choice (plain text): "Blue shoes — ad in Retargeting / Spring sale (Acme)". */
export const adLabel = (name: string, adSetName: string, campaignName: string, accountName: string) =>
  `${name} — ad in ${adSetName} / ${campaignName} (${accountName})`

/**
 * A name that matches more than one: the matches listed (with their ids), and up to five of them as "did you mean"
 * options. `ref` is the id that finds the match (a campaign's, ad set's, ad's or account's); `line` how it is listed
 * (mrkdwn, e.g. the parent in bold), else its label.
 */
export function ambiguous(
  query: string,
  matches: Array<{ name: string; label?: string; line?: string; ref?: string; metaCampaignId?: string; metaAccountId?: string }>,
): AppError {
  const refOf = (m: (typeof matches)[number]) => m.ref ?? m.metaCampaignId ?? m.metaAccountId
  const shown = matches.slice(0, 10).map((m) => `• ${echoInput(m.line ?? m.label ?? m.name, m.line ? 200 : 120)} (${refOf(m)})`)
  const more = matches.length > 10 ? '\n…and more' : ''
  const didYouMean: DidYouMean = {
    query: query.trim(),
    options: matches.slice(0, DID_YOU_MEAN_MAX).flatMap((m) => {
      const ref = refOf(m)
      return ref ? [{ ref, label: m.label ?? m.name }] : []
    }),
  }
  return new AppError(
    AppErrorCode.AMBIGUOUS,
    `"${echoInput(query)}" matches more than one:\n${shown.join('\n')}${more}\nUse the id or a longer name.`,
    { details: { didYouMean } },
  )
}
