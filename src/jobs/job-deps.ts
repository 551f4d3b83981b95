import type { DefaultConnectionSource } from '../domain/connections/ensure-default-connection.ts'
import type { DomainDeps } from '../domain/deps.ts'
import type { Notifier } from '../domain/notifier.ts'
import type { JobQueue } from './job-queue.ts'

/** What jobs need, handed in by the composition root; each job takes the part it uses. */
export interface JobDeps {
  readonly domain: DomainDeps
  /** Tells people what background work did (Slack delivery lives in src/slack/outbound). */
  readonly notifier: Notifier
  /** The deployment's own Meta token (env or simulator) every new workspace is connected with. */
  readonly defaultConnection?: DefaultConnectionSource
  /**
   * True while the sweeps over every workspace (sync-all, digest-tick) must skip their runs: single-workspace
   * mode before auth.test has named the token's team and other teams' workspaces were stopped.
   */
  readonly sweepsOnHold?: () => boolean
  /** How often every account is synced. */
  readonly syncIntervalMs: number
  /** Set once the queue exists (jobs enqueue other jobs). */
  queue(): JobQueue
}
