/** Conversation memory in the database: order, token budget, tool call/result pairs kept together. */
import { AIMessage, type BaseMessage, HumanMessage, ToolMessage } from '@langchain/core/messages'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts'
import { appendMessages, estimateTokens, loadHistory, MAX_STORED_TOOL_RESULT_CHARS, type StoredMessage, trimToBudget } from './memory.ts'

const frozen = new Date('2026-11-25T15:00:00Z')

function turn(i: number, resultChars = 400): BaseMessage[] {
  return [
    new HumanMessage(`question ${i}`),
    new AIMessage({
      content: '',
      tool_calls: [{ id: `call_${i}`, name: 'list_campaigns', args: { status: 'active' }, type: 'tool_call' }],
    }),
    new ToolMessage({ content: `result ${i} ${'x'.repeat(resultChars)}`, tool_call_id: `call_${i}`, name: 'list_campaigns' }),
    new AIMessage(`answer ${i}`),
  ]
}

describe('agent memory', () => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase()
  })
  afterAll(async () => {
    await db?.drop()
  })

  it('reads back what was appended, in order, even with a frozen clock', async () => {
    for (let i = 1; i <= 3; i++) await appendMessages(db.prisma, { workspaceId: 'W1', threadKey: 'C1:1', messages: turn(i), now: frozen })
    const history = await loadHistory(db.prisma, { workspaceId: 'W1', threadKey: 'C1:1', tokenBudget: 100_000 })
    expect(history).toHaveLength(12)
    expect(history.map((m) => m.getType())).toEqual(Array.from({ length: 3 }, () => ['human', 'ai', 'tool', 'ai']).flat())
    expect(history[0]!.text).toBe('question 1')
    expect(history[11]!.text).toBe('answer 3')
    const call = history[1] as AIMessage
    expect(call.tool_calls?.[0]).toMatchObject({ id: 'call_1', name: 'list_campaigns', args: { status: 'active' } })
    expect((history[2] as ToolMessage).tool_call_id).toBe('call_1')
    // Threads and workspaces are separate.
    expect(await loadHistory(db.prisma, { workspaceId: 'W1', threadKey: 'C1:2' })).toEqual([])
    expect(await loadHistory(db.prisma, { workspaceId: 'W2', threadKey: 'C1:1' })).toEqual([])
  })

  it('keeps the newest turns within the token budget and never splits a tool call from its result', async () => {
    for (let i = 1; i <= 20; i++) await appendMessages(db.prisma, { workspaceId: 'W1', threadKey: 'C2:1', messages: turn(i), now: frozen })
    const rows = await db.prisma.agentMessage.findMany({ where: { threadKey: 'C2:1' } })
    const perTurn = rows.slice(0, 4).reduce((n, r) => n + r.tokens, 0)
    const budget = perTurn * 3 + 10
    const history = await loadHistory(db.prisma, { workspaceId: 'W1', threadKey: 'C2:1', tokenBudget: budget })
    expect(history[0]!.text).toBe('question 18')
    expect(history.at(-1)!.text).toBe('answer 20')
    const tokens = history.reduce((n, m) => n + estimateTokens(JSON.stringify({ type: m.getType(), content: m.text })), 0)
    expect(tokens).toBeLessThanOrEqual(budget)
    // A budget that cuts through the middle of a tool exchange drops the exchange whole.
    const tight = await loadHistory(db.prisma, { workspaceId: 'W1', threadKey: 'C2:1', tokenBudget: 20 })
    expect(tight.map((m) => m.getType())).toEqual(['ai'])
    expect(tight[0]!.text).toBe('answer 20')
  })

  it('drops incomplete exchanges and cuts very long tool results when storing', async () => {
    const stored = (m: StoredMessage, tokens = 10) => ({ message: m, tokens })
    const kept = trimToBudget(
      [
        stored({ type: 'tool', content: 'orphan result', toolCallId: 'gone' }),
        stored({ type: 'human', content: 'q' }),
        stored({
          type: 'ai',
          content: '',
          toolCalls: [
            { id: 'a', name: 't', args: {} },
            { id: 'b', name: 't', args: {} },
          ],
        }),
        stored({ type: 'tool', content: 'only a', toolCallId: 'a' }),
        stored({ type: 'human', content: 'q2' }),
      ],
      1_000,
    )
    expect(kept.map((r) => r.message.content)).toEqual(['q', 'q2'])

    await appendMessages(db.prisma, { workspaceId: 'W1', threadKey: 'C3:1', messages: turn(1, 50_000), now: frozen })
    const [, , tool] = await loadHistory(db.prisma, { workspaceId: 'W1', threadKey: 'C3:1', tokenBudget: 100_000 })
    expect(tool!.text.length).toBeLessThan(MAX_STORED_TOOL_RESULT_CHARS + 200)
    expect(tool!.text).toContain('call the tool again for the full result')
  })
})
