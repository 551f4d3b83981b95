import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt'
import { greetingMessage } from '../../blocks/greeting-message.ts'

/** @Promoly in a channel: answer in the thread (once: Slack's retries of the same event are ignored). */
export async function appMention({ event, say, context }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_mention'>): Promise<void> {
  if ((context.retryNum ?? 0) > 0) return
  await say({ ...greetingMessage(), thread_ts: event.thread_ts ?? event.ts })
}
