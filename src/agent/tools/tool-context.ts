import type { ChangeWithContext } from '../../domain/changes/change-include.ts'
import type { ClientScope } from '../../domain/clients/client-scope.ts'
import type { DomainDeps } from '../../domain/deps.ts'
import type { DigestManager } from '../../domain/digests/subscriptions.ts'
import { isAppError, userMessageOf } from '../../lib/errors.ts'
import { redactText } from '../../lib/logger.ts'
import { formatNumber } from '../../lib/numbers.ts'

/** What every tool of one agent turn knows: who asks, in which workspace, and how to surface a proposal. */
export interface ToolContext {
  deps: DomainDeps
  workspaceId: string
  /**
   * What the conversation may see: in a channel bound to a client, that client's accounts only (every read and
   * proposal goes through it; another client's account or campaign is refused with the reason); else the workspace.
   */
  scope: ClientScope
  slackUserId: string
  /** The channel the conversation is in, when known. */
  channelId?: string
  /** Called once per new change request, so the Slack layer posts its Approve/Reject card. */
  onProposed: (change: ChangeWithContext) => Promise<void>
  /** Progress text for the person waiting ("Looking at your campaigns…"); failures are ignored. */
  onStatus?: (text: string) => Promise<void>
  /** The person's role and Slack's channel membership, for tools bound by them (resolved when first needed). */
  caller?: () => Promise<DigestManager>
}

/**
 * Runs a tool body and turns any failure into a short line the model can read and relay:
 * an AppError's user message, otherwise a generic line (the error itself goes to the log only,
 * so no stack trace, token or SQL ever reaches the model or the channel).
 */
export async function runTool(ctx: ToolContext, name: string, status: string, body: () => Promise<string>): Promise<string> {
  if (ctx.onStatus) await ctx.onStatus(status).catch(() => {})
  try {
    return await body()
  } catch (error) {
    if (isAppError(error)) return `Error: ${redactText(error.userMessage)}`
    ctx.deps.logger.error({ err: error, tool: name, workspaceId: ctx.workspaceId }, 'agent tool failed')
    return `Error: ${userMessageOf(error)}`
  }
}

/** A name or other outside text, quoted so the model reads it as data (it may contain anything). */
export function quote(text: string): string {
  return JSON.stringify(text)
}

export function formatPct(value: number | null, digits = 0): string {
  if (value === null || !Number.isFinite(value)) return 'n/a'
  const text = formatNumber(Math.abs(value), { maxDigits: digits, minDigits: digits })
  if (Number(text) === 0) return '±0%'
  return `${value > 0 ? '+' : '-'}${text}%`
}
