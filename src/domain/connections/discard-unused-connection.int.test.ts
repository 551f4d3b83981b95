/** An abandoned connect leaves no connection behind; one that follows accounts, or another workspace's, stays. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts'
import { discardUnusedConnection } from './discard-unused-connection.ts'

describe('discardUnusedConnection', () => {
  let db: TestDatabase
  let workspaceId: string
  let otherId: string

  beforeAll(async () => {
    db = await createTestDatabase()
    workspaceId = (await db.prisma.workspace.create({ data: { slackTeamId: 'TDISCARD' } })).id
    otherId = (await db.prisma.workspace.create({ data: { slackTeamId: 'TDISCARDOTHER' } })).id
  })

  afterAll(async () => {
    await db?.drop()
  })

  const connection = (ws: string, fingerprint: string) =>
    db.prisma.metaConnection.create({ data: { workspaceId: ws, label: 'Meta user', accessTokenEnc: 'x', tokenFingerprint: fingerprint } })
  const exists = async (id: string) => (await db.prisma.metaConnection.count({ where: { id } })) === 1

  it('deletes a connection without ad accounts', async () => {
    const c = await connection(workspaceId, 'unused')
    expect(await discardUnusedConnection(db.prisma, { workspaceId, connectionId: c.id })).toBe(true)
    expect(await exists(c.id)).toBe(false)
  })

  it("keeps a connection that follows an ad account, and another workspace's", async () => {
    const used = await connection(workspaceId, 'used')
    await db.prisma.adAccount.create({
      data: { workspaceId, connectionId: used.id, metaAccountId: 'act_1', name: 'Shop', currency: 'EUR', timezoneName: 'Europe/Berlin' },
    })
    const foreign = await connection(otherId, 'foreign')
    expect(await discardUnusedConnection(db.prisma, { workspaceId, connectionId: used.id })).toBe(false)
    expect(await discardUnusedConnection(db.prisma, { workspaceId, connectionId: foreign.id })).toBe(false)
    expect(await exists(used.id)).toBe(true)
    expect(await exists(foreign.id)).toBe(true)
  })
})
