import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt'
import { isAdmin } from '../../../domain/members/resolve-member.ts'
import { suggestionsDestination } from '../../../domain/suggestions/suggestion-delivery.ts'
import { firstDelivery } from '../../agent-conversation.ts'
import type { SlackDeps } from '../../deps.ts'
import { resolveCaller } from '../../resolve-caller.ts'

const SUGGESTED_PROMPTS = [
  { title: 'How are my ads doing?', message: 'Summarise yesterday across my active campaigns against the week before.' },
  { title: 'Why did cost per lead change?', message: 'Why did my cost per lead change in the last 7 days compared with the 7 before?' },
  { title: 'Find wasted spend', message: 'Which campaigns have the worst cost per result this week?' },
  { title: 'Draft ad copy', message: 'Draft three headlines and primary texts for a spring sale, 20% off.' },
]

/**
 * The messages tab opened (agent experience): suggested prompts, and a welcome the first time; an
 * admin's welcome says where suggestions go (the admins' DMs until a channel is chosen).
 */
export function appHomeOpened(deps: SlackDeps) {
  return async ({ event, client, context }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_home_opened'>): Promise<void> => {
    if (event.tab !== 'messages' || !event.channel) return
    // Agent apps set prompts without thread_ts (with it the call silently fails for them).
    await client.assistant.threads
      .setSuggestedPrompts({ channel_id: event.channel, prompts: SUGGESTED_PROMPTS, title: 'Try asking' } as never)
      .catch(() => undefined)
    const workspace = context.workspace
    if (!workspace || !(await firstDelivery(deps, `welcome:${workspace.id}:${event.user}`))) return
    const member = await resolveCaller(deps, workspace, event.user, client)
    const { channelId } = isAdmin(member) ? await suggestionsDestination(deps.domain.prisma, workspace.id) : { channelId: undefined }
    await client.chat.postMessage({ channel: event.channel, text: isAdmin(member) ? adminWelcome(channelId) : WELCOME })
  }
}

const WELCOME =
  'Hi! I am Promoly. Ask me about your Meta ads — metrics, what changed and why, ad copy — or ask for a change: I will propose it as a card that an admin or approver approves. `/promoly help` lists the commands.'

/** An admin's welcome also says where suggestions go, and where that is chosen. */
function adminWelcome(suggestionsChannelId: string | undefined): string {
  const where = suggestionsChannelId
    ? `New suggestions are posted in <#${suggestionsChannelId}>.`
    : 'No suggestions channel is chosen yet, so I send new suggestions to the Promoly admins by DM (here). Choose a channel — one your client is not in — in `/promoly settings`.'
  return `${WELCOME}\n\nYou are a Promoly admin: \`/promoly settings\` sets who else is an admin or approver, the guardrails, and where suggestions go. ${where}`
}
