import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt'
import { firstDelivery } from '../../agent-conversation.ts'
import type { SlackDeps } from '../../deps.ts'

const SUGGESTED_PROMPTS = [
  { title: 'How are my ads doing?', message: 'Summarise yesterday across my active campaigns against the week before.' },
  { title: 'Why did cost per lead change?', message: 'Why did my cost per lead change in the last 7 days compared with the 7 before?' },
  { title: 'Find wasted spend', message: 'Which campaigns have the worst cost per result this week?' },
  { title: 'Draft ad copy', message: 'Draft three headlines and primary texts for a spring sale, 20% off.' },
]

/** The messages tab opened (agent experience): suggested prompts, and a welcome the first time. */
export function appHomeOpened(deps: SlackDeps) {
  return async ({ event, client, context }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_home_opened'>): Promise<void> => {
    if (event.tab !== 'messages' || !event.channel) return
    // Agent apps set prompts without thread_ts (with it the call silently fails for them).
    await client.assistant.threads
      .setSuggestedPrompts({ channel_id: event.channel, prompts: SUGGESTED_PROMPTS, title: 'Try asking' } as never)
      .catch(() => undefined)
    if (!context.workspace || !(await firstDelivery(deps, `welcome:${context.workspace.id}:${event.user}`))) return
    await client.chat.postMessage({
      channel: event.channel,
      text: 'Hi! I am Promoly. Ask me about your Meta ads — metrics, what changed and why, ad copy — or ask for a change: I will propose it as a card that an admin or approver approves. `/promoly help` lists the commands.',
    })
  }
}
