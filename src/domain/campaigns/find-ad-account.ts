import type { AdAccount, PrismaClient } from '../../generated/prisma/client.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { echoInput } from '../../lib/mrkdwn.ts'
import { namePrefix } from './find-campaign.ts'

/** By Meta id (act_123 or 123) or by name prefix, case-insensitive. Ambiguous names list the matches. */
export async function findAdAccount(prisma: PrismaClient, workspaceId: string, query: string): Promise<AdAccount> {
  const matches = await matchAdAccounts(prisma, workspaceId, query)
  const [only] = matches
  if (!only) throw new AppError(AppErrorCode.NOT_FOUND, `No connected ad account matches "${echoInput(query)}". See \`/promoly accounts\`.`)
  if (matches.length === 1) return only
  throw new AppError(
    AppErrorCode.AMBIGUOUS,
    `"${echoInput(query)}" matches ${matches.length} ad accounts: ${matches.map((a) => `${echoInput(a.name, 120)} (${a.metaAccountId})`).join(', ')}. Be more specific.`,
    {
      details: { matches: matches.map((a) => ({ id: a.id, name: a.name })) },
    },
  )
}

export async function matchAdAccounts(prisma: PrismaClient, workspaceId: string, query: string): Promise<AdAccount[]> {
  const q = query.trim()
  const id = /^(act_)?\d+$/.test(q) ? (q.startsWith('act_') ? q : `act_${q}`) : null
  if (id) {
    const byId = await prisma.adAccount.findMany({ where: { workspaceId, metaAccountId: id, syncEnabled: true } })
    if (byId.length > 0) return byId
  }
  const byName = await prisma.adAccount.findMany({
    where: { workspaceId, syncEnabled: true, name: namePrefix(q) },
    orderBy: { name: 'asc' },
    take: 10,
  })
  const exact = byName.filter((a) => a.name.toLowerCase() === q.toLowerCase())
  return exact.length === 1 ? exact : byName
}
