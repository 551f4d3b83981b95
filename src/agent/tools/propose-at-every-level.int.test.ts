/**
 * The agent's propose tools at ad set and ad level, called as the model calls them: a budget change on an ad set that
 * holds its own budget, on a campaign whose budgets live on its ad sets (every part returned, one card), refusals with
 * the reason for an ad set that uses its campaign's budget and for an ad, a pause of an ad by name with `level`, and
 * an ambiguous name listed with its levels. Nothing is ever written to Meta.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AgentFixture, createAgentFixture } from '../../../test/support/agent-fixture.ts'
import { createAd, createAdSet } from '../../../test/support/factories.ts'
import { createTestDatabase } from '../../../test/support/test-database.ts'
import type { ChangeWithContext } from '../../domain/changes/change-include.ts'
import { workspaceScope } from '../../domain/clients/client-scope.ts'
import type { Ad, AdSet } from '../../generated/prisma/client.ts'
import { proposeBudgetChangeTool } from './propose-budget-change.ts'
import { proposePauseTool } from './propose-pause.ts'
import type { ToolContext } from './tool-context.ts'

describe('propose tools at ad set and ad level', () => {
  let fx: AgentFixture
  let budget: (args: Record<string, unknown>) => Promise<string>
  let pause: (args: Record<string, unknown>) => Promise<string>
  const cards: ChangeWithContext[] = []
  let prospecting: AdSet
  let retargeting: AdSet
  let video: Ad

  beforeAll(async () => {
    fx = await createAgentFixture(await createTestDatabase())
    const p = fx.db.prisma
    // Budgets on the ad sets (two active, one paused).
    const autumn = await fx.seedCampaign({ metaCampaignId: '8001', name: 'Autumn Leads', dailyBudget: null, day: () => null })
    prospecting = await createAdSet(p, autumn, { name: 'Prospecting', metaAdSetId: '8101', dailyBudget: 3_000n })
    retargeting = await createAdSet(p, autumn, { name: 'Retargeting', metaAdSetId: '8102', dailyBudget: 2_000n })
    await createAdSet(p, autumn, { name: 'Paused test', metaAdSetId: '8103', dailyBudget: 1_000n, status: 'PAUSED' })
    video = await createAd(p, prospecting, { name: 'Video A', metaAdId: '8201' })
    await createAd(p, prospecting, { name: 'Video B', metaAdId: '8202' })
    // A campaign budget: its ad set has none.
    const spring = await fx.seedCampaign({ metaCampaignId: '8002', name: 'Spring Sale', dailyBudget: 8_000, day: () => null })
    await createAdSet(p, spring, { name: 'Spring audience', metaAdSetId: '8104' })
    const ctx: ToolContext = {
      deps: fx.deps,
      workspaceId: fx.workspaceId,
      scope: workspaceScope(fx.workspaceId),
      slackUserId: 'UALICE',
      onProposed: async (change) => {
        cards.push(change)
      },
    }
    const budgetTool = proposeBudgetChangeTool(ctx)
    const pauseTool = proposePauseTool(ctx)
    budget = async (args) => String(await budgetTool.invoke(args as never))
    pause = async (args) => String(await pauseTool.invoke(args as never))
  }, 60_000)
  afterAll(async () => {
    await fx?.close()
  })

  const proposals = () => fx.db.prisma.changeRequest.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] })

  it('proposes a new budget for an ad set that holds its own, at ad set level, and says which one', async () => {
    const writes = fx.sim.stats().writes
    const text = await budget({ level: 'adset', target: 'Retargeting', amount: '$25' })
    expect(text).toMatch(
      /^Change request \S+ created with status PROPOSED: Change daily budget of ad set "Retargeting" \(id 8102\) in campaign "Autumn Leads" \(id 8001\): \$20\.00 → \$25\.00 \(\+25%\)/,
    )
    expect(text).toContain('Nothing has changed on Meta')
    const [change] = await proposals()
    expect(change).toMatchObject({ level: 'adset', adSetId: retargeting.id, source: 'AGENT', proposedValue: { dailyBudgetMinor: 2_500 } })
    expect(cards.map((c) => c.id)).toEqual([change!.id])
    expect(fx.sim.stats().writes).toBe(writes)
  })

  it('on a campaign whose budgets live on its ad sets, proposes one change per active ad set on one card and lists every part', async () => {
    const before = (await proposals()).length
    cards.length = 0
    const text = await budget({ target: 'Autumn Leads', percent: 10 })
    const parts = (await proposals()).slice(before)
    expect(parts.map((c) => [c.adSetId, c.proposedValue])).toEqual([
      [prospecting.id, { dailyBudgetMinor: 3_300 }],
      [retargeting.id, { dailyBudgetMinor: 2_200 }],
    ])
    expect(text).toContain('2 change requests created with status PROPOSED, one per active ad set')
    expect(text).toContain(`- ${parts[0]!.id}: Change daily budget of ad set "Prospecting" (id 8101)`)
    expect(text).toContain(`- ${parts[1]!.id}: Change daily budget of ad set "Retargeting" (id 8102)`)
    expect(text).not.toContain('Paused test')
    // One card, for the group's first part.
    expect(cards.map((c) => c.id)).toEqual([parts[0]!.id])
  })

  it('refuses with the reason, proposing nothing: a campaign-budget ad set, an ad, a new amount for several ad sets', async () => {
    const before = (await proposals()).length
    expect(await budget({ level: 'adset', target: 'Spring audience', percent: 10 })).toBe(
      "Error: Ad set “Spring audience” uses its campaign's budget: change the budget of campaign “Spring Sale” instead.",
    )
    expect(await budget({ level: 'ad', target: 'Video A', amount: '$10' })).toContain(
      'Error: Ad “Video A” in ad set “Prospecting” (campaign “Autumn Leads”) has no budget of its own: ads spend the budget of its ad set “Prospecting”.',
    )
    expect(await budget({ target: 'Autumn Leads', amount: '$60' })).toContain(
      "This campaign's budgets live on its 2 active ad sets (“Prospecting”, “Retargeting”)",
    )
    expect((await proposals()).length).toBe(before)
  })

  it('pauses an ad by name at ad level; an ambiguous name is listed with each level', async () => {
    const text = await pause({ level: 'ad', target: 'Video A', reason: 'CTR halved over 7 days.' })
    expect(text).toMatch(
      /status PROPOSED: Pause ad "Video A" \(id 8201\) in ad set "Prospecting" of campaign "Autumn Leads" \(id 8001\): active → paused/,
    )
    expect(text).not.toContain('last active ad')
    const change = (await proposals()).at(-1)
    expect(change).toMatchObject({ level: 'ad', adId: video.id, adSetId: prospecting.id, reason: 'CTR halved over 7 days.' })
    const before = (await proposals()).length
    const ambiguous = await pause({ target: 'Video' })
    expect(ambiguous).toContain('matches more than one')
    expect(ambiguous).toContain('Video B — ad in *Prospecting* / *Autumn Leads*')
    expect((await proposals()).length).toBe(before)
  })
})
