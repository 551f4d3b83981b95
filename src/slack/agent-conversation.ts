import type { WebClient } from '@slack/web-api'
import { runAgentTurn, type AgentDeps } from '../agent/run-agent-turn.ts'
import type { Workspace } from '../generated/prisma/client.ts'
import { postChangeCard } from './commands/propose-and-post.ts'
import type { SlackDeps } from './deps.ts'

/** Marks a Slack event as handled; false when it was already (a redelivery): answer once. */
export async function firstDelivery(deps: SlackDeps, eventId: string | undefined): Promise<boolean> {
  if (!eventId) return true
  try {
    await deps.domain.prisma.processedEvent.create({ data: { eventId } })
    return true
  } catch (err) {
    if ((err as { code?: string }).code === 'P2002') return false
    throw err
  }
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
 * One turn of the conversation in a Slack thread: status while the agent works, proposals posted
 * as change request cards in the same place, the answer in the thread. Memory lives in the
 * database under `threadKey`; Slack's history is never read back.
 */
export async function answerInThread(
  deps: SlackDeps & { agent: AgentDeps },
  args: { client: WebClient; workspace: Workspace; channel: string; threadTs?: string; statusTs: string; threadKey: string; userId: string; text: string },
): Promise<void> {
  const { client } = args
  const setStatus = (status: string) =>
    client.assistant.threads.setStatus({ channel_id: args.channel, thread_ts: args.statusTs, status }).then(
      () => undefined,
      () => undefined,
    )
  await setStatus('Looking at your campaigns…')
  let result
  try {
    result = await runAgentTurn(deps.agent, {
      workspaceId: args.workspace.id,
      slackUserId: args.userId,
      threadKey: args.threadKey,
      text: args.text,
      onProposed: async (change) => void (await postChangeCard(deps, client, change, args.channel, args.userId)),
      onStatus: setStatus,
      channelId: args.channel,
    })
  } catch (err) {
    // Anything around the model (history, budget, storage) failing still gets an answer, not silence.
    deps.logger.error({ err }, 'agent turn failed')
    result = { reply: 'Sorry, something went wrong on my side while answering. Please try again in a moment, or use `/promoly help` for the commands.' }
  } finally {
    await setStatus('')
  }
  await client.chat.postMessage({ channel: args.channel, ...(args.threadTs ? { thread_ts: args.threadTs } : {}), ...replyMessage(result.reply) })
}
