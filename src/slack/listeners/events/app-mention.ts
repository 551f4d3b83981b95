import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt'
import type { AgentDeps } from '../../../agent/run-agent-turn.ts'
import { answerInThread, firstDelivery, withoutMention } from '../../agent-conversation.ts'
import type { SlackDeps } from '../../deps.ts'

/** @Promoly in a channel: answered in a thread (the conversation of that thread), once per event. */
export function appMention(deps: SlackDeps & { agent: AgentDeps }) {
  return async ({ event, body, client, context }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_mention'>): Promise<void> => {
    if (!event.user || ('bot_id' in event && event.bot_id)) return
    if (!context.workspace || !(await firstDelivery(deps, (body as { event_id?: string }).event_id))) return
    const threadTs = event.thread_ts ?? event.ts
    await answerInThread(deps, {
      client,
      workspace: context.workspace,
      channel: event.channel,
      threadTs,
      statusTs: threadTs,
      threadKey: `${event.channel}:${threadTs}`,
      userId: event.user,
      text: withoutMention(event.text, context.botUserId),
    })
  }
}
