import type { BaseMessage } from '@langchain/core/messages'
import { AIMessage, createMiddleware, ToolInvocationError, ToolMessage } from 'langchain'
import { estimateTokens } from './memory.ts'
import type { BudgetKind, TokenCount } from './token-budget.ts'

export interface TurnMeter {
  /** Tokens of every model call of the turn, including calls of a turn that later failed. */
  usage: TokenCount
  modelCalls: number
  /** Model calls whose usage the server did not report, so it was estimated from the text. */
  estimatedCalls: number
  /** The longest answer of one call (the model's maxTokens): reserved for each call. */
  maxOutputTokens: number
  /** Estimated tokens of the tool definitions sent with every call. */
  toolTokens: number
  /**
   * Holds `total` tokens for the turn so far plus its next call against today's budgets; returns the
   * budget without room, or null. No call is made without it.
   */
  reserve?: (total: number) => Promise<BudgetKind | null>
}

const BUDGET_SPENT_TEXT: Record<BudgetKind, string> = {
  workspace: "I stopped there: today's AI budget for this workspace ran out during this answer. The `/promoly` commands keep working.",
  user: 'I stopped there: your own AI budget for today ran out during this answer (it resets at 00:00 UTC). The `/promoly` commands keep working.',
}

const MESSAGE_OVERHEAD_CHARS = 16

/** ≈ tokens a list of messages (and a system prompt) costs as a prompt: characters / 4, tool calls included. */
export function estimatePromptTokens(systemPrompt: string, messages: readonly BaseMessage[]): number {
  let chars = systemPrompt.length + MESSAGE_OVERHEAD_CHARS
  for (const m of messages) {
    chars += (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)).length + MESSAGE_OVERHEAD_CHARS
    if (AIMessage.isInstance(m) && m.tool_calls?.length) chars += JSON.stringify(m.tool_calls).length
  }
  return Math.ceil(chars / 4)
}

/** ≈ tokens of a model's answer (text and tool calls), when the server reports no usage. */
function estimateAnswerTokens(message: AIMessage): number {
  const text = typeof message.content === 'string' ? message.content : JSON.stringify(message.content)
  return estimateTokens(text + (message.tool_calls?.length ? JSON.stringify(message.tool_calls) : ''))
}

export const STEP_LIMIT_TEXT =
  'I stopped there: answering needed more steps than I may take in one go. Ask me something narrower, or one part at a time.'

/**
 * Counts the turn's model calls and tokens (from each AIMessage's usage_metadata, estimated from the text
 * when the server reports none), holds each call's estimate against the daily budgets before making it
 * (a call that does not fit is not made), and bounds the tool loop: the last allowed call may not call
 * tools (tool_choice none), and a call past the limit is not made at all. Tool arguments that fail their
 * schema come back to the model as the validation message alone (LangChain's default would include a
 * stack trace).
 */
export function turnMiddleware(meter: TurnMeter, maxModelCalls: number) {
  return createMiddleware({
    name: 'PromolyTurn',
    wrapModelCall: async (request, handler) => {
      meter.modelCalls += 1
      if (meter.modelCalls > maxModelCalls) return new AIMessage(STEP_LIMIT_TEXT)
      const prompt = estimatePromptTokens(request.systemMessage?.text ?? '', request.messages) + meter.toolTokens
      if (meter.reserve) {
        const spent = await meter.reserve(meter.usage.input + meter.usage.output + prompt + meter.maxOutputTokens)
        if (spent) return new AIMessage(BUDGET_SPENT_TEXT[spent])
      }
      const response = await handler(meter.modelCalls === maxModelCalls ? { ...request, toolChoice: 'none' } : request)
      const reported = response.usage_metadata
      if (reported && (reported.input_tokens > 0 || reported.output_tokens > 0)) {
        meter.usage.input += reported.input_tokens
        meter.usage.output += reported.output_tokens
      } else {
        // Some OpenAI-compatible servers report no usage: the call still costs, so count an estimate.
        meter.estimatedCalls += 1
        meter.usage.input += prompt
        meter.usage.output += estimateAnswerTokens(response)
      }
      return response
    },
    wrapToolCall: async (request, handler) => {
      try {
        return await handler(request)
      } catch (error) {
        if (!ToolInvocationError.isInstance(error)) throw error
        const detail = error.toolError.message.replace(/^Received tool input did not match expected schema\s*/, '').trim()
        return new ToolMessage({
          content: `Error: the arguments for ${request.toolCall.name} do not match its schema${detail ? `:\n${detail}` : ''}\nFix them and call it again.`,
          tool_call_id: request.toolCall.id ?? '',
          name: request.toolCall.name,
          status: 'error',
        })
      }
    },
  })
}
