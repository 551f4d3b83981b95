import type { AdAccount, DigestSubscription, PrismaClient } from '../../generated/prisma/client.ts'
import { isValidTimeZone } from '../../lib/dates.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { recordAuditEvent } from '../audit/record-audit-event.ts'
import { matchAdAccounts } from '../campaigns/find-ad-account.ts'

export interface SubscribeOptions {
  workspaceId: string
  channelId: string
  /** HH:MM (24 h); default 09:00. */
  localTime?: string
  /** IANA zone; default: the time zone of the first chosen ad account. */
  timeZone?: string
  /** Ad account names or ids; none = every syncing account. */
  accounts?: string[]
  /** Or Promoly's internal ad account ids (what the form carries), each a syncing account of the workspace. */
  adAccountIds?: string[]
  slackUserId: string
}

export function parseLocalTime(text: string): string {
  const m = /^(\d{1,2})(?::(\d{2}))?$/.exec(text.trim())
  const h = m ? Number(m[1]) : NaN
  const min = m ? Number(m[2] ?? 0) : NaN
  if (!m || h > 23 || min > 59) throw new AppError(AppErrorCode.BAD_INPUT, `"${text}" is not a time: use HH:MM, e.g. 09:00 or 17:30.`)
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`
}

/**
 * Subscribes a channel to a daily digest. Several per channel are allowed (e.g. one per client account, or
 * another time), but subscribing again to the same digest — same time, zone and accounts — returns the active
 * subscription instead of adding a second, identical digest.
 */
export async function subscribeDigest(prisma: PrismaClient, options: SubscribeOptions): Promise<DigestSubscription> {
  const localTime = parseLocalTime(options.localTime ?? '09:00')
  const accounts: AdAccount[] = []
  if (options.adAccountIds && options.adAccountIds.length > 0) {
    const ids = [...new Set(options.adAccountIds)]
    const chosen = await prisma.adAccount.findMany({
      where: { workspaceId: options.workspaceId, id: { in: ids }, syncEnabled: true },
      orderBy: { name: 'asc' },
    })
    if (chosen.length !== ids.length)
      throw new AppError(AppErrorCode.BAD_INPUT, 'An ad account you chose is no longer connected; choose again.')
    accounts.push(...chosen)
  }
  for (const a of options.accounts ?? []) {
    const matches = await matchAdAccounts(prisma, options.workspaceId, a)
    const [only] = matches
    if (!only || matches.length !== 1)
      throw new AppError(
        AppErrorCode.BAD_INPUT,
        matches.length === 0 ? `No connected ad account matches "${a}".` : `"${a}" matches ${matches.length} ad accounts; use its id.`,
      )
    accounts.push(only)
  }
  const first =
    accounts[0] ??
    (await prisma.adAccount.findFirst({ where: { workspaceId: options.workspaceId, syncEnabled: true }, orderBy: { name: 'asc' } }))
  const timeZone = options.timeZone ?? first?.timezoneName ?? 'UTC'
  if (!isValidTimeZone(timeZone))
    throw new AppError(AppErrorCode.BAD_INPUT, `"${timeZone}" is not a time zone: use a name like Europe/Berlin or America/New_York.`)
  const adAccountIds = accounts.map((a) => a.id)
  const sameAccounts = (ids: string[]) => ids.length === adAccountIds.length && ids.every((id) => adAccountIds.includes(id))
  return prisma.$transaction(async (tx) => {
    const existing = await tx.digestSubscription.findMany({
      where: { workspaceId: options.workspaceId, channelId: options.channelId, localTime, timeZone, status: 'ACTIVE' },
    })
    const same = existing.find((e) => sameAccounts(e.adAccountIds))
    if (same) return same
    const sub = await tx.digestSubscription.create({
      data: {
        workspaceId: options.workspaceId,
        channelId: options.channelId,
        localTime,
        timeZone,
        adAccountIds,
        createdBySlackUserId: options.slackUserId,
      },
    })
    await recordAuditEvent(tx, {
      workspaceId: options.workspaceId,
      actorType: 'user',
      actorId: options.slackUserId,
      action: 'digest.subscribed',
      targetType: 'digest_subscription',
      targetId: sub.id,
      data: { channelId: options.channelId, localTime, timeZone, accounts: accounts.map((a) => a.name) },
    })
    return sub
  })
}

/** Removes a channel's digests (all of them, or the one with this id). Returns how many. */
export async function unsubscribeDigest(
  prisma: PrismaClient,
  options: { workspaceId: string; channelId: string; subscriptionId?: string; slackUserId: string },
): Promise<number> {
  return prisma.$transaction(async (tx) => {
    const r = await tx.digestSubscription.deleteMany({
      where: {
        workspaceId: options.workspaceId,
        channelId: options.channelId,
        ...(options.subscriptionId ? { id: options.subscriptionId } : {}),
      },
    })
    if (r.count > 0)
      await recordAuditEvent(tx, {
        workspaceId: options.workspaceId,
        actorType: 'user',
        actorId: options.slackUserId,
        action: 'digest.unsubscribed',
        targetType: 'channel',
        targetId: options.channelId,
        data: { count: r.count },
      })
    return r.count
  })
}
