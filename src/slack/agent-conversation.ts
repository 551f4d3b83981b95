import type { WebClient } from '@slack/web-api'
import { type AgentDeps, runAgentTurn } from '../agent/run-agent-turn.ts'
import { claimEvent } from '../domain/events/claim-event.ts'
import type { Workspace } from '../generated/prisma/client.ts'
import { escapeMrkdwn } from '../lib/mrkdwn.ts'
import { slackChannelMembership } from './channel-membership.ts'
import type { SlackDeps } from './deps.ts'
import { postChangeCard } from './post-change-card.ts'
import { resolveCaller } from './resolve-caller.ts'

/** Marks a Slack event as handled; false when it was already (a redelivery): answer once. */
export async function firstDelivery(deps: SlackDeps, eventId: string | undefined): Promise<boolean> {
  return eventId ? claimEvent(deps.domain.prisma, { eventId }) : true
}

/** The bot's own mention removed from what the person wrote. */
export function withoutMention(text: string, botUserId: string | undefined): string {
  return (botUserId ? text.replaceAll(`<@${botUserId}>`, '') : text.replace(/^<@[A-Z0-9]+>/, '')).trim()
}

/** Slack's section text stops at 3,000 characters: long answers go out as plain `text` (40,000). */
function replyMessage(text: string) {
  return text.length <= 2900 ? { text, blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text } }] } : { text }
}

/**
 * One turn of the conversation in a Slack thread: status while the agent works and one reply message
 * progressively updated (steps, then the answer), proposals posted as change request cards in the
 * same place. Memory lives in the
 * database under `threadKey`; Slack's history is never read back.
 */
export async function answerInThread(
  deps: SlackDeps & { agent: AgentDeps },
  args: {
    client: WebClient
    workspace: Workspace
    channel: string
    threadTs?: string
    statusTs: string
    threadKey: string
    userId: string
    text: string
  },
): Promise<void> {
  const { client } = args
  const where = { channel: args.channel, ...(args.threadTs ? { thread_ts: args.threadTs } : {}) }
  // The answer is one message, progressively updated: the steps while the agent works, then the answer.
  const placeholder = await client.chat.postMessage({ ...where, text: '_Looking at your campaigns…_' }).catch(() => undefined)
  const steps: string[] = []
  let lastUpdate = 0
  const setStatus = async (status: string) => {
    await client.assistant.threads.setStatus({ channel_id: args.channel, thread_ts: args.statusTs, status }).catch(() => undefined)
    if (!status || !placeholder?.ts || steps.at(-1) === status) return
    steps.push(status)
    if (Date.now() - lastUpdate < 1000) return // Slack's chat.update is rate limited: at most one progress edit a second
    lastUpdate = Date.now()
    await client.chat
      .update({
        channel: args.channel,
        ts: placeholder.ts,
        text: steps
          .slice(-4)
          .map((x) => `_${escapeMrkdwn(x)}_`)
          .join('\n'),
      })
      .catch(() => undefined)
  }
  await setStatus('Looking at your campaigns…')
  let reply: string
  try {
    const turn = await runAgentTurn(deps.agent, {
      workspaceId: args.workspace.id,
      slackUserId: args.userId,
      threadKey: args.threadKey,
      text: args.text,
      onProposed: async (change) => void (await postChangeCard(deps, client, change, args.channel, args.userId)),
      onStatus: setStatus,
      channelId: args.channel,
      caller: async () => ({
        member: await resolveCaller(deps, args.workspace, args.userId, client),
        channelMembership: slackChannelMembership(client),
      }),
    })
    reply = turn.reply
  } catch (err) {
    // Anything around the model (history, budget, storage) failing still gets an answer, not silence.
    deps.logger.error({ err }, 'agent turn failed')
    reply = 'Sorry, something went wrong on my side while answering. Please try again in a moment, or use `/promoly help` for the commands.'
  } finally {
    await client.assistant.threads.setStatus({ channel_id: args.channel, thread_ts: args.statusTs, status: '' }).catch(() => undefined)
  }
  const answer = replyMessage(reply)
  const updated = placeholder?.ts
    ? await client.chat.update({ channel: args.channel, ts: placeholder.ts, ...answer }).then(
        () => true,
        () => false,
      )
    : false
  if (!updated) await client.chat.postMessage({ ...where, ...answer })
}
