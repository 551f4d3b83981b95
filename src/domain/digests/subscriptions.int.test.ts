/** Digest subscriptions from the form (internal account ids) and the list `/promoly digest list` shows. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts'
import { listDigestSubscriptions } from './list-digest-subscriptions.ts'
import { subscribeDigest } from './subscriptions.ts'

describe('digest subscriptions', () => {
  let db: TestDatabase
  let workspaceId: string
  const accounts: Record<string, string> = {}

  beforeAll(async () => {
    db = await createTestDatabase()
    workspaceId = (await db.prisma.workspace.create({ data: { slackTeamId: 'TDIGESTSUB' } })).id
    const otherId = (await db.prisma.workspace.create({ data: { slackTeamId: 'TDIGESTOTHER' } })).id
    const account = async (ws: string, metaAccountId: string, name: string, syncEnabled = true) => {
      const connection = await db.prisma.metaConnection.create({
        data: { workspaceId: ws, label: name, accessTokenEnc: 'x', tokenFingerprint: metaAccountId },
      })
      return (
        await db.prisma.adAccount.create({
          data: {
            workspaceId: ws,
            connectionId: connection.id,
            metaAccountId,
            name,
            currency: 'EUR',
            timezoneName: 'Europe/Berlin',
            syncEnabled,
          },
        })
      ).id
    }
    accounts.shop = await account(workspaceId, 'act_1', 'Shop')
    accounts.blog = await account(workspaceId, 'act_2', 'Blog')
    accounts.off = await account(workspaceId, 'act_3', 'Switched off', false)
    accounts.foreign = await account(otherId, 'act_4', 'Not ours')
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
