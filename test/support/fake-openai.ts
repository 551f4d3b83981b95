/**
 * A local, scripted OpenAI-compatible server for tests and benchmarks: `POST /v1/chat/completions`
 * (non-streaming) on 127.0.0.1, driven through the real `@langchain/openai` client.
 *
 *   const ai = await startFakeOpenAI({ script: [{ toolCalls: [{ name: 'list_campaigns', args: {} }] }, { text: 'Done.' }] })
 *   const model = createChatModel({ apiKey: 'sk-test', baseUrl: ai.url, model: 'gpt-test' })
 *   …
 *   ai.requests[1].body.messages  // what the model was sent on its second call
 *
 * Every completion has a unique `id` (LangGraph's message reducer replaces messages with equal ids).
 * `usage.prompt_tokens` ≈ request body length / 4, so tests can watch prompts grow or stay bounded.
 * A step can answer an HTTP error (`{ status: 500 }`) or wait first (`delayMs`) to simulate timeouts, and can
 * leave `usage` out of its answer (`omitUsage: true`), as some OpenAI-compatible servers do.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface FakeToolCall {
  name: string
  args: Record<string, unknown>
}

/**
 * One scripted answer. `delayMs` waits before answering (a client timeout shorter than it gives up first);
 * `omitUsage` answers without the `usage` object.
 */
export type FakeStep = ({ toolCalls: FakeToolCall[]; content?: string } | { text: string } | { status: number; message?: string }) & {
  delayMs?: number
  omitUsage?: boolean
}

export interface ChatMessageBody {
  role: 'system' | 'developer' | 'user' | 'assistant' | 'tool'
  content: string | null | Array<{ type: string; text?: string }>
  tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }>
  tool_call_id?: string
}

export interface ChatCompletionBody {
  model: string
  messages: ChatMessageBody[]
  tools?: Array<{ type: 'function'; function: { name: string; description?: string; parameters?: unknown } }>
  tool_choice?: unknown
  stream?: boolean
  [key: string]: unknown
}

export interface RecordedRequest {
  body: ChatCompletionBody
  /** The estimate reported as usage.prompt_tokens: request body characters / 4. */
  promptTokens: number
  /** Time from the request's first byte to the end of the answer (includes `delayMs`). */
  durationMs: number
  /** HTTP status answered. */
  status: number
}

export interface FakeOpenAI {
  /** Base URL for the OpenAI client, ending in /v1. */
  readonly url: string
  /** Every chat completion request, in arrival order. */
  readonly requests: RecordedRequest[]
  /** Adds steps at the end of the script. */
  enqueue(...steps: FakeStep[]): void
  /** Steps not consumed yet. */
  pending(): number
  /** Total time spent answering requests (sum of durationMs), for "time outside the model" figures. */
  busyMs(): number
  /** Forgets recorded requests and remaining steps. */
  reset(): void
  close(): Promise<void>
}

export interface FakeOpenAIOptions {
  script?: FakeStep[]
  /** What to answer when the script is empty. Default: a 500 saying the script ran out (tests fail loudly). */
  onEmpty?: (body: ChatCompletionBody) => FakeStep
}

const estimate = (text: string) => Math.max(1, Math.ceil(text.length / 4))

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const queue: FakeStep[] = [...(options.script ?? [])]
  const requests: RecordedRequest[] = []
  let counter = 0
  let busy = 0

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now()
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    const path = (req.url ?? '').split('?')[0]
    if (req.method !== 'POST' || !path?.endsWith('/chat/completions')) {
      return send(res, 404, { error: { message: `Not found: ${req.method} ${req.url}`, type: 'invalid_request_error' } })
    }
    let body: ChatCompletionBody
    try {
      body = JSON.parse(raw) as ChatCompletionBody
    } catch {
      return send(res, 400, { error: { message: 'Invalid JSON body', type: 'invalid_request_error' } })
    }
    const record: RecordedRequest = { body, promptTokens: estimate(raw), durationMs: 0, status: 200 }
    requests.push(record)
    const finish = (status: number, payload: unknown) => {
      record.status = status
      send(res, status, payload)
      record.durationMs = performance.now() - started
      busy += record.durationMs
    }
    if (body.stream) {
      return finish(400, {
        error: { message: 'This fake answers non-streaming requests only (stream: false).', type: 'invalid_request_error' },
      })
    }
    const step = queue.shift() ?? options.onEmpty?.(body) ?? { status: 500, message: 'The fake OpenAI script is empty.' }
    if (step.delayMs) {
      await new Promise((resolve) => setTimeout(resolve, step.delayMs))
      if (res.destroyed || req.socket.destroyed) {
        record.status = 499
        record.durationMs = performance.now() - started
        busy += record.durationMs
        return
      }
    }
    if ('status' in step) {
      return finish(step.status, { error: { message: step.message ?? `Scripted error ${step.status}`, type: 'server_error', code: null } })
    }
    counter += 1
    const id = `chatcmpl-fake-${counter}-${Date.now().toString(36)}`
    const message =
      'text' in step
        ? { role: 'assistant', content: step.text }
        : {
            role: 'assistant',
            content: step.content ?? null,
            tool_calls: step.toolCalls.map((c, i) => ({
              id: `call_${counter}_${i}`,
              type: 'function',
              function: { name: c.name, arguments: JSON.stringify(c.args) },
            })),
          }
    const completionTokens = estimate(JSON.stringify(message))
    finish(200, {
      id,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: 'text' in step ? 'stop' : 'tool_calls' }],
      ...(step.omitUsage
        ? {}
        : {
            usage: {
              prompt_tokens: record.promptTokens,
              completion_tokens: completionTokens,
              total_tokens: record.promptTokens + completionTokens,
            },
          }),
    })
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { error: { message: String(error), type: 'server_error' } })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...steps) => void queue.push(...steps),
    pending: () => queue.length,
    busyMs: () => busy,
    reset() {
      queue.length = 0
      requests.length = 0
      busy = 0
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  if (res.destroyed) return
  const text = JSON.stringify(payload)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}
