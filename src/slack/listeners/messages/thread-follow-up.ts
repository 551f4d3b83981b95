import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt'
import { hasConversation } from '../../../agent/memory.ts'
import type { AgentDeps } from '../../../agent/run-agent-turn.ts'
import { answerInThread, firstDelivery } from '../../agent-conversation.ts'
import type { SlackDeps } from '../../deps.ts'

/**
 * A reply in a channel thread where Promoly is already in the conversation: understood without a
 * new @mention. Other channel messages are ignored (Promoly answers only when addressed).
 */
export function threadFollowUp(deps: SlackDeps & { agent: AgentDeps }) {
  return async ({ message, body, client, context }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'message'>): Promise<void> => {
    if (message.channel_type === 'im' || message.subtype !== undefined || !('user' in message) || !message.user) return
    if (('bot_id' in message && message.bot_id) || !('thread_ts' in message) || !message.thread_ts) return
    // A message that mentions Promoly also arrives as app_mention: that listener answers it.
    if (context.botUserId && (message.text ?? '').includes(`<@${context.botUserId}>`)) return
    if (!context.workspace) return
    const threadKey = `${message.channel}:${message.thread_ts}`
    if (
      !(await hasConversation(deps.domain.prisma, { workspaceId: context.workspace.id, threadKey })) ||
      !(await firstDelivery(deps, (body as { event_id?: string }).event_id))
    )
      return
    await answerInThread(deps, {
      client,
      workspace: context.workspace,
      channel: message.channel,
      threadTs: message.thread_ts,
      statusTs: message.thread_ts,
      threadKey,
      userId: message.user,
      text: message.text ?? '',
    })
  }
}
