import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt'
import { greetingMessage } from '../../blocks/greeting-message.ts'

/** A message in Promoly's DM (message.im): people, not bots or edits; Slack's retries ignored. */
export async function directMessage({ message, say, context }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'message'>): Promise<void> {
  if ((context.retryNum ?? 0) > 0) return
  if (message.channel_type !== 'im' || message.subtype !== undefined || !('user' in message)) return
  await say({ ...greetingMessage(), ...('thread_ts' in message && message.thread_ts ? { thread_ts: message.thread_ts } : {}) })
}
