import type { Suggestion } from '../generated/prisma/client.ts'
import type { ChangeWithContext } from './changes/change-include.ts'
import type { SyncAdAccountResult } from './sync/sync-ad-account.ts'

/** Who asked for something and where to answer them: a Slack team, channel and user (ids only). */
export interface NotifyTarget {
  teamId: string
  channelId: string
  userId: string
}

/** How a sync someone asked for went. */
export type SyncOutcome =
  | { kind: 'synced'; result: SyncAdAccountResult }
  /** The connection is paused: Meta no longer accepts its token. */
  | { kind: 'needs-reconnect' }
  /** Retries are used up; `message` is safe to show (an AppError's userMessage) when known. */
  | { kind: 'failed'; message?: string }

/**
 * What background work tells people, whatever the surface delivering it (Slack, in src/slack/outbound).
 * Jobs depend on this type only; the composition root hands in the implementation.
 */
export interface Notifier {
  /** Posts the optimizer's new findings of a workspace (a card for each change, a notice for each finding without one). */
  postSuggestions(workspaceId: string, suggestions: Suggestion[]): Promise<void>
  /**
   * Posts intraday alerts of a workspace to each one's client's alerts channel, else its suggestions channel, else its
   * admins by DM (never another client's channel): an overspend alert is its pause proposal's card, the others a notice.
   */
  postAlerts(workspaceId: string, alerts: Suggestion[]): Promise<void>
  /**
   * Redraws in place the posted messages of open findings the optimizer updated with new numbers (never reposts;
   * failures are logged, not thrown).
   */
  redrawSuggestions(suggestions: Suggestion[]): Promise<void>
  /** Brings the posted card of a change up to date (no-op when it has none). */
  refreshChangeCard(change: ChangeWithContext): Promise<void>
  /** Posts a claimed digest run (the claim makes it exactly once) and marks it SENT or FAILED. */
  postDigestRun(runId: string): Promise<void>
  /** Tells whoever asked for a sync how it went. */
  tellSyncOutcome(notify: NotifyTarget, outcome: SyncOutcome): Promise<void>
  /**
   * A sync stopped for good (Meta refused the token or a permission): tells whoever asked for it,
   * or else the person who connected the token, with `message` (an AppError's userMessage).
   */
  tellSyncStopped(adAccountId: string, notify: NotifyTarget | undefined, message: string): Promise<void>
}
