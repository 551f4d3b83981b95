/** The open suggestions both surfaces list: scoped to the workspace and a target, most confident first, counted beyond the limit. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts'
import { listOpenSuggestions } from './list-open-suggestions.ts'

describe('listOpenSuggestions', () => {
  let db: TestDatabase
  let workspaceId: string
  const ids: Record<string, string> = {}

  beforeAll(async () => {
    db = await createTestDatabase()
    workspaceId = (await db.prisma.workspace.create({ data: { slackTeamId: 'TLIST' } })).id
    const otherId = (await db.prisma.workspace.create({ data: { slackTeamId: 'TLISTOTHER' } })).id
    const account = async (ws: string, metaAccountId: string, name: string) => {
      const connection = await db.prisma.metaConnection.create({
        data: { workspaceId: ws, label: name, accessTokenEnc: 'x', tokenFingerprint: metaAccountId },
      })
      return db.prisma.adAccount.create({
        data: { workspaceId: ws, connectionId: connection.id, metaAccountId, name, currency: 'EUR', timezoneName: 'Europe/Berlin' },
      })
    }
    const campaign = (adAccountId: string, metaCampaignId: string, name: string) =>
      db.prisma.campaign.create({
        data: { adAccountId, metaCampaignId, name, objective: 'OUTCOME_LEADS', status: 'ACTIVE', effectiveStatus: 'ACTIVE' },
      })
    const shop = await account(workspaceId, 'act_1', 'Shop')
    const blog = await account(workspaceId, 'act_2', 'Blog')
    const foreign = await account(otherId, 'act_3', 'Shop abroad')
    const spring = await campaign(shop.id, '11', 'Spring sale')
    const summer = await campaign(shop.id, '12', 'Summer sale')
    const posts = await campaign(blog.id, '21', 'Posts')
    const abroad = await campaign(foreign.id, '31', 'Spring abroad')
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
    const all = await listOpenSuggestions(db.prisma, { workspaceId, limit: 2 })
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
    const campaign = await listOpenSuggestions(db.prisma, { workspaceId, target: 'spring', limit: 10 })
    expect(campaign.suggestions.map((s) => s.id)).toEqual([ids.spring])
    const account = await listOpenSuggestions(db.prisma, { workspaceId, target: 'Shop', limit: 10 })
    expect(account.suggestions.map((s) => s.id)).toEqual([ids.spring, ids.summer])
    expect(account.total).toBe(2)
    expect(await listOpenSuggestions(db.prisma, { workspaceId, target: 'Spring abroad', limit: 10 })).toEqual({
      targetFound: false,
      total: 0,
      suggestions: [],
    })
  })
})
