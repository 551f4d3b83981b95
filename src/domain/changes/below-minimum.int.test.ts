/**
 * An ad set whose daily budget is already below Meta's minimum for its optimisation goal (a minimum raised since the
 * budget was set; Meta then stops its delivery): a small raise is refused with what to propose instead, the
 * minimum itself may be proposed beyond the per-change limit, no override lifts the minimum (Meta refuses it anyway),
 * and the raise to the minimum reaches Meta — on real PostgreSQL through the Meta simulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { simulatorMetaApi, testDomainDeps } from '../../../test/support/domain-deps.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../../../test/support/test-database.ts'
import type { Member } from '../../generated/prisma/client.ts'
import { type MetaSimulator, startMetaSimulator } from '../../integrations/meta-sim/index.ts'
import { ensureDefaultConnection } from '../connections/ensure-default-connection.ts'
import type { DomainDeps } from '../deps.ts'
import { syncAdAccount } from '../sync/sync-ad-account.ts'
import { applyChange } from './apply-change.ts'
import { approveChange } from './decide-change.ts'
import type { GuardrailResult } from './guardrails.ts'
import { proposeChange } from './propose-change.ts'

const serverUrl = requirePostgresUrl()

describe.skipIf(!serverUrl)('an ad set budget below the minimum of its optimisation goal', () => {
  let db: TestDatabase
  let sim: MetaSimulator
  let deps: DomainDeps
  let workspaceId: string
  let admin: Member
  let adSetId: string
  let metaAdSetId: string
  let minimum: number

  beforeAll(async () => {
    db = await createPostgresTestDatabase(serverUrl!)
    sim = await startMetaSimulator({ accounts: [{ id: '914', name: 'Below min', currency: 'USD', timezoneName: 'UTC', campaigns: 8 }] })
    const adSet = sim.state
      .adSets()
      .find((s) => s.status === 'ACTIVE' && s.dailyBudget !== undefined && s.optimizationGoal === 'OFFSITE_CONVERSIONS')
    if (!adSet) throw new Error('the simulator has no active conversion-optimised ad set with its own budget')
    metaAdSetId = adSet.id
    // What Ads Manager shows for an ad set set up before Meta raised its minimum: $9.00/day.
    sim.adsManager.setBudget(adSet.id, { daily: 900 })
    deps = testDomainDeps({ prisma: db.prisma, meta: simulatorMetaApi(sim, { sleep: async () => {}, maxWaitMs: 0 }) })
    workspaceId = (await db.prisma.workspace.create({ data: { slackTeamId: 'TBELOWMIN', settings: { guardrails: { cooldownHours: 0 } } } }))
      .id
    const [account] = await ensureDefaultConnection(deps, workspaceId, { token: sim.accessToken, label: 'sim' })
    await syncAdAccount(deps, { adAccountId: account!.id })
    admin = await db.prisma.member.create({ data: { workspaceId, slackUserId: 'UADMIN', role: 'ADMIN' } })
    adSetId = (await db.prisma.adSet.findFirstOrThrow({ where: { metaAdSetId } })).id
    const [mins] = await deps.meta.getMinimumBudgets(sim.accessToken, 'act_914')
    minimum = mins!.minDailyLowFreqMinor ?? 0
    expect(minimum).toBeGreaterThan(900 * 1.3)
  })
  afterAll(async () => {
    await sim?.close()
    await db?.drop()
  })

  const propose = (daily: number) =>
    proposeChange(deps, { workspaceId, type: 'SET_DAILY_BUDGET', source: 'COMMAND', adSetId, proposedValue: { dailyBudgetMinor: daily } })
  const check = (change: { guardrails: unknown }, name: GuardrailResult['name']) =>
    (change.guardrails as GuardrailResult[]).find((g) => g.name === name)

  it('refuses a raise that stays below the minimum, saying what to propose, and no override lifts it', async () => {
    const raise = await propose(1_080)
    expect(check(raise, 'minimum_budget')).toMatchObject({ ok: false })
    expect(check(raise, 'minimum_budget')?.message).toContain(`today's $9.00 is already below it: propose $${(minimum / 100).toFixed(2)}`)
    await expect(approveChange(deps, { workspaceId, changeId: raise.id, member: admin, overrideReason: 'we need it now' })).rejects.toThrow(
      /No override lifts this limit|Meta's minimum/,
    )
    expect((await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: raise.id } })).status).toBe('PROPOSED')
  })

  it('allows the minimum itself beyond the ±30 % limit, and Meta takes it', async () => {
    const toMinimum = await propose(minimum)
    expect(check(toMinimum, 'max_budget_change')).toMatchObject({ ok: true })
    expect(check(toMinimum, 'max_budget_change')?.message).toContain("only raises the budget to Meta's minimum")
    expect(check(toMinimum, 'minimum_budget')).toMatchObject({ ok: true })
    // One cent more is no longer "only the minimum": the per-change limit applies again.
    expect(check(await propose(minimum + 1), 'max_budget_change')).toMatchObject({ ok: false })
    const { decided } = await approveChange(deps, { workspaceId, changeId: toMinimum.id, member: admin })
    const [applied] = await Promise.all(decided.map((d) => applyChange(deps, { changeId: d.id, idempotencyKey: d.idempotencyKey })))
    expect(applied?.kind).toBe('applied')
    expect(sim.state.adSets().find((s) => s.id === metaAdSetId)?.dailyBudget).toBe(minimum)
  })
})
