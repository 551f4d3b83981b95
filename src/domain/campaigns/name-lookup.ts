import type { PrismaClient } from '../../generated/prisma/client.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { echoInput } from '../../lib/mrkdwn.ts'
import { accountsInScope, type ClientScope, outOfScope } from '../clients/client-scope.ts'
import { closestByName, DID_YOU_MEAN_MAX, type DidYouMean, type DidYouMeanOption, nameContains } from './name-match.ts'

/** What a look-up looks for. */
export type NameKind = 'campaign' | 'account'

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
  const accounts = { ...accountsInScope(scope), syncEnabled: true }
  const [campaigns, adAccounts] = await Promise.all([
    kinds.includes('campaign')
      ? prisma.campaign.findMany({
          where: { adAccount: accounts },
          select: { name: true, metaCampaignId: true, adAccount: { select: { name: true } } },
          orderBy: { name: 'asc' },
          take: CANDIDATES,
        })
      : [],
    kinds.includes('account')
      ? prisma.adAccount.findMany({
          where: accounts,
          select: { name: true, metaAccountId: true },
          orderBy: { name: 'asc' },
          take: CANDIDATES,
        })
      : [],
  ])
  const both = kinds.length > 1
  const close = closestByName<{ name: string; option: DidYouMeanOption }>(
    [
      ...campaigns.map((c) => ({ name: c.name, option: { ref: c.metaCampaignId, label: campaignLabel(c.name, c.adAccount.name, both) } })),
      ...adAccounts.map((a) => ({ name: a.name, option: { ref: a.metaAccountId, label: accountLabel(a.name, both) } })),
    ],
    q,
  )
  if (close.length === 0) return new AppError(AppErrorCode.NOT_FOUND, message)
  const didYouMean: DidYouMean = { query: q, options: close.map((c) => c.option) }
  return new AppError(
    AppErrorCode.NOT_FOUND,
    `${message}\nDid you mean ${close.map((c) => `*${echoInput(c.option.label, 120)}*`).join(', ')}?`,
    { details: { didYouMean } },
  )
}

/** Whether the query names (by id or anywhere in the name) a syncing campaign or ad account of the workspace outside the scope. */
async function matchesElsewhere(prisma: PrismaClient, scope: ClientScope, q: string, kinds: NameKind[]): Promise<boolean> {
  const elsewhere = { workspaceId: scope.workspaceId, syncEnabled: true, NOT: { clientId: scope.client?.id } }
  const actId = accountIdOf(q)
  const [campaigns, accounts] = await Promise.all([
    kinds.includes('campaign')
      ? prisma.campaign.count({
          where: { adAccount: elsewhere, OR: [{ name: nameContains(q) }, ...(/^\d+$/.test(q) ? [{ metaCampaignId: q }] : [])] },
        })
      : 0,
    kinds.includes('account')
      ? prisma.adAccount.count({ where: { ...elsewhere, OR: [{ name: nameContains(q) }, ...(actId ? [{ metaAccountId: actId }] : [])] } })
      : 0,
  ])
  return campaigns + accounts > 0
}

const campaignLabel = (name: string, accountName: string, withKind: boolean) =>
  withKind ? `${name} — campaign in ${accountName}` : `${name} (${accountName})`
const accountLabel = (name: string, withKind: boolean) => (withKind ? `${name} — ad account` : name)

/** A name that matches more than one: the matches listed (with their ids), and up to five of them as "did you mean" options. */
export function ambiguous(
  query: string,
  matches: Array<{ name: string; label?: string; metaCampaignId?: string; metaAccountId?: string }>,
): AppError {
  const shown = matches.slice(0, 10).map((m) => `• ${echoInput(m.label ?? m.name, 120)} (${m.metaCampaignId ?? m.metaAccountId})`)
  const more = matches.length > 10 ? '\n…and more' : ''
  const didYouMean: DidYouMean = {
    query: query.trim(),
    options: matches.slice(0, DID_YOU_MEAN_MAX).flatMap((m) => {
      const ref = m.metaCampaignId ?? m.metaAccountId
      return ref ? [{ ref, label: m.label ?? m.name }] : []
    }),
  }
  return new AppError(
    AppErrorCode.AMBIGUOUS,
    `"${echoInput(query)}" matches more than one:\n${shown.join('\n')}${more}\nUse the id or a longer name.`,
    { details: { didYouMean } },
  )
}
