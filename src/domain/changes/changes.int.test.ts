/**
 * Change requests on real PostgreSQL against the Meta simulator: who may approve, every guardrail
 * refusing with its reason, overrides, four eyes, idempotent apply, failure and retry, undo, expiry.
 * Each test has its own simulator, workspace, ad account and clock (one database for the file), so
 * the tests pass alone and in any order.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { simulatorMetaApi, testDomainDeps } from '../../../test/support/domain-deps.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../../../test/support/test-database.ts'
import type { Member } from '../../generated/prisma/client.ts'
import { type MetaSimulator, startMetaSimulator } from '../../integrations/meta-sim/index.ts'
import { formatMoney } from '../../lib/money.ts'
import { workspaceScope } from '../clients/client-scope.ts'
import { ensureDefaultConnection } from '../connections/ensure-default-connection.ts'
import type { DomainDeps } from '../deps.ts'
import { syncAdAccount } from '../sync/sync-ad-account.ts'
import { recordAppUninstalled } from '../workspaces/installation-lifecycle.ts'
import { applyChange, changesNeedingApply, retryChange, undoValue } from './apply-change.ts'
import { approveChange, expireChanges, rejectChange } from './decide-change.ts'
import { editChange } from './edit-change.ts'
import { evaluateOutcomes } from './evaluate-outcomes.ts'
import { listHistory } from './list-history.ts'
import { proposeChange } from './propose-change.ts'
import { proposeUndo } from './propose-undo.ts'

const serverUrl = requirePostgresUrl()
const START = new Date('2026-11-25T15:00:00Z')

describe.skipIf(!serverUrl)('change requests', () => {
  let db: TestDatabase
  let worlds = 0
  // The test's own world, made afresh before each test.
  let sim: MetaSimulator
  let deps: DomainDeps
  let clock: Date
  let workspaceId: string
  let adAccountId: string
  let admin: Member
  let approver: Member
  let member: Member
  let campaigns: Array<{ id: string; metaCampaignId: string; dailyBudget: bigint | null; status: string }>
  let taken: number

  beforeAll(async () => {
    db = await createPostgresTestDatabase(serverUrl!)
  })

  afterAll(async () => {
    await db?.drop()
  })

  beforeEach(async () => {
    clock = START
    sim = await startMetaSimulator({
      now: () => clock,
      accounts: [{ id: '777', name: 'Change shop', currency: 'USD', timezoneName: 'America/New_York', campaigns: 12 }],
    })
    deps = testDomainDeps({ prisma: db.prisma, meta: simulatorMetaApi(sim, { sleep: async () => {}, maxWaitMs: 0 }), now: () => clock })
    workspaceId = (
      await db.prisma.workspace.create({ data: { slackTeamId: `TCHANGE${++worlds}`, settings: { guardrails: { cooldownHours: 0 } } } })
    ).id
    const [account] = await ensureDefaultConnection(deps, workspaceId, { token: sim.accessToken, label: 'sim' })
    adAccountId = account!.id
    await syncAdAccount(deps, { adAccountId })
    admin = await db.prisma.member.create({ data: { workspaceId, slackUserId: 'UADMIN', role: 'ADMIN' } })
    approver = await db.prisma.member.create({ data: { workspaceId, slackUserId: 'UAPPROVER', role: 'APPROVER' } })
    member = await db.prisma.member.create({ data: { workspaceId, slackUserId: 'UMEMBER', role: 'MEMBER' } })
    campaigns = await db.prisma.campaign.findMany({
      where: { adAccountId, status: 'ACTIVE', dailyBudget: { not: null } },
      orderBy: { name: 'asc' },
    })
    expect(campaigns.length).toBeGreaterThanOrEqual(3)
    taken = 0
  })

  afterEach(async () => {
    await sim?.close()
  })

  /** A campaign of this test's account that no earlier step of the test has used. */
  const next = () => campaigns[taken++]!

  async function budgetChange(pct: number, requestedBy = 'UMEMBER', campaign = next()) {
    const budget = Number((await db.prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).dailyBudget)
    return proposeChange(deps, {
      workspaceId,
      type: 'SET_DAILY_BUDGET',
      source: 'COMMAND',
      campaignId: campaign.id,
      proposedValue: { dailyBudgetMinor: Math.round(budget * (1 + pct / 100)) },
      requestedBySlackUserId: requestedBy,
    })
  }

  async function approveAndApply(changeId: string, who = admin) {
    const { change } = await approveChange(deps, { workspaceId, changeId, member: who })
    return applyChange(deps, { changeId, idempotencyKey: change.idempotencyKey })
  }

  it('refuses a member, accepts an approver, and applies once however often the job runs', async () => {
    const change = await budgetChange(20)
    await expect(approveChange(deps, { workspaceId, changeId: change.id, member })).rejects.toThrow(/Only Promoly admins and approvers/)
    expect((await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: change.id } })).status).toBe('PROPOSED')
    const writes = sim.stats().writes
    const results = await Promise.all(
      Array.from({ length: 20 }, () => approveChange(deps, { workspaceId, changeId: change.id, member: approver })),
    )
    expect(results.filter((r) => r.transitioned)).toHaveLength(1)
    // The same job delivered three times (a retry after a lost ack, a redelivery): one write.
    for (let i = 0; i < 3; i++) await applyChange(deps, { changeId: change.id, idempotencyKey: change.idempotencyKey })
    expect(sim.stats().writes).toBe(writes + 1)
    const applied = await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: change.id } })
    expect(applied.status).toBe('APPLIED')
    expect((applied.outcome as { dailyBudgetMinor: number }).dailyBudgetMinor).toBe(
      (change.proposedValue as { dailyBudgetMinor: number }).dailyBudgetMinor,
    )
    expect(sim.state.campaign(change.campaign!.metaCampaignId)?.dailyBudget).toBe(
      (change.proposedValue as { dailyBudgetMinor: number }).dailyBudgetMinor,
    )
    await expect(applyChange(deps, { changeId: change.id, idempotencyKey: 'another-key' })).rejects.toThrow(/idempotency key/)
  })

  it('refuses a budget change over the per-action limit, with the reason; an admin may override with a reason', async () => {
    const change = await budgetChange(80)
    expect((change.guardrails as Array<{ name: string; ok: boolean }>).find((g) => g.name === 'max_budget_change')?.ok).toBe(false)
    await expect(approveChange(deps, { workspaceId, changeId: change.id, member: approver })).rejects.toThrow(
      /\+80% exceeds the ±30% limit per change/,
    )
    await expect(approveChange(deps, { workspaceId, changeId: change.id, member: approver, overrideReason: 'launch day' })).rejects.toThrow(
      /Only Promoly admins can override/,
    )
    const r = await approveChange(deps, { workspaceId, changeId: change.id, member: admin, overrideReason: 'Black Friday launch' })
    expect(r.transitioned).toBe(true)
    expect(r.change.overrideReason).toBe('Black Friday launch')
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { targetId: change.id, action: 'change.approved_with_override' } })
    expect(audit.data).toMatchObject({ overrideReason: 'Black Friday launch', overridden: ['max_budget_change'] })
  })

  it("refuses a budget below Meta's minimum", async () => {
    const c = next()
    const change = await proposeChange(deps, {
      workspaceId,
      type: 'SET_DAILY_BUDGET',
      source: 'COMMAND',
      campaignId: c.id,
      proposedValue: { dailyBudgetMinor: 50 },
    })
    await db.prisma.workspace.update({
      where: { id: workspaceId },
      data: { settings: { guardrails: { cooldownHours: 0, maxBudgetChangePct: 200 } } },
    })
    await expect(approveChange(deps, { workspaceId, changeId: change.id, member: admin })).rejects.toThrow(
      /below Meta's minimum daily budget of \$1\.00/,
    )
  })

  it('refuses a change in the cooldown after the last one, saying when it frees up', async () => {
    await db.prisma.workspace.update({ where: { id: workspaceId }, data: { settings: { guardrails: { cooldownHours: 2 } } } })
    const c = next()
    expect((await approveAndApply((await budgetChange(10, 'UMEMBER', c)).id)).kind).toBe('applied')
    const second = await budgetChange(10, 'UMEMBER', c)
    await expect(approveChange(deps, { workspaceId, changeId: second.id, member: admin })).rejects.toThrow(
      /changed less than 2 h ago; the next change is possible at \d\d:\d\d UTC/,
    )
  })

  it("refuses a fifth budget change within the hour (Meta's limit), even for an admin", async () => {
    const c = next()
    for (let i = 0; i < 4; i++) {
      clock = new Date(clock.getTime() + 60_000)
      expect((await approveAndApply((await budgetChange(5, 'UMEMBER', c)).id)).kind).toBe('applied')
    }
    const fifth = await budgetChange(5, 'UMEMBER', c)
    await expect(approveChange(deps, { workspaceId, changeId: fifth.id, member: admin })).rejects.toThrow(
      /Meta allows 4 budget changes per campaign per hour; the next is possible at/,
    )
    await expect(approveChange(deps, { workspaceId, changeId: fifth.id, member: admin, overrideReason: 'please' })).rejects.toThrow(
      /Meta itself refuses/,
    )
  })

  it('refuses more applied changes per ad account per day than the setting allows', async () => {
    await db.prisma.workspace.update({
      where: { id: workspaceId },
      data: { settings: { guardrails: { cooldownHours: 0, maxChangesPerAccountPerDay: 2 } } },
    })
    // Two changes on two campaigns of the account: both within the limit.
    expect((await approveAndApply((await budgetChange(5)).id)).kind).toBe('applied')
    expect((await approveAndApply((await budgetChange(5)).id)).kind).toBe('applied')
    // A third, on yet another campaign (so no per-campaign guardrail is involved), is refused.
    const third = await budgetChange(5)
    await expect(approveChange(deps, { workspaceId, changeId: third.id, member: admin })).rejects.toThrow(
      /2 changes were already approved for this ad account today \(limit\)/,
    )
    expect((await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: third.id } })).status).toBe('PROPOSED')
    // The next UTC day frees it up.
    clock = new Date(Date.UTC(clock.getUTCFullYear(), clock.getUTCMonth(), clock.getUTCDate() + 1, 1))
    expect((await approveChange(deps, { workspaceId, changeId: third.id, member: admin })).transitioned).toBe(true)
  })

  it('applies the four-eyes rule above the configured amount', async () => {
    await db.prisma.workspace.update({
      where: { id: workspaceId },
      data: { settings: { guardrails: { cooldownHours: 0, fourEyesAboveMinor: 100 } } },
    })
    const change = await budgetChange(20, 'UAPPROVER')
    await expect(approveChange(deps, { workspaceId, changeId: change.id, member: approver })).rejects.toThrow(/Four-eyes rule/)
    expect((await approveChange(deps, { workspaceId, changeId: change.id, member: admin })).transitioned).toBe(true)
  })

  it('converts the four-eyes threshold into an account in another currency, and says so on the card (round 4 B3)', async () => {
    const jpySim = await startMetaSimulator({
      now: () => clock,
      accounts: [{ id: '778', name: 'Tokyo shop', currency: 'JPY', timezoneName: 'Asia/Tokyo', campaigns: 4 }],
    })
    try {
      const jpyDeps = testDomainDeps({
        prisma: db.prisma,
        meta: simulatorMetaApi(jpySim, { sleep: async () => {}, maxWaitMs: 0 }),
        now: () => clock,
      })
      // $10.00 in the workspace's money currency: about ¥1,500 at Promoly's approximate rates.
      const ws = await db.prisma.workspace.create({
        data: {
          slackTeamId: `TFOUREYES${++worlds}`,
          settings: { moneyCurrency: 'USD', guardrails: { cooldownHours: 0, fourEyesAboveMinor: 1000 } },
        },
      })
      const [jpy] = await ensureDefaultConnection(jpyDeps, ws.id, { token: jpySim.accessToken, label: 'sim' })
      await syncAdAccount(jpyDeps, { adAccountId: jpy!.id })
      const asker = await db.prisma.member.create({ data: { workspaceId: ws.id, slackUserId: 'UASKER', role: 'ADMIN' } })
      const [small, large] = await db.prisma.campaign.findMany({ where: { adAccountId: jpy!.id, dailyBudget: { gt: 5000 } }, take: 2 })
      const propose = (c: typeof small, delta: number) =>
        proposeChange(jpyDeps, {
          workspaceId: ws.id,
          type: 'SET_DAILY_BUDGET',
          source: 'COMMAND',
          campaignId: c!.id,
          proposedValue: { dailyBudgetMinor: Number(c!.dailyBudget) + delta },
          requestedBySlackUserId: 'UASKER',
        })
      // ¥5 (about $0.03): the person who asked may approve it, and the card has no four-eyes line.
      const five = await propose(small, 5)
      expect((five.guardrails as Array<{ name: string }>).map((g) => g.name)).not.toContain('four_eyes')
      expect((await approveChange(jpyDeps, { workspaceId: ws.id, changeId: five.id, member: asker })).transitioned).toBe(true)
      // ¥2,000 (about $13): above the threshold; the card says so before anyone clicks.
      const big = await propose(large, 2000)
      const line = (big.guardrails as Array<{ name: string; ok: boolean; message: string }>).find((g) => g.name === 'four_eyes')
      expect(line).toMatchObject({ ok: true })
      expect(line!.message).toMatch(/above \$10\.00 \(about ¥1,500\)/)
      await expect(approveChange(jpyDeps, { workspaceId: ws.id, changeId: big.id, member: asker })).rejects.toThrow(
        /Four-eyes rule: you asked for this change, and it moves ¥2,000, above \$10\.00 \(about ¥1,500\)/,
      )
    } finally {
      await jpySim.close()
    }
  })

  it('creates new campaigns paused only', async () => {
    const change = await proposeChange(deps, {
      workspaceId,
      type: 'CREATE_CAMPAIGN',
      source: 'AGENT',
      adAccountId,
      proposedValue: { name: 'Agent idea', objective: 'OUTCOME_LEADS', dailyBudgetMinor: 4000, specialAdCategories: [], status: 'ACTIVE' },
    })
    expect(change.proposedValue).toMatchObject({ status: 'PAUSED' })
    const r = await approveAndApply(change.id)
    expect(r.kind).toBe('applied')
    const created = await db.prisma.campaign.findFirstOrThrow({ where: { adAccountId, name: 'Agent idea' } })
    expect(sim.state.campaign(created.metaCampaignId)?.status).toBe('PAUSED')
  })

  it('records a failed apply with Meta’s reason, and a retry applies it', async () => {
    const change = await budgetChange(10)
    sim.faults.add({
      kind: 'graph_error',
      method: 'POST',
      times: 1,
      status: 400,
      error: {
        message: 'Invalid parameter',
        type: 'OAuthException',
        code: 100,
        error_subcode: 1885272,
        error_user_title: 'Budget Is Too Low',
        error_user_msg: 'The budget for this campaign must be at least $40.00.',
        fbtrace_id: 'x',
      },
    })
    const failed = await approveAndApply(change.id)
    expect(failed.kind).toBe('failed')
    expect(failed.change.failureReason).toContain('The budget for this campaign must be at least $40.00.')
    expect(await retryChange(deps, { workspaceId, changeId: change.id, member: admin })).toBe(true)
    const r = await applyChange(deps, { changeId: change.id, idempotencyKey: change.idempotencyKey })
    expect(r.kind).toBe('applied')
    expect(
      await db.prisma.auditEvent.count({
        where: { targetId: change.id, action: { in: ['change.failed', 'change.retried', 'change.applied'] } },
      }),
    ).toBe(3)
  })

  it('waits when Meta throttles the write, as its headers say', async () => {
    const change = await budgetChange(10)
    sim.faults.throttle(613, { method: 'POST', times: 1, subcode: 1487742, regainMinutes: 3 })
    const r = await approveAndApply(change.id)
    expect(r).toMatchObject({ kind: 'throttled', retryAfterMs: 180_000 })
    expect(r.change.status).toBe('APPROVED')
    expect((await applyChange(deps, { changeId: change.id, idempotencyKey: change.idempotencyKey })).kind).toBe('applied')
  })

  it('undo restores the previous value', async () => {
    const c = next()
    const before = Number((await db.prisma.campaign.findUniqueOrThrow({ where: { id: c.id } })).dailyBudget)
    const change = await budgetChange(25, 'UMEMBER', c)
    const applied = await approveAndApply(change.id)
    expect(applied.kind).toBe('applied')
    clock = new Date(clock.getTime() + 3 * 3_600_000)
    const reverse = undoValue(applied.change)
    const undo = await proposeChange(deps, {
      workspaceId,
      type: reverse.type,
      source: 'UNDO',
      campaignId: c.id,
      proposedValue: reverse.proposedValue,
      undoOfId: change.id,
    })
    expect((await approveAndApply(undo.id)).kind).toBe('applied')
    expect(sim.state.campaign(c.metaCampaignId)?.dailyBudget).toBe(before)
    expect(Number((await db.prisma.campaign.findUniqueOrThrow({ where: { id: c.id } })).dailyBudget)).toBe(before)

    const pause = await proposeChange(deps, { workspaceId, type: 'PAUSE', source: 'COMMAND', campaignId: c.id })
    expect((await approveAndApply(pause.id)).kind).toBe('applied')
    expect(sim.state.campaign(c.metaCampaignId)?.status).toBe('PAUSED')
    clock = new Date(clock.getTime() + 3 * 3_600_000)
    const resume = await proposeChange(deps, {
      workspaceId,
      type: undoValue(
        (await db.prisma.changeRequest.findUniqueOrThrow({
          where: { id: pause.id },
          include: { adAccount: true, campaign: true },
        })) as never,
      ).type,
      source: 'UNDO',
      campaignId: c.id,
    })
    expect((await approveAndApply(resume.id)).kind).toBe('applied')
    expect(sim.state.campaign(c.metaCampaignId)?.status).toBe('ACTIVE')
  })

  it('proposes an undo of an applied change only, one at a time', async () => {
    const c = next()
    const before = Number((await db.prisma.campaign.findUniqueOrThrow({ where: { id: c.id } })).dailyBudget)
    const change = await budgetChange(15, 'UMEMBER', c)
    expect(await proposeUndo(deps, { workspaceId, changeId: change.id, member: approver })).toEqual({
      ok: false,
      reason: 'not_applied',
    })
    expect((await approveAndApply(change.id)).kind).toBe('applied')
    clock = new Date(clock.getTime() + 3 * 3_600_000)
    expect(await proposeUndo(deps, { workspaceId: 'another-workspace', changeId: change.id, member: approver })).toEqual({
      ok: false,
      reason: 'not_applied',
    })
    const first = await proposeUndo(deps, { workspaceId, changeId: change.id, member: approver })
    if (!first.ok) throw new Error(`no undo: ${first.reason}`)
    expect(first.original.id).toBe(change.id)
    expect(first.undo).toMatchObject({
      status: 'PROPOSED',
      source: 'UNDO',
      undoOfId: change.id,
      type: 'SET_DAILY_BUDGET',
      requestedBySlackUserId: 'UAPPROVER',
      proposedValue: { dailyBudgetMinor: before },
      reason: 'Undo of the change approved by <@UADMIN>.',
    })
    expect(await proposeUndo(deps, { workspaceId, changeId: change.id, member: approver })).toEqual({ ok: false, reason: 'pending' })
    await rejectChange(deps, { workspaceId, changeId: first.undo.id, member: approver })
    expect(await proposeUndo(deps, { workspaceId, changeId: change.id, member: approver })).toMatchObject({ ok: true })
  })

  it('an edit is a new proposal by the editor, never an approval; under four eyes someone else approves it', async () => {
    await db.prisma.workspace.update({
      where: { id: workspaceId },
      data: { settings: { guardrails: { cooldownHours: 0, fourEyesAboveMinor: 0 } } },
    })
    const c = next()
    const budget = Number(c.dailyBudget)
    const original = await budgetChange(10, 'UMEMBER', c)
    await db.prisma.changeRequest.update({ where: { id: original.id }, data: { cardChannelId: 'C0CARDS', cardMessageTs: '100.1' } })
    const writes = sim.stats().writes
    const edited = Math.round(budget * 1.25)
    await expect(editChange(deps, { workspaceId, changeId: original.id, budgetMinor: edited, member })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
    const r = await editChange(deps, { workspaceId, changeId: original.id, budgetMinor: edited, member: approver })
    if (!r.edited) throw new Error('not edited')
    expect(r.change).toMatchObject({
      status: 'PROPOSED',
      requestedBySlackUserId: 'UAPPROVER',
      replacesId: original.id,
      campaignId: c.id,
      proposedValue: { dailyBudgetMinor: edited },
      // The new proposal takes over the card, so the channel sees the amount to decide on.
      cardChannelId: 'C0CARDS',
      cardMessageTs: '100.1',
      replaces: { requestedBySlackUserId: 'UMEMBER', proposedValue: original.proposedValue },
    })
    expect(r.change.reason).toContain('Edit of the proposal by <@UMEMBER>')
    expect(r.replaced).toMatchObject({ status: 'REJECTED', decidedBySlackUserId: 'UAPPROVER', cardMessageTs: null })
    expect(sim.stats().writes).toBe(writes)
    // Editing again the proposal it replaced does nothing: it is closed.
    expect((await editChange(deps, { workspaceId, changeId: original.id, budgetMinor: edited + 100, member: admin })).edited).toBe(false)
    // Four eyes: the editor asked for this amount, so they cannot approve it; another approver can.
    await expect(approveChange(deps, { workspaceId, changeId: r.change.id, member: approver })).rejects.toThrow(/Four-eyes rule/)
    expect((await approveAndApply(r.change.id, admin)).kind).toBe('applied')
    expect(sim.state.campaign(c.metaCampaignId)?.dailyBudget).toBe(edited)
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { targetId: original.id, action: 'change.replaced_by_edit' } })
    expect(audit).toMatchObject({ actorId: 'UAPPROVER', data: { replacedBy: r.change.id, to: { dailyBudgetMinor: edited } } })
  })

  it('without four eyes, the editor approves their edit only with a second, explicit approval', async () => {
    const original = await budgetChange(10)
    const budget = Number(original.currentValue && (original.currentValue as { dailyBudgetMinor: number }).dailyBudgetMinor)
    const r = await editChange(deps, { workspaceId, changeId: original.id, budgetMinor: Math.round(budget * 1.2), member: approver })
    if (!r.edited) throw new Error('not edited')
    expect(r.change.status).toBe('PROPOSED')
    expect((await approveChange(deps, { workspaceId, changeId: r.change.id, member: approver })).transitioned).toBe(true)
  })

  it('undo needs the approver role, like approve', async () => {
    const change = await budgetChange(10)
    expect((await approveAndApply(change.id)).kind).toBe('applied')
    clock = new Date(clock.getTime() + 3 * 3_600_000)
    await expect(proposeUndo(deps, { workspaceId, changeId: change.id, member })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      userMessage: expect.stringContaining('Only Promoly admins and approvers can undo'),
    })
    expect(await db.prisma.changeRequest.count({ where: { undoOfId: change.id } })).toBe(0)
    expect(await proposeUndo(deps, { workspaceId, changeId: change.id, member: approver })).toMatchObject({ ok: true })
  })

  it('two undo clicks at once propose one undo', async () => {
    const change = await budgetChange(10)
    expect((await approveAndApply(change.id)).kind).toBe('applied')
    clock = new Date(clock.getTime() + 3 * 3_600_000)
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, i) => proposeUndo(deps, { workspaceId, changeId: change.id, member: i % 2 ? admin : approver })),
    )
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.reason)).toEqual(['pending', 'pending', 'pending'])
    expect(await db.prisma.changeRequest.count({ where: { undoOfId: change.id } })).toBe(1)
  })

  it('retry needs the approver role, like approve', async () => {
    const change = await budgetChange(10)
    sim.faults.add({
      kind: 'graph_error',
      method: 'POST',
      times: 1,
      status: 400,
      error: { message: 'Invalid parameter', type: 'OAuthException', code: 100, fbtrace_id: 'x' },
    })
    expect((await approveAndApply(change.id)).kind).toBe('failed')
    await expect(retryChange(deps, { workspaceId, changeId: change.id, member })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      userMessage: expect.stringContaining('Only Promoly admins and approvers can retry'),
    })
    expect((await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: change.id } })).status).toBe('FAILED')
    expect(await db.prisma.auditEvent.count({ where: { targetId: change.id, action: 'change.retried' } })).toBe(0)
    expect(await retryChange(deps, { workspaceId, changeId: change.id, member: approver })).toBe(true)
  })

  it('a retry or an undo without a change id touches no change', async () => {
    const change = await budgetChange(10)
    sim.faults.add({
      kind: 'graph_error',
      method: 'POST',
      times: 1,
      status: 400,
      error: { message: 'Invalid parameter', type: 'OAuthException', code: 100, fbtrace_id: 'x' },
    })
    expect((await approveAndApply(change.id)).kind).toBe('failed')
    const noId = undefined as unknown as string
    expect(await retryChange(deps, { workspaceId, changeId: noId, member: admin })).toBe(false)
    expect(await proposeUndo(deps, { workspaceId, changeId: noId, member: admin })).toEqual({ ok: false, reason: 'not_applied' })
    expect((await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: change.id } })).status).toBe('FAILED')
  })

  it('rejects once, and expires proposals nobody decided', async () => {
    const rejected = await budgetChange(5)
    const results = await Promise.all([
      rejectChange(deps, { workspaceId, changeId: rejected.id, member: approver }),
      rejectChange(deps, { workspaceId, changeId: rejected.id, member: admin }),
    ])
    expect(results.filter((r) => r.transitioned)).toHaveLength(1)
    await expect(approveChange(deps, { workspaceId, changeId: rejected.id, member: admin })).resolves.toMatchObject({
      transitioned: false,
      change: { status: 'REJECTED' },
    })

    const stale = await budgetChange(5)
    clock = new Date(clock.getTime() + 49 * 3_600_000)
    const expired = await expireChanges(deps)
    expect(expired.map((c) => c.id)).toContain(stale.id)
    expect((await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: stale.id } })).status).toBe('EXPIRED')
    await expect(approveChange(deps, { workspaceId, changeId: stale.id, member: admin })).resolves.toMatchObject({ transitioned: false })
  })

  it('judges "did it work?" once the days after a change are complete, and shows it in the history', async () => {
    const c = next()
    const row = await db.prisma.campaign.findUniqueOrThrow({ where: { id: c.id } })
    await db.prisma.campaign.update({ where: { id: c.id }, data: { objective: 'OUTCOME_LEADS' } })
    const change = await budgetChange(20, 'UMEMBER', c)
    const applied = await approveAndApply(change.id)
    expect(applied.kind).toBe('applied')
    const appliedDay = applied.change.appliedAt!
    // Seven days before at $20 per lead, seven days after at $15 per lead.
    await db.prisma.campaignDailyMetric.deleteMany({ where: { campaignId: c.id } })
    const day = (offset: number) =>
      new Date(
        Date.UTC(
          appliedDay.getUTCFullYear(),
          appliedDay.getUTCMonth(),
          appliedDay.getUTCDate() + offset - (appliedDay.getUTCHours() < 5 ? 1 : 0),
        ),
      )
    for (let i = 1; i <= 7; i++) {
      await db.prisma.campaignDailyMetric.create({
        data: {
          campaignId: c.id,
          adAccountId: row.adAccountId,
          date: day(-i),
          impressions: 10_000n,
          reach: 8_000n,
          clicks: 200n,
          spend: 20_000n,
          leads: 10n,
        },
      })
      await db.prisma.campaignDailyMetric.create({
        data: {
          campaignId: c.id,
          adAccountId: row.adAccountId,
          date: day(i),
          impressions: 12_000n,
          reach: 9_000n,
          clicks: 260n,
          spend: 24_000n,
          leads: 16n,
        },
      })
    }
    // evaluateOutcomes looks at every workspace in the database: assert on this change's own result.
    const judged = () => db.prisma.auditEvent.count({ where: { targetId: change.id, action: 'change.evaluated' } })
    await evaluateOutcomes(deps)
    expect(await judged()).toBe(0) // the week after is not over yet
    clock = new Date(appliedDay.getTime() + 9 * 86_400_000)
    await evaluateOutcomes(deps)
    expect(await judged()).toBe(0) // the days after are not synced yet
    await db.prisma.adAccount.update({
      where: { id: row.adAccountId },
      data: { lastSyncedDate: new Date(clock.toISOString().slice(0, 10)) },
    })
    expect(await evaluateOutcomes(deps)).toBeGreaterThanOrEqual(1)
    expect(await judged()).toBe(1)
    const history = await listHistory(db.prisma, { scope: workspaceScope(workspaceId), of: { campaignId: c.id } })
    const entry = history.find((h) => h.id === change.id)!
    expect(entry.result).toMatchObject({ verdict: 'improved', days: 7 })
    expect(entry.result!.summary).toMatch(/Cost per lead \$20\.00 → \$15\.00 \(-25%\); leads per day 10\.0 → 16\.0/)
    await evaluateOutcomes(deps)
    expect(await judged()).toBe(1) // judged once
  })

  it('lets an undo through right after the change, despite the cooldown and the per-action cap', async () => {
    await db.prisma.workspace.update({ where: { id: workspaceId }, data: { settings: { guardrails: { cooldownHours: 2 } } } })
    const c = next()
    const before = Number((await db.prisma.campaign.findUniqueOrThrow({ where: { id: c.id } })).dailyBudget)
    const big = await budgetChange(80, 'UMEMBER', c)
    await approveChange(deps, { workspaceId, changeId: big.id, member: admin, overrideReason: 'launch' })
    expect((await applyChange(deps, { changeId: big.id, idempotencyKey: big.idempotencyKey })).kind).toBe('applied')
    const applied = await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: big.id }, include: { adAccount: true, campaign: true } })
    const reverse = undoValue(applied as never)
    const undo = await proposeChange(deps, {
      workspaceId,
      type: reverse.type,
      source: 'UNDO',
      campaignId: c.id,
      proposedValue: reverse.proposedValue,
      undoOfId: big.id,
      requestedBySlackUserId: 'UMEMBER',
    })
    expect((undo.guardrails as Array<{ ok: boolean }>).every((g) => g.ok)).toBe(true)
    expect((await approveAndApply(undo.id, approver)).kind).toBe('applied')
    expect(sim.state.campaign(c.metaCampaignId)?.dailyBudget).toBe(before)
  })

  it('runs one apply when two workers take the same job at once', async () => {
    const change = await budgetChange(10)
    const { change: approved } = await approveChange(deps, { workspaceId, changeId: change.id, member: admin })
    const writes = sim.stats().writes
    const results = await Promise.all(
      [1, 2, 3].map(() => applyChange(deps, { changeId: change.id, idempotencyKey: approved.idempotencyKey })),
    )
    expect(results.filter((r) => r.kind === 'applied')).toHaveLength(1)
    expect(sim.stats().writes).toBe(writes + 1)
  })

  it('applies nothing when the budget changed on Meta since the proposal', async () => {
    const c = next()
    const change = await budgetChange(10, 'UMEMBER', c)
    const { change: approved } = await approveChange(deps, { workspaceId, changeId: change.id, member: admin })
    // Someone changes the budget in Ads Manager meanwhile.
    await deps.meta.updateCampaign(sim.accessToken, c.metaCampaignId, { dailyBudgetMinor: 123_400 })
    const writes = sim.stats().writes
    const r = await applyChange(deps, { changeId: change.id, idempotencyKey: approved.idempotencyKey })
    expect(r.kind).toBe('failed')
    expect(r.change.failureReason).toMatch(/budget changed on Meta since this was proposed/)
    // Said in the account's currency, not in minor units.
    expect(r.change.failureReason).toContain(`(now ${formatMoney(123_400, r.change.adAccount.currency)})`)
    expect(sim.stats().writes).toBe(writes)
  })

  it('applies one change at a time per campaign: proposals approved at the same moment never apply from a stale budget (round 4 B1)', async () => {
    await db.prisma.workspace.update({
      where: { id: workspaceId },
      data: { settings: { guardrails: { cooldownHours: 0, maxChangesPerAccountPerDay: 100, maxBudgetChangePct: 100 } } },
    })
    const c = next()
    const proposed = [await budgetChange(5, 'UMEMBER', c), await budgetChange(10, 'UMEMBER', c), await budgetChange(15, 'UMEMBER', c)]
    const approved = []
    for (const p of proposed) approved.push((await approveChange(deps, { workspaceId, changeId: p.id, member: admin })).change)
    const writes = sim.stats().writes
    // Every apply job runs at the same moment; one that is told to wait runs again (as the job does), all at once.
    let pending = approved
    for (let round = 0; pending.length > 0; round++) {
      expect(round).toBeLessThan(10)
      const results = await Promise.all(pending.map((a) => applyChange(deps, { changeId: a.id, idempotencyKey: a.idempotencyKey })))
      for (const r of results) if (r.kind === 'throttled') expect(r.retryAfterMs).toBeLessThanOrEqual(5_000)
      pending = pending.filter((_, i) => results[i]!.kind === 'throttled')
    }
    const rows = await db.prisma.changeRequest.findMany({ where: { id: { in: approved.map((a) => a.id) } } })
    const applied = rows.filter((r) => r.status === 'APPLIED')
    expect(applied).toHaveLength(1)
    expect(sim.stats().writes - writes).toBe(1)
    const asked = (applied[0]!.proposedValue as { dailyBudgetMinor: number }).dailyBudgetMinor
    expect((applied[0]!.outcome as { dailyBudgetMinor: number }).dailyBudgetMinor).toBe(asked)
    expect(sim.state.campaign(c.metaCampaignId)?.dailyBudget).toBe(asked)
    const failed = rows.filter((r) => r.status !== 'APPLIED')
    expect(failed.map((r) => r.status)).toEqual(['FAILED', 'FAILED'])
    for (const f of failed) expect(f.failureReason).toMatch(/budget changed on Meta since this was proposed/)
  })

  it('re-checks every guardrail on a retry of an overridden change, Meta’s limit included (#10 finding 6)', async () => {
    const c = next()
    const big = await budgetChange(80, 'UMEMBER', c)
    await approveChange(deps, { workspaceId, changeId: big.id, member: admin, overrideReason: 'launch' })
    sim.faults.add({
      kind: 'graph_error',
      method: 'POST',
      times: 1,
      status: 400,
      error: { message: 'Invalid parameter', type: 'OAuthException', code: 100, error_user_msg: 'Try later.', fbtrace_id: 'x' },
    })
    expect((await applyChange(deps, { changeId: big.id, idempotencyKey: big.idempotencyKey })).kind).toBe('failed')
    // Meanwhile the campaign's budget is changed four times within the hour.
    for (let i = 0; i < 4; i++) {
      clock = new Date(clock.getTime() + 60_000)
      expect((await approveAndApply((await budgetChange(5, 'UMEMBER', c)).id)).kind).toBe('applied')
    }
    const writes = sim.stats().writes
    await expect(retryChange(deps, { workspaceId, changeId: big.id, member: admin })).rejects.toThrow(
      /Meta allows 4 budget changes per campaign per hour/,
    )
    expect((await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: big.id } })).status).toBe('FAILED')
    expect(sim.stats().writes).toBe(writes)
  })

  it('holds the daily cap at apply time when changes are approved at the same moment (#10 finding 6)', async () => {
    await db.prisma.workspace.update({
      where: { id: workspaceId },
      data: { settings: { guardrails: { cooldownHours: 0, maxChangesPerAccountPerDay: 2 } } },
    })
    const day = (d: number, h: number, m: number) =>
      new Date(Date.UTC(START.getUTCFullYear(), START.getUTCMonth(), START.getUTCDate() + d, h, m))
    // Three approvals that each passed the daily cap (two late one day, one just after midnight: every approval saw
    // fewer than 2 decided that day), then their three apply jobs run at the same moment.
    const proposed = [await budgetChange(5), await budgetChange(5), await budgetChange(5)]
    const approvedAt = [day(0, 23, 58), day(0, 23, 59), day(1, 0, 0)]
    const approved = []
    for (const [i, p] of proposed.entries()) {
      clock = approvedAt[i]!
      const r = await approveChange(deps, { workspaceId, changeId: p.id, member: admin })
      expect(r.transitioned).toBe(true)
      approved.push(r.change)
    }
    expect(approved).toHaveLength(3)
    clock = day(1, 0, 1)
    const writes = sim.stats().writes
    const results = await Promise.all(approved.map((a) => applyChange(deps, { changeId: a.id, idempotencyKey: a.idempotencyKey })))
    expect(results.map((r) => r.kind).sort()).toEqual(['applied', 'applied', 'failed'])
    expect(sim.stats().writes - writes).toBe(2)
    const failed = results.find((r) => r.kind === 'failed')!
    expect(failed.change.failureReason).toMatch(/2 changes were already applied for this ad account today/)
    expect(await db.prisma.auditEvent.count({ where: { targetId: failed.change.id, action: 'change.failed' } })).toBe(1)
    // A change approved one day and applied the next counts against the day it is applied on.
    clock = day(2, 23, 59)
    const late = await budgetChange(5, 'UMEMBER', campaigns[0])
    await approveChange(deps, { workspaceId, changeId: late.id, member: admin })
    clock = day(3, 0, 1)
    const todays = [await budgetChange(5, 'UMEMBER', campaigns[1]), await budgetChange(5, 'UMEMBER', campaigns[2])]
    for (const t of todays) expect((await approveChange(deps, { workspaceId, changeId: t.id, member: admin })).transitioned).toBe(true)
    const applied = []
    for (const t of [late, ...todays]) applied.push(await applyChange(deps, { changeId: t.id, idempotencyKey: t.idempotencyKey }))
    expect(applied.map((r) => r.kind)).toEqual(['applied', 'applied', 'failed'])
  })

  it('a retry is checked like the apply: counted by when changes were applied (#10 finding 6, review "other defects" 5)', async () => {
    await db.prisma.workspace.update({
      where: { id: workspaceId },
      data: { settings: { guardrails: { cooldownHours: 0, maxChangesPerAccountPerDay: 2 } } },
    })
    const day = (d: number, h: number, m: number) =>
      new Date(Date.UTC(START.getUTCFullYear(), START.getUTCMonth(), START.getUTCDate() + d, h, m))
    // Late on day 0: one change fails on Meta, two more are approved (the failed one no longer counts).
    clock = day(0, 23, 57)
    const broken = await budgetChange(5)
    sim.faults.add({
      kind: 'graph_error',
      method: 'POST',
      times: 1,
      status: 400,
      error: { message: 'Invalid parameter', type: 'OAuthException', code: 100, error_user_msg: 'Try later.', fbtrace_id: 'x' },
    })
    expect((await approveAndApply(broken.id)).kind).toBe('failed')
    clock = day(0, 23, 59)
    const two = [await budgetChange(5), await budgetChange(5)]
    for (const t of two) expect((await approveChange(deps, { workspaceId, changeId: t.id, member: admin })).transitioned).toBe(true)
    // Just after midnight both are applied: the day's cap of applied changes is reached.
    clock = day(1, 0, 1)
    for (const t of two) expect((await applyChange(deps, { changeId: t.id, idempotencyKey: t.idempotencyKey })).kind).toBe('applied')
    // A retry now would be refused at apply ("2 changes were already applied today"): it is refused at once, saying so.
    await expect(retryChange(deps, { workspaceId, changeId: broken.id, member: admin })).rejects.toThrow(
      /2 changes were already applied for this ad account today/,
    )
    expect((await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: broken.id } })).status).toBe('FAILED')
  })

  it('sends a create whose answer was lost only once Meta surely has not created it (#10 finding 7)', async () => {
    // The Graph client's per-attempt timeout scaled down from 60 s to 0.5 s; Meta takes 2.5 s to create.
    const slow = testDomainDeps({
      prisma: db.prisma,
      meta: simulatorMetaApi(sim, { sleep: async () => {}, maxWaitMs: 0, timeoutMs: 500 }),
      now: () => clock,
    })
    const timings = { leaseMs: 2_000, heartbeatMs: 200, createSettleMs: 4_000 }
    const change = await proposeChange(deps, {
      workspaceId,
      type: 'CREATE_CAMPAIGN',
      source: 'COMMAND',
      adAccountId,
      proposedValue: { name: 'Spring launch', objective: 'OUTCOME_LEADS', dailyBudgetMinor: 4000, specialAdCategories: [] },
    })
    const { change: approved } = await approveChange(deps, { workspaceId, changeId: change.id, member: admin })
    sim.faults.delay(2500, { method: 'POST', path: '/campaigns', times: 1 })
    const key = { changeId: change.id, idempotencyKey: approved.idempotencyKey }
    await expect(applyChange(slow, key, timings)).rejects.toThrow(/timed out/)
    // The job's retry (its 5 s backoff, scaled) comes while Meta is still creating: it waits instead of creating.
    await new Promise((r) => setTimeout(r, 700))
    const second = await applyChange(slow, key, timings)
    expect(second.kind).toBe('throttled')
    expect(second.change.status).toBe('APPLYING')
    const waitMs = second.kind === 'throttled' ? second.retryAfterMs : 0
    expect(waitMs).toBeGreaterThan(2_000)
    expect(waitMs).toBeLessThanOrEqual(4_000)
    // Nobody takes it over before then (the recovery sweep neither).
    expect((await applyChange(slow, key, timings)).kind).toBe('skipped')
    await new Promise((r) => setTimeout(r, waitMs + 50))
    const third = await applyChange(slow, key, timings)
    expect(third.kind).toBe('applied')
    const onMeta = sim.state.campaigns().filter((c) => c.name === 'Spring launch')
    expect(onMeta).toHaveLength(1)
    expect((third.change.outcome as { metaCampaignId: string }).metaCampaignId).toBe(onMeta[0]!.id)
  })

  it('never lets two workers create one campaign twice, however long Meta takes (#10 finding 7)', async () => {
    const change = await proposeChange(deps, {
      workspaceId,
      type: 'CREATE_CAMPAIGN',
      source: 'COMMAND',
      adAccountId,
      proposedValue: { name: 'Slow launch', objective: 'OUTCOME_LEADS', dailyBudgetMinor: 4000, specialAdCategories: [] },
    })
    const { change: approved } = await approveChange(deps, { workspaceId, changeId: change.id, member: admin })
    // Meta takes its time to create the campaign, and the first worker's heartbeat stalls (a database blip, a
    // blocked event loop): its lease runs out while its create is on its way.
    sim.faults.delay(2500, { method: 'POST', path: '/campaigns', times: 1 })
    const stalled = { leaseMs: 500, heartbeatMs: 60_000, createSettleMs: 4_000 }
    const key = { changeId: change.id, idempotencyKey: approved.idempotencyKey }
    const first = applyChange(deps, key, stalled)
    await new Promise((r) => setTimeout(r, 1_000))
    // Another worker takes the change over: it knows a create was sent and waits for it instead of sending another.
    const second = await applyChange(deps, key, stalled)
    expect(second.kind).toBe('throttled')
    // The first worker's answer arrives: its campaign is recorded on the change, but it no longer holds it.
    expect((await first).kind).toBe('skipped')
    const third = await applyChange(deps, key, stalled)
    expect(third.kind).toBe('applied')
    expect(sim.state.campaigns().filter((c) => c.name === 'Slow launch')).toHaveLength(1)
    expect((await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: change.id } })).status).toBe('APPLIED')
  })

  it('writes nothing to Meta for a workspace that removed Promoly (#10 finding 11)', async () => {
    const c = next()
    const approvedChange = (await approveChange(deps, { workspaceId, changeId: (await budgetChange(10, 'UMEMBER', c)).id, member: admin }))
      .change
    const proposed = await budgetChange(10)
    const writes = sim.stats().writes
    const ws = await db.prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } })
    // Slack: Promoly is removed before the apply job ran (a queue restart, a throttle, a retry's backoff).
    expect(await recordAppUninstalled(db.prisma, { installation: { teamId: ws.slackTeamId }, eventId: `Ev-${ws.id}` })).toBe(true)
    const closed = await db.prisma.changeRequest.findMany({ where: { id: { in: [approvedChange.id, proposed.id] } } })
    expect(closed.find((x) => x.id === approvedChange.id)).toMatchObject({ status: 'FAILED' })
    expect(closed.find((x) => x.id === proposed.id)).toMatchObject({ status: 'EXPIRED' })
    for (const x of closed) expect(x.failureReason).toMatch(/Promoly was removed from this Slack workspace before this change was applied/)
    expect(await db.prisma.auditEvent.count({ where: { targetId: approvedChange.id, action: 'change.failed' } })).toBe(1)
    expect(await db.prisma.auditEvent.count({ where: { targetId: proposed.id, action: 'change.expired' } })).toBe(1)
    // The recovery sweep leaves them alone, and the queued job writes nothing.
    expect((await changesNeedingApply(deps)).map((d) => d.id)).not.toContain(approvedChange.id)
    expect((await applyChange(deps, { changeId: approvedChange.id, idempotencyKey: approvedChange.idempotencyKey })).kind).toBe('skipped')
    await expect(retryChange(deps, { workspaceId, changeId: approvedChange.id, member: admin })).rejects.toThrow(
      /Meta connection of this ad account is not active \(Promoly was removed from this Slack workspace\)/,
    )
    // An approved change whose connection stopped another way (or before this release) is refused at apply.
    await db.prisma.changeRequest.update({ where: { id: approvedChange.id }, data: { status: 'APPROVED', failureReason: null } })
    const r = await applyChange(deps, { changeId: approvedChange.id, idempotencyKey: approvedChange.idempotencyKey })
    expect(r.kind).toBe('failed')
    expect(r.change.failureReason).toMatch(
      /^Not applied: the Meta connection of this ad account is not active .*nothing was changed on Meta/,
    )
    expect(await db.prisma.auditEvent.count({ where: { targetId: approvedChange.id, action: 'change.failed' } })).toBe(2)
    expect(sim.stats().writes).toBe(writes)
    expect(sim.state.campaign(c.metaCampaignId)?.dailyBudget).toBe(Number(c.dailyBudget))
  })

  it('refuses a budget above the ceiling per change, even with an admin override (#10 finding 8)', async () => {
    const c = next()
    const budget = Number((await db.prisma.campaign.findUniqueOrThrow({ where: { id: c.id } })).dailyBudget)
    const huge = await budgetChange(1400, 'UMEMBER', c)
    const ceiling = huge.guardrails as Array<{ name: string; ok: boolean; message: string }>
    expect(ceiling.find((g) => g.name === 'budget_ceiling')).toMatchObject({ ok: false })
    await expect(
      approveChange(deps, { workspaceId, changeId: huge.id, member: admin, overrideReason: 'an extra zero, surely fine' }),
    ).rejects.toThrow(/No override lifts this limit: .* is above the ceiling of .* per change \(10× the budget/)
    expect((await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: huge.id } })).status).toBe('PROPOSED')
    // Within the ceiling, an override still lifts the percentage limit.
    const big = await budgetChange(400, 'UMEMBER', c)
    expect((await approveChange(deps, { workspaceId, changeId: big.id, member: admin, overrideReason: 'launch' })).transitioned).toBe(true)
    expect((await applyChange(deps, { changeId: big.id, idempotencyKey: big.idempotencyKey })).kind).toBe('applied')
    expect(sim.state.campaign(c.metaCampaignId)?.dailyBudget).toBe(Math.round(budget * 5))
  })

  async function createCampaign(name: string, dailyBudgetMinor: number) {
    return proposeChange(deps, {
      workspaceId,
      type: 'CREATE_CAMPAIGN',
      source: 'COMMAND',
      adAccountId,
      requestedBySlackUserId: 'UMEMBER',
      proposedValue: { name, objective: 'OUTCOME_TRAFFIC', dailyBudgetMinor, specialAdCategories: [] },
    })
  }
  const ceilingOf = (change: { guardrails: unknown }) =>
    (change.guardrails as Array<{ name: string; ok: boolean; message: string }>).find((g) => g.name === 'budget_ceiling')

  it('has a ceiling for a new campaign on an account without campaign budgets: its spend, even with an admin override (#10 finding 8)', async () => {
    // The account's campaigns budget at the ad-set level (CBO off): no campaign daily budget on record, only spend.
    await db.prisma.campaign.updateMany({ where: { adAccountId }, data: { dailyBudget: null } })
    const days = await db.prisma.campaignDailyMetric.groupBy({ by: ['date'], where: { adAccountId }, _sum: { spend: true } })
    const topSpend = Math.max(...days.map((d) => Number(d._sum.spend)))
    expect(topSpend).toBeGreaterThan(0)
    const writes = sim.stats().writes
    const huge = await createCampaign('Huge', 10_000_000_000)
    expect(ceilingOf(huge)).toMatchObject({ ok: false, message: expect.stringMatching(/10× the account's highest daily spend/) })
    await expect(approveChange(deps, { workspaceId, changeId: huge.id, member: admin, overrideReason: 'big launch' })).rejects.toThrow(
      /No override lifts this limit: \$100,000,000.00 is above the ceiling/,
    )
    expect((await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: huge.id } })).status).toBe('PROPOSED')
    expect(ceilingOf(await createCampaign('Fine', topSpend * 10))).toMatchObject({ ok: true })
    expect(ceilingOf(await createCampaign('Just over', topSpend * 10 + 1))).toMatchObject({ ok: false })
    expect(sim.stats().writes).toBe(writes)
  })

  it('has a ceiling for a new campaign on an empty account: 10× about US$100/day, which an admin may override (#10 finding 8)', async () => {
    // A new account: no campaign budgets, no spend on record (more currencies: fallback-ceiling.int.test.ts).
    await db.prisma.campaignDailyMetric.deleteMany({ where: { adAccountId } })
    await db.prisma.campaign.updateMany({ where: { adAccountId }, data: { dailyBudget: null } })
    const fallbackOf = (change: { guardrails: unknown }) =>
      (change.guardrails as Array<{ name: string; ok: boolean; message: string }>).find((g) => g.name === 'budget_fallback_ceiling')
    const huge = await createCampaign('Huge', 10_000_000_000)
    expect(fallbackOf(huge)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/ceiling of \$1,000.00 per change \(10× about US\$100\/day in USD.*an admin can override this one/),
    })
    const fine = await createCampaign('Fine', 100_000)
    expect(fallbackOf(fine)).toMatchObject({ ok: true })
    expect((await approveAndApply(fine.id)).kind).toBe('applied')
  })
})
