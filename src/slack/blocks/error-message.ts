import { escapeMrkdwn } from '../../lib/mrkdwn.ts'
import type { MessageContent } from './types.ts'

/** A readable error: the problem, and optionally what to do next. Never a stack trace. */
export function errorMessage(problem: string, hint?: string): MessageContent {
  const text = `:warning: ${escapeMrkdwn(problem)}`
  return {
    text: escapeMrkdwn(problem),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      ...(hint ? [{ type: 'context' as const, elements: [{ type: 'mrkdwn' as const, text: escapeMrkdwn(hint) }] }] : []),
    ],
  }
}

export function infoMessage(text: string): MessageContent {
  const safe = escapeMrkdwn(text)
  return { text: safe, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: safe } }] }
}
