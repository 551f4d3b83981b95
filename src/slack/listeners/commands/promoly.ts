import type { AckFn, AllMiddlewareArgs, RespondArguments, RespondFn, SlackCommandMiddlewareArgs, SlashCommand } from '@slack/bolt'
import type { WebClient } from '@slack/web-api'
import { closestByName, type DidYouMean } from '../../../domain/campaigns/name-match.ts'
import { type ClientScope, scopeForChannel } from '../../../domain/clients/client-scope.ts'
import { isAppError } from '../../../lib/errors.ts'
import { escapeMrkdwn } from '../../../lib/mrkdwn.ts'
import { type AfterAckQueue, createAfterAckQueue } from '../../after-ack.ts'
import { didYouMeanMessage } from '../../blocks/did-you-mean.ts'
import { helpMessage } from '../../blocks/help-message.ts'
import { joinWords, replaceQuery, tokenize } from '../../command-args.ts'
import type { SlackDeps } from '../../deps.ts'
import { requireWorkspace } from '../../middleware/workspace-context.ts'
import { logUserError, replyError } from '../../reply-error.ts'
import { accounts } from '../../subcommands/accounts.ts'
import { ads, adsets } from '../../subcommands/ad-sets-and-ads.ts'
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
import { tellUser } from '../../tell-user.ts'

const SUBCOMMANDS: Record<string, Subcommand> = {
  help,
  connect,
  accounts,
  campaigns,
  adsets,
  ads,
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

/** Whether `/promoly <name>` exists (a "did you mean" button may only run one of these). */
export function isSubcommand(name: string): boolean {
  return Object.hasOwn(SUBCOMMANDS, name.toLowerCase())
}

/** One `/promoly` request: a slash command, or a "did you mean" button that runs one again. */
export interface PromolyRequest {
  command: SlashCommand
  ack: AckFn<string | RespondArguments>
  respond: RespondFn
  client: WebClient
  context: AllMiddlewareArgs['context']
}

/**
 * `/promoly <subcommand> …`: routes to one handler per subcommand. Every path acks within Slack's
 * 3 s; failures become a readable ephemeral message (in the ack if it has not happened yet).
 * What a handler does after an empty ack waits for its turn in `afterAck`, so other commands' acks go first.
 */
export function promolyCommand(deps: SlackDeps, afterAck: AfterAckQueue = createAfterAckQueue()) {
  return ({ command, ack, respond, client, context }: AllMiddlewareArgs & SlackCommandMiddlewareArgs) =>
    runPromolyCommand(deps, afterAck, { command, ack, respond, client, context })
}

/**
 * Runs one `/promoly` request. The conversation's scope (a client's channel: that client's data only) is resolved
 * once, when a handler first asks. A name that matched several or none answers with "did you mean" buttons that
 * run the same command again on the chosen one's id.
 */
export async function runPromolyCommand(deps: SlackDeps, afterAck: AfterAckQueue, request: PromolyRequest): Promise<void> {
  const { command, ack, respond, client, context } = request
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
        await once(ephemeral(unknownSubcommand(word, words.slice(1))))
        return
      }
      handler = named
    }
    const workspace = requireWorkspace(context)
    let scope: Promise<ClientScope> | undefined
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
      scope: () => {
        scope ??= scopeForChannel(deps.domain.prisma, workspace.id, command.channel_id)
        return scope
      },
    })
  } catch (err) {
    const subcommand = (command.text ?? '').trim().split(/\s+/)[0]
    const to = { client, userId: command.user_id, ack: acked ? undefined : once, respond }
    const options = { logger: deps.logger, what: 'slash command', log: { subcommand } }
    const buttons = didYouMeanButtons(command.text ?? '', err)
    if (!buttons) return await replyError(to, err, options)
    logUserError(err, options)
    await tellUser(to, didYouMeanMessage(buttons.problem, buttons.options)).catch((e) =>
      deps.logger.warn({ err: e }, 'could not offer "did you mean"'),
    )
  } finally {
    release?.()
  }
}

/**
 * The answer to `/promoly <word> …` when no subcommand is called `word`: a near miss ("adset", "campains") offers the
 * closest subcommands as buttons that run the same command with the right name (nothing runs unasked); anything
 * else gets the list of commands.
 */
function unknownSubcommand(word: string, rest: string[]) {
  const close = closestByName(
    Object.keys(SUBCOMMANDS).map((name) => ({ name })),
    word,
    2,
  )
  const typed = word.slice(0, 50)
  if (close.length === 0) return helpMessage(`:thinking_face: I don't know \`${escapeMrkdwn(typed)}\`. Here is what I can do:`)
  const options = close.map((c) => {
    const command = joinWords([c.name, ...rest])
    return { label: `/promoly ${command}`, command }
  })
  return didYouMeanMessage(
    `I don't know \`${typed}\`. Did you mean ${close.map((c) => `\`/promoly ${c.name}\``).join(' or ')}? (\`/promoly help\` lists them all.)`,
    options,
  )
}

/** The "did you mean" options of a look-up error, each as the command text that runs the command on that one. */
function didYouMeanButtons(text: string, err: unknown): { problem: string; options: Array<{ label: string; command: string }> } | null {
  if (!isAppError(err)) return null
  const dym = err.details?.didYouMean as DidYouMean | undefined
  if (!dym || dym.options.length === 0) return null
  const words = tokenize(text)
  const options = dym.options.flatMap((o) => {
    const replaced = replaceQuery(words, dym.query, o.ref)
    return replaced ? [{ label: o.label, command: joinWords(replaced) }] : []
  })
  return options.length > 0 ? { problem: err.userMessage, options } : null
}
