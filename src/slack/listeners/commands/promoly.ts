import type { AllMiddlewareArgs, RespondArguments, SlackCommandMiddlewareArgs } from '@slack/bolt'
import { escapeMrkdwn } from '../../../lib/mrkdwn.ts'
import { type AfterAckQueue, createAfterAckQueue } from '../../after-ack.ts'
import { helpMessage } from '../../blocks/help-message.ts'
import { tokenize } from '../../command-args.ts'
import type { SlackDeps } from '../../deps.ts'
import { requireWorkspace } from '../../middleware/workspace-context.ts'
import { replyError } from '../../reply-error.ts'
import { accounts } from '../../subcommands/accounts.ts'
import { campaigns } from '../../subcommands/campaigns.ts'
import { budget, pause, resume } from '../../subcommands/change-commands.ts'
import { clients } from '../../subcommands/clients.ts'
import { connect } from '../../subcommands/connect.ts'
import { create } from '../../subcommands/create.ts'
import { digest } from '../../subcommands/digest.ts'
import { help } from '../../subcommands/help.ts'
import { history } from '../../subcommands/history.ts'
import { metrics } from '../../subcommands/metrics.ts'
import { settings } from '../../subcommands/settings.ts'
import { ephemeral, type Subcommand } from '../../subcommands/subcommand.ts'
import { suggestions } from '../../subcommands/suggestions.ts'
import { sync } from '../../subcommands/sync.ts'
import { usage } from '../../subcommands/usage.ts'

const SUBCOMMANDS: Record<string, Subcommand> = {
  help,
  connect,
  accounts,
  campaigns,
  metrics,
  create,
  pause,
  resume,
  budget,
  suggestions,
  history,
  digest,
  settings,
  clients,
  usage,
  sync,
}

/**
 * `/promoly <subcommand> …`: routes to one handler per subcommand. Every path acks within Slack's
 * 3 s; failures become a readable ephemeral message (in the ack if it has not happened yet).
 * What a handler does after an empty ack waits for its turn in `afterAck`, so other commands' acks go first.
 */
export function promolyCommand(deps: SlackDeps, afterAck: AfterAckQueue = createAfterAckQueue()) {
  return async ({ command, ack, respond, client, context }: AllMiddlewareArgs & SlackCommandMiddlewareArgs) => {
    let acked = false
    let release: (() => void) | undefined
    const ackOnce = async (response: string | RespondArguments | undefined, paced: boolean) => {
      if (acked) return
      acked = true
      await ack(response)
      // An empty ack promises an answer on response_url: that work waits for its turn. An ack that carries
      // the answer (help, usage errors) ends the command; one before a modal must not wait (see ackBeforeModal).
      if (response === undefined && paced) release = await afterAck.enter()
    }
    const once = (response?: string | RespondArguments) => ackOnce(response, true)
    try {
      const words = tokenize(command.text ?? '')
      const word = words[0]
      let handler = help
      if (word) {
        const name = word.toLowerCase()
        const named = Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined
        if (!named) {
          await once(ephemeral(helpMessage(`:thinking_face: I don't know \`${escapeMrkdwn(word.slice(0, 50))}\`. Here is what I can do:`)))
          return
        }
        handler = named
      }
      const workspace = requireWorkspace(context)
      await handler({
        args: words.slice(1),
        command,
        ack: once,
        ackBeforeModal: () => ackOnce(undefined, false),
        respond,
        client,
        workspace,
        deps,
        logger: deps.logger,
        pause: afterAck.pause,
      })
    } catch (err) {
      const subcommand = (command.text ?? '').trim().split(/\s+/)[0]
      await replyError({ client, userId: command.user_id, ack: acked ? undefined : once, respond }, err, {
        logger: deps.logger,
        what: 'slash command',
        log: { subcommand },
      })
    } finally {
      release?.()
    }
  }
}
