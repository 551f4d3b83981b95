/**
 * Conversation memory per Slack thread, in PostgreSQL (prisma.agentMessage): it survives restarts and
 * is shared by every process. Promoly never re-reads Slack history to remember.
 *
 * Loading keeps the newest messages that fit a token budget (≈ characters / 4). An assistant message
 * that calls tools and the tool results answering it are kept or dropped together, because a tool call
 * without its result (or the reverse) is an invalid conversation for the model API.
 */
import { AIMessage, type BaseMessage, HumanMessage, ToolMessage } from '@langchain/core/messages'
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts'

/** History sent with each turn, in estimated tokens (tools and the system prompt come on top). */
export const DEFAULT_HISTORY_TOKEN_BUDGET = 4_000
/** A stored tool result longer than this is cut: the model can call the tool again for the rest. */
export const MAX_STORED_TOOL_RESULT_CHARS = 6_000
/** Rows read per load, newest first; far more than any budget keeps. */
const LOAD_LIMIT = 200

export interface StoredToolCall {
  id: string
  name: string
  args: Record<string, unknown>
}

/** What one AgentMessage.content holds: the message as the model saw it, nothing more. */
export type StoredMessage =
  | { type: 'human'; content: string }
  | { type: 'ai'; content: string; toolCalls?: StoredToolCall[] }
  | { type: 'tool'; content: string; toolCallId: string; name?: string }

export const estimateTokens = (text: string) => Math.ceil(text.length / 4)

function toStored(message: BaseMessage): StoredMessage | null {
  const content = message.text
  if (HumanMessage.isInstance(message)) return { type: 'human', content }
  if (AIMessage.isInstance(message)) {
    const calls = (message.tool_calls ?? []).map((c) => ({ id: c.id ?? '', name: c.name, args: c.args as Record<string, unknown> }))
    return calls.length > 0 ? { type: 'ai', content, toolCalls: calls } : { type: 'ai', content }
  }
  if (ToolMessage.isInstance(message)) {
    const cut =
      content.length > MAX_STORED_TOOL_RESULT_CHARS
        ? `${content.slice(0, MAX_STORED_TOOL_RESULT_CHARS)}\n[cut short in memory; call the tool again for the full result]`
        : content
    return { type: 'tool', content: cut, toolCallId: message.tool_call_id, ...(message.name ? { name: message.name } : {}) }
  }
  return null
}

function fromStored(m: StoredMessage): BaseMessage {
  switch (m.type) {
    case 'human':
      return new HumanMessage(m.content)
    case 'ai':
      return new AIMessage({
        content: m.content,
        tool_calls: (m.toolCalls ?? []).map((c) => ({ id: c.id, name: c.name, args: c.args, type: 'tool_call' as const })),
      })
    case 'tool':
      return new ToolMessage({ content: m.content, tool_call_id: m.toolCallId, ...(m.name ? { name: m.name } : {}) })
  }
}

const ROLE: Record<StoredMessage['type'], string> = { human: 'user', ai: 'assistant', tool: 'tool' }

/**
 * Groups chronological messages into units that must stay together: a human message, a final
 * assistant message, or an assistant tool call with all of its results. Incomplete tool exchanges
 * (a result without its call, a call missing a result) are dropped.
 */
function groupUnits<T extends { message: StoredMessage }>(rows: T[]): T[][] {
  const units: T[][] = []
  // The assistant tool call whose results are being collected (the tool messages right after it).
  let open: { unit: T[]; wanted: Set<string> } | undefined
  const closeOpen = () => {
    if (open && open.wanted.size === 0) units.push(open.unit)
    open = undefined
  }
  for (const row of rows) {
    const m = row.message
    if (m.type === 'tool') {
      // Without an open call: an orphan (its call was not loaded or not stored).
      if (open?.wanted.delete(m.toolCallId)) open.unit.push(row)
      continue
    }
    closeOpen()
    if (m.type === 'ai' && m.toolCalls && m.toolCalls.length > 0) {
      open = { unit: [row], wanted: new Set(m.toolCalls.map((c) => c.id)) }
      continue
    }
    units.push([row])
  }
  closeOpen()
  return units
}

/** The newest whole units whose tokens fit the budget, in chronological order. */
export function trimToBudget<T extends { message: StoredMessage; tokens: number }>(rows: T[], budget: number): T[] {
  const units = groupUnits(rows)
  const kept: T[][] = []
  let used = 0
  for (const unit of units.toReversed()) {
    const tokens = unit.reduce((n, r) => n + r.tokens, 0)
    if (used + tokens > budget) break
    used += tokens
    kept.unshift(unit)
  }
  return kept.flat()
}

/** Whether Promoly already talks in this thread (a reply there is for it even without an @mention). */
export async function hasConversation(prisma: PrismaClient, options: { workspaceId: string; threadKey: string }): Promise<boolean> {
  const row = await prisma.agentMessage.findFirst({
    where: { workspaceId: options.workspaceId, threadKey: options.threadKey },
    select: { id: true },
  })
  return row !== null
}

export async function loadHistory(
  prisma: PrismaClient,
  options: { workspaceId: string; threadKey: string; tokenBudget?: number },
): Promise<BaseMessage[]> {
  const rows = await prisma.agentMessage.findMany({
    where: { workspaceId: options.workspaceId, threadKey: options.threadKey },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: LOAD_LIMIT,
    select: { content: true, tokens: true },
  })
  const chronological = rows.reverse().map((r) => ({ message: r.content as unknown as StoredMessage, tokens: r.tokens }))
  return trimToBudget(chronological, options.tokenBudget ?? DEFAULT_HISTORY_TOKEN_BUDGET).map((r) => fromStored(r.message))
}

/**
 * Appends a turn's messages in order. Timestamps are strictly increasing within the thread (even with a
 * frozen or skewed clock), so the next load reads them back in the same order.
 */
export async function appendMessages(
  prisma: PrismaClient,
  options: { workspaceId: string; threadKey: string; messages: BaseMessage[]; now: Date },
): Promise<void> {
  const stored = options.messages.map(toStored).filter((m): m is StoredMessage => m !== null)
  if (stored.length === 0) return
  const last = await prisma.agentMessage.findFirst({
    where: { workspaceId: options.workspaceId, threadKey: options.threadKey },
    orderBy: { createdAt: 'desc' },
    select: { createdAt: true },
  })
  const base = Math.max(options.now.getTime(), (last?.createdAt.getTime() ?? 0) + 1)
  await prisma.agentMessage.createMany({
    data: stored.map((m, i) => ({
      workspaceId: options.workspaceId,
      threadKey: options.threadKey,
      role: ROLE[m.type],
      content: m as unknown as Prisma.InputJsonValue,
      tokens: estimateTokens(JSON.stringify(m)),
      createdAt: new Date(base + i),
    })),
  })
}
