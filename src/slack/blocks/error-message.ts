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

/** A plain-text notice: all of it is escaped. */
export function infoMessage(text: string): MessageContent {
  const safe = escapeMrkdwn(text)
  return { text: safe, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: safe } }] }
}

/**
 * A notice written in mrkdwn, for text that must keep Slack's live syntax (a `<#C…>` channel mention, say):
 * the caller escapes every untrusted part (escapeMrkdwn); the fallback `text` is the same string.
 */
export function infoMrkdwn(mrkdwn: string): MessageContent {
  return { text: mrkdwn, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: mrkdwn } }] }
}
