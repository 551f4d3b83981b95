import type { AckFn, RespondArguments, RespondFn, SlashCommand } from '@slack/bolt'
import type { WebClient } from '@slack/web-api'
import type { ClientScope } from '../../domain/clients/client-scope.ts'
import type { Workspace } from '../../generated/prisma/client.ts'
import type { Logger } from '../../lib/logger.ts'
import type { MessageContent } from '../blocks/types.ts'
import type { SlackDeps } from '../deps.ts'

/**
 * Each file of src/slack/subcommands/ is one `/promoly <subcommand>` handler; the Bolt listener
 * src/slack/listeners/commands/promoly.ts parses the command and routes to them.
 */
export interface SubcommandArgs {
  /** Words after the subcommand (quotes already removed). */
  args: string[]
  command: SlashCommand
  /** Acks; after an empty ack the rest of the work waits for its turn (acks of other requests go first). */
  ack: AckFn<string | RespondArguments>
  /**
   * An empty ack for a command that opens a modal next: it does not wait for a turn, because the
   * command's trigger_id expires 3 s after the command and a queued turn could outlast it.
   */
  ackBeforeModal: () => Promise<void>
  respond: RespondFn
  client: WebClient
  workspace: Workspace
  deps: SlackDeps
  logger: Logger
  /** Between two phases of the work after an empty ack: lets the acks of requests arriving meanwhile go first. */
  pause: () => Promise<void>
  /**
   * What this conversation may show: in a channel bound to a client, that client's accounts only; elsewhere the whole
   * workspace. Every read of accounts, campaigns and their figures goes through it.
   */
  scope: () => Promise<ClientScope>
}

/** One `/promoly <name>` handler. It must ack first (or ack with the answer when that is instant). */
export type Subcommand = (a: SubcommandArgs) => Promise<void>

export function ephemeral(content: MessageContent): RespondArguments {
  return { response_type: 'ephemeral', text: content.text, blocks: content.blocks }
}
