import type { AdAccount, Campaign, PrismaClient } from '../../generated/prisma/client.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { echoInput } from '../../lib/mrkdwn.ts'

export type CampaignWithAccount = Campaign & { adAccount: AdAccount }

/**
 * A case-insensitive "name starts with" filter for what a person typed. Prisma hands the text to LIKE as it is,
 * where % and _ are wildcards (so "_" matched every name): they, and the escape character, are escaped.
 */
export function namePrefix(query: string) {
  return { startsWith: query.replace(/[\\%_]/g, (c) => `\\${c}`), mode: 'insensitive' as const }
}

/** By Meta campaign id or by name prefix (case-insensitive); an exact name wins over prefixes. */
export async function matchCampaigns(prisma: PrismaClient, workspaceId: string, query: string): Promise<CampaignWithAccount[]> {
  const q = query.trim()
  if (q === '') return []
  const scope = { adAccount: { workspaceId, syncEnabled: true } }
  if (/^\d+$/.test(q)) {
    const byId = await prisma.campaign.findMany({ where: { ...scope, metaCampaignId: q }, include: { adAccount: true } })
    if (byId.length > 0) return byId
  }
  const byName = await prisma.campaign.findMany({
    where: { ...scope, name: namePrefix(q) },
    include: { adAccount: true },
    orderBy: { name: 'asc' },
    take: 11,
  })
  const exact = byName.filter((c) => c.name.toLowerCase() === q.toLowerCase())
  return exact.length === 1 ? exact : byName
}

export async function findCampaign(prisma: PrismaClient, workspaceId: string, query: string): Promise<CampaignWithAccount> {
  const matches = await matchCampaigns(prisma, workspaceId, query)
  const [only] = matches
  if (!only) throw new AppError(AppErrorCode.NOT_FOUND, `No campaign matches "${echoInput(query)}". See \`/promoly campaigns\`.`)
  if (matches.length === 1) return only
  throw ambiguous(query, matches)
}

export function ambiguous(query: string, matches: Array<{ name: string; metaCampaignId?: string; metaAccountId?: string }>): AppError {
  const shown = matches.slice(0, 10).map((m) => `• ${echoInput(m.name, 120)} (${m.metaCampaignId ?? m.metaAccountId})`)
  const more = matches.length > 10 ? '\n…and more' : ''
  return new AppError(
    AppErrorCode.AMBIGUOUS,
    `"${echoInput(query)}" matches more than one:\n${shown.join('\n')}${more}\nUse the id or a longer name.`,
  )
}
