/**
 * One turn of a conversation with Promoly's agent: a person's message in a DM or thread in, a reply
 * (Slack mrkdwn, escaped) out. History comes from and goes to the database; tokens are counted
 * against the workspace's daily budget; proposals are change requests whose cards the caller posts.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models'
import { AIMessage, type BaseMessage, HumanMessage } from '@langchain/core/messages'
import { createAgent } from 'langchain'
import type { ChangeWithContext } from '../domain/changes/change-include.ts'
import type { DomainDeps } from '../domain/deps.ts'
import type { DigestManager } from '../domain/digests/subscriptions.ts'
import { escapeMrkdwn } from '../lib/mrkdwn.ts'
import { appendMessages, DEFAULT_HISTORY_TOKEN_BUDGET, loadHistory } from './memory.ts'
import { noModelReply } from './no-model-reply.ts'
import { PROMOLY_SYSTEM_PROMPT } from './prompts/system-prompt.ts'
import { checkBudget, recordUsage, type TokenCount } from './token-budget.ts'
import { createTools } from './tools/index.ts'
import { STEP_LIMIT_TEXT, type TurnMeter, turnMiddleware } from './turn-middleware.ts'

export interface AgentDeps {
  domain: DomainDeps
  /** Undefined when no model is configured: the turn answers with the slash commands instead. */
  model: BaseChatModel | undefined
  /** Tokens per workspace per UTC day (default 200,000). */
  dailyTokenBudget?: number
  /** History sent per turn, in estimated tokens (default 4,000). */
  historyTokenBudget?: number
  /** Model calls per turn (default 8): the tool loop ends there. */
  maxModelCalls?: number
  /** Whole turn, all model and tool calls included (default 120 s). */
  turnTimeoutMs?: number
}

export interface AgentTurnInput {
  workspaceId: string
  slackUserId: string
  /** The conversation: channel id + thread ts (a DM's top-level messages can share one key per DM). */
  threadKey: string
  /** The person's message, with the bot's own @mention already removed. */
  text: string
  /** Posts a new change request's Approve/Reject card; called once per proposal, during the turn. */
  onProposed: (change: ChangeWithContext) => Promise<void>
  /** Shows progress ("Looking at your campaigns…"); errors are ignored. */
  onStatus?: (text: string) => Promise<void>
  /** The Slack channel of the conversation (a digest subscription defaults to it). */
  channelId?: string
  /** The person's role and Slack's channel membership (resolved on first use by a tool that needs them). */
  caller?: () => Promise<DigestManager>
}

export type AgentTurnOutcome = 'answered' | 'no_model' | 'budget_exhausted' | 'failed'

export interface AgentTurnResult {
  /** Slack mrkdwn with &, <, > escaped: safe to post as is. */
  reply: string
  usage: TokenCount
  proposedChangeIds: string[]
  outcome: AgentTurnOutcome
}

const MAX_INPUT_CHARS = 4_000

export async function runAgentTurn(deps: AgentDeps, input: AgentTurnInput): Promise<AgentTurnResult> {
  const { domain } = deps
  const usage: TokenCount = { input: 0, output: 0 }
  const proposedChangeIds: string[] = []
  if (!deps.model) return { reply: noModelReply(), usage, proposedChangeIds, outcome: 'no_model' }

  const budget = await checkBudget(domain.prisma, { workspaceId: input.workspaceId, now: domain.now(), dailyBudget: deps.dailyTokenBudget })
  if (!budget.ok) {
    const reply = `I've used up today's AI budget for this workspace (${budget.used.toLocaleString('en-US')} of ${budget.limit.toLocaleString('en-US')} tokens), so I can't answer until it resets at 00:00 UTC. The \`/promoly\` commands (campaigns, metrics, suggestions, budget…) keep working meanwhile.`
    return { reply, usage, proposedChangeIds, outcome: 'budget_exhausted' }
  }

  const status = async (text: string) => {
    if (input.onStatus) await input.onStatus(text).catch(() => {})
  }
  await status('Thinking…')
  const history = await loadHistory(domain.prisma, {
    workspaceId: input.workspaceId,
    threadKey: input.threadKey,
    tokenBudget: deps.historyTokenBudget ?? DEFAULT_HISTORY_TOKEN_BUDGET,
  })
  const question = new HumanMessage(input.text.length > MAX_INPUT_CHARS ? `${input.text.slice(0, MAX_INPUT_CHARS)}…` : input.text)
  const meter: TurnMeter = { usage, modelCalls: 0, budgetLeft: Math.max(0, budget.limit - budget.used) }
  const maxModelCalls = deps.maxModelCalls ?? 8
  const tools = createTools({
    deps: domain,
    workspaceId: input.workspaceId,
    slackUserId: input.slackUserId,
    channelId: input.channelId,
    caller: input.caller,
    onStatus: status,
    onProposed: async (change) => {
      proposedChangeIds.push(change.id)
      await input.onProposed(change)
    },
  })
  const agent = createAgent({
    model: deps.model,
    tools,
    systemPrompt: systemPrompt(domain.now()),
    middleware: [turnMiddleware(meter, maxModelCalls)],
  })

  let newMessages: BaseMessage[]
  let reply: string
  let outcome: AgentTurnOutcome = 'answered'
  try {
    const result = await agent.invoke(
      { messages: [...history, question] },
      { recursionLimit: maxModelCalls * 2 + 4, signal: AbortSignal.timeout(deps.turnTimeoutMs ?? 120_000) },
    )
    newMessages = result.messages.slice(history.length)
    const last = result.messages.at(-1)
    const text = last && AIMessage.isInstance(last) && (last.tool_calls ?? []).length === 0 ? last.text.trim() : ''
    reply = text || STEP_LIMIT_TEXT
  } catch (error) {
    domain.logger.warn(
      { err: error, workspaceId: input.workspaceId, threadKey: input.threadKey, modelCalls: meter.modelCalls },
      'agent turn failed',
    )
    outcome = 'failed'
    reply = apology(error, proposedChangeIds.length)
    // Remember the question and that it failed, so a follow-up ("try again") has its context.
    newMessages = [question, new AIMessage(reply)]
  }

  await Promise.all([
    appendMessages(domain.prisma, { workspaceId: input.workspaceId, threadKey: input.threadKey, messages: newMessages, now: domain.now() }),
    recordUsage(domain.prisma, { workspaceId: input.workspaceId, now: domain.now(), usage }),
  ])
  return { reply: escapeMrkdwn(reply), usage, proposedChangeIds, outcome }
}

function systemPrompt(now: Date): string {
  return `${PROMOLY_SYSTEM_PROMPT}\n\n# Context\nNow: ${now.toISOString().slice(0, 16).replace('T', ' ')} UTC. Metrics cover complete days in each ad account's time zone.`
}

/** A short apology that says what happened (without internals) and what to do next. */
function apology(error: unknown, proposals: number): string {
  const kind = classify(error)
  const what =
    kind === 'timeout'
      ? 'the AI model took too long to answer'
      : kind === 'busy'
        ? 'the AI model is busy (rate limited)'
        : 'I could not get an answer from the AI model'
  const done =
    proposals > 0
      ? ` I had already proposed ${proposals} change${proposals === 1 ? '' : 's'}; ${proposals === 1 ? 'its card is' : 'their cards are'} posted for approval.`
      : ''
  return `Sorry, ${what}.${done} Please try again in a minute. Meanwhile \`/promoly campaigns\`, \`/promoly metrics <campaign>\` and \`/promoly suggestions\` work without me.`
}

function classify(error: unknown): 'timeout' | 'busy' | 'other' {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const name = (e as { name?: string }).name ?? ''
    const status = (e as { status?: number }).status
    if (/Timeout|AbortError/i.test(name) || /timed? ?out/i.test((e as { message?: string }).message ?? '')) return 'timeout'
    if (status === 429) return 'busy'
  }
  return 'other'
}
