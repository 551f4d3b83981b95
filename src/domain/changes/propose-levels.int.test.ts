/**
 * Proposals at every level on real PostgreSQL (issue 13): a budget changes where it lives — the campaign, or each
 * active ad set of a campaign whose budgets live on its ad sets, as one group written in one transaction —, ads
 * have none, and every refusal says why and writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { simulatorMetaApi, testDomainDeps } from '../../../test/support/domain-deps.ts'
import { createAd, createAdAccount, createAdSet, createCampaign, createWorkspace } from '../../../test/support/factories.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../../../test/support/test-database.ts'
import { type MetaSimulator, startMetaSimulator } from '../../integrations/meta-sim/index.ts'
import { AppError } from '../../lib/errors.ts'
import type { DomainDeps } from '../deps.ts'
import { changeTargetOf, loadChangeGroup } from './change-include.ts'
import { proposeBudgetChange } from './propose-budget-change.ts'
import { proposeChange } from './propose-change.ts'

const serverUrl = requirePostgresUrl()

async function refusal(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(AppError)
  return (err as AppError).userMessage
}

describe.skipIf(!serverUrl)('proposals at campaign, ad set and ad level', () => {
  let db: TestDatabase
  let sim: MetaSimulator
  let deps: DomainDeps
  let workspaceId: string
  let adAccountId: string

  beforeAll(async () => {
    db = await createPostgresTestDatabase(serverUrl!)
    sim = await startMetaSimulator({ accounts: [] })
    deps = testDomainDeps({ prisma: db.prisma, meta: simulatorMetaApi(sim, { sleep: async () => {}, maxWaitMs: 0 }) })
    workspaceId = (await createWorkspace(db.prisma, { settings: { guardrails: { cooldownHours: 0 } } })).id
    adAccountId = (await createAdAccount(db.prisma, { workspaceId, currency: 'USD', adLevelSince: new Date('2026-11-01') })).id
  })
  afterAll(async () => {
    await sim?.close()
    await db?.drop()
  })

  it('proposes one change per active ad set of an ad-set-budget campaign, as one group on one card', async () => {
    const campaign = await createCampaign(db.prisma, adAccountId, { name: 'Spring' })
    const a = await createAdSet(db.prisma, campaign, { name: 'A', dailyBudget: 5_000n })
    const b = await createAdSet(db.prisma, campaign, { name: 'B', lifetimeBudget: 300_000n })
    await createAdSet(db.prisma, campaign, { name: 'C paused', dailyBudget: 9_000n, status: 'PAUSED' })
    await createAdSet(db.prisma, campaign, { name: 'D archived', dailyBudget: 9_000n, status: 'ARCHIVED' })
    const parts = await proposeBudgetChange(deps, {
      workspaceId,
      campaignId: campaign.id,
      choice: { kind: 'percent', percent: 20 },
      source: 'COMMAND',
      requestedBySlackUserId: 'U1',
    })
    expect(parts.map((p) => [p.adSet?.name, p.level, p.type, p.proposedValue])).toEqual([
      ['A', 'adset', 'SET_DAILY_BUDGET', { dailyBudgetMinor: 6_000 }],
      ['B', 'adset', 'SET_LIFETIME_BUDGET', { lifetimeBudgetMinor: 360_000 }],
    ])
    const lead = parts[0]!
    expect(parts.every((p) => p.groupId === lead.id && p.campaignId === campaign.id)).toBe(true)
    expect((await loadChangeGroup(db.prisma, lead)).map((p) => p.adSetId)).toEqual([a.id, b.id])
    expect(changeTargetOf(lead)).toMatchObject({ level: 'adset', name: 'A', campaignName: 'Spring' })
  })

  it('refuses an amount for several ad sets (a percent applies to each) and writes nothing', async () => {
    const campaign = await createCampaign(db.prisma, adAccountId, { name: 'Two sets' })
    await createAdSet(db.prisma, campaign, { name: 'X', dailyBudget: 5_000n })
    await createAdSet(db.prisma, campaign, { name: 'Y', dailyBudget: 7_000n })
    const message = await refusal(
      proposeBudgetChange(deps, { workspaceId, campaignId: campaign.id, choice: { kind: 'absolute', minor: 8_000 }, source: 'COMMAND' }),
    )
    expect(message).toContain('2 active ad sets')
    expect(message).toContain('“X”')
    expect(await db.prisma.changeRequest.count({ where: { campaignId: campaign.id } })).toBe(0)
  })

  it('writes no part when one part of a group is refused', async () => {
    const campaign = await createCampaign(db.prisma, adAccountId, { name: 'Tiny' })
    await createAdSet(db.prisma, campaign, { name: 'Fine', dailyBudget: 5_000n })
    await createAdSet(db.prisma, campaign, { name: 'One cent', dailyBudget: 1n })
    // -50% of one cent rounds to zero: that part is refused, so the whole proposal is.
    await refusal(
      proposeBudgetChange(deps, { workspaceId, campaignId: campaign.id, choice: { kind: 'percent', percent: -50 }, source: 'COMMAND' }),
    )
    expect(await db.prisma.changeRequest.count({ where: { campaignId: campaign.id } })).toBe(0)
  })

  it('changes an ad set budget on the ad set, and refuses one whose campaign holds the budget', async () => {
    const own = await createCampaign(db.prisma, adAccountId, { name: 'Sets hold it' })
    const set = await createAdSet(db.prisma, own, { name: 'Holder', dailyBudget: 4_000n })
    const [change] = await proposeBudgetChange(deps, {
      workspaceId,
      adSetId: set.id,
      choice: { kind: 'delta', minor: 1_000 },
      source: 'COMMAND',
    })
    expect(change).toMatchObject({ level: 'adset', adSetId: set.id, campaignId: own.id, groupId: null })
    expect(change?.proposedValue).toEqual({ dailyBudgetMinor: 5_000 })

    const cbo = await createCampaign(db.prisma, adAccountId, { name: 'Campaign holds it', dailyBudget: 10_000n })
    const child = await createAdSet(db.prisma, cbo, { name: 'Child' })
    const message = await refusal(
      proposeChange(deps, {
        workspaceId,
        type: 'SET_DAILY_BUDGET',
        source: 'COMMAND',
        adSetId: child.id,
        proposedValue: { dailyBudgetMinor: 3_000 },
      }),
    )
    expect(message).toContain('Ad set “Child” in campaign “Campaign holds it” uses its campaign')
    const viaBudget = await refusal(
      proposeBudgetChange(deps, { workspaceId, adSetId: child.id, choice: { kind: 'percent', percent: 10 }, source: 'COMMAND' }),
    )
    expect(viaBudget).toContain('campaign “Campaign holds it”')
    // And the other way round: a campaign-level budget on a campaign whose budgets live on its ad sets.
    const campaignLevel = await refusal(
      proposeChange(deps, {
        workspaceId,
        type: 'SET_DAILY_BUDGET',
        source: 'COMMAND',
        campaignId: own.id,
        proposedValue: { dailyBudgetMinor: 3_000 },
      }),
    )
    expect(campaignLevel).toContain('its budgets are set on its ad sets')
  })

  it('pauses an ad (naming its ad set and campaign) and refuses a budget on an ad', async () => {
    const campaign = await createCampaign(db.prisma, adAccountId, { name: 'Creative test', dailyBudget: 10_000n })
    const set = await createAdSet(db.prisma, campaign, { name: 'Broad' })
    const ad = await createAd(db.prisma, set, { name: 'Video 1' })
    const pause = await proposeChange(deps, { workspaceId, type: 'PAUSE', source: 'COMMAND', adId: ad.id })
    expect(pause).toMatchObject({ level: 'ad', adId: ad.id, adSetId: set.id, campaignId: campaign.id })
    expect(pause.currentValue).toEqual({ status: 'ACTIVE' })
    expect(changeTargetOf(pause)).toMatchObject({ level: 'ad', name: 'Video 1', adSetName: 'Broad', campaignName: 'Creative test' })
    const message = await refusal(
      proposeChange(deps, {
        workspaceId,
        type: 'SET_DAILY_BUDGET',
        source: 'COMMAND',
        adId: ad.id,
        proposedValue: { dailyBudgetMinor: 3_000 },
      }),
    )
    expect(message).toContain('ads spend the budget of its campaign “Creative test”')
    const deleted = await createAd(db.prisma, set, { name: 'Gone', status: 'DELETED' })
    expect(await refusal(proposeChange(deps, { workspaceId, type: 'RESUME', source: 'COMMAND', adId: deleted.id }))).toContain(
      'deleted and cannot be resumed',
    )
  })

  it('says which paused parent to resume when an active ad set or ad does not deliver because of it', async () => {
    const campaign = await createCampaign(db.prisma, adAccountId, { name: 'Off season', status: 'PAUSED', dailyBudget: 5_000n })
    const set = await createAdSet(db.prisma, campaign, { name: 'Lookalike', effectiveStatus: 'CAMPAIGN_PAUSED' })
    const setMessage = await refusal(proposeChange(deps, { workspaceId, type: 'RESUME', source: 'COMMAND', adSetId: set.id }))
    expect(setMessage).toContain('but its campaign “Off season” is paused, so it delivers nothing: resume the campaign instead')
    const live = await createCampaign(db.prisma, adAccountId, { name: 'On', dailyBudget: 5_000n })
    const pausedSet = await createAdSet(db.prisma, live, { name: 'Held', status: 'PAUSED' })
    const ad = await createAd(db.prisma, pausedSet, { name: 'Carousel', effectiveStatus: 'ADSET_PAUSED' })
    const adMessage = await refusal(proposeChange(deps, { workspaceId, type: 'RESUME', source: 'COMMAND', adId: ad.id }))
    expect(adMessage).toContain('but its ad set “Held” is paused')
    const plain = await createAd(db.prisma, await createAdSet(db.prisma, live), { name: 'Running' })
    expect(await refusal(proposeChange(deps, { workspaceId, type: 'RESUME', source: 'COMMAND', adId: plain.id }))).toMatch(
      /is already active\.$/,
    )
  })

  it('does not reach another workspace’s objects', async () => {
    const other = await createWorkspace(db.prisma)
    const otherAccount = await createAdAccount(db.prisma, { workspaceId: other.id })
    const theirs = await createAdSet(db.prisma, await createCampaign(db.prisma, otherAccount.id), { dailyBudget: 5_000n })
    expect(await refusal(proposeChange(deps, { workspaceId, type: 'PAUSE', source: 'COMMAND', adSetId: theirs.id }))).toContain(
      'not known to Promoly',
    )
  })
})
