import type { AllMiddlewareArgs, BlockButtonAction, RespondArguments, SlackActionMiddlewareArgs, SlashCommand } from '@slack/bolt'
import { escapeMrkdwn } from '../../../lib/mrkdwn.ts'
import type { AfterAckQueue } from '../../after-ack.ts'
import { type DidYouMeanValue, RERUN_COMMAND_MAX } from '../../blocks/did-you-mean.ts'
import { tokenize } from '../../command-args.ts'
import type { SlackDeps } from '../../deps.ts'
import { replyError } from '../../reply-error.ts'
import { isSubcommand, runPromolyCommand } from '../commands/promoly.ts'

/** The command a button carries, if it is one a "did you mean" button may run: a `/promoly` subcommand, not too long. */
function validCommand(value: string | undefined): string | null {
  let parsed: Partial<DidYouMeanValue>
  try {
    parsed = JSON.parse(value ?? '') as Partial<DidYouMeanValue>
  } catch {
    return null
  }
  const command = parsed.command
  if (typeof command !== 'string' || command.length === 0 || command.length > RERUN_COMMAND_MAX) return null
  const [name] = tokenize(command)
  return name && isSubcommand(name) ? command : null
}

/**
 * A "did you mean" button: runs the same `/promoly` command again with the chosen campaign's or account's id, as the
 * person who clicked, in the channel of the message. Everything is checked again as for a typed command: the
 * channel's client scope (an id of another client's is refused), roles, guardrails.
 */
export function didYouMeanClicked(deps: SlackDeps, afterAck: AfterAckQueue) {
  return async ({ ack, action, body, client, respond, context }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>) => {
    await ack()
    const channelId = body.channel?.id ?? body.container?.channel_id
    const text = validCommand(action.value)
    if (!text || !channelId) {
      await replyError({ client, userId: body.user.id, respond }, new Error('a "did you mean" button without a valid command'), {
        logger: deps.logger,
        what: 'did-you-mean button',
      })
      return
    }
    // The buttons go (so a second click does not run it twice); what the command answers comes below them.
    await respond({ replace_original: true, text: `:mag: Running \`/promoly ${escapeMrkdwn(text)}\`…` }).catch(() => undefined)
    const answer = (r: string | RespondArguments) =>
      respond(typeof r === 'string' ? { response_type: 'ephemeral', replace_original: false, text: r } : { ...r, replace_original: false })
    const command: SlashCommand = {
      token: '',
      command: '/promoly',
      text,
      response_url: body.response_url,
      trigger_id: body.trigger_id,
      user_id: body.user.id,
      user_name: body.user.name ?? body.user.id,
      team_id: body.team?.id ?? body.user.team_id ?? '',
      team_domain: body.team?.domain ?? '',
      channel_id: channelId,
      channel_name: body.channel?.name ?? '',
      api_app_id: body.api_app_id,
    }
    await runPromolyCommand(deps, afterAck, {
      command,
      ack: async (r) => {
        if (r !== undefined) await answer(r)
      },
      respond: async (r) => answer(r),
      client,
      context,
    })
  }
}
