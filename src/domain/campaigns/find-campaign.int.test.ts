/**
 * Name look-ups of campaigns and ad accounts on real PostgreSQL: what people type is found anywhere in a name (never
 * as a pattern), names starting with it first, an exact name alone; a misspelling offers the closest names of the
 * scope; a client's scope never finds, nor offers, another client's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAdAccount, createCampaign, createClient, createWorkspace } from '../../../test/support/factories.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../../../test/support/test-database.ts'
import { type AppError, isAppError } from '../../lib/errors.ts'
import { type ClientScope, workspaceScope } from '../clients/client-scope.ts'
import { findAdAccount, matchAdAccounts } from './find-ad-account.ts'
import { findCampaign, matchCampaigns } from './find-campaign.ts'
import { findObjectOrAccount } from './find-object-or-account.ts'
import type { DidYouMean } from './name-match.ts'

const serverUrl = requirePostgresUrl()

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!isAppError(err)) throw new Error(`expected an AppError, got ${String(err)}`)
  return err
}
const options = (err: AppError) => (err.details?.didYouMean as DidYouMean | undefined)?.options ?? []

describe.skipIf(!serverUrl)('name look-ups', () => {
  let db: TestDatabase
  let workspaceId: string
  let all: ClientScope
  let acme: ClientScope
  const ids: Record<string, string> = {}

  beforeAll(async () => {
    db = await createPostgresTestDatabase(serverUrl!)
    workspaceId = (await createWorkspace(db.prisma)).id
    all = workspaceScope(workspaceId)
    const shop = await createAdAccount(db.prisma, { workspaceId, name: 'Shop' })
    await createAdAccount(db.prisma, { workspaceId, name: 'Outlet' })
    for (const name of ['Summer Sale', 'Bundle deal', '50%_off promo', 'Back\\slash', 'Big Summer Push']) {
      ids[name] = (await createCampaign(db.prisma, shop.id, { name })).metaCampaignId
    }
    const acmeClient = await createClient(db.prisma, workspaceId, { name: 'Acme' })
    const globexClient = await createClient(db.prisma, workspaceId, { name: 'Globex' })
    acme = { workspaceId, client: { id: acmeClient.id, name: acmeClient.name } }
    const acmeAccount = await createAdAccount(db.prisma, { workspaceId, name: 'Acme Store', clientId: acmeClient.id })
    const globexAccount = await createAdAccount(db.prisma, { workspaceId, name: 'Globex Online', clientId: globexClient.id })
    ids['Acme Spring Leads'] = (await createCampaign(db.prisma, acmeAccount.id, { name: 'Acme Spring Leads' })).metaCampaignId
    ids['Acme Spring Sales'] = (await createCampaign(db.prisma, acmeAccount.id, { name: 'Acme Spring Sales' })).metaCampaignId
    ids['Globex Spring Sale'] = (await createCampaign(db.prisma, globexAccount.id, { name: 'Globex Spring Sale' })).metaCampaignId
    ids.globexAccount = globexAccount.metaAccountId
  })
  afterAll(async () => {
    await db?.drop()
  })

  const names = async (q: string, scope = all) => (await matchCampaigns(db.prisma, scope, q)).map((c) => c.name)

  it('treats % _ and \\ as the characters they are, not as wildcards (#10 finding 8)', async () => {
    expect(await names('_')).toEqual(['50%_off promo'])
    expect(await names('%')).toEqual(['50%_off promo'])
    expect(await names('%Bundle')).toEqual([])
    expect(await names('S_mmer')).toEqual([])
    expect(await names('50%_')).toEqual(['50%_off promo'])
    expect(await names('back\\')).toEqual(['Back\\slash'])
    expect(await names('bundle')).toEqual(['Bundle deal'])
    expect((await matchAdAccounts(db.prisma, all, '_')).map((a) => a.name)).toEqual([])
    expect((await matchAdAccounts(db.prisma, all, '%')).map((a) => a.name)).toEqual([])
    expect((await matchAdAccounts(db.prisma, all, 'out')).map((a) => a.name)).toEqual(['Outlet'])
  })

  it('matches anywhere in the name, names starting with it first; an exact name wins alone', async () => {
    expect(await names('deal')).toEqual(['Bundle deal'])
    expect(await names('summer')).toEqual(['Summer Sale', 'Big Summer Push'])
    expect(await names('SUMMER SALE')).toEqual(['Summer Sale'])
    expect((await matchAdAccounts(db.prisma, all, 'line')).map((a) => a.name)).toEqual(['Globex Online'])
  })

  it('quotes back at most a short piece of a very long name (#10 finding 8)', async () => {
    const err = await failure(findCampaign(db.prisma, all, 'x'.repeat(3500)))
    expect(err.code).toBe('NOT_FOUND')
    expect(err.userMessage.length).toBeLessThan(200)
    expect(err.userMessage).toMatch(/^No campaign matches "x+…"/)
  })

  it('offers the closest names of a misspelt one, with their ids', async () => {
    const err = await failure(findCampaign(db.prisma, all, 'Sumer Sael'))
    expect(err.code).toBe('NOT_FOUND')
    expect(err.userMessage).toContain('Did you mean')
    expect(options(err)[0]).toEqual({ ref: ids['Summer Sale'], label: 'Summer Sale (Shop)' })
    // Far from every name: no guess.
    expect(options(await failure(findCampaign(db.prisma, all, 'zzzzqqq')))).toEqual([])
    const account = await failure(findAdAccount(db.prisma, all, 'Outlte'))
    expect(options(account).map((o) => o.label)).toEqual(['Outlet'])
  })

  it('an ambiguous name lists the matches and offers them (up to five) by id', async () => {
    const err = await failure(findCampaign(db.prisma, all, 'summer'))
    expect(err.code).toBe('AMBIGUOUS')
    expect(options(err).map((o) => o.ref)).toEqual([ids['Summer Sale'], ids['Big Summer Push']])
    const either = await failure(findObjectOrAccount(db.prisma, all, 'o'))
    expect(options(either)).toHaveLength(5)
  })

  it("in a client's scope: that client's only; another client's refused with the reason, never offered", async () => {
    expect(await names('spring', acme)).toEqual(['Acme Spring Leads', 'Acme Spring Sales'])
    const refused = await failure(findCampaign(db.prisma, acme, 'Globex Spring'))
    expect(refused.code).toBe('FORBIDDEN')
    expect(refused.userMessage).toContain('This channel belongs to *Acme*')
    expect(refused.userMessage).not.toContain('Globex Online')
    expect((await failure(findCampaign(db.prisma, acme, ids['Globex Spring Sale'] as string))).code).toBe('FORBIDDEN')
    expect((await failure(findAdAccount(db.prisma, acme, ids.globexAccount as string))).code).toBe('FORBIDDEN')
    expect((await failure(findObjectOrAccount(db.prisma, acme, 'Summer Sale'))).code).toBe('FORBIDDEN')
    // A misspelling there offers this client's names only.
    const misspelt = await failure(findCampaign(db.prisma, acme, 'Sprng Sale'))
    expect(options(misspelt).map((o) => o.label)).toEqual(['Acme Spring Sales (Acme Store)'])
    // The whole workspace (a DM) finds every client's.
    expect((await findCampaign(db.prisma, all, 'Globex Spring')).name).toBe('Globex Spring Sale')
  })
})
