import type { RespondArguments, RespondFn } from '@slack/bolt'
import type { WebClient } from '@slack/web-api'
import type { Blocks } from './blocks/types.ts'

/**
 * Where an answer meant for one person can go, tried in this order: the ack (when the listener has
 * not acked yet), the interaction's response_url, an ephemeral message in `channelId`, else a DM.
 */
export interface ReplyTo {
  client: WebClient
  /** The person; a DM to them is the last resort. */
  userId: string
  /** Only while the listener has not acked yet (a slash command answered in its ack). */
  ack?: (response: RespondArguments) => Promise<void>
  respond?: RespondFn
  /** The channel the person acted in, when there is no response_url. */
  channelId?: string
}

/** Tells one person something only they see (see ReplyTo for where it goes). */
export async function tellUser(to: ReplyTo, content: { text: string; blocks?: Blocks }): Promise<void> {
  const { text, blocks } = content
  if (to.ack) return to.ack({ response_type: 'ephemeral', text, blocks })
  if (to.respond) return void (await to.respond({ response_type: 'ephemeral', replace_original: false, text, blocks }))
  if (to.channelId) {
    const shown = await to.client.chat.postEphemeral({ channel: to.channelId, user: to.userId, text, blocks }).then(
      () => true,
      () => false,
    )
    if (shown) return
  }
  await to.client.chat.postMessage({ channel: to.userId, text, blocks })
}
