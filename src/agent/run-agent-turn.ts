/**
 * One turn of a conversation with Promoly's agent: a person's message in a DM or thread in, a reply
 * (Slack mrkdwn, escaped) out. History comes from and goes to the database; tokens are reserved before
 * each model call against the workspace's and the person's daily budgets (workspace settings) and
 * recorded after the turn; proposals are change requests whose cards the caller posts.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models'
import { AIMessage, type BaseMessage, HumanMessage } from '@langchain/core/messages'
import { convertToOpenAITool } from '@langchain/core/utils/function_calling'
import { createAgent } from 'langchain'
import type { ChangeWithContext } from '../domain/changes/change-include.ts'
import { type ClientScope, scopeForChannel } from '../domain/clients/client-scope.ts'
import type { DomainDeps } from '../domain/deps.ts'
import type { DigestManager } from '../domain/digests/subscriptions.ts'
import { loadSettings } from '../domain/settings/workspace-settings.ts'
import { escapeMrkdwn } from '../lib/mrkdwn.ts'
import { appendMessages, DEFAULT_HISTORY_TOKEN_BUDGET, estimateTokens, loadHistory } from './memory.ts'
import { DEFAULT_MAX_OUTPUT_TOKENS } from './model.ts'
import { noModelReply } from './no-model-reply.ts'
import { PROMOLY_SYSTEM_PROMPT } from './prompts/system-prompt.ts'
import { type BudgetKind, growReservation, type ReserveResult, reserveTokens, settleReservation, type TokenCount } from './token-budget.ts'
import { createTools } from './tools/index.ts'
import { estimatePromptTokens, STEP_LIMIT_TEXT, type TurnMeter, turnMiddleware } from './turn-middleware.ts'

export interface AgentDeps {
  domain: DomainDeps
  /** Undefined when no model is configured: the turn answers with the slash commands instead. */
  model: BaseChatModel | undefined
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
const DEFAULT_TURN_TIMEOUT_MS = 120_000

export async function runAgentTurn(deps: AgentDeps, input: AgentTurnInput): Promise<AgentTurnResult> {
  const { domain } = deps
  const usage: TokenCount = { input: 0, output: 0 }
  const proposedChangeIds: string[] = []
  if (!deps.model) return { reply: noModelReply(), usage, proposedChangeIds, outcome: 'no_model' }

  const now = domain.now()
  const [settings, history, scope] = await Promise.all([
    loadSettings(domain.prisma, input.workspaceId),
    loadHistory(domain.prisma, {
      workspaceId: input.workspaceId,
      threadKey: input.threadKey,
      tokenBudget: deps.historyTokenBudget ?? DEFAULT_HISTORY_TOKEN_BUDGET,
    }),
    // A channel bound to a client: every tool sees that client's accounts only.
    scopeForChannel(domain.prisma, input.workspaceId, input.channelId),
  ])
  const question = new HumanMessage(input.text.length > MAX_INPUT_CHARS ? `${input.text.slice(0, MAX_INPUT_CHARS)}…` : input.text)
  const status = async (text: string) => {
    if (input.onStatus) await input.onStatus(text).catch(() => {})
  }
  const tools = createTools({
    deps: domain,
    workspaceId: input.workspaceId,
    scope,
    slackUserId: input.slackUserId,
    channelId: input.channelId,
    caller: input.caller,
    onStatus: status,
    onProposed: async (change) => {
      proposedChangeIds.push(change.id)
      await input.onProposed(change)
    },
  })
  const system = systemPrompt(now, scope)
  const meter: TurnMeter = {
    usage,
    modelCalls: 0,
    estimatedCalls: 0,
    maxOutputTokens: maxOutputTokens(deps.model),
    toolTokens: estimateTokens(JSON.stringify(tools.map((t) => convertToOpenAITool(t)))),
  }
  const turnTimeoutMs = deps.turnTimeoutMs ?? DEFAULT_TURN_TIMEOUT_MS
  // The first call's tokens are held before anything else happens; the middleware holds each further call's.
  const held = await reserveTokens(domain.prisma, {
    workspaceId: input.workspaceId,
    slackUserId: input.slackUserId,
    now,
    tokens: estimatePromptTokens(system, [...history, question]) + meter.toolTokens + meter.maxOutputTokens,
    budgets: { workspace: settings.assistant.dailyTokenBudget, user: settings.assistant.userDailyTokenBudget },
    holdMs: turnTimeoutMs + HOLD_MARGIN_MS,
  })
  if (!held.ok) return { reply: escapeMrkdwn(budgetSpentReply(held, now)), usage, proposedChangeIds, outcome: 'budget_exhausted' }
  const reservation = held.reservation
  meter.reserve = async (total) => {
    const r = await growReservation(domain.prisma, reservation, { total, now: domain.now() })
    return r.ok ? null : r.exhausted
  }
  try {
    return await converse(deps, input, { model: deps.model, tools, system, meter, history, question, status, proposedChangeIds })
  } finally {
    await settleReservation(domain.prisma, reservation, usage).catch((error: unknown) =>
      // The hold expires by itself; the turn's answer still goes out.
      domain.logger.warn({ err: error, workspaceId: input.workspaceId }, 'could not record the turn’s token usage'),
    )
  }
}

interface TurnParts {
  model: BaseChatModel
  tools: ReturnType<typeof createTools>
  system: string
  meter: TurnMeter
  history: BaseMessage[]
  question: HumanMessage
  status: (text: string) => Promise<void>
  proposedChangeIds: string[]
}

/** The agent's loop once the first call's tokens are held: the answer, or an apology; the thread's memory updated. */
async function converse(deps: AgentDeps, input: AgentTurnInput, parts: TurnParts): Promise<AgentTurnResult> {
  const { domain } = deps
  const { meter, history, question, proposedChangeIds } = parts
  const usage = meter.usage
  await parts.status('Thinking…')
  const maxModelCalls = deps.maxModelCalls ?? 8
  const agent = createAgent({
    model: parts.model,
    tools: parts.tools,
    systemPrompt: parts.system,
    middleware: [turnMiddleware(meter, maxModelCalls)],
  })

  let newMessages: BaseMessage[]
  let reply: string
  let outcome: AgentTurnOutcome = 'answered'
  try {
    const result = await agent.invoke(
      { messages: [...history, question] },
      { recursionLimit: maxModelCalls * 2 + 4, signal: AbortSignal.timeout(deps.turnTimeoutMs ?? DEFAULT_TURN_TIMEOUT_MS) },
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

  if (meter.estimatedCalls > 0)
    domain.logger.info(
      { workspaceId: input.workspaceId, calls: meter.estimatedCalls },
      'the model server reported no token usage; counted an estimate',
    )
  await appendMessages(domain.prisma, {
    workspaceId: input.workspaceId,
    threadKey: input.threadKey,
    messages: newMessages,
    now: domain.now(),
  })
  return { reply: escapeMrkdwn(reply), usage, proposedChangeIds, outcome }
}

/** A crashed turn's hold stops counting this long after the turn's own timeout. */
const HOLD_MARGIN_MS = 60_000

/** The model's maxTokens (ChatOpenAI exposes it), else the default every answer is capped at. */
function maxOutputTokens(model: BaseChatModel): number {
  const n = (model as { maxTokens?: unknown }).maxTokens
  return typeof n === 'number' && n > 0 ? n : DEFAULT_MAX_OUTPUT_TOKENS
}

const fmt = (n: number) => n.toLocaleString('en-US')

/** Which budget is spent, how much of it, and when it starts again. */
function budgetSpentReply(refused: Extract<ReserveResult, { ok: false }>, now: Date): string {
  const minutes = Math.max(1, Math.ceil((refused.resetsAt.getTime() - now.getTime()) / 60_000))
  const wait = minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`
  const figures = `${fmt(refused.used)} of ${fmt(refused.limit)} tokens used${refused.used < refused.limit ? `, and an answer needs about ${fmt(refused.needed)}` : ''}`
  const who: Record<BudgetKind, string> = {
    workspace: `I've used up today's AI budget for this workspace (${figures}), so I can't answer until it resets at 00:00 UTC (in ${wait}).`,
    user: `You've used up your own AI budget for today (${figures}), so I can't answer you until it resets at 00:00 UTC (in ${wait}). Others in this workspace can still ask me.`,
  }
  return `${who[refused.exhausted]} The \`/promoly\` commands (campaigns, metrics, suggestions, budget…) keep working meanwhile; \`/promoly usage\` shows the figures.`
}

function systemPrompt(now: Date, scope: ClientScope): string {
  const client = scope.client
    ? ` This conversation is in a channel that belongs to the client ${JSON.stringify(scope.client.name)}: the tools show that client's ad accounts and campaigns only, and refuse any other client's. Never mention or guess at other clients here.`
    : ''
  return `${PROMOLY_SYSTEM_PROMPT}\n\n# Context\nNow: ${now.toISOString().slice(0, 16).replace('T', ' ')} UTC. Metrics cover complete days in each ad account's time zone.${client}`
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
