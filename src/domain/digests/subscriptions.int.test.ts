/**
 * Digest subscriptions from the form (internal account ids) and the list `/promoly digest list` shows; who may
 * manage them (admins and approvers in the channel), the cap per workspace, one digest per channel and accounts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAdAccount, createWorkspace } from '../../../test/support/factories.ts'
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts'
import { workspaceScope } from '../clients/client-scope.ts'
import { listDigestSubscriptions } from './list-digest-subscriptions.ts'
import { type ChannelAccess, type ChannelMembership, type DigestManager, subscribeDigest, unsubscribeDigest } from './subscriptions.ts'

/** Slack's channel members as the test says: channel id → user ids; any other channel is one Promoly cannot see. */
function channels(members: Record<string, string[]>) {
  return async (channelId: string, slackUserId: string): Promise<ChannelAccess> =>
    !members[channelId] ? 'not_found' : members[channelId].includes(slackUserId) ? 'member' : 'not_member'
}
const IN_EVERY_CHANNEL: ChannelMembership = async () => 'member'
const as = (role: 'ADMIN' | 'APPROVER' | 'MEMBER', slackUserId: string, channelMembership = IN_EVERY_CHANNEL): DigestManager => ({
  member: { role, slackUserId },
  channelMembership,
})

describe('digest subscriptions', () => {
  let db: TestDatabase
  let workspaceId: string
  const accounts: Record<string, string> = {}
  const admin = as('ADMIN', 'UADMIN')

  beforeAll(async () => {
    db = await createTestDatabase()
    workspaceId = (await createWorkspace(db.prisma)).id
    const otherId = (await createWorkspace(db.prisma)).id
    const account = async (ws: string, name: string, syncEnabled = true) =>
      (await createAdAccount(db.prisma, { workspaceId: ws, name, syncEnabled })).id
    accounts.shop = await account(workspaceId, 'Shop')
    accounts.blog = await account(workspaceId, 'Blog')
    accounts.off = await account(workspaceId, 'Switched off', false)
    accounts.foreign = await account(otherId, 'Not ours')
  })

  afterAll(async () => {
    await db?.drop()
  })

  it("subscribes the form's chosen accounts by internal id, audited, and lists them by name", async () => {
    const { subscription: sub, outcome } = await subscribeDigest(db.prisma, {
      workspaceId,
      channelId: 'C0DIGEST1',
      localTime: '8:30',
      timeZone: 'Europe/Paris',
      adAccountIds: [accounts.shop!, accounts.blog!],
      by: admin,
    })
    expect(outcome).toBe('created')
    expect(sub).toMatchObject({ localTime: '08:30', timeZone: 'Europe/Paris' })
    expect([...sub.adAccountIds].sort()).toEqual([accounts.shop, accounts.blog].sort())
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { targetId: sub.id } })
    expect(audit).toMatchObject({ action: 'digest.subscribed', actorId: 'UADMIN', data: { accounts: ['Blog', 'Shop'] } })
    await subscribeDigest(db.prisma, { workspaceId, channelId: 'C0DIGEST2', by: admin })
    const listed = await listDigestSubscriptions(db.prisma, {
      scope: workspaceScope(workspaceId),
      viewer: { member: admin.member, channelId: 'C0ELSE' },
    })
    expect(listed.map((s) => [s.channelId, [...s.accountNames].sort()])).toEqual([
      ['C0DIGEST1', ['Blog', 'Shop']],
      ['C0DIGEST2', []],
    ])
  })

  it('lists every digest for admins and approvers, but for a member only the digests of the channel they ask in (review §2)', async () => {
    const channelsOf = async (role: 'ADMIN' | 'APPROVER' | 'MEMBER', channelId: string) =>
      (await listDigestSubscriptions(db.prisma, { scope: workspaceScope(workspaceId), viewer: { member: { role }, channelId } })).map(
        (s) => s.channelId,
      )
    expect(await channelsOf('ADMIN', 'C0ELSE')).toEqual(['C0DIGEST1', 'C0DIGEST2'])
    expect(await channelsOf('APPROVER', 'D0DM00001')).toEqual(['C0DIGEST1', 'C0DIGEST2'])
    expect(await channelsOf('MEMBER', 'C0DIGEST2')).toEqual(['C0DIGEST2'])
    expect(await channelsOf('MEMBER', 'C0ELSE')).toEqual([])
  })

  it('subscribing a channel again to the same accounts updates its digest instead of adding a copy; other accounts add one', async () => {
    const twice = (localTime: string, ids: string[], who = admin) =>
      subscribeDigest(db.prisma, { workspaceId, channelId: 'C0TWICE', localTime, timeZone: 'UTC', adAccountIds: ids, by: who })
    const first = await twice('07:00', [accounts.shop!, accounts.blog!])
    const again = await twice('7:00', [accounts.blog!, accounts.shop!], as('APPROVER', 'U2'))
    expect(again).toMatchObject({ outcome: 'unchanged', subscription: { id: first.subscription.id } })
    // Four requests at other times (the reported case): still one digest, at the last time asked for.
    for (const t of ['18:00', '19:00', '20:00', '21:00']) expect((await twice(t, [accounts.shop!, accounts.blog!])).outcome).toBe('updated')
    await twice('07:00', [accounts.shop!])
    const subs = await db.prisma.digestSubscription.findMany({ where: { channelId: 'C0TWICE' }, orderBy: { createdAt: 'asc' } })
    expect(subs.map((s) => [s.localTime, s.adAccountIds.length])).toEqual([
      ['21:00', 2],
      ['07:00', 1],
    ])
    expect(await db.prisma.auditEvent.count({ where: { action: 'digest.updated', targetId: first.subscription.id } })).toBe(4)
  })

  it("refuses another workspace's account and one that no longer syncs, and saves nothing", async () => {
    for (const id of [accounts.foreign!, accounts.off!]) {
      await expect(
        subscribeDigest(db.prisma, { workspaceId, channelId: 'C0REFUSED', timeZone: 'UTC', adAccountIds: [accounts.shop!, id], by: admin }),
      ).rejects.toMatchObject({ code: 'BAD_INPUT' })
    }
    expect(await db.prisma.digestSubscription.count({ where: { channelId: 'C0REFUSED' } })).toBe(0)
  })

  it('lets only admins and approvers subscribe and unsubscribe', async () => {
    await expect(subscribeDigest(db.prisma, { workspaceId, channelId: 'C0ROLES', by: as('MEMBER', 'UMEMBER') })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      userMessage: expect.stringContaining('Only Promoly admins and approvers can manage digests'),
    })
    expect(await db.prisma.digestSubscription.count({ where: { channelId: 'C0ROLES' } })).toBe(0)
    expect((await subscribeDigest(db.prisma, { workspaceId, channelId: 'C0ROLES', by: as('APPROVER', 'UAPPROVER') })).outcome).toBe(
      'created',
    )
    await expect(
      unsubscribeDigest(db.prisma, { workspaceId, channelId: 'C0ROLES', member: { role: 'MEMBER', slackUserId: 'UMEMBER' } }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' })
    expect(await db.prisma.digestSubscription.count({ where: { channelId: 'C0ROLES' } })).toBe(1)
    // Without a channel, nothing is removed (Prisma would drop `channelId: undefined` from the filter).
    await expect(
      unsubscribeDigest(db.prisma, {
        workspaceId,
        channelId: undefined as unknown as string,
        member: { role: 'ADMIN', slackUserId: 'UADMIN' },
      }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT' })
    expect(await db.prisma.digestSubscription.count({ where: { channelId: 'C0ROLES' } })).toBe(1)
    expect(
      await unsubscribeDigest(db.prisma, { workspaceId, channelId: 'C0ROLES', member: { role: 'ADMIN', slackUserId: 'UADMIN' } }),
    ).toBe(1)
  })

  it('subscribes only a channel the person is in and Promoly can see', async () => {
    const slack = channels({ C0OPEN: ['UADMIN', 'UOTHER'], C0ELSEWHERE: ['UOTHER'] })
    const who = as('ADMIN', 'UADMIN', slack)
    await expect(subscribeDigest(db.prisma, { workspaceId, channelId: 'C0ELSEWHERE', by: who })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      userMessage: 'You can only send a digest to a channel you are a member of.',
    })
    await expect(subscribeDigest(db.prisma, { workspaceId, channelId: 'G0PRIVATE', by: who })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      userMessage: expect.stringContaining('Promoly cannot see that channel'),
    })
    // A group DM (Slack: method_not_supported_for_channel_type) is no channel: inviting Promoly would not help.
    const groupDm = as('ADMIN', 'UADMIN', async () => 'not_a_channel')
    const err = await subscribeDigest(db.prisma, { workspaceId, channelId: 'G0GROUPDM', by: groupDm }).then(
      () => undefined,
      (e: unknown) => e as { code?: string; userMessage?: string },
    )
    expect(err).toMatchObject({ code: 'BAD_INPUT', userMessage: expect.stringContaining('not to a direct message or a group DM') })
    expect(err?.userMessage).not.toContain('/invite')
    // A direct message (D…): Slack lists its two people as members, so it is refused by its id, not by asking.
    const member = as('ADMIN', 'UADMIN', async () => 'member')
    await expect(subscribeDigest(db.prisma, { workspaceId, channelId: 'D0PROMOLY', by: member })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      userMessage: expect.stringContaining('not to a direct message'),
    })
    expect(
      await db.prisma.digestSubscription.count({ where: { channelId: { in: ['C0ELSEWHERE', 'G0PRIVATE', 'G0GROUPDM', 'D0PROMOLY'] } } }),
    ).toBe(0)
    expect((await subscribeDigest(db.prisma, { workspaceId, channelId: 'C0OPEN', by: who })).outcome).toBe('created')
  })

  it('caps active subscriptions per workspace (the setting), also when requests race', async () => {
    const capped = (await createWorkspace(db.prisma, { settings: { digests: { maxSubscriptions: 3 } } })).id
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => subscribeDigest(db.prisma, { workspaceId: capped, channelId: `C0CAP${i}`, by: admin })),
    )
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3)
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect(refused.reason).toMatchObject({ code: 'FORBIDDEN', userMessage: expect.stringContaining('the most it allows (3)') })
    expect(await db.prisma.digestSubscription.count({ where: { workspaceId: capped } })).toBe(3)
    // A paused digest does not count; resuming it when the workspace is full is refused as well.
    const [one] = await db.prisma.digestSubscription.findMany({ where: { workspaceId: capped }, take: 1 })
    await db.prisma.digestSubscription.update({ where: { id: one!.id }, data: { status: 'PAUSED' } })
    expect((await subscribeDigest(db.prisma, { workspaceId: capped, channelId: 'C0CAPNEW', by: admin })).outcome).toBe('created')
    await expect(subscribeDigest(db.prisma, { workspaceId: capped, channelId: one!.channelId, by: admin })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
  })
})
