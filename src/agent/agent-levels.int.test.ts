/**
 * The agent's read tools at every level (issue 12 §4), end to end: the real @langchain/openai client against the
 * scripted OpenAI-compatible server, the real tools over ad sets, ads and ad-days made with the factories. Metrics of
 * an ad set and of a deleted ad, ad sets of a campaign and ads of an ad set by spend, "why did it change" drilled into
 * ad sets and ads with parts that add up to the change, and another client's ad set refused in a client's channel.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type AgentFixture, createAgentFixture } from '../../test/support/agent-fixture.ts'
import { createAd, createAdAccount, createAdDays, createAdSet, createCampaign, createClient } from '../../test/support/factories.ts'
import { type FakeOpenAI, type FakeToolCall, startFakeOpenAI } from '../../test/support/fake-openai.ts'
import { createTestDatabase } from '../../test/support/test-database.ts'
import type { Ad } from '../generated/prisma/client.ts'
import { addDays, type IsoDate } from '../lib/dates.ts'
import { createChatModel } from './model.ts'
import { type AgentDeps, runAgentTurn } from './run-agent-turn.ts'

// The fixture's clock: 10:00 in New York on 2026-11-25, so the last 7 days are Nov 18–24 and the 7 before Nov 11–17.
const LATER: IsoDate = '2026-11-18'
const EARLIER: IsoDate = '2026-11-11'
const CLIENT_CHANNEL = 'CSUNRISE'

describe('the agent reads ad sets and ads', () => {
  let fx: AgentFixture
  let ai: FakeOpenAI
  let agentDeps: AgentDeps
  let rivalAdSetId: string

  beforeAll(async () => {
    fx = await createAgentFixture(await createTestDatabase())
    ai = await startFakeOpenAI()
    agentDeps = { domain: fx.deps, model: createChatModel({ apiKey: 'sk-test-not-a-real-key', baseUrl: ai.url, model: 'gpt-test' }) }
    const p = fx.db.prisma
    await p.adAccount.update({ where: { id: fx.account.id }, data: { adLevelSince: new Date('2026-11-01T00:00:00Z') } })

    const autumn = await createCampaign(p, fx.account.id, { name: 'Autumn Leads', metaCampaignId: '9101', objective: 'OUTCOME_LEADS' })
    const prospecting = await createAdSet(p, autumn, { name: 'Prospecting', metaAdSetId: '9201', dailyBudget: 3_000n })
    const retargeting = await createAdSet(p, autumn, { name: 'Retargeting', metaAdSetId: '9202', dailyBudget: 2_000n })
    const lookalike = await createAdSet(p, autumn, { name: 'Lookalike', metaAdSetId: '9203' })
    const oldTest = await createAdSet(p, autumn, { name: 'Old test', metaAdSetId: '9204', status: 'DELETED' })
    const video = await createAd(p, prospecting, { name: 'Video A', metaAdId: '9301', creativeName: 'Autumn video' })
    const carousel = await createAd(p, prospecting, { name: 'Carousel B', metaAdId: '9302', creativeName: null })
    const staticAd = await createAd(p, retargeting, { name: 'Static C', metaAdId: '9303', creativeName: null })
    const lookalikeAd = await createAd(p, lookalike, { name: 'Lookalike D', metaAdId: '9304', creativeName: null })
    const oldAd = await createAd(p, oldTest, { name: 'Old E', metaAdId: '9305', creativeName: null, status: 'DELETED' })

    // Per day. Earlier week: A, B, C and E at $2.00, $2.00, $1.00, $1.00 a lead. Later week: B gets dearer ($5.00),
    // D is new ($4.00), E has stopped. Campaign: $21,000 / 140 leads = $1.50 → $26,600 / 105 = $2.53.
    const days: Parameters<typeof createAdDays>[1] = []
    const add = (ad: Ad, from: IsoDate, spend: number, leads: number) => {
      for (let i = 0; i < 7; i++) days.push({ ad, date: addDays(from, i), spend, leads, impressions: 10_000, clicks: 100 })
    }
    for (const from of [EARLIER, LATER]) {
      add(video, from, 1_000, 5)
      add(staticAd, from, 500, 5)
    }
    add(carousel, EARLIER, 1_000, 5)
    add(carousel, LATER, 1_500, 3)
    add(lookalikeAd, LATER, 800, 2)
    add(oldAd, EARLIER, 500, 5)
    await createAdDays(p, days)

    // Another client's ad set, same workspace.
    const rivalClient = await createClient(p, fx.workspaceId, { name: 'Rival Foods' })
    const rivalAccount = await createAdAccount(p, {
      workspaceId: fx.workspaceId,
      clientId: rivalClient.id,
      name: 'Rival US',
      currency: 'USD',
    })
    const rivalSet = await createAdSet(p, await createCampaign(p, rivalAccount.id, { name: 'Rival campaign' }), {
      name: 'Rival prospecting',
      metaAdSetId: '9901',
    })
    rivalAdSetId = rivalSet.metaAdSetId
    await p.clientChannel.create({ data: { workspaceId: fx.workspaceId, channelId: CLIENT_CHANNEL, clientId: fx.account.clientId } })
  }, 120_000)

  afterAll(async () => {
    await ai?.close()
    await fx?.close()
  })

  beforeEach(() => ai.reset())

  /** Runs one turn whose model calls `calls` at once, and returns what each tool answered. */
  async function toolAnswers(calls: FakeToolCall[], channelId?: string): Promise<string[]> {
    ai.reset()
    ai.enqueue({ toolCalls: calls }, { text: 'Done.' })
    const r = await runAgentTurn(agentDeps, {
      workspaceId: fx.workspaceId,
      slackUserId: 'UALICE',
      threadKey: `D1:${Math.random()}`,
      text: 'Tell me about my ad sets.',
      onProposed: async () => {},
      ...(channelId ? { channelId } : {}),
    })
    expect(r.outcome).toBe('answered')
    return ai.requests[1]!.body.messages.filter((m) => m.role === 'tool').map((m) => String(m.content))
  }

  /** The signed money parts of a drill-down's bullet lines ("+$0.80 (78% of the change)"), in dollars. */
  const parts = (text: string) =>
    [...text.matchAll(/^• .*?: ([+\-±])\$([\d,.]+)(?: \(|;|$)/gm)].map((m) => (m[1] === '-' ? -1 : 1) * Number(m[2]!.replace(/,/g, '')))

  it('explains a campaign change by ad set, each part named with its id, new and stopped ones said, the parts adding up', async () => {
    const [byAdSet, byAd] = await toolAnswers([
      { name: 'compare_periods_and_explain', args: { level: 'campaign', target: 'Autumn Leads', period: 'last_7d' } },
      { name: 'compare_periods_and_explain', args: { level: 'campaign', target: '9101', breakdown: 'ad', period: 'last_7d' } },
    ])
    expect(byAdSet).toContain('Campaign "Autumn Leads" (id 9101, active, OUTCOME_LEADS) in ad account "Sunrise Bakery"')
    expect(byAdSet).toContain('Cost per lead: $1.50 → $2.53 (+69%).')
    expect(byAdSet).toContain('Which ad sets moved the cost per lead ($1.50 → $2.53, +$1.03)')
    expect(byAdSet).toMatch(
      /^• "Prospecting" \(ad set id 9201, active\): \+\$[\d.]+ \(\d+% of the change\); spend \$140\.00 → \$175\.00, leads 70 → 56/m,
    )
    expect(byAdSet).toMatch(/^• "Lookalike" \(ad set id 9203, active\), new: nothing in the earlier period: \+\$/m)
    expect(byAdSet).toMatch(/^• "Old test" \(ad set id 9204, deleted on Meta\), stopped: nothing in the later period: \+\$/m)
    // Steady spend and leads: no part in the change.
    expect(byAdSet).toMatch(/^• "Retargeting" \(ad set id 9202, active\): ±\$0\.00 \(0% of the change\)/m)
    const adSetParts = parts(byAdSet!)
    expect(adSetParts).toHaveLength(4)
    expect(adSetParts.reduce((a, b) => a + b, 0)).toBeCloseTo(26_600 / 105 / 100 - 1.5, 1)

    expect(byAd).toContain('Which ads moved the cost per lead ($1.50 → $2.53, +$1.03)')
    expect(byAd).toMatch(/^• "Carousel B" \(ad id 9302, active, in ad set "Prospecting" \(id 9201\)\): \+\$/m)
    expect(byAd).toContain('"Video A" (ad id 9301, active, creative "Autumn video", in ad set "Prospecting" (id 9201))')
    expect(parts(byAd!).reduce((a, b) => a + b, 0)).toBeCloseTo(26_600 / 105 / 100 - 1.5, 1)
  })

  it('drills an ad set into its ads, and refuses a breakdown that is not below the level', async () => {
    const [adSet, wrong] = await toolAnswers([
      { name: 'compare_periods_and_explain', args: { level: 'adset', target: 'Prospecting', period: 'last_7d' } },
      { name: 'compare_periods_and_explain', args: { level: 'ad', target: 'Video A', breakdown: 'adset' } },
    ])
    expect(adSet).toContain(
      'Ad set "Prospecting" (id 9201, active) of campaign "Autumn Leads" (id 9101, active, OUTCOME_LEADS) in ad account "Sunrise Bakery"',
    )
    expect(adSet).toContain('Cost per lead: $2.00 → $3.13 (+56%).')
    expect(adSet).toMatch(/Which ads moved the cost per lead \(\$2\.00 → \$3\.13, \+\$1\.13\)/)
    expect(adSet).toMatch(/^• "Carousel B" \(ad id 9302, active\): \+\$1\.\d\d \(\d+% of the change\)/m)
    expect(wrong).toBe('Error: An ad cannot be split by ad set: choose a level below it, or "none".')
  })

  it('reads metrics of an ad set and of a deleted ad, and lists ad sets and ads by spend', async () => {
    const [adSet, deleted, adSets, ads, campaigns] = await toolAnswers([
      { name: 'get_metrics', args: { level: 'adset', target: 'Retargeting' } },
      { name: 'get_metrics', args: { level: 'ad', target: '9305', period: 'last 14 days' } },
      { name: 'list_campaigns', args: { level: 'adset', parent: 'Autumn Leads' } },
      { name: 'list_campaigns', args: { level: 'ad', parent: 'Prospecting' } },
      { name: 'list_campaigns', args: {} },
    ])
    expect(campaigns).toContain(
      '• "Autumn Leads" (id 9101, active, OUTCOME_LEADS, budget on its ad sets: $30.00 + $20.00 a day ($50.00 in all), account "Sunrise Bakery" in USD)',
    )
    expect(adSet).toContain('Ad set "Retargeting" (id 9202, active) of campaign "Autumn Leads" (id 9101, active, OUTCOME_LEADS)')
    expect(adSet).toContain('Spend: $35.00 (previous $35.00, ±0%)')
    expect(adSet).toContain('Results (leads): 35 (previous 35, ±0%)')
    expect(adSet).toContain('Reach and frequency: not given for ad sets and ads')

    expect(deleted).toContain('Ad "Old E" (id 9305, deleted on Meta) in ad set "Old test" (id 9204)')
    expect(deleted).toContain('Spend: $35.00 (previous $0.00')

    expect(adSets).toContain(
      '3 ad sets (not archived or deleted) of campaign "Autumn Leads" (id 9101, OUTCOME_LEADS) in ad account "Sunrise Bakery"',
    )
    expect([...adSets!.matchAll(/^• "([^"]+)"/gm)].map((m) => m[1])).toEqual(['Prospecting', 'Lookalike', 'Retargeting'])
    expect(adSets).toContain('• "Prospecting" (ad set id 9201, active, daily budget $30.00, optimised for LEAD_GENERATION)')
    expect(adSets).toContain('• "Lookalike" (ad set id 9203, active, no budget set, optimised for LEAD_GENERATION)')
    expect(adSets).toContain('last 7 days: spend $175.00, 56 leads at $3.13 each')
    expect(adSets).toContain('(1 archived or deleted ad set not shown: status "archived" or "all" shows them.)')

    expect(ads).toContain('2 ads (not archived or deleted) of ad set "Prospecting" (id 9201) in campaign "Autumn Leads"')
    expect([...ads!.matchAll(/^• "([^"]+)"/gm)].map((m) => m[1])).toEqual(['Carousel B', 'Video A'])
    expect(ads).toContain('• "Video A" (ad id 9301, active, creative "Autumn video")')
  })

  it("refuses another client's ad set by name and by id in a client's channel, and shows nothing of it", async () => {
    const answers = await toolAnswers(
      [
        { name: 'get_metrics', args: { level: 'adset', target: 'Rival prospecting' } },
        { name: 'compare_periods_and_explain', args: { level: 'adset', target: rivalAdSetId } },
        { name: 'list_campaigns', args: { level: 'ad', parent: 'Rival prospecting' } },
      ],
      CLIENT_CHANNEL,
    )
    for (const a of answers) {
      expect(a).toMatch(/^Error: This channel belongs to \*.+\*, and ".+" is not one of .+'s ad accounts, campaigns, ad sets or ads/)
      expect(a).not.toContain('Rival US')
    }
    // In a DM the same ad set is found.
    const [dm] = await toolAnswers([{ name: 'get_metrics', args: { level: 'adset', target: rivalAdSetId } }])
    expect(dm).toContain('Ad set "Rival prospecting" (id 9901')
  })
})
