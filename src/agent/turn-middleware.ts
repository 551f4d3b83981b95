import { AIMessage, createMiddleware, ToolInvocationError, ToolMessage } from 'langchain'
import type { TokenCount } from './token-budget.ts'

export interface TurnMeter {
  /** Tokens of every model call of the turn, including calls of a turn that later failed. */
  usage: TokenCount
  modelCalls: number
  /** Tokens left in the workspace's daily budget when the turn started: no further model call once spent. */
  budgetLeft?: number
}

const BUDGET_SPENT_TEXT =
  "I stopped there: today's AI budget for this workspace ran out during this answer. The `/promoly` commands keep working."

export const STEP_LIMIT_TEXT =
  'I stopped there: answering needed more steps than I may take in one go. Ask me something narrower, or one part at a time.'

/**
 * Counts the turn's model calls and tokens (from each AIMessage's usage_metadata) and bounds the
 * tool loop: the last allowed call may not call tools (tool_choice none), and a call past the limit is
 * not made at all. Tool arguments that fail their schema come back to the model as the validation
 * message alone (LangChain's default would include a stack trace).
 */
export function turnMiddleware(meter: TurnMeter, maxModelCalls: number) {
  return createMiddleware({
    name: 'PromolyTurn',
    wrapModelCall: async (request, handler) => {
      meter.modelCalls += 1
      if (meter.modelCalls > maxModelCalls) return new AIMessage(STEP_LIMIT_TEXT)
      if (meter.budgetLeft !== undefined && meter.modelCalls > 1 && meter.usage.input + meter.usage.output >= meter.budgetLeft)
        return new AIMessage(BUDGET_SPENT_TEXT)
      const response = await handler(meter.modelCalls === maxModelCalls ? { ...request, toolChoice: 'none' } : request)
      meter.usage.input += response.usage_metadata?.input_tokens ?? 0
      meter.usage.output += response.usage_metadata?.output_tokens ?? 0
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
