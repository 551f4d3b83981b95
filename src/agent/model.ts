import { ChatOpenAI } from '@langchain/openai'

export interface ChatModelOptions {
  apiKey: string
  /** An OpenAI-compatible base URL ending in /v1 (OPENAI_BASE_URL); OpenAI's own when absent. */
  baseUrl?: string
  /** e.g. gpt-4o-mini (OPENAI_MODEL). */
  model: string
  /** Per request, default 30 s. */
  timeoutMs?: number
  /** Default 1: one retry of a failed or timed-out request, then the turn apologises. */
  maxRetries?: number
  /** Longest answer per model call (OPENAI_MAX_TOKENS), sent as max_tokens; default DEFAULT_MAX_OUTPUT_TOKENS. */
  maxTokens?: number
}

/** Tokens one model answer may use unless OPENAI_MAX_TOKENS says otherwise (a turn reserves this per call). */
export const DEFAULT_MAX_OUTPUT_TOKENS = 2_000

/**
 * The agent's chat model. `new ChatOpenAI` talks to /v1/chat/completions, which every
 * OpenAI-compatible server speaks (a `createAgent({ model: 'openai:…' })` string would use the
 * Responses API instead).
 */
export function createChatModel(options: ChatModelOptions): ChatOpenAI {
  return new ChatOpenAI({
    model: options.model,
    apiKey: options.apiKey,
    configuration: options.baseUrl ? { baseURL: options.baseUrl } : {},
    maxRetries: options.maxRetries ?? 1,
    maxTokens: options.maxTokens ?? DEFAULT_MAX_OUTPUT_TOKENS,
    timeout: options.timeoutMs ?? 30_000,
  })
}
