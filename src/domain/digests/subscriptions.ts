import type { AdAccount, DigestSubscription, Member, PrismaClient } from '../../generated/prisma/client.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { echoInput } from '../../lib/mrkdwn.ts'
import { canonicalTimeZone, closestTimeZones } from '../../lib/time-zones.ts'
import { recordAuditEvent } from '../audit/record-audit-event.ts'
import { findAdAccount } from '../campaigns/find-ad-account.ts'
import { canApprove } from '../changes/decide-change.ts'
import { accountsInScope, scopeForChannel } from '../clients/client-scope.ts'
import { loadSettings } from '../settings/workspace-settings.ts'

/**
 * Slack's answer about a channel, for one person: `member` (they are in it, and Promoly can see it, so it
 * can post there), `not_member`, `not_found` (Promoly cannot see it: a private channel it was not invited to),
 * or `not_a_channel` (a DM or group DM: no digest goes there).
 */
export type ChannelAccess = 'member' | 'not_member' | 'not_found' | 'not_a_channel'
/** Asks Slack (the surface provides it: the domain never calls Slack). */
export type ChannelMembership = (channelId: string, slackUserId: string) => Promise<ChannelAccess>

/** Who manages a digest, and how to ask Slack whether they are in its channel. */
export interface DigestManager {
  member: Pick<Member, 'role' | 'slackUserId'>
  channelMembership: ChannelMembership
}

/**
 * A digest posts every account's figures into a channel: setting one up, removing one and posting one now
 * are for admins and approvers (the preview, shown to the caller alone, is not).
 */
export function requireDigestManager(member: Pick<Member, 'role'>): void {
  if (!canApprove(member))
    throw new AppError(
      AppErrorCode.FORBIDDEN,
      'Only Promoly admins and approvers can manage digests (a digest posts every account’s spend into a channel). `/promoly digest preview` shows you one privately.',
    )
}

/** A Slack direct message (its conversation id starts with D): no digest goes there. */
export function isDirectMessage(channelId: string): boolean {
  return channelId.startsWith('D')
}

/** The channel must be one the person is in and Promoly can post to. */
async function requireChannelMember(by: DigestManager, channelId: string): Promise<void> {
  // Slack lists the two people of a DM as its members, so a DM is refused by its id, before asking.
  const access = isDirectMessage(channelId) ? 'not_a_channel' : await by.channelMembership(channelId, by.member.slackUserId)
  if (access === 'not_a_channel')
    throw new AppError(
      AppErrorCode.BAD_INPUT,
      'A digest goes to a channel (public or private), not to a direct message or a group DM. Run `/promoly digest subscribe` in a channel, or name one (`#channel`).',
    )
  if (access === 'not_found')
    throw new AppError(
      AppErrorCode.FORBIDDEN,
      'Promoly cannot see that channel. For a private channel, invite Promoly first (`/invite @promoly`), then try again.',
    )
  if (access !== 'member') throw new AppError(AppErrorCode.FORBIDDEN, 'You can only send a digest to a channel you are a member of.')
}

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
  /** An admin or approver who is a member of the channel. */
  by: DigestManager
}

export interface SubscribeResult {
  subscription: DigestSubscription
  /**
   * created: a new digest; updated: the channel's digest of these accounts got the new time; resumed: it was
   * paused and posts again, with the caller as its creator; unchanged: it already was so.
   */
  outcome: 'created' | 'updated' | 'resumed' | 'unchanged'
}

export function parseLocalTime(text: string): string {
  const m = /^(\d{1,2})(?::(\d{2}))?$/.exec(text.trim())
  const h = m ? Number(m[1]) : NaN
  const min = m ? Number(m[2] ?? 0) : NaN
  if (!m || h > 23 || min > 59) throw new AppError(AppErrorCode.BAD_INPUT, `"${text}" is not a time: use HH:MM, e.g. 09:00 or 17:30.`)
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`
}

/**
 * Subscribes a channel to a daily digest: by an admin or approver who is in the channel, up to the
 * workspace's `digests.maxSubscriptions`. A channel has one digest per set of accounts (e.g. one per client):
 * subscribing it again to the same accounts updates that digest's time and zone instead of adding a copy, and
 * resumes a paused one with the caller as its creator (audited as `digest.resumed`).
 */
export async function subscribeDigest(prisma: PrismaClient, options: SubscribeOptions): Promise<SubscribeResult> {
  const { by } = options
  requireDigestManager(by.member)
  if (!options.channelId) throw new AppError(AppErrorCode.BAD_INPUT, 'Choose a channel for the digest.')
  const localTime = parseLocalTime(options.localTime ?? '09:00')
  // A channel bound to a client gets a digest of that client's accounts only (none named: all of them, as they are then).
  const scope = await scopeForChannel(prisma, options.workspaceId, options.channelId)
  const accounts: AdAccount[] = []
  if (options.adAccountIds && options.adAccountIds.length > 0) {
    const ids = [...new Set(options.adAccountIds)]
    const chosen = await prisma.adAccount.findMany({
      where: { ...accountsInScope(scope), id: { in: ids }, syncEnabled: true },
      orderBy: { name: 'asc' },
    })
    if (chosen.length !== ids.length)
      throw new AppError(
        AppErrorCode.BAD_INPUT,
        'An ad account you chose is no longer connected (or is not one of the client this channel belongs to); choose again.',
      )
    accounts.push(...chosen)
  }
  for (const a of options.accounts ?? []) accounts.push(await findAdAccount(prisma, scope, a))
  const first =
    accounts[0] ?? (await prisma.adAccount.findFirst({ where: { ...accountsInScope(scope), syncEnabled: true }, orderBy: { name: 'asc' } }))
  const typedZone = options.timeZone ?? first?.timezoneName ?? 'UTC'
  // Whatever its case ("europe/berlin"); a near miss names the closest zones (the agent's tool relays it).
  const timeZone = canonicalTimeZone(typedZone)
  if (!timeZone) {
    const close = closestTimeZones(typedZone)
    throw new AppError(
      AppErrorCode.BAD_INPUT,
      `"${echoInput(typedZone, 64)}" is not a time zone${close.length > 0 ? `; did you mean ${close.join(', ')}?` : ': use a name like Europe/Berlin or America/New_York.'}`,
    )
  }
  // The same account named twice (by name and by id, or two names of it) is one account of the digest.
  const unique = [...new Map(accounts.map((a) => [a.id, a])).values()]
  accounts.splice(0, accounts.length, ...unique)
  const adAccountIds = accounts.map((a) => a.id)
  const sameAccounts = (ids: string[]) => ids.length === adAccountIds.length && ids.every((id) => adAccountIds.includes(id))
  await requireChannelMember(by, options.channelId)
  const { digests } = await loadSettings(prisma, options.workspaceId)
  const actor = by.member.slackUserId
  return prisma.$transaction(async (tx) => {
    // One subscription change per workspace at a time, so the cap holds under concurrent requests.
    await tx.$queryRaw`SELECT id FROM "Workspace" WHERE id = ${options.workspaceId} FOR UPDATE`
    const existing = await tx.digestSubscription.findMany({
      where: { workspaceId: options.workspaceId, channelId: options.channelId },
      orderBy: { createdAt: 'asc' },
    })
    const same =
      existing.find((e) => e.status === 'ACTIVE' && sameAccounts(e.adAccountIds)) ?? existing.find((e) => sameAccounts(e.adAccountIds))
    if (same) {
      if (same.status === 'ACTIVE' && same.localTime === localTime && same.timeZone === timeZone)
        return { subscription: same, outcome: 'unchanged' as const }
      const resumed = same.status !== 'ACTIVE'
      if (resumed) await requireRoom(tx, options.workspaceId, digests.maxSubscriptions)
      // Reviving a paused digest makes the approver or admin who does it its creator: the check before each post
      // (digestCreatorRefusal) is about them from now on, so a digest paused for its creator stays revived.
      const subscription = await tx.digestSubscription.update({
        where: { id: same.id },
        data: { localTime, timeZone, status: 'ACTIVE', pausedReason: null, ...(resumed ? { createdBySlackUserId: actor } : {}) },
      })
      await recordAuditEvent(tx, {
        workspaceId: options.workspaceId,
        actorType: 'user',
        actorId: actor,
        action: resumed ? 'digest.resumed' : 'digest.updated',
        targetType: 'digest_subscription',
        targetId: same.id,
        data: {
          channelId: options.channelId,
          before: {
            localTime: same.localTime,
            timeZone: same.timeZone,
            status: same.status,
            createdBySlackUserId: same.createdBySlackUserId,
          },
          after: { localTime, timeZone, status: 'ACTIVE', createdBySlackUserId: subscription.createdBySlackUserId },
          ...(resumed ? { pausedReason: same.pausedReason } : {}),
        },
      })
      return { subscription, outcome: resumed ? ('resumed' as const) : ('updated' as const) }
    }
    await requireRoom(tx, options.workspaceId, digests.maxSubscriptions)
    const subscription = await tx.digestSubscription.create({
      data: {
        workspaceId: options.workspaceId,
        channelId: options.channelId,
        localTime,
        timeZone,
        adAccountIds,
        createdBySlackUserId: actor,
      },
    })
    await recordAuditEvent(tx, {
      workspaceId: options.workspaceId,
      actorType: 'user',
      actorId: actor,
      action: 'digest.subscribed',
      targetType: 'digest_subscription',
      targetId: subscription.id,
      data: { channelId: options.channelId, localTime, timeZone, accounts: accounts.map((a) => a.name) },
    })
    return { subscription, outcome: 'created' as const }
  })
}

async function requireRoom(tx: Pick<PrismaClient, 'digestSubscription'>, workspaceId: string, max: number): Promise<void> {
  const active = await tx.digestSubscription.count({ where: { workspaceId, status: 'ACTIVE' } })
  if (active >= max)
    throw new AppError(
      AppErrorCode.FORBIDDEN,
      `This workspace already has ${active} active digests, the most it allows (${max}). Remove one with \`/promoly digest unsubscribe\` first, or ask an admin to raise the limit.`,
    )
}

/** Removes a channel's digests (all of them, or the one with this id): for admins and approvers. Returns how many. */
export async function unsubscribeDigest(
  prisma: PrismaClient,
  options: { workspaceId: string; channelId: string; subscriptionId?: string; member: Pick<Member, 'role' | 'slackUserId'> },
): Promise<number> {
  requireDigestManager(options.member)
  // Prisma drops `channelId: undefined` from a filter: without a channel this would remove every digest.
  if (!options.channelId) throw new AppError(AppErrorCode.BAD_INPUT, 'Name the channel whose digest to remove.')
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
        actorId: options.member.slackUserId,
        action: 'digest.unsubscribed',
        targetType: 'channel',
        targetId: options.channelId,
        data: { count: r.count },
      })
    return r.count
  })
}
