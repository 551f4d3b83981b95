/**
 * The assistant's daily token budgets on real PostgreSQL: reserved before each model call so concurrent turns
 * cannot overshoot, a per-person cap beside the workspace's, both read from the workspace settings, usage
 * estimated when the server reports none, max_tokens sent to the server, and a crashed turn's hold lapsing.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type AgentFixture, createAgentFixture } from '../../test/support/agent-fixture.ts'
import { type FakeOpenAI, startFakeOpenAI } from '../../test/support/fake-openai.ts'
import { createPostgresTestDatabase, requirePostgresUrl } from '../../test/support/test-database.ts'
import { toDbDate } from '../lib/dates.ts'
import { createChatModel } from './model.ts'
import { type AgentDeps, type AgentTurnInput, runAgentTurn } from './run-agent-turn.ts'
import { reserveTokens, settleReservation, tokenUsageSummary } from './token-budget.ts'

const pgUrl = requirePostgresUrl()
/** The fixture's clock: 2026-11-25 15:00 UTC, so the budgets reset in 9 hours. */
const TODAY = '2026-11-25'
const ANSWER_TOKENS = 500

describe.skipIf(!pgUrl)('assistant token budgets (PostgreSQL)', () => {
  let fx: AgentFixture
  let ai: FakeOpenAI
  let base: AgentDeps
  let n = 0

  beforeAll(async () => {
    fx = await createAgentFixture(await createPostgresTestDatabase(pgUrl!))
    ai = await startFakeOpenAI()
    base = {
      domain: fx.deps,
      model: createChatModel({ apiKey: 'sk-test-not-a-real-key', baseUrl: ai.url, model: 'gpt-test', maxTokens: ANSWER_TOKENS }),
    }
  })

  afterAll(async () => {
    await ai?.close()
    await fx?.close()
  })

  beforeEach(async () => {
    ai.reset()
    await fx.db.prisma.tokenUsage.deleteMany({})
    await fx.db.prisma.userTokenUsage.deleteMany({})
    await fx.db.prisma.tokenReservation.deleteMany({})
    await setBudgets(200_000, 100_000)
  })

  const input = (text: string, overrides: Partial<AgentTurnInput> = {}): AgentTurnInput => ({
    workspaceId: fx.workspaceId,
    slackUserId: 'UBOB',
    threadKey: `D7:${++n}`,
    text,
    onProposed: async () => {},
    ...overrides,
  })

  /** What an admin sets in /promoly settings. */
  async function setBudgets(workspace: number, user: number) {
    await fx.db.prisma.workspace.update({
      where: { id: fx.workspaceId },
      data: { settings: { assistant: { dailyTokenBudget: workspace, userDailyTokenBudget: user } } },
    })
  }

  async function seedUsage(tokens: number, slackUserId?: string) {
    const date = toDbDate(TODAY)
    if (slackUserId)
      await fx.db.prisma.userTokenUsage.create({ data: { workspaceId: fx.workspaceId, slackUserId, date, promptTokens: tokens } })
    else await fx.db.prisma.tokenUsage.create({ data: { workspaceId: fx.workspaceId, date, promptTokens: tokens } })
  }

  async function usedToday(): Promise<number> {
    const row = await fx.db.prisma.tokenUsage.findFirst({ where: { workspaceId: fx.workspaceId } })
    return (row?.promptTokens ?? 0) + (row?.completionTokens ?? 0)
  }

  /** Prompt tokens (as the fake counts them) of a text-only first call, plus the answer's max_tokens. */
  async function oneCallCost(): Promise<number> {
    ai.enqueue({ text: 'Measured.' })
    await runAgentTurn(base, input('How are my campaigns doing?'))
    const cost = ai.requests[0]!.promptTokens + ANSWER_TOKENS
    ai.reset()
    await fx.db.prisma.tokenUsage.deleteMany({})
    await fx.db.prisma.userTokenUsage.deleteMany({})
    return cost
  }

  it('concurrent turns cannot together overshoot the workspace budget: the one that does not fit is refused', async () => {
    const cost = await oneCallCost()
    // Room for one turn's reservation, not two.
    const room = Math.round(cost * 1.5)
    await seedUsage(200_000 - room)
    ai.enqueue({ text: 'First.', delayMs: 300 }, { text: 'Second.', delayMs: 300 }, { text: 'Third.', delayMs: 300 })
    const turns = await Promise.all(
      ['UBOB', 'UALICE', 'UCAROL'].map((u) => runAgentTurn(base, input('How are my campaigns doing?', { slackUserId: u }))),
    )
    expect(turns.map((t) => t.outcome).sort()).toEqual(['answered', 'budget_exhausted', 'budget_exhausted'])
    expect(ai.requests).toHaveLength(1)
    expect(await usedToday()).toBeLessThanOrEqual(200_000)
    const refused = turns.find((t) => t.outcome === 'budget_exhausted')!
    expect(refused.reply).toContain("I've used up today's AI budget for this workspace")
    expect(refused.reply).toContain('of 200,000 tokens used')
    expect(refused.reply).toContain('resets at 00:00 UTC (in 9 h 0 min)')
    expect(await fx.db.prisma.tokenReservation.count()).toBe(0) // every hold was settled
  })

  it('has a per-person daily cap beside the workspace one, from the settings', async () => {
    await setBudgets(200_000, 20_000)
    await seedUsage(19_000, 'UBOB')
    const bob = await runAgentTurn(base, input('hi'))
    expect(bob.outcome).toBe('budget_exhausted')
    expect(bob.reply).toContain("You've used up your own AI budget for today (19,000 of 20,000 tokens used")
    expect(bob.reply).toContain('resets at 00:00 UTC')
    expect(bob.reply).toContain('Others in this workspace can still ask me.')
    expect(ai.requests).toHaveLength(0)

    ai.enqueue({ text: 'Hello Alice.' })
    const alice = await runAgentTurn(base, input('hi', { slackUserId: 'UALICE' }))
    expect(alice.outcome).toBe('answered')
    const aliceRow = await fx.db.prisma.userTokenUsage.findFirstOrThrow({ where: { slackUserId: 'UALICE' } })
    expect(aliceRow.promptTokens + aliceRow.completionTokens).toBe(alice.usage.input + alice.usage.output)
    expect(await usedToday()).toBe(alice.usage.input + alice.usage.output)

    // Raising the person's budget in the settings lets Bob in again.
    await setBudgets(200_000, 50_000)
    ai.enqueue({ text: 'Hello Bob.' })
    expect((await runAgentTurn(base, input('hi'))).outcome).toBe('answered')

    const summary = await tokenUsageSummary(fx.db.prisma, {
      workspaceId: fx.workspaceId,
      slackUserId: 'UALICE',
      now: fx.deps.now(),
      budgets: { workspace: 200_000, user: 50_000 },
    })
    expect(summary.user).toMatchObject({ total: alice.usage.input + alice.usage.output, limit: 50_000, inFlight: 0 })
    expect(summary.workspace.total).toBe(await usedToday())
    expect(summary.resetsAt.toISOString()).toBe('2026-11-26T00:00:00.000Z')
  })

  it('counts an estimate when the server reports no usage', async () => {
    ai.enqueue({ toolCalls: [{ name: 'list_ad_accounts', args: {} }], omitUsage: true }, { text: 'You have one account.', omitUsage: true })
    const r = await runAgentTurn(base, input('list my accounts'))
    expect(r.outcome).toBe('answered')
    const reported = ai.requests.reduce((s, q) => s + q.promptTokens, 0)
    // Estimated from the text: close to what the server would have counted.
    expect(r.usage.input).toBeGreaterThan(reported * 0.6)
    expect(r.usage.input).toBeLessThan(reported * 1.5)
    expect(r.usage.output).toBeGreaterThan(0)
    expect(await usedToday()).toBe(r.usage.input + r.usage.output)
  })

  it('sends max_tokens to the server: OPENAI_MAX_TOKENS, or 2,000 by default', async () => {
    ai.enqueue({ text: 'Short.' }, { text: 'Short.' })
    await runAgentTurn(base, input('hi'))
    const plain = createChatModel({ apiKey: 'sk-test-not-a-real-key', baseUrl: ai.url, model: 'gpt-test' })
    await runAgentTurn({ ...base, model: plain }, input('hi'))
    expect(ai.requests.map((q) => q.body.max_tokens)).toEqual([ANSWER_TOKENS, 2_000])
  })

  it('stops a turn before a further model call that does not fit', async () => {
    const cost = await oneCallCost()
    await seedUsage(200_000 - Math.round(cost * 1.5))
    ai.enqueue({ toolCalls: [{ name: 'list_ad_accounts', args: {} }] }, { text: 'never reached' })
    const r = await runAgentTurn(base, input('list my accounts'))
    expect(r.reply).toContain("today's AI budget for this workspace ran out during this answer")
    expect(ai.requests).toHaveLength(1)
    expect(await usedToday()).toBeLessThanOrEqual(200_000)
  })

  it("a crashed turn's hold stops counting when it expires, and never outlives the day", async () => {
    const now = fx.deps.now()
    const budgets = { workspace: 200_000, user: 100_000 }
    const who = { workspaceId: fx.workspaceId, slackUserId: 'UCRASH', budgets, holdMs: 180_000 }
    const held = await reserveTokens(fx.db.prisma, { ...who, now, tokens: 150_000 })
    expect(held.ok).toBe(false) // above the person's budget
    const crashed = await reserveTokens(fx.db.prisma, { ...who, now, tokens: 90_000 })
    expect(crashed.ok).toBe(true)
    // Never settled (the process died). Meanwhile the person has no room left:
    expect(await reserveTokens(fx.db.prisma, { ...who, now, tokens: 20_000 })).toMatchObject({ ok: false, exhausted: 'user', used: 90_000 })
    // Three minutes later the hold has lapsed.
    const later = new Date(now.getTime() + 181_000)
    const after = await reserveTokens(fx.db.prisma, { ...who, now: later, tokens: 20_000 })
    expect(after.ok).toBe(true)
    if (after.ok) await settleReservation(fx.db.prisma, after.reservation, { input: 1_000, output: 100 })
    expect(await fx.db.prisma.tokenReservation.count()).toBe(0)
    expect(await usedToday()).toBe(1_100)
  })
})
