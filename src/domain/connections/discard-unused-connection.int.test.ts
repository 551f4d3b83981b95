/** An abandoned connect leaves no connection behind; one that follows accounts, or another workspace's, stays. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAdAccount, createConnection, createWorkspace } from '../../../test/support/factories.ts'
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts'
import { discardUnusedConnection } from './discard-unused-connection.ts'

describe('discardUnusedConnection', () => {
  let db: TestDatabase
  let workspaceId: string
  let otherId: string

  beforeAll(async () => {
    db = await createTestDatabase()
    workspaceId = (await createWorkspace(db.prisma)).id
    otherId = (await createWorkspace(db.prisma)).id
  })

  afterAll(async () => {
    await db?.drop()
  })

  const exists = async (id: string) => (await db.prisma.metaConnection.count({ where: { id } })) === 1

  it('deletes a connection without ad accounts', async () => {
    const c = await createConnection(db.prisma, workspaceId)
    expect(await discardUnusedConnection(db.prisma, { workspaceId, connectionId: c.id })).toBe(true)
    expect(await exists(c.id)).toBe(false)
  })

  it("keeps a connection that follows an ad account, and another workspace's", async () => {
    const used = await createConnection(db.prisma, workspaceId)
    await createAdAccount(db.prisma, { workspaceId, connectionId: used.id })
    const foreign = await createConnection(db.prisma, otherId)
    expect(await discardUnusedConnection(db.prisma, { workspaceId, connectionId: used.id })).toBe(false)
    expect(await discardUnusedConnection(db.prisma, { workspaceId, connectionId: foreign.id })).toBe(false)
    expect(await exists(used.id)).toBe(true)
    expect(await exists(foreign.id)).toBe(true)
  })
})
