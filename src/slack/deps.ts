import type { AgentDeps } from '../agent/run-agent-turn.ts'
import type { DomainDeps } from '../domain/deps.ts'
import type { SyncRequest, SyncRequestResult } from '../domain/sync/accounts-to-sync.ts'
import type { ChangeRequest, Workspace } from '../generated/prisma/client.ts'
import type { Logger } from '../lib/logger.ts'
import type { ChangeCardPublisher } from './outbound/change-card-publisher.ts'
import type { DigestPoster } from './outbound/digest-poster.ts'
import type { SlackUserDirectory } from './slack-users.ts'

/** What the Slack surface needs, handed in by the composition root. */
export interface SlackDeps {
  readonly domain: DomainDeps
  readonly logger: Logger
  /** Queues a sync of the workspace's accounts: how many were queued, how many were already syncing. */
  requestSync(request: SyncRequest): Promise<SyncRequestResult>
  /** Called once, for the request that created a workspace (attach default connection, first sync). */
  onWorkspaceCreated(workspace: Workspace): Promise<void>
  /** The user who installed Promoly in this team (OAuth installs), if known. */
  installerUserId(teamId: string): Promise<string | null>
  /** users.info, cached: Slack's role and home team of a user (guests and other organisations are refused). */
  readonly slackUsers: SlackUserDirectory
  readonly cards: ChangeCardPublisher
  /** Queues the apply job of an approved change (its idempotency key travels with it). */
  requestApply(change: Pick<ChangeRequest, 'id' | 'idempotencyKey'>): Promise<void>
  /** The conversational agent (its model is undefined when no OpenAI-compatible server is configured). */
  readonly agent: AgentDeps
  readonly digests: DigestPoster
}
