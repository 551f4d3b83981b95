/**
 * The budget ceiling of an ad account with nothing to compare with (a new account: no budgets, no spend) on real
 * PostgreSQL against the Meta simulator, in four currencies (#10 review 2, N3): about US$100/day × the
 * workspace's `maxBudgetMultiple` in the account's currency; an admin may override it with a stated reason, but
 * never a ceiling taken from the account's own numbers; and the refusals say which applies, never both.
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
import { overrideNote } from './guardrails.ts'
import { proposeChange } from './propose-change.ts'

const serverUrl = requirePostgresUrl()

// A reasonable first campaign, an absurd one (a few zeros too many), and one just above the default fallback
// (10 × about US$100/day) that an admin may still approve with a reason.
const CASES = [
  { currency: 'INR', reasonable: 500_000, absurd: 50_000_000_000, aboveFallback: 10_000_000 }, // ₹5,000 / ₹50 crore / ₹1,00,000
  { currency: 'NGN', reasonable: 5_000_000, absurd: 500_000_000_000, aboveFallback: 200_000_000 }, // ₦50,000 / ₦5 bn / ₦2 m
  { currency: 'MXN', reasonable: 300_000, absurd: 30_000_000_000, aboveFallback: 2_500_000 }, // MX$3,000 / MX$300 m / MX$25,000
  { currency: 'USD', reasonable: 50_000, absurd: 10_000_000_000, aboveFallback: 200_000 }, // $500 / $100 m / $2,000
] as const

type Guardrails = Array<{ name: string; ok: boolean; message: string }>
const ceilingOf = (change: { guardrails: unknown }) => (change.guardrails as Guardrails).find((g) => g.name.includes('ceiling'))

describe.skipIf(!serverUrl)('the budget ceiling of an account with no budgets or spend', () => {
  let db: TestDatabase
  let sim: MetaSimulator
  let deps: DomainDeps
  let workspaceId: string
  let admin: Member
  let approver: Member
  const accountOf = new Map<string, string>()

  beforeAll(async () => {
    db = await createPostgresTestDatabase(serverUrl!)
    sim = await startMetaSimulator({
      accounts: [...CASES.map((c) => c.currency), 'EUR'].map((currency, i) => ({
        id: `95${i}`,
        name: `New ${currency}`,
        currency,
        timezoneName: 'UTC',
        campaigns: 0,
      })),
    })
    deps = testDomainDeps({ prisma: db.prisma, meta: simulatorMetaApi(sim, { sleep: async () => {}, maxWaitMs: 0 }) })
    workspaceId = (await db.prisma.workspace.create({ data: { slackTeamId: 'TFALLBACK', settings: { guardrails: { cooldownHours: 0 } } } }))
      .id
    for (const account of await ensureDefaultConnection(deps, workspaceId, { token: sim.accessToken, label: 'sim' })) {
      await syncAdAccount(deps, { adAccountId: account.id })
      accountOf.set(account.currency, account.id)
    }
    admin = await db.prisma.member.create({ data: { workspaceId, slackUserId: 'UADMIN', role: 'ADMIN' } })
    approver = await db.prisma.member.create({ data: { workspaceId, slackUserId: 'UAPPROVER', role: 'APPROVER' } })
  })

  afterAll(async () => {
    await sim?.close()
    await db?.drop()
  })

  const create = (currency: string, dailyBudgetMinor: number, name = 'Launch') =>
    proposeChange(deps, {
      workspaceId,
      type: 'CREATE_CAMPAIGN',
      source: 'COMMAND',
      adAccountId: accountOf.get(currency)!,
      requestedBySlackUserId: 'UMEMBER',
      proposedValue: { name, objective: 'OUTCOME_TRAFFIC', status: 'PAUSED', dailyBudgetMinor, specialAdCategories: [] },
    })

  it.each(CASES)('$currency: a reasonable amount passes, an absurd one is refused, an admin may override the fallback', async (c) => {
    const fine = await create(c.currency, c.reasonable, 'Reasonable')
    expect(ceilingOf(fine)).toMatchObject({ ok: true, message: expect.stringMatching(/no budgets or spend yet/) })
    expect((await approveChange(deps, { workspaceId, changeId: fine.id, member: approver })).transitioned).toBe(true)

    const absurd = await create(c.currency, c.absurd, 'Absurd')
    const refusal = ceilingOf(absurd)!
    expect(refusal).toMatchObject({ name: 'budget_fallback_ceiling', ok: false })
    expect(refusal.message).toMatch(/10× about US\$100\/day .*no budgets or spend yet.*an admin can override this one with a stated reason/)
    expect(refusal.message).not.toMatch(/no override/i)
    // An approver is told an admin can override; an admin that they can; neither is told both "can" and "cannot".
    await expect(approveChange(deps, { workspaceId, changeId: absurd.id, member: approver })).rejects.toThrow(
      /Refused by guardrails: .*above the ceiling .*A Promoly admin can override with a stated reason\.$/,
    )
    const forAdmin = approveChange(deps, { workspaceId, changeId: absurd.id, member: admin })
    await expect(forAdmin).rejects.toThrow(/As an admin you can override with a stated reason\.$/)
    await expect(forAdmin).rejects.not.toThrow(/no override/i)
    await expect(approveChange(deps, { workspaceId, changeId: absurd.id, member: approver, overrideReason: 'trust me' })).rejects.toThrow(
      /Only Promoly admins can override/,
    )

    const big = await create(c.currency, c.aboveFallback, 'Big launch')
    expect(ceilingOf(big)).toMatchObject({ name: 'budget_fallback_ceiling', ok: false })
    const approved = await approveChange(deps, { workspaceId, changeId: big.id, member: admin, overrideReason: 'agreed with the client' })
    expect(approved.transitioned).toBe(true)
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { targetId: big.id, action: 'change.approved_with_override' } })
    expect(audit.data).toMatchObject({ overrideReason: 'agreed with the client', overridden: ['budget_fallback_ceiling'] })
    // The override carries to apply time (the account still has nothing to compare with): the campaign is created.
    expect((await applyChange(deps, { changeId: big.id, idempotencyKey: approved.change.idempotencyKey })).kind).toBe('applied')
  })

  it('scales the fallback with maxBudgetMultiple', async () => {
    await db.prisma.workspace.update({
      where: { id: workspaceId },
      data: { settings: { guardrails: { cooldownHours: 0, maxBudgetMultiple: 20 } } },
    })
    try {
      // 20 × about US$100/day in EUR (0.86 per US$): €1,720, above the default 10 × (€860).
      expect(ceilingOf(await create('EUR', 172_000))).toMatchObject({
        ok: true,
        message: expect.stringMatching(/20× about US\$100\/day in EUR/),
      })
      expect(ceilingOf(await create('EUR', 172_001))).toMatchObject({ ok: false, message: expect.stringMatching(/ceiling of €1,720.00/) })
    } finally {
      await db.prisma.workspace.update({ where: { id: workspaceId }, data: { settings: { guardrails: { cooldownHours: 0 } } } })
    }
  })

  it('never lets an override pass a ceiling taken from the account’s own numbers, and says so without contradiction', async () => {
    // The INR account now has a campaign (the one created above) with a daily budget: a real reference.
    await syncAdAccount(deps, { adAccountId: accountOf.get('INR')! })
    const largest = await db.prisma.campaign.aggregate({ where: { adAccountId: accountOf.get('INR')! }, _max: { dailyBudget: true } })
    expect(Number(largest._max.dailyBudget)).toBeGreaterThan(0)
    const huge = await create('INR', Number(largest._max.dailyBudget) * 10 + 1, 'Huge')
    const refusal = ceilingOf(huge)!
    expect(refusal).toMatchObject({
      name: 'budget_ceiling',
      ok: false,
      message: expect.stringMatching(/largest campaign daily budget; no override lifts it/),
    })
    expect(overrideNote([refusal as never])).toMatch(/^no override lifts the budget ceiling/)
    const forAdmin = approveChange(deps, { workspaceId, changeId: huge.id, member: admin })
    await expect(forAdmin).rejects.toThrow(/no override lifts it\)\.$/)
    await expect(forAdmin).rejects.not.toThrow(/can override/)
    await expect(approveChange(deps, { workspaceId, changeId: huge.id, member: admin, overrideReason: 'big launch' })).rejects.toThrow(
      /No override lifts this limit: .* is above the ceiling/,
    )
    expect((await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: huge.id } })).status).toBe('PROPOSED')
  })
})
