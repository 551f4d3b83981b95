/**
 * Creating campaigns the way Meta requires (issue 13, item 5), on real PostgreSQL against the Meta simulator: a
 * special ad category goes with its countries (the account's own country read from Meta), and a campaign without a
 * campaign budget says its ad sets hold the budgets (is_adset_budget_sharing_enabled=false).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { simulatorMetaApi, testDomainDeps } from '../../../test/support/domain-deps.ts'
import { graphGet } from '../../../test/support/meta-sim.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../../../test/support/test-database.ts'
import type { AdAccount, Member } from '../../generated/prisma/client.ts'
import { type MetaSimulator, startMetaSimulator } from '../../integrations/meta-sim/index.ts'
import { specialAdCountries } from '../campaigns/special-ad-countries.ts'
import { ensureDefaultConnection } from '../connections/ensure-default-connection.ts'
import type { DomainDeps } from '../deps.ts'
import { toAppError } from '../meta-errors.ts'
import { applyChange } from './apply-change.ts'
import { describeChange } from './change-values.ts'
import { approveChange } from './decide-change.ts'
import { proposeChange } from './propose-change.ts'

const serverUrl = requirePostgresUrl()
const START = new Date('2026-11-25T15:00:00Z')
const ACT = '888'

describe.skipIf(!serverUrl)('creating campaigns as Meta requires', () => {
  let db: TestDatabase
  let worlds = 0
  let sim: MetaSimulator
  let deps: DomainDeps
  let workspaceId: string
  let account: AdAccount
  let admin: Member

  beforeAll(async () => {
    db = await createPostgresTestDatabase(serverUrl!)
  })
  afterAll(async () => {
    await db?.drop()
  })
  beforeEach(async () => {
    sim = await startMetaSimulator({
      now: () => START,
      accounts: [
        { id: ACT, name: 'Homes shop', currency: 'USD', timezoneName: 'America/New_York', businessCountryCode: 'US', campaigns: 2 },
      ],
    })
    deps = testDomainDeps({ prisma: db.prisma, meta: simulatorMetaApi(sim, { sleep: async () => {}, maxWaitMs: 0 }), now: () => START })
    workspaceId = (
      await db.prisma.workspace.create({ data: { slackTeamId: `TCREATE${++worlds}`, settings: { guardrails: { cooldownHours: 0 } } } })
    ).id
    const [attached] = await ensureDefaultConnection(deps, workspaceId, { token: sim.accessToken, label: 'sim' })
    account = attached!
    admin = await db.prisma.member.create({ data: { workspaceId, slackUserId: 'UADMIN', role: 'ADMIN' } })
  })
  afterEach(async () => {
    await sim?.close()
  })

  async function proposeApproveApply(proposedValue: Record<string, unknown>) {
    const change = await proposeChange(deps, {
      workspaceId,
      type: 'CREATE_CAMPAIGN',
      source: 'COMMAND',
      adAccountId: account.id,
      proposedValue,
    })
    const { change: approved } = await approveChange(deps, { workspaceId, changeId: change.id, member: admin })
    const result = await applyChange(deps, { changeId: change.id, idempotencyKey: approved.idempotencyKey })
    return { proposed: change, result }
  }

  it('reads the ad account country from Meta (business_country_code)', () => {
    expect(account.countryCode).toBe('US')
  })

  it('create with a special category sends the countries (the account country by default); without them Meta refuses', async () => {
    const countries = specialAdCountries({ categories: ['HOUSING'], countries: 'us, ca', accountCountry: account.countryCode })
    const { proposed, result } = await proposeApproveApply({
      name: 'Homes near you',
      objective: 'OUTCOME_LEADS',
      dailyBudgetMinor: 5000,
      specialAdCategories: ['HOUSING'],
      specialAdCategoryCountries: countries,
    })
    expect(describeChange(proposed, 'USD').proposed).toBe(
      'Homes near you · leads · $50.00/day campaign budget · special ad category housing in US, CA · paused',
    )
    expect(result.kind).toBe('applied')
    expect(result.change.status).toBe('APPLIED')
    const metaId = (result.change.outcome as { metaCampaignId: string }).metaCampaignId
    const onMeta = await graphGet(sim, `/${metaId}`, { fields: 'special_ad_categories,special_ad_category_country' })
    expect(onMeta.json).toMatchObject({ special_ad_categories: ['HOUSING'], special_ad_category_country: ['US', 'CA'] })

    // No countries given: the account's own.
    const byDefault = specialAdCountries({ categories: ['EMPLOYMENT'], countries: '', accountCountry: account.countryCode })
    const second = await proposeApproveApply({
      name: 'Hiring',
      objective: 'OUTCOME_LEADS',
      dailyBudgetMinor: 5000,
      specialAdCategories: ['EMPLOYMENT'],
      specialAdCategoryCountries: byDefault,
    })
    const secondId = (second.result.change.outcome as { metaCampaignId: string }).metaCampaignId
    expect((await graphGet(sim, `/${secondId}`, { fields: 'special_ad_category_country' })).json.special_ad_category_country).toEqual([
      'US',
    ])

    // What every create with a category did before: Meta refuses it, with a message a person can read.
    const refused = await deps.meta
      .createCampaign(sim.accessToken, account.metaAccountId, {
        name: 'No countries',
        objective: 'OUTCOME_LEADS',
        status: 'PAUSED',
        specialAdCategories: ['HOUSING'],
        dailyBudgetMinor: 5000,
      })
      .catch((e: unknown) => e)
    expect(toAppError(refused).code).toBe('META_VALIDATION')
    expect(toAppError(refused).userMessage).toContain('special_ad_category_country')
    expect(sim.state.campaigns(ACT).filter((c) => c.name === 'No countries')).toHaveLength(0)
  })

  it('a proposal with a special category and no countries is refused before anything is stored', async () => {
    const before = await db.prisma.changeRequest.count({ where: { workspaceId } })
    await expect(
      proposeChange(deps, {
        workspaceId,
        type: 'CREATE_CAMPAIGN',
        source: 'COMMAND',
        adAccountId: account.id,
        proposedValue: { name: 'Loose', objective: 'OUTCOME_LEADS', dailyBudgetMinor: 5000, specialAdCategories: ['HOUSING'] },
      }),
    ).rejects.toThrow(/countries/)
    expect(await db.prisma.changeRequest.count({ where: { workspaceId } })).toBe(before)
  })

  it('an old proposal with a special category and no countries fails at apply with a readable reason, creating nothing', async () => {
    const change = await proposeChange(deps, {
      workspaceId,
      type: 'CREATE_CAMPAIGN',
      source: 'COMMAND',
      adAccountId: account.id,
      proposedValue: {
        name: 'Old homes',
        objective: 'OUTCOME_LEADS',
        specialAdCategories: ['HOUSING'],
        specialAdCategoryCountries: ['US'],
      },
    })
    // As stored before the countries were collected.
    const old = { ...(change.proposedValue as Record<string, unknown>) }
    delete old.specialAdCategoryCountries
    await db.prisma.changeRequest.update({ where: { id: change.id }, data: { proposedValue: old as never } })
    const { change: approved } = await approveChange(deps, { workspaceId, changeId: change.id, member: admin })
    const campaigns = sim.state.campaigns(ACT).length
    const result = await applyChange(deps, { changeId: change.id, idempotencyKey: approved.idempotencyKey })
    expect(result.kind).toBe('failed')
    expect(result.change.failureReason).toBe(
      'This proposal predates the countries of special ad categories: Meta requires the countries a special ad category applies in (special_ad_category_country), and this one names none. Nothing was created; propose it again.',
    )
    expect(sim.state.campaigns(ACT)).toHaveLength(campaigns)
  })

  it('budgets on the ad sets: nothing at stake, the card says where the budget lives, and Meta gets is_adset_budget_sharing_enabled', async () => {
    const { proposed, result } = await proposeApproveApply({
      name: 'Ad set budgets',
      objective: 'OUTCOME_TRAFFIC',
      specialAdCategories: [],
    })
    expect(proposed.proposedValue).not.toHaveProperty('dailyBudgetMinor')
    const checks = proposed.guardrails as Array<{ name: string; ok: boolean }>
    expect(checks.every((g) => g.ok)).toBe(true)
    expect(checks.map((g) => g.name)).not.toContain('minimum_budget')
    expect(describeChange(proposed, 'USD').proposed).toBe(
      'Ad set budgets · traffic · budgets on the ad sets (set when they are created) · paused',
    )
    // The simulator refuses a create with neither a campaign budget nor the flag, so applied = the flag was sent.
    expect(result.kind).toBe('applied')
    const created = sim.state.campaigns(ACT).find((c) => c.name === 'Ad set budgets')
    expect(created?.budgetLevel).toBe('adset')
    const back = await graphGet(sim, `/${created!.id}`, { fields: 'daily_budget,lifetime_budget' })
    expect(back.json.daily_budget).toBeUndefined()
  })
})
