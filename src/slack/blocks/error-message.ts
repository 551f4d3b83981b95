import { escapeToFit, withLiveMentions } from '../../lib/mrkdwn.ts'
import type { MessageContent } from './types.ts'

/** Slack refuses a section text over 3000 characters (and the whole reply with it): ours stay below. */
const SECTION_MAX = 3000
const CONTEXT_MAX = 2000

/**
 * A readable error: the problem, and optionally what to do next. Never a stack trace; cut to what Slack accepts.
 * Escaped, except that mentions of people and channels render (`<#C…>` reads as #client-acme).
 */
export function errorMessage(problem: string, hint?: string): MessageContent {
  const safe = withLiveMentions(escapeToFit(problem, SECTION_MAX - 20))
  return {
    text: safe,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `:warning: ${safe}` } },
      ...(hint ? [{ type: 'context' as const, elements: [{ type: 'mrkdwn' as const, text: escapeToFit(hint, CONTEXT_MAX) }] }] : []),
    ],
  }
}

/** A plain-text notice: all of it is escaped (and cut to what Slack accepts). */
export function infoMessage(text: string): MessageContent {
  const safe = escapeToFit(text, SECTION_MAX)
  return { text: safe, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: safe } }] }
}

/**
 * A notice written in mrkdwn, for text that must keep Slack's live syntax (a `<#C…>` channel mention, say):
 * the caller escapes every untrusted part (escapeMrkdwn); the fallback `text` is the same string.
 */
export function infoMrkdwn(mrkdwn: string): MessageContent {
  return { text: mrkdwn, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: mrkdwn } }] }
}
