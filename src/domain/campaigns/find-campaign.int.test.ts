/** Name look-ups of campaigns and ad accounts on real PostgreSQL: what people type is a prefix, never a pattern. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAdAccount, createCampaign, createWorkspace } from '../../../test/support/factories.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../../../test/support/test-database.ts'
import { isAppError } from '../../lib/errors.ts'
import { workspaceScope } from '../clients/client-scope.ts'
import { matchAdAccounts } from './find-ad-account.ts'
import { findCampaign, matchCampaigns } from './find-campaign.ts'

const serverUrl = requirePostgresUrl()

describe.skipIf(!serverUrl)('name look-ups', () => {
  let db: TestDatabase
  let workspaceId: string

  beforeAll(async () => {
    db = await createPostgresTestDatabase(serverUrl!)
    workspaceId = (await createWorkspace(db.prisma)).id
    const shop = await createAdAccount(db.prisma, { workspaceId, name: 'Shop' })
    await createAdAccount(db.prisma, { workspaceId, name: 'Outlet' })
    for (const name of ['Summer Sale', 'Bundle deal', '50%_off promo', 'Back\\slash']) await createCampaign(db.prisma, shop.id, { name })
  })
  afterAll(async () => {
    await db?.drop()
  })

  const names = async (q: string) => (await matchCampaigns(db.prisma, workspaceScope(workspaceId), q)).map((c) => c.name)

  it('treats % _ and \\ as the characters they are, not as wildcards (#10 finding 8)', async () => {
    expect(await names('_')).toEqual([])
    expect(await names('%')).toEqual([])
    expect(await names('%Bundle')).toEqual([])
    expect(await names('S_mmer')).toEqual([])
    expect(await names('50%_')).toEqual(['50%_off promo'])
    expect(await names('back\\')).toEqual(['Back\\slash'])
    expect(await names('bundle')).toEqual(['Bundle deal'])
    expect((await matchAdAccounts(db.prisma, workspaceScope(workspaceId), '_')).map((a) => a.name)).toEqual([])
    expect((await matchAdAccounts(db.prisma, workspaceScope(workspaceId), '%')).map((a) => a.name)).toEqual([])
    expect((await matchAdAccounts(db.prisma, workspaceScope(workspaceId), 'out')).map((a) => a.name)).toEqual(['Outlet'])
  })

  it('quotes back at most a short piece of a very long name (#10 finding 8)', async () => {
    const long = 'x'.repeat(3500)
    const err = await findCampaign(db.prisma, workspaceScope(workspaceId), long).catch((e: unknown) => e)
    expect(isAppError(err) && err.code).toBe('NOT_FOUND')
    const message = isAppError(err) ? err.userMessage : ''
    expect(message.length).toBeLessThan(200)
    expect(message).toMatch(/^No campaign matches "x+…"/)
  })
})
