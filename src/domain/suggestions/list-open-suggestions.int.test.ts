/** The open suggestions both surfaces list: scoped to the workspace and a target, most confident first, counted beyond the limit. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAd, createAdAccount, createAdSet, createCampaign, createWorkspace } from '../../../test/support/factories.ts'
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts'
import { workspaceScope } from '../clients/client-scope.ts'
import { listOpenSuggestions } from './list-open-suggestions.ts'

describe('listOpenSuggestions', () => {
  let db: TestDatabase
  let workspaceId: string
  const ids: Record<string, string> = {}

  beforeAll(async () => {
    db = await createTestDatabase()
    workspaceId = (await createWorkspace(db.prisma)).id
    const otherId = (await createWorkspace(db.prisma)).id
    const account = (ws: string, name: string) => createAdAccount(db.prisma, { workspaceId: ws, name })
    const campaign = (adAccountId: string, name: string) => createCampaign(db.prisma, adAccountId, { name })
    const shop = await account(workspaceId, 'Shop')
    const blog = await account(workspaceId, 'Blog')
    const foreign = await account(otherId, 'Shop abroad')
    const spring = await campaign(shop.id, 'Spring sale')
    const summer = await campaign(shop.id, 'Summer sale')
    const posts = await campaign(blog.id, 'Posts')
    const abroad = await campaign(foreign.id, 'Spring abroad')
    const suggestion = (
      ws: string,
      c: { id: string; adAccountId: string },
      title: string,
      confidence: number,
      status = 'OPEN',
      changeRequestId?: string,
    ) =>
      db.prisma.suggestion.create({
        data: {
          workspaceId: ws,
          adAccountId: c.adAccountId,
          campaignId: c.id,
          kind: 'high_cost',
          title,
          confidence,
          status,
          metricName: 'cpl',
          metricValue: 1,
          changeRequestId,
        },
      })
    const change = await db.prisma.changeRequest.create({
      data: {
        workspaceId,
        adAccountId: shop.id,
        campaignId: spring.id,
        type: 'PAUSE',
        source: 'OPTIMIZER',
        currentValue: { status: 'ACTIVE' },
        proposedValue: { status: 'PAUSED' },
        expiresAt: new Date('2030-01-01'),
      },
    })
    ids.spring = (await suggestion(workspaceId, spring, 'Pause spring', 0.9, 'OPEN', change.id)).id
    ids.change = change.id
    ids.summer = (await suggestion(workspaceId, summer, 'Summer costs', 0.7)).id
    ids.posts = (await suggestion(workspaceId, posts, 'Posts fatigue', 0.8)).id
    await suggestion(workspaceId, posts, 'Dismissed one', 0.99, 'REJECTED')
    await suggestion(otherId, abroad, 'Not ours', 0.95)
  })

  afterAll(async () => {
    await db?.drop()
  })

  it("lists the workspace's open suggestions, most confident first, with campaign names and changes, and counts those beyond the limit", async () => {
    const all = await listOpenSuggestions(db.prisma, { scope: workspaceScope(workspaceId), limit: 2 })
    expect(all.targetFound).toBe(true)
    expect(all.total).toBe(3)
    expect(all.suggestions.map((s) => [s.title, s.campaignName])).toEqual([
      ['Pause spring', 'Spring sale'],
      ['Posts fatigue', 'Posts'],
    ])
    expect(all.suggestions[0]!.change).toMatchObject({
      id: ids.change,
      type: 'PAUSE',
      campaign: { name: 'Spring sale' },
      adAccount: { name: 'Shop' },
    })
    expect(all.suggestions[1]!.change).toBeNull()
  })

  it('narrows to a campaign, else an ad account, and says when the target matches nothing', async () => {
    const campaign = await listOpenSuggestions(db.prisma, { scope: workspaceScope(workspaceId), target: 'spring', limit: 10 })
    expect(campaign.suggestions.map((s) => s.id)).toEqual([ids.spring])
    const account = await listOpenSuggestions(db.prisma, { scope: workspaceScope(workspaceId), target: 'Shop', limit: 10 })
    expect(account.suggestions.map((s) => s.id)).toEqual([ids.spring, ids.summer])
    expect(account.total).toBe(2)
    expect(await listOpenSuggestions(db.prisma, { scope: workspaceScope(workspaceId), target: 'Spring abroad', limit: 10 })).toEqual({
      targetFound: false,
      total: 0,
      suggestions: [],
    })
  })
})

describe('listOpenSuggestions at ad set and ad level', () => {
  let db: TestDatabase

  beforeAll(async () => {
    db = await createTestDatabase()
  })

  afterAll(async () => {
    await db?.drop()
  })

  it('names the ad set and the ad of a finding judged on them (its place), and narrows by its campaign', async () => {
    const workspaceId = (await createWorkspace(db.prisma)).id
    const account = await createAdAccount(db.prisma, { workspaceId, name: 'Shop' })
    const campaign = await createCampaign(db.prisma, account.id, { name: 'Creative test' })
    const adSet = await createAdSet(db.prisma, campaign, { name: 'Broad' })
    const ad = await createAd(db.prisma, adSet, { name: 'Video 1' })
    const base = { workspaceId, adAccountId: account.id, campaignId: campaign.id, confidence: 0.9, metricName: 'ctr', metricValue: 0.01 }
    await db.prisma.suggestion.create({
      data: { ...base, level: 'ad', adSetId: adSet.id, adId: ad.id, kind: 'creative_fatigue', title: 'Worn out' },
    })
    await db.prisma.suggestion.create({
      data: { ...base, level: 'adset', adSetId: adSet.id, kind: 'overpacing', title: 'Overspends', confidence: 0.8 },
    })
    const listed = await listOpenSuggestions(db.prisma, { scope: workspaceScope(workspaceId), target: 'Creative', limit: 10 })
    expect(listed.suggestions.map((s) => [s.title, s.place.level, s.place.adSetName, s.place.adName, s.place.campaignName])).toEqual([
      ['Worn out', 'ad', 'Broad', 'Video 1', 'Creative test'],
      ['Overspends', 'adset', 'Broad', null, 'Creative test'],
    ])
    // An ad set names its own findings and its ads'; an ad only its own.
    const bySet = await listOpenSuggestions(db.prisma, { scope: workspaceScope(workspaceId), target: 'Broad', limit: 10 })
    expect(bySet.suggestions.map((s) => s.title)).toEqual(['Worn out', 'Overspends'])
    const byAd = await listOpenSuggestions(db.prisma, { scope: workspaceScope(workspaceId), target: 'Video 1', limit: 10 })
    expect(byAd.suggestions.map((s) => s.title)).toEqual(['Worn out'])
  })
})
