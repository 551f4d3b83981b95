/** Digest subscriptions from the form (internal account ids) and the list `/promoly digest list` shows. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAdAccount, createWorkspace } from '../../../test/support/factories.ts'
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts'
import { listDigestSubscriptions } from './list-digest-subscriptions.ts'
import { subscribeDigest } from './subscriptions.ts'

describe('digest subscriptions', () => {
  let db: TestDatabase
  let workspaceId: string
  const accounts: Record<string, string> = {}

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
    const sub = await subscribeDigest(db.prisma, {
      workspaceId,
      channelId: 'C0DIGEST1',
      localTime: '8:30',
      timeZone: 'Europe/Paris',
      adAccountIds: [accounts.shop!, accounts.blog!],
      slackUserId: 'UADMIN',
    })
    expect(sub).toMatchObject({ localTime: '08:30', timeZone: 'Europe/Paris' })
    expect([...sub.adAccountIds].sort()).toEqual([accounts.shop, accounts.blog].sort())
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { targetId: sub.id } })
    expect(audit).toMatchObject({ action: 'digest.subscribed', actorId: 'UADMIN', data: { accounts: ['Blog', 'Shop'] } })
    await subscribeDigest(db.prisma, { workspaceId, channelId: 'C0DIGEST2', slackUserId: 'UADMIN' })
    const listed = await listDigestSubscriptions(db.prisma, { workspaceId })
    expect(listed.map((s) => [s.channelId, [...s.accountNames].sort()])).toEqual([
      ['C0DIGEST1', ['Blog', 'Shop']],
      ['C0DIGEST2', []],
    ])
  })

  it('subscribing again to the same digest keeps one; another time or other accounts add one', async () => {
    const first = await subscribeDigest(db.prisma, {
      workspaceId,
      channelId: 'C0TWICE',
      localTime: '07:00',
      timeZone: 'UTC',
      adAccountIds: [accounts.shop!, accounts.blog!],
      slackUserId: 'U1',
    })
    const again = await subscribeDigest(db.prisma, {
      workspaceId,
      channelId: 'C0TWICE',
      localTime: '7:00',
      timeZone: 'UTC',
      adAccountIds: [accounts.blog!, accounts.shop!],
      slackUserId: 'U2',
    })
    expect(again.id).toBe(first.id)
    expect(await db.prisma.auditEvent.count({ where: { action: 'digest.subscribed', targetId: first.id } })).toBe(1)
    await subscribeDigest(db.prisma, {
      workspaceId,
      channelId: 'C0TWICE',
      localTime: '18:00',
      timeZone: 'UTC',
      adAccountIds: [accounts.shop!, accounts.blog!],
      slackUserId: 'U1',
    })
    await subscribeDigest(db.prisma, {
      workspaceId,
      channelId: 'C0TWICE',
      localTime: '07:00',
      timeZone: 'UTC',
      adAccountIds: [accounts.shop!],
      slackUserId: 'U1',
    })
    expect(await db.prisma.digestSubscription.count({ where: { channelId: 'C0TWICE' } })).toBe(3)
  })

  it("refuses another workspace's account and one that no longer syncs, and saves nothing", async () => {
    for (const id of [accounts.foreign!, accounts.off!]) {
      await expect(
        subscribeDigest(db.prisma, {
          workspaceId,
          channelId: 'C0REFUSED',
          timeZone: 'UTC',
          adAccountIds: [accounts.shop!, id],
          slackUserId: 'UADMIN',
        }),
      ).rejects.toMatchObject({ code: 'BAD_INPUT' })
    }
    expect(await db.prisma.digestSubscription.count({ where: { channelId: 'C0REFUSED' } })).toBe(0)
  })
})
