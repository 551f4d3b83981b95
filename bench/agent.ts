/**
 * The agent's own cost per turn, against the local scripted OpenAI-compatible server:
 * (1) overhead per turn = wall time − time spent inside the model server (agent graph, tools, database,
 *     HTTP client), for a text-only turn and for a turn with one tool call over 30 campaigns;
 * (2) prompt tokens (≈ request characters / 4) of a first turn with every tool, and of each turn of a long
 *     conversation in one thread: history is cut to its token budget, so the tenth turn stays bounded.
 */

import { DEFAULT_HISTORY_TOKEN_BUDGET } from '../src/agent/memory.ts'
import { createChatModel } from '../src/agent/model.ts'
import { PROMOLY_SYSTEM_PROMPT } from '../src/agent/prompts/system-prompt.ts'
import { type AgentDeps, runAgentTurn } from '../src/agent/run-agent-turn.ts'
import { createAgentFixture } from '../test/support/agent-fixture.ts'
import { type ChatCompletionBody, type FakeStep, startFakeOpenAI } from '../test/support/fake-openai.ts'
import { createTestDatabase } from '../test/support/test-database.ts'
import { must } from './must.ts'
import { ms, summary } from './stats.ts'

const CAMPAIGNS = 30
const SAMPLES = 30
const LONG_TURNS = 12

const ANSWER = `Here is how your campaigns did. *Spring Sale 1* spent the most in the last 7 days with a steady cost per lead; ${'the numbers are in line with the previous week, and nothing needs your attention right now. '.repeat(4)}`

/** Each user message gets one list_campaigns call, then an answer; `toolsFirst: false` answers at once. */
function responder(toolsFirst: boolean) {
  return (body: ChatCompletionBody): FakeStep => {
    const last = body.messages.at(-1)
    return toolsFirst && last?.role === 'user' ? { toolCalls: [{ name: 'list_campaigns', args: { status: 'all' } }] } : { text: ANSWER }
  }
}

export async function benchAgent(): Promise<void> {
  console.log('\n(agent) Promoly agent: overhead per turn and prompt size (local scripted OpenAI-compatible server)')
  const fx = await createAgentFixture(await createTestDatabase())
  let toolsFirst = false
  const ai = await startFakeOpenAI({ onEmpty: (body) => responder(toolsFirst)(body) })
  try {
    for (let i = 1; i <= CAMPAIGNS; i++) {
      await fx.seedCampaign({
        name: `Spring Sale ${i}`,
        metaCampaignId: String(70_000 + i),
        dailyBudget: 2_000 + i * 100,
        day: (ago) => ({
          impressions: 5_000 + i * 37 + ago * 11,
          clicks: 60 + (i % 7) * 5 + (ago % 3),
          spend: 3_000 + i * 90 + ago * 7,
          leads: 2 + ((i + ago) % 4),
        }),
      })
    }
    // Budgets far above what the bench uses (they are workspace settings).
    await fx.db.prisma.workspace.update({
      where: { id: fx.workspaceId },
      data: { settings: { assistant: { dailyTokenBudget: 100_000_000, userDailyTokenBudget: 100_000_000 } } },
    })
    const deps: AgentDeps = {
      domain: fx.deps,
      model: createChatModel({ apiKey: 'sk-bench-not-a-real-key', baseUrl: ai.url, model: 'gpt-bench' }),
    }
    let thread = 0
    const turn = async (threadKey = `D:bench-${++thread}`, text = 'How are my campaigns doing?') => {
      const busy = ai.busyMs()
      const requests = ai.requests.length
      const t0 = performance.now()
      const r = await runAgentTurn(deps, {
        workspaceId: fx.workspaceId,
        slackUserId: 'UBENCH',
        threadKey,
        text,
        onProposed: async () => {},
      })
      const wall = performance.now() - t0
      if (r.outcome !== 'answered') throw new Error(`bench turn did not answer: ${r.outcome} ${r.reply}`)
      return {
        wall,
        model: ai.busyMs() - busy,
        firstPromptTokens: must(ai.requests[requests], "the turn's first model request").promptTokens,
        r,
      }
    }

    // (1) Overhead per turn.
    for (const [label, withTool] of [
      ['text-only turn (1 model call)', false],
      ['turn with list_campaigns over 30 campaigns (2 model calls)', true],
    ] as const) {
      toolsFirst = withTool
      for (let i = 0; i < 3; i++) await turn() // warm-up
      const overhead: number[] = []
      const wall: number[] = []
      for (let i = 0; i < SAMPLES; i++) {
        const t = await turn()
        overhead.push(t.wall - t.model)
        wall.push(t.wall)
      }
      const o = summary(overhead)
      const w = summary(wall)
      console.log(`  overhead per ${label}: p50 ${ms(o.p50)}, p99 ${ms(o.p99)} (wall p50 ${ms(w.p50)}; n=${o.n}, embedded PGlite)`)
    }

    // (2) Prompt tokens: first turn with all tools, then a long conversation in one thread.
    ai.reset()
    toolsFirst = false
    const first = await turn()
    const req = must(ai.requests[0], 'the first model request').body
    const toolsTokens = Math.ceil(JSON.stringify(req.tools ?? []).length / 4)
    console.log(
      `  first turn, all ${req.tools?.length ?? 0} tools: ${first.firstPromptTokens} prompt tokens (tool schemas ≈ ${toolsTokens}, system prompt ≈ ${Math.ceil(PROMOLY_SYSTEM_PROMPT.length / 4)})`,
    )
    toolsFirst = true
    const perTurn: number[] = []
    for (let i = 1; i <= LONG_TURNS; i++)
      perTurn.push(
        (await turn('D:bench-long', `Question ${i}: how are my campaigns doing this week, and what changed since my last question?`))
          .firstPromptTokens,
      )
    console.log(
      `  long conversation (each turn: list_campaigns over ${CAMPAIGNS} campaigns + an answer), prompt tokens of each turn's first model call:`,
    )
    console.log(`    ${perTurn.map((t, i) => `#${i + 1} ${t}`).join(', ')}`)
    console.log(
      `  10th turn: ${perTurn[9]} prompt tokens (history budget ${DEFAULT_HISTORY_TOKEN_BUDGET} tokens; grows no further after turn ${plateau(perTurn)})`,
    )
  } finally {
    await ai.close()
    await fx.close()
  }
}

/** The first turn from which the prompt no longer grows by more than 5%. */
function plateau(series: number[]): number {
  const max = Math.max(...series)
  return series.findIndex((x) => x >= max * 0.95) + 1
}
