import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt'
import type { AgentDeps } from '../../../agent/run-agent-turn.ts'
import { answerInThread, firstDelivery } from '../../agent-conversation.ts'
import type { SlackDeps } from '../../deps.ts'

/**
 * A message in Promoly's DM (message.im): people only (no bots, no edits), once per event. One
 * running conversation per DM, or per thread when the person replies in a thread.
 */
export function directMessage(deps: SlackDeps & { agent: AgentDeps }) {
  return async ({ message, body, client, context }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'message'>): Promise<void> => {
    if (message.channel_type !== 'im' || message.subtype !== undefined || !('user' in message) || !message.user) return
    if ('bot_id' in message && message.bot_id) return
    if (!context.workspace || !(await firstDelivery(deps, (body as { event_id?: string }).event_id))) return
    const threadTs = 'thread_ts' in message ? message.thread_ts : undefined
    await answerInThread(deps, {
      client,
      workspace: context.workspace,
      channel: message.channel,
      threadTs,
      statusTs: threadTs ?? message.ts,
      threadKey: `${message.channel}:${threadTs ?? 'dm'}`,
      userId: message.user,
      text: message.text ?? '',
    })
  }
}
