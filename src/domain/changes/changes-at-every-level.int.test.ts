/**
 * Changes at ad set and ad level on real PostgreSQL (and Redis for the apply jobs), through the Meta simulator:
 * a multi-ad-set budget change approved by 20 concurrent clicks applies each ad set exactly once; Meta's hourly
 * limit counts per ad set; a budget write answered with 17 blocks that ad set (not another) for an hour, never
 * retried sooner; undo at ad set and ad level; an object deleted on Meta since the proposal fails with Meta's word.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { simulatorMetaApi, testDomainDeps } from '../../../test/support/domain-deps.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../../../test/support/test-database.ts'
import { requireRedisUrl, uniquePrefix } from '../../../test/support/test-redis.ts'
import type { AdSet, Member } from '../../generated/prisma/client.ts'
import { type MetaSimulator, startMetaSimulator } from '../../integrations/meta-sim/index.ts'
import { createBullmqQueue } from '../../jobs/bullmq-queue.ts'
import { createApplyChangeJob, queueApply } from '../../jobs/definitions/apply-change.ts'
import type { JobDefinition, JobQueue } from '../../jobs/job-queue.ts'
import { silentLogger } from '../../lib/logger.ts'
import { ensureDefaultConnection } from '../connections/ensure-default-connection.ts'
import type { DomainDeps } from '../deps.ts'
import { loadTotals } from '../metrics/load-totals.ts'
import type { Notifier } from '../notifier.ts'
import { syncAdAccount } from '../sync/sync-ad-account.ts'
import { applyChange, changesNeedingApply, retryChange } from './apply-change.ts'
import { approveChange, expireChanges, rejectChange } from './decide-change.ts'
import { editChange } from './edit-change.ts'
import { evaluateOutcomes } from './evaluate-outcomes.ts'
import { proposeBudgetChange } from './propose-budget-change.ts'
import { proposeChange } from './propose-change.ts'
import { proposeUndo } from './propose-undo.ts'

const serverUrl = requirePostgresUrl()
const redisUrl = requireRedisUrl()
const START = new Date('2026-03-02T15:00:00Z')
const HOUR = 3_600_000

describe.skipIf(!serverUrl)('changes at ad set and ad level', () => {
  let db: TestDatabase
  let sim: MetaSimulator
  let deps: DomainDeps
  let clock: Date
  let workspaceId: string
  let admin: Member
  let worlds = 0
  /** The active campaign whose budgets live on its ad sets, and its active ad sets (each with $100.00/day). */
  let campaignId: string
  let adSets: AdSet[]

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
      accounts: [{ id: '913', name: 'Level shop', currency: 'USD', timezoneName: 'UTC', campaigns: 8 }],
    })
    const campaign = sim.state
      .campaigns('913')
      .find((c) => c.dailyBudget === undefined && c.lifetimeBudget === undefined && c.status === 'ACTIVE')
    if (!campaign) throw new Error('the simulator has no active campaign with ad set budgets')
    // Above every kind of Meta's minimum, so only the limits under test refuse anything.
    for (const s of sim.state.adSets(campaign.id)) if (s.status === 'ACTIVE') sim.adsManager.setBudget(s.id, { daily: 10_000 })
    deps = testDomainDeps({ prisma: db.prisma, meta: simulatorMetaApi(sim, { sleep: async () => {}, maxWaitMs: 0 }), now: () => clock })
    workspaceId = (
      await db.prisma.workspace.create({
        data: {
          slackTeamId: `TLEVEL${++worlds}`,
          settings: { guardrails: { cooldownHours: 0, maxChangesPerAccountPerDay: 100, maxBudgetChangePct: 100 } },
        },
      })
    ).id
    const [account] = await ensureDefaultConnection(deps, workspaceId, { token: sim.accessToken, label: 'sim' })
    await syncAdAccount(deps, { adAccountId: account!.id })
    admin = await db.prisma.member.create({ data: { workspaceId, slackUserId: 'UADMIN', role: 'ADMIN' } })
    campaignId = (await db.prisma.campaign.findFirstOrThrow({ where: { adAccountId: account!.id, metaCampaignId: campaign.id } })).id
    adSets = await db.prisma.adSet.findMany({ where: { campaignId, status: 'ACTIVE' }, orderBy: { name: 'asc' } })
    expect(adSets.length).toBeGreaterThanOrEqual(2)
  })
  afterEach(async () => {
    await sim?.close()
  })

  const writesTo = (metaId: string) => sim.stats().writesByObject[metaId] ?? 0
  const adSetBudget = (adSetId: string, daily: number) =>
    proposeChange(deps, { workspaceId, type: 'SET_DAILY_BUDGET', source: 'COMMAND', adSetId, proposedValue: { dailyBudgetMinor: daily } })
  async function approveAndApply(changeId: string) {
    const { decided } = await approveChange(deps, { workspaceId, changeId, member: admin })
    return Promise.all(decided.map((d) => applyChange(deps, { changeId: d.id, idempotencyKey: d.idempotencyKey })))
  }

  it.skipIf(!redisUrl)(
    'a multi-ad-set budget change approved by 20 concurrent clicks applies each ad set exactly once (BullMQ on Redis)',
    async () => {
      const parts = await proposeBudgetChange(deps, {
        workspaceId,
        campaignId,
        choice: { kind: 'percent', percent: 20 },
        source: 'COMMAND',
      })
      expect(parts).toHaveLength(adSets.length)
      expect(new Set(parts.map((p) => p.groupId))).toEqual(new Set([parts[0]!.id]))

      const notifier = { refreshChangeCard: async () => {} } as unknown as Notifier
      let queue: JobQueue | undefined
      const apply = createApplyChangeJob({ domain: deps, notifier, queue: () => queue! })
      queue = createBullmqQueue({
        redisUrl: redisUrl!,
        definitions: [apply.definition] as JobDefinition<unknown>[],
        logger: silentLogger(),
        prefix: uniquePrefix(),
      })
      try {
        // Twenty clicks at once, on different parts of the card; each click queues what it approved, as the listener does.
        const clicks = await Promise.all(
          Array.from({ length: 20 }, async (_, i) => {
            const r = await approveChange(deps, { workspaceId, changeId: parts[i % parts.length]!.id, member: admin })
            for (const d of r.decided) await queueApply(queue!, apply.definition, d)
            return r
          }),
        )
        expect(clicks.filter((c) => c.decided.length > 0)).toHaveLength(1)
        expect(
          clicks
            .find((c) => c.decided.length > 0)!
            .decided.map((d) => d.id)
            .sort(),
        ).toEqual(parts.map((p) => p.id).sort())
        // The recovery sweep and a redelivered job queue the same parts again: still one write each.
        for (const p of parts) await queueApply(queue, apply.definition, p, `apply-again-${p.id}`)
        await queue.startWorker()
        const deadline = Date.now() + 30_000
        let rows = await db.prisma.changeRequest.findMany({ where: { groupId: parts[0]!.id } })
        while (rows.some((r) => r.status !== 'APPLIED') && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 100))
          rows = await db.prisma.changeRequest.findMany({ where: { groupId: parts[0]!.id } })
        }
        expect(rows.map((r) => r.status)).toEqual(rows.map(() => 'APPLIED'))
        for (const s of adSets) {
          expect(writesTo(s.metaAdSetId)).toBe(1)
          expect(sim.state.adSet(s.metaAdSetId)?.dailyBudget).toBe(12_000)
          // The read-back updated the stored ad set.
          expect(Number((await db.prisma.adSet.findUniqueOrThrow({ where: { id: s.id } })).dailyBudget)).toBe(12_000)
        }
        expect(writesTo(sim.state.adSet(adSets[0]!.metaAdSetId)!.campaignId)).toBe(0)
      } finally {
        await queue.close()
      }
    },
    60_000,
  )

  it('rejecting one part rejects the whole card; a part refused by a guardrail refuses the approval, naming it', async () => {
    const parts = await proposeBudgetChange(deps, { workspaceId, campaignId, choice: { kind: 'percent', percent: 10 }, source: 'COMMAND' })
    const rejected = await rejectChange(deps, { workspaceId, changeId: parts[1]!.id, member: admin })
    expect(rejected.decided.map((d) => d.status)).toEqual(parts.map(() => 'REJECTED'))

    // Four budget changes of the first ad set this hour: a card that includes it is refused as a whole.
    for (const daily of [10_100, 10_200, 10_300, 10_400]) {
      const c = await adSetBudget(adSets[0]!.id, daily)
      const [r] = await approveAndApply(c.id)
      expect(r!.kind).toBe('applied')
    }
    const again = await proposeBudgetChange(deps, { workspaceId, campaignId, choice: { kind: 'percent', percent: 5 }, source: 'COMMAND' })
    const error = await approveChange(deps, { workspaceId, changeId: again[0]!.id, member: admin }).catch((e: Error) => e)
    expect(String((error as Error).message)).toContain(`Ad set “${adSets[0]!.name}”`)
    expect(String((error as Error).message)).toContain('Nothing was approved')
    const statuses = await db.prisma.changeRequest.findMany({ where: { groupId: again[0]!.id }, select: { status: true } })
    expect(statuses.map((s) => s.status)).toEqual(again.map(() => 'PROPOSED'))
  })

  it('a card is approved whole or not at all, and expires as one unit', async () => {
    const parts = await proposeBudgetChange(deps, { workspaceId, campaignId, choice: { kind: 'percent', percent: 10 }, source: 'COMMAND' })
    expect(parts.length).toBeGreaterThanOrEqual(2)
    // One expiry for every part, whatever each part's Meta calls took.
    expect(new Set(parts.map((p) => p.expiresAt.getTime())).size).toBe(1)
    const statuses = async (groupId: string) =>
      (await db.prisma.changeRequest.findMany({ where: { groupId }, select: { status: true } })).map((r) => r.status).sort()

    // One part expired on its own (a card proposed before parts shared their expiry): approving the card approves nothing.
    await db.prisma.changeRequest.update({ where: { id: parts[1]!.id }, data: { status: 'EXPIRED' } })
    await expect(approveChange(deps, { workspaceId, changeId: parts[0]!.id, member: admin })).rejects.toThrow(
      `This card's parts can no longer be approved together (Ad set “${adSets[1]!.name}” in campaign “${parts[1]!.campaign!.name}” is expired). Nothing was approved; propose the change again.`,
    )
    expect(await statuses(parts[0]!.id)).toEqual(parts.map((p) => (p.id === parts[1]!.id ? 'EXPIRED' : 'PROPOSED')).sort())

    // The sweep expires a card whole as soon as one of its parts is due (parts of old cards may differ by seconds).
    const again = await proposeBudgetChange(deps, { workspaceId, campaignId, choice: { kind: 'percent', percent: 5 }, source: 'COMMAND' })
    await db.prisma.changeRequest.update({ where: { id: again[0]!.id }, data: { expiresAt: new Date(clock.getTime() - 1_000) } })
    const expired = await expireChanges(deps)
    expect(expired.map((c) => c.id).sort()).toEqual(again.map((p) => p.id).sort())
    expect(await statuses(again[0]!.id)).toEqual(again.map(() => 'EXPIRED'))
  })

  it("Meta's 4 budget changes per hour count per ad set, refused with the time it frees up", async () => {
    const [first, second] = adSets
    for (const [i, daily] of [10_100, 10_200, 10_300, 10_400].entries()) {
      clock = new Date(START.getTime() + i * 60_000)
      const [r] = await approveAndApply((await adSetBudget(first!.id, daily)).id)
      expect(r!.kind).toBe('applied')
    }
    expect(writesTo(first!.metaAdSetId)).toBe(4)
    const fifth = await adSetBudget(first!.id, 10_500)
    const limit = (fifth.guardrails as Array<{ name: string; ok: boolean; message: string; freesAt?: string }>).find(
      (g) => g.name === 'meta_budget_changes_per_hour',
    )
    expect(limit).toMatchObject({ ok: false, freesAt: new Date(START.getTime() + HOUR).toISOString() })
    expect(limit!.message).toBe('Meta allows 4 budget changes per ad set per hour; the next is possible at 16:00 UTC')
    await expect(approveChange(deps, { workspaceId, changeId: fifth.id, member: admin })).rejects.toThrow(/per ad set per hour/)
    // Another ad set of the same campaign is not limited by the first one's changes.
    const other = await adSetBudget(second!.id, 10_100)
    expect((other.guardrails as Array<{ name: string; ok: boolean }>).find((g) => g.name === 'meta_budget_changes_per_hour')?.ok).toBe(true)
    const [r] = await approveAndApply(other.id)
    expect(r!.kind).toBe('applied')
  })

  it('17 on a budget write blocks that ad set for an hour (by the database clock), never retried sooner, applied after; a second ad set is not blocked', async () => {
    const [first, second] = adSets
    // The block is stamped and compared with the database's clock (the test's fake clock moves nothing of it).
    const dbClock = async () => (await db.prisma.$queryRaw<Array<{ now: Date }>>`SELECT clock_timestamp() AS now`)[0]!.now.getTime()
    sim.faults.throttle(17, { method: 'POST', path: `/${first!.metaAdSetId}`, times: 1 })
    const change = await adSetBudget(first!.id, 11_000)
    const { decided } = await approveChange(deps, { workspaceId, changeId: change.id, member: admin })
    expect(decided).toHaveLength(1)
    const before = await dbClock()
    const r = await applyChange(deps, { changeId: change.id, idempotencyKey: change.idempotencyKey })
    const after = await dbClock()
    expect(r).toMatchObject({ kind: 'throttled', retryAfterMs: HOUR })
    // The client did not retry the write itself (the fault answered once; a retry would have gone through).
    expect(writesTo(first!.metaAdSetId)).toBe(0)
    expect((await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: change.id } })).status).toBe('APPROVED')
    // An hour from when Meta answered, not less (nor more).
    const until = (await db.prisma.adSet.findUniqueOrThrow({ where: { id: first!.id } })).budgetWritesBlockedUntil!.getTime()
    expect(until - before).toBeGreaterThanOrEqual(HOUR)
    expect(until - after).toBeLessThanOrEqual(HOUR)
    expect((await db.prisma.campaign.findUniqueOrThrow({ where: { id: campaignId } })).budgetWritesBlockedUntil).toBeNull()

    // Near the end of the block (a few seconds left, with the change long untouched): the recovery sweep does not
    // queue it, and an attempt sends nothing to Meta and waits for what is left of the block.
    const setBlockLeft = (ms: number) =>
      db.prisma
        .$executeRaw`UPDATE "AdSet" SET "budgetWritesBlockedUntil" = clock_timestamp() + ${ms} * interval '1 millisecond' WHERE id = ${first!.id}`
    const untouched = () =>
      db.prisma.$executeRaw`UPDATE "ChangeRequest" SET "updatedAt" = clock_timestamp() - interval '2 minutes' WHERE id = ${change.id}`
    await setBlockLeft(10_000)
    await untouched()
    expect((await changesNeedingApply(deps)).map((c) => c.id)).not.toContain(change.id)
    const posts = sim.stats().byRoute['POST /{adset_id}'] ?? 0
    const early = await applyChange(deps, { changeId: change.id, idempotencyKey: change.idempotencyKey })
    expect(early.kind).toBe('throttled')
    if (early.kind !== 'throttled') throw new Error('unreachable')
    expect(early.retryAfterMs).toBeGreaterThan(1_000)
    expect(early.retryAfterMs).toBeLessThanOrEqual(10_000)
    expect(sim.stats().byRoute['POST /{adset_id}'] ?? 0).toBe(posts)
    expect((await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: change.id } })).status).toBe('APPROVED')
    // A new proposal for that ad set says when it frees up.
    const next = await adSetBudget(first!.id, 10_500)
    expect(
      (next.guardrails as Array<{ name: string; ok: boolean; message: string }>).find((g) => g.name === 'meta_budget_changes_per_hour'),
    ).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^Meta blocked budget changes of this ad set for an hour; the next is possible at \d\d:\d\d UTC$/),
    })
    await rejectChange(deps, { workspaceId, changeId: next.id, member: admin })

    // The second ad set's budget changes at once.
    const [ok] = await approveAndApply((await adSetBudget(second!.id, 10_900)).id)
    expect(ok!.kind).toBe('applied')
    expect(writesTo(second!.metaAdSetId)).toBe(1)

    // Once the block is over (a second ago), the sweep picks the change up again and it is applied, once.
    await setBlockLeft(-1_000)
    await untouched()
    expect((await changesNeedingApply(deps)).map((c) => c.id)).toContain(change.id)
    const later = await applyChange(deps, { changeId: change.id, idempotencyKey: change.idempotencyKey })
    expect(later.kind).toBe('applied')
    expect(writesTo(first!.metaAdSetId)).toBe(1)
    expect(sim.state.adSet(first!.metaAdSetId)?.dailyBudget).toBe(11_000)
    expect(
      ((await adSetBudget(first!.id, 11_500)).guardrails as Array<{ name: string; ok: boolean }>).find(
        (g) => g.name === 'meta_budget_changes_per_hour',
      )?.ok,
    ).toBe(true)
  })

  it('the recovery sweep finds a stuck change behind any number of budget changes of blocked objects', async () => {
    const [first, second] = adSets
    const budget = await adSetBudget(first!.id, 11_000)
    await approveChange(deps, { workspaceId, changeId: budget.id, member: admin })
    await db.prisma.adSet.update({ where: { id: first!.id }, data: { budgetWritesBlockedUntil: new Date('2999-01-01T00:00:00Z') } })
    // 120 budget changes of the blocked ad set waiting APPROVED, written first and untouched for 20 minutes.
    const {
      id: _id,
      idempotencyKey: _key,
      createdAt: _c,
      updatedAt: _u,
      ...row
    } = await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: budget.id } })
    await db.prisma.$executeRaw`UPDATE "ChangeRequest" SET "updatedAt" = clock_timestamp() - interval '20 minutes' WHERE id = ${budget.id}`
    const old = new Date(Date.now() - 20 * 60_000)
    await db.prisma.changeRequest.createMany({
      data: Array.from({ length: 120 }, () => ({
        ...row,
        currentValue: row.currentValue as object,
        proposedValue: row.proposedValue as object,
        guardrails: row.guardrails as object,
        evidence: row.evidence as object,
        outcome: undefined,
        decidedAt: new Date(clock.getTime() - 2 * 86_400_000),
        updatedAt: old,
      })),
    })
    // Stuck behind them: a pause of the (budget-less) campaign, one of the other ad set and a budget change of that
    // (unblocked) ad set, approved and never queued.
    const pauseCampaign = await proposeChange(deps, { workspaceId, type: 'PAUSE', source: 'COMMAND', campaignId })
    const pauseSet = await proposeChange(deps, { workspaceId, type: 'PAUSE', source: 'COMMAND', adSetId: second!.id })
    const budgetOther = await adSetBudget(second!.id, 10_500)
    for (const c of [pauseCampaign, pauseSet, budgetOther]) {
      await approveChange(deps, { workspaceId, changeId: c.id, member: admin })
      await db.prisma.$executeRaw`UPDATE "ChangeRequest" SET "updatedAt" = clock_timestamp() - interval '10 minutes' WHERE id = ${c.id}`
    }
    expect(await db.prisma.changeRequest.count({ where: { status: 'APPROVED', adSetId: first!.id } })).toBe(121)
    const found = (await changesNeedingApply(deps)).map((c) => c.id)
    expect(found).toContain(pauseCampaign.id)
    expect(found).toContain(pauseSet.id)
    expect(found).toContain(budgetOther.id)
    expect(found).not.toContain(budget.id)
  })

  it('a campaign budget that funds no active ad set: the guardrail and Meta hold it to the minimum of its objective', async () => {
    const metaCampaign = sim.state
      .campaigns('913')
      .find((c) => c.dailyBudget !== undefined && c.objective !== 'OUTCOME_AWARENESS' && c.status === 'ACTIVE')
    if (!metaCampaign) throw new Error('the simulator has no active non-awareness campaign with a campaign budget')
    for (const s of sim.state.adSets(metaCampaign.id)) sim.adsManager.setStatus(s.id, 'PAUSED')
    const account = await db.prisma.adAccount.findFirstOrThrow({ where: { workspaceId } })
    await syncAdAccount(deps, { adAccountId: account.id })
    const campaign = await db.prisma.campaign.findFirstOrThrow({ where: { adAccountId: account.id, metaCampaignId: metaCampaign.id } })
    expect(await db.prisma.adSet.count({ where: { campaignId: campaign.id, status: 'ACTIVE' } })).toBe(0)
    const minimum = (value: number) =>
      proposeChange(deps, {
        workspaceId,
        type: 'SET_DAILY_BUDGET',
        source: 'COMMAND',
        campaignId: campaign.id,
        proposedValue: { dailyBudgetMinor: value },
      })
    const low = await minimum(200)
    expect((low.guardrails as Array<{ name: string; ok: boolean }>).find((g) => g.name === 'minimum_budget')).toMatchObject({ ok: false })
    const enough = await minimum(500)
    expect((enough.guardrails as Array<{ name: string; ok: boolean }>).find((g) => g.name === 'minimum_budget')).toMatchObject({ ok: true })
    const [r] = await approveAndApply(enough.id)
    expect(r!.kind).toBe('applied')
    expect(sim.state.campaign(metaCampaign.id)?.dailyBudget).toBe(500)
  })

  it('four eyes: resuming an ad set, an ad, or a campaign on ad set budgets puts the budget that spends again at stake', async () => {
    await db.prisma.workspace.update({
      where: { id: workspaceId },
      data: { settings: { guardrails: { cooldownHours: 0, maxChangesPerAccountPerDay: 100, fourEyesAboveMinor: 10_000 } } },
    })
    const approver = await db.prisma.member.create({ data: { workspaceId, slackUserId: 'UAPPROVER', role: 'APPROVER' } })
    const [adSet, other] = adSets
    // A paused $500/day ad set (its campaign has no budget of its own), and a paused ad in it.
    await db.prisma.adSet.update({ where: { id: adSet!.id }, data: { status: 'PAUSED', dailyBudget: 50_000 } })
    const ad = await db.prisma.ad.findFirstOrThrow({ where: { adSetId: adSet!.id } })
    await db.prisma.ad.update({ where: { id: ad.id }, data: { status: 'PAUSED' } })
    const stakeLine = (c: { guardrails: unknown }) =>
      (c.guardrails as Array<{ name: string; message: string }>).find((g) => g.name === 'four_eyes')?.message
    const asked = { workspaceId, type: 'RESUME' as const, source: 'COMMAND' as const, requestedBySlackUserId: approver.slackUserId }

    const resumeSet = await proposeChange(deps, { ...asked, adSetId: adSet!.id })
    expect(stakeLine(resumeSet)).toMatch(/^four eyes: this moves \$500\.00, above \$100\.00/)
    await expect(approveChange(deps, { workspaceId, changeId: resumeSet.id, member: approver })).rejects.toThrow(
      /Four-eyes rule: you asked for this change, and it moves \$500\.00/,
    )
    const resumeAd = await proposeChange(deps, { ...asked, adId: ad.id })
    expect(stakeLine(resumeAd)).toMatch(/^four eyes: this moves \$500\.00/)
    await expect(approveChange(deps, { workspaceId, changeId: resumeAd.id, member: approver })).rejects.toThrow(/Four-eyes rule/)

    // A campaign on ad set budgets: the sum of its active ad sets' budgets (the paused $500 one left out).
    await db.prisma.campaign.update({ where: { id: campaignId }, data: { status: 'PAUSED' } })
    await db.prisma.adSet.update({ where: { id: other!.id }, data: { dailyBudget: 30_000 } })
    const active = await db.prisma.adSet.findMany({ where: { campaignId, status: 'ACTIVE' } })
    expect(active.map((s) => s.id)).toContain(other!.id)
    const resumeCampaign = await proposeChange(deps, { ...asked, campaignId })
    const sum = active.reduce((n, s) => n + Number(s.dailyBudget ?? s.lifetimeBudget ?? 0), 0)
    expect(sum).toBeGreaterThanOrEqual(30_000)
    expect(stakeLine(resumeCampaign)).toContain(`this moves $${(sum / 100).toFixed(2)}`)
    await expect(approveChange(deps, { workspaceId, changeId: resumeCampaign.id, member: approver })).rejects.toThrow(/Four-eyes rule/)
    // Someone else approves it.
    const { decided } = await approveChange(deps, { workspaceId, changeId: resumeSet.id, member: admin })
    expect(decided.map((d) => d.status)).toEqual(['APPROVED'])
  })

  it('undo at ad set level and at ad level', async () => {
    const [adSet] = adSets
    const change = await adSetBudget(adSet!.id, 13_000)
    await approveAndApply(change.id)
    const undo = await proposeUndo(deps, { workspaceId, changeId: change.id, member: admin })
    if (!undo.ok) throw new Error('no undo proposed')
    expect(undo.undo).toMatchObject({ level: 'adset', adSetId: adSet!.id, proposedValue: { dailyBudgetMinor: 10_000 } })
    const [undone] = await approveAndApply(undo.undo.id)
    expect(undone!.kind).toBe('applied')
    expect(sim.state.adSet(adSet!.metaAdSetId)?.dailyBudget).toBe(10_000)

    const ad = await db.prisma.ad.findFirstOrThrow({ where: { adSetId: adSet!.id, status: 'ACTIVE' } })
    const pause = await proposeChange(deps, { workspaceId, type: 'PAUSE', source: 'COMMAND', adId: ad.id })
    const [paused] = await approveAndApply(pause.id)
    expect(paused!.kind).toBe('applied')
    expect(sim.state.ad(ad.metaAdId)?.status).toBe('PAUSED')
    expect((await db.prisma.ad.findUniqueOrThrow({ where: { id: ad.id } })).status).toBe('PAUSED')
    const resume = await proposeUndo(deps, { workspaceId, changeId: pause.id, member: admin })
    if (!resume.ok) throw new Error('no undo proposed')
    expect(resume.undo).toMatchObject({ level: 'ad', adId: ad.id, type: 'RESUME' })
    await approveAndApply(resume.undo.id)
    expect(sim.state.ad(ad.metaAdId)?.status).toBe('ACTIVE')
    expect((await db.prisma.ad.findUniqueOrThrow({ where: { id: ad.id } })).status).toBe('ACTIVE')
  })

  it("a card's Undo after a partial undo and a retry undoes only the parts not undone yet", async () => {
    const parts = await proposeBudgetChange(deps, { workspaceId, campaignId, choice: { kind: 'percent', percent: 10 }, source: 'COMMAND' })
    const [a, b] = parts
    await approveChange(deps, { workspaceId, changeId: a!.id, member: admin })
    // B is applied; A failed (Meta refused it, say).
    expect((await applyChange(deps, { changeId: b!.id, idempotencyKey: b!.idempotencyKey })).kind).toBe('applied')
    for (const p of parts.slice(2)) await applyChange(deps, { changeId: p.id, idempotencyKey: p.idempotencyKey })
    await db.prisma.changeRequest.update({ where: { id: a!.id }, data: { status: 'FAILED', failureReason: 'Meta said no' } })
    const first = await proposeUndo(deps, { workspaceId, changeId: b!.id, member: admin })
    if (!first.ok) throw new Error('no undo proposed')
    const undone = await db.prisma.changeRequest.findMany({
      where: first.undo.groupId ? { groupId: first.undo.groupId } : { id: first.undo.id },
    })
    expect(undone.map((u) => u.undoOfId).sort()).toEqual(
      parts
        .slice(1)
        .map((p) => p.id)
        .sort(),
    )
    await approveAndApply(first.undo.id)
    expect(sim.state.adSet(adSets[1]!.metaAdSetId)?.dailyBudget).toBe(10_000)

    // A is retried and applied: Undo now proposes A alone (B is back already; undoing it again would revert a newer change).
    expect(await retryChange(deps, { workspaceId, changeId: a!.id, member: admin })).toBe(true)
    expect((await applyChange(deps, { changeId: a!.id, idempotencyKey: a!.idempotencyKey })).kind).toBe('applied')
    const second = await proposeUndo(deps, { workspaceId, changeId: b!.id, member: admin })
    if (!second.ok) throw new Error(`no undo proposed: ${second.reason}`)
    expect(second.undo).toMatchObject({ undoOfId: a!.id, adSetId: adSets[0]!.id, proposedValue: { dailyBudgetMinor: 10_000 } })
    expect(second.undo.groupId).toBeNull()
    await approveAndApply(second.undo.id)
    expect(await proposeUndo(deps, { workspaceId, changeId: a!.id, member: admin })).toEqual({ ok: false, reason: 'undone' })
  })

  it('an ad set deleted on Meta since the proposal fails with Meta’s message and says so', async () => {
    const [adSet] = adSets
    const pause = await proposeChange(deps, { workspaceId, type: 'PAUSE', source: 'COMMAND', adSetId: adSet!.id })
    sim.adsManager.setStatus(adSet!.metaAdSetId, 'DELETED')
    const [r] = await approveAndApply(pause.id)
    expect(r!.kind).toBe('failed')
    expect(r!.change.failureReason).toBe(
      `Ad set “${adSet!.name}” in campaign “${r!.change.campaign!.name}” was deleted on Meta since this was proposed; nothing was changed. Meta said: Deleted ad sets can’t be edited.`,
    )
    expect(writesTo(adSet!.metaAdSetId)).toBe(0)
  })

  it('pausing the last active ad of an ad set (or ad set of a campaign) says what that does, without refusing', async () => {
    const [adSet] = adSets
    const ads = await db.prisma.ad.findMany({ where: { adSetId: adSet!.id, status: 'ACTIVE' }, orderBy: { name: 'asc' } })
    const last = ads[0]!
    await db.prisma.ad.updateMany({ where: { adSetId: adSet!.id, id: { not: last.id } }, data: { status: 'PAUSED' } })
    const pause = await proposeChange(deps, { workspaceId, type: 'PAUSE', source: 'COMMAND', adId: last.id })
    expect(pause.guardrails).toContainEqual({
      name: 'last_active',
      ok: true,
      message: `the last active ad of ad set “${adSet!.name}”: once it is paused, that ad set delivers nothing (it stays active) until another ad runs`,
    })
    await db.prisma.adSet.updateMany({ where: { campaignId, id: { not: adSet!.id } }, data: { status: 'PAUSED' } })
    const pauseSet = await proposeChange(deps, { workspaceId, type: 'PAUSE', source: 'COMMAND', adSetId: adSet!.id })
    expect((pauseSet.guardrails as Array<{ name: string; message: string }>).find((g) => g.name === 'last_active')?.message).toMatch(
      /^the last active ad set of campaign “.+”: once it is paused, the campaign delivers nothing until another ad set runs$/,
    )
    // With a sibling still active, no such line.
    await db.prisma.ad.updateMany({ where: { adSetId: adSet!.id }, data: { status: 'ACTIVE' } })
    const other = await proposeChange(deps, { workspaceId, type: 'PAUSE', source: 'COMMAND', adId: ads[1]?.id ?? last.id })
    expect((other.guardrails as Array<{ name: string }>).map((g) => g.name)).not.toContain('last_active')
  })

  it("judges an ad set change's outcome on the ad set's own days", async () => {
    const [adSet] = adSets
    const pause = await proposeChange(deps, { workspaceId, type: 'PAUSE', source: 'COMMAND', adSetId: adSet!.id })
    const [r] = await approveAndApply(pause.id)
    expect(r!.kind).toBe('applied')
    const account = await db.prisma.adAccount.findFirstOrThrow({ where: { workspaceId } })
    clock = new Date(START.getTime() + 9 * 86_400_000)
    await db.prisma.adAccount.update({ where: { id: account.id }, data: { lastSyncedDate: new Date(clock.toISOString().slice(0, 10)) } })
    await evaluateOutcomes(deps)
    const result = await db.prisma.changeResult.findUniqueOrThrow({ where: { changeRequestId: pause.id } })
    const week = { since: '2026-02-23', until: '2026-03-01' }
    const adSetWeek = await loadTotals(db.prisma, { adSetId: adSet!.id }, week, 'USD')
    const campaignWeek = await loadTotals(db.prisma, { campaignId }, week, 'USD')
    expect(adSetWeek.spend).toBeGreaterThan(0)
    expect(adSetWeek.spend).toBeLessThan(campaignWeek.spend)
    expect(result).toMatchObject({ metric: 'spend per day', verdict: 'improved' })
    expect(result.before).toBeCloseTo(adSetWeek.spend / 7, 6)
  })

  it('an edited ad set budget stays on the ad set; one part of a card of several cannot be edited alone', async () => {
    const single = await adSetBudget(adSets[0]!.id, 11_000)
    const edited = await editChange(deps, { workspaceId, changeId: single.id, member: admin, budgetMinor: 11_500 })
    expect(edited.change).toMatchObject({ level: 'adset', adSetId: adSets[0]!.id, proposedValue: { dailyBudgetMinor: 11_500 } })
    const parts = await proposeBudgetChange(deps, { workspaceId, campaignId, choice: { kind: 'percent', percent: 10 }, source: 'COMMAND' })
    await expect(editChange(deps, { workspaceId, changeId: parts[1]!.id, member: admin, budgetMinor: 12_345 })).rejects.toThrow(
      /changes several ad sets together/,
    )
    expect((await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: parts[1]!.id } })).status).toBe('PROPOSED')
  })
})
