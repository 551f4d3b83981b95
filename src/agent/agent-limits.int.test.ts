/**
 * The agent when things are missing or go wrong: no model configured, the daily token budget spent,
 * the model failing or timing out, a tool loop that would not stop, a tool body that throws.
 */

import { Writable } from 'node:stream'
import { pino } from 'pino'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type AgentFixture, createAgentFixture } from '../../test/support/agent-fixture.ts'
import { type FakeOpenAI, startFakeOpenAI } from '../../test/support/fake-openai.ts'
import { createTestDatabase } from '../../test/support/test-database.ts'
import { workspaceScope } from '../domain/clients/client-scope.ts'
import { createChatModel } from './model.ts'
import { type AgentDeps, type AgentTurnInput, runAgentTurn } from './run-agent-turn.ts'
import { tokenUsageSummary } from './token-budget.ts'
import { runTool } from './tools/tool-context.ts'
import { STEP_LIMIT_TEXT } from './turn-middleware.ts'

describe('agent limits and failures', () => {
  let fx: AgentFixture
  let ai: FakeOpenAI
  let base: AgentDeps
  let n = 0

  beforeAll(async () => {
    fx = await createAgentFixture(await createTestDatabase())
    ai = await startFakeOpenAI()
    base = { domain: fx.deps, model: createChatModel({ apiKey: 'sk-test-not-a-real-key', baseUrl: ai.url, model: 'gpt-test' }) }
    await fx.seedCampaign({
      name: 'Spring Sale',
      metaCampaignId: '9101',
      day: () => ({ impressions: 10_000, clicks: 150, spend: 9_000, leads: 6 }),
    })
  })

  afterAll(async () => {
    await ai?.close()
    await fx?.close()
  })

  beforeEach(async () => {
    ai.reset()
    await fx.db.prisma.tokenUsage.deleteMany({})
    await fx.db.prisma.userTokenUsage.deleteMany({})
  })

  const input = (text: string, overrides: Partial<AgentTurnInput> = {}): AgentTurnInput => ({
    workspaceId: fx.workspaceId,
    slackUserId: 'UBOB',
    threadKey: `D2:${++n}`,
    text,
    onProposed: async () => {},
    ...overrides,
  })

  it('without a model, answers with the /promoly commands and touches nothing', async () => {
    const i = input('hello?')
    const r = await runAgentTurn({ domain: fx.deps, model: undefined }, i)
    expect(r.outcome).toBe('no_model')
    expect(r.reply).toContain('no language model is configured')
    expect(r.reply).toContain('`/promoly campaigns [account] [active|paused|archived|all]`')
    expect(r.reply).toContain('`/promoly metrics &lt;campaign|ad set|ad|account&gt;')
    expect(r.reply).toContain('`/promoly pause &lt;campaign|ad set|ad&gt;`')
    expect(r.reply).toContain('`/promoly budget &lt;campaign|ad set&gt; &lt;amount|+20%|-10%&gt;`')
    expect(r.reply).toContain('`/promoly history [campaign|ad set|ad|account]`')
    expect(r.usage).toEqual({ input: 0, output: 0 })
    expect(await fx.db.prisma.agentMessage.count({ where: { threadKey: i.threadKey } })).toBe(0)
    expect(ai.requests).toHaveLength(0)
  })

  it('records usage per workspace, person and day, and says clearly when the daily budget is spent (embedded database too)', async () => {
    ai.enqueue({ text: 'Hi there.' })
    const first = await runAgentTurn(base, input('hi'))
    expect(first.outcome).toBe('answered')
    const budgets = { workspace: 200_000, user: 100_000 }
    const summary = await tokenUsageSummary(fx.db.prisma, { workspaceId: fx.workspaceId, slackUserId: 'UBOB', now: fx.deps.now(), budgets })
    expect(summary.workspace).toMatchObject({ input: first.usage.input, output: first.usage.output, limit: 200_000, inFlight: 0 })
    expect(summary.user).toMatchObject({ input: first.usage.input, output: first.usage.output, limit: 100_000 })
    expect(summary.workspace.total).toBeGreaterThan(0)

    // An admin lowers the workspace budget below what is used.
    await fx.db.prisma.workspace.update({
      where: { id: fx.workspaceId },
      data: { settings: { assistant: { dailyTokenBudget: 10_000, userDailyTokenBudget: 10_000 } } },
    })
    await fx.db.prisma.tokenUsage.updateMany({ where: { workspaceId: fx.workspaceId }, data: { promptTokens: 10_000 } })
    ai.reset()
    const spent = await runAgentTurn(base, input('and now?'))
    expect(spent.outcome).toBe('budget_exhausted')
    expect(spent.reply).toContain("I've used up today's AI budget for this workspace")
    expect(spent.reply).toContain('resets at 00:00 UTC')
    expect(ai.requests).toHaveLength(0)
    await fx.db.prisma.workspace.update({ where: { id: fx.workspaceId }, data: { settings: {} } })
  })

  it('apologises with a way forward when the model answers 500 (after one retry), and remembers the question', async () => {
    ai.enqueue({ status: 500, message: 'upstream exploded' }, { status: 500, message: 'upstream exploded' })
    const i = input('How is Spring Sale?')
    const r = await runAgentTurn(base, i)
    expect(ai.requests).toHaveLength(2)
    expect(r.outcome).toBe('failed')
    expect(r.reply).toMatch(/^Sorry, I could not get an answer from the AI model\. Please try again in a minute\./)
    expect(r.reply).toContain('`/promoly metrics &lt;campaign&gt;`')
    expect(r.reply).not.toContain('exploded')
    const stored = await fx.db.prisma.agentMessage.findMany({ where: { threadKey: i.threadKey }, orderBy: { createdAt: 'asc' } })
    expect(stored.map((m) => m.role)).toEqual(['user', 'assistant'])
  })

  it('apologises when the model times out', async () => {
    const slow = createChatModel({ apiKey: 'sk-test-not-a-real-key', baseUrl: ai.url, model: 'gpt-test', timeoutMs: 150 })
    ai.enqueue({ delayMs: 1_000, text: 'too late' }, { delayMs: 1_000, text: 'too late' })
    const r = await runAgentTurn({ ...base, model: slow }, input('How is Spring Sale?'))
    expect(r.outcome).toBe('failed')
    expect(r.reply).toMatch(/^Sorry, the AI model took too long to answer\./)
  })

  it('mentions proposals already made when the model fails later in the turn', async () => {
    ai.enqueue({ toolCalls: [{ name: 'propose_pause', args: { target: 'Spring Sale' } }] }, { status: 500 }, { status: 500 })
    const posted: string[] = []
    const r = await runAgentTurn(base, input('Pause Spring Sale', { onProposed: async (c) => void posted.push(c.id) }))
    expect(r.outcome).toBe('failed')
    expect(r.proposedChangeIds).toEqual(posted)
    expect(r.reply).toContain('I had already proposed 1 change; its card is posted for approval.')
    expect(r.usage.input).toBeGreaterThan(0) // the first call's tokens still count
    await fx.db.prisma.changeRequest.deleteMany({})
  })

  it('bounds the tool loop: the last allowed model call may not use tools, and the turn ends', async () => {
    for (let i = 0; i < 5; i++) ai.enqueue({ toolCalls: [{ name: 'list_ad_accounts', args: {} }] })
    const r = await runAgentTurn({ ...base, maxModelCalls: 3 }, input('Loop forever'))
    expect(ai.requests).toHaveLength(3)
    expect(ai.requests.map((q) => q.body.tool_choice)).toEqual([undefined, undefined, 'none'])
    expect(r.reply).toBe(STEP_LIMIT_TEXT)
    expect(r.outcome).toBe('answered')
  })

  it('turns an unexpected tool failure into a generic line for the model, the details going to the log only', async () => {
    const lines: string[] = []
    const logger = pino(
      { level: 'info' },
      new Writable({
        write: (chunk, _enc, done) => {
          lines.push(String(chunk))
          done()
        },
      }),
    )
    const text = await runTool(
      {
        deps: { ...fx.deps, logger },
        workspaceId: fx.workspaceId,
        scope: workspaceScope(fx.workspaceId),
        slackUserId: 'UBOB',
        onProposed: async () => {},
      },
      'get_metrics',
      'Reading…',
      async () => {
        throw new Error('connect ECONNREFUSED postgres://promoly:hunter2@db:5432')
      },
    )
    expect(text).toBe('Error: Something went wrong on our side. It has been logged; please try again in a moment.')
    expect(lines.join('')).toContain('agent tool failed')
  })
})
