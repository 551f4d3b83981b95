/**
 * Finding a campaign, ad set or ad on real PostgreSQL: by Meta id or by name (exact wins, prefix first, typed text
 * literal), restricted to the levels asked; ambiguous names listed with their level and parent; another client's
 * refused; archived and deleted objects found by id or exact name, by prefix only when nothing live matches.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAd, createAdAccount, createAdSet, createCampaign, createClient, createWorkspace } from '../../../test/support/factories.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../../../test/support/test-database.ts'
import type { Ad, AdSet, Campaign } from '../../generated/prisma/client.ts'
import { type AppError, isAppError } from '../../lib/errors.ts'
import type { ClientScope } from '../clients/client-scope.ts'
import { findObject, matchObjects } from './find-object.ts'
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
const ALL = ['campaign', 'adset', 'ad'] as const

describe.skipIf(!serverUrl)('findObject', () => {
  let db: TestDatabase
  let acme: ClientScope
  let spring: Campaign
  let retargeting: AdSet
  let prospecting: AdSet
  let blueShoes: Ad
  let deletedAd: Ad
  let archivedSet: AdSet
  let globexAd: Ad

  beforeAll(async () => {
    db = await createPostgresTestDatabase(serverUrl!)
    const workspaceId = (await createWorkspace(db.prisma)).id
    const acmeClient = await createClient(db.prisma, workspaceId, { name: 'Acme' })
    const globexClient = await createClient(db.prisma, workspaceId, { name: 'Globex' })
    acme = { workspaceId, client: { id: acmeClient.id, name: 'Acme' } }
    const store = await createAdAccount(db.prisma, { workspaceId, name: 'Acme Store', clientId: acmeClient.id })
    spring = await createCampaign(db.prisma, store.id, { name: 'Spring sale' })
    const winter = await createCampaign(db.prisma, store.id, { name: 'Winter push' })
    retargeting = await createAdSet(db.prisma, spring, { name: 'Retargeting' })
    prospecting = await createAdSet(db.prisma, spring, { name: 'Prospecting_50%' })
    blueShoes = await createAd(db.prisma, retargeting, { name: 'Blue shoes' })
    await createAd(db.prisma, prospecting, { name: 'Retargeting video' })
    const winterSet = await createAdSet(db.prisma, winter, { name: 'Lookalike' })
    await createAd(db.prisma, winterSet, { name: 'Blue shoes' })
    deletedAd = await createAd(db.prisma, winterSet, { name: 'Red boots', status: 'DELETED' })
    archivedSet = await createAdSet(db.prisma, winter, { name: 'Old audience', status: 'ARCHIVED' })
    await createAdSet(db.prisma, spring, { name: 'Spring sale', status: 'PAUSED', effectiveStatus: 'CAMPAIGN_PAUSED' })
    await createAd(db.prisma, winterSet, { name: 'Lookalike copy', effectiveStatus: 'DELETED', status: 'ACTIVE' })
    await createAd(db.prisma, retargeting, { name: 'Summer hero' })
    await createAd(db.prisma, winterSet, { name: 'Summer hero', status: 'DELETED' })
    const globex = await createAdAccount(db.prisma, { workspaceId, name: 'Globex Online', clientId: globexClient.id })
    const globexSet = await createAdSet(db.prisma, await createCampaign(db.prisma, globex.id, { name: 'Globex launch' }), {
      name: 'Globex audience',
    })
    globexAd = await createAd(db.prisma, globexSet, { name: 'Globex teaser' })
  })
  afterAll(async () => {
    await db?.drop()
  })

  const names = async (q: string, levels: readonly ('campaign' | 'adset' | 'ad')[] = ALL) =>
    (await matchObjects(db.prisma, acme, q, levels)).map((o) => `${o.level}:${(o.ad ?? o.adSet ?? o.campaign).name}`)

  it('finds each level by its Meta id, with its parents, and only the levels asked', async () => {
    const ad = await findObject(db.prisma, acme, blueShoes.metaAdId, ALL)
    expect(ad.level).toBe('ad')
    expect([ad.ad?.id, ad.adSet?.id, ad.campaign.id, ad.account.name]).toEqual([blueShoes.id, retargeting.id, spring.id, 'Acme Store'])
    const set = await findObject(db.prisma, acme, ` ${retargeting.metaAdSetId} `, ['adset', 'ad'])
    expect([set.level, set.adSet?.name, set.ad, set.campaign.name]).toEqual(['adset', 'Retargeting', undefined, 'Spring sale'])
    expect((await findObject(db.prisma, acme, spring.metaCampaignId, ALL)).level).toBe('campaign')
    const notAsked = await failure(findObject(db.prisma, acme, spring.metaCampaignId, ['adset', 'ad']))
    expect(notAsked.code).toBe('NOT_FOUND')
    expect(notAsked.userMessage).toContain('No ad set or ad matches')
  })

  it('matches a prefix before a name containing it; an exact name wins alone, whatever its level', async () => {
    expect(await names('retarg')).toEqual(['adset:Retargeting', 'ad:Retargeting video'])
    expect(await names('RETARGETING')).toEqual(['adset:Retargeting'])
    expect(await names('shoes', ['adset'])).toEqual([])
    expect(await names('video', ['ad'])).toEqual(['ad:Retargeting video'])
    // Typed text is literal: _ and % are not patterns.
    expect(await names('_')).toEqual(['adset:Prospecting_50%'])
    expect(await names('g%')).toEqual([])
  })

  it('lists an ambiguous name with each match’s level and parent, offering them by id', async () => {
    const err = await failure(findObject(db.prisma, acme, 'retarg', ALL))
    expect(err.code).toBe('AMBIGUOUS')
    expect(err.userMessage).toContain('Retargeting — ad set in *Spring sale* (Acme Store)')
    expect(err.userMessage).toContain('Retargeting video — ad in *Prospecting_50%* / *Spring sale* (Acme Store)')
    expect(options(err).map((o) => o.ref)).toEqual([retargeting.metaAdSetId, expect.any(String)])
    expect(options(err)[0]?.label).toBe('Retargeting — ad set in Spring sale (Acme Store)')
    // Two exact names at different levels: both, campaign first.
    const both = await failure(findObject(db.prisma, acme, 'spring sale', ALL))
    expect(both.userMessage).toMatch(/Spring sale — campaign in Acme Store[\s\S]*Spring sale — ad set in \*Spring sale\*/)
    // Two ads of the same name in different ad sets.
    const twins = await failure(findObject(db.prisma, acme, 'blue shoes', ['ad']))
    expect(twins.userMessage).toContain('in *Retargeting* / *Spring sale*')
    expect(twins.userMessage).toContain('in *Lookalike* / *Winter push*')
  })

  it("refuses another client's ad set or ad by name and by id, and never offers it", async () => {
    for (const q of ['Globex teaser', globexAd.metaAdId, 'Globex audience']) {
      const refused = await failure(findObject(db.prisma, acme, q, ['adset', 'ad']))
      expect(refused.code).toBe('FORBIDDEN')
      expect(refused.userMessage).toContain('This channel belongs to *Acme*')
      expect(refused.userMessage).not.toContain('Globex Online')
    }
    const misspelt = await failure(findObject(db.prisma, acme, 'Retargetng', ['adset']))
    expect(misspelt.code).toBe('NOT_FOUND')
    expect(options(misspelt)).toEqual([{ ref: retargeting.metaAdSetId, label: 'Retargeting — ad set in Spring sale (Acme Store)' }])
    // The workspace scope (a DM) finds it.
    const all = { workspaceId: acme.workspaceId, client: null }
    expect((await findObject(db.prisma, all, 'Globex teaser', ['ad'])).ad?.id).toBe(globexAd.id)
  })

  it('finds a deleted or archived object by id or exact name, by prefix only when nothing live matches', async () => {
    expect((await findObject(db.prisma, acme, deletedAd.metaAdId, ALL)).ad?.name).toBe('Red boots')
    expect((await findObject(db.prisma, acme, 'red boots', ALL)).ad?.id).toBe(deletedAd.id)
    expect((await findObject(db.prisma, acme, 'Red', ALL)).ad?.id).toBe(deletedAd.id)
    expect((await findObject(db.prisma, acme, 'old aud', ['adset'])).adSet?.id).toBe(archivedSet.id)
    // Not anywhere in the name, as live ones are.
    expect((await failure(findObject(db.prisma, acme, 'boots', ALL))).code).toBe('NOT_FOUND')
    // A live prefix hides the deleted one ("Lookalike copy" is deleted in effect) …
    expect(await names('looka')).toEqual(['adset:Lookalike'])
    // … unless its exact name is typed; then it is listed as deleted.
    expect(await names('lookalike copy')).toEqual(['ad:Lookalike copy'])
    // A live and a deleted ad of the same name: both listed, the deleted one said so.
    const err = await failure(findObject(db.prisma, acme, 'summer hero', ['ad']))
    expect(err.code).toBe('AMBIGUOUS')
    expect(err.userMessage).toContain('Summer hero — ad in *Lookalike* / *Winter push* (Acme Store) (deleted on Meta)')
    expect(err.userMessage).toContain('Summer hero — ad in *Retargeting* / *Spring sale* (Acme Store) (')
    expect(options(err).map((o) => o.label)).toContain('Summer hero — ad in Lookalike / Winter push (Acme Store) (deleted on Meta)')
  })
})
