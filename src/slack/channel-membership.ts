import type { WebClient } from '@slack/web-api'
import type { ChannelAccess, ChannelMembership } from '../domain/digests/subscriptions.ts'
import { AppError, AppErrorCode } from '../lib/errors.ts'

/** Slack's answer for a private channel Promoly is not in. */
const NOT_VISIBLE = 'channel_not_found'
/** Slack's answer for a conversation that is no channel (a group DM or DM). */
const NOT_A_CHANNEL = 'method_not_supported_for_channel_type'
const PAGE = 200

function slackError(err: unknown): string | undefined {
  return (err as { data?: { error?: string } }).data?.error
}

/**
 * Whether a person is in a channel, from Slack's `conversations.members` (scopes channels:read, groups:read; never
 * asked of a DM, which the domain answers itself), paged with its cursor. Promoly sees a private channel only once
 * it is in it, so a channel it can list is also one it can post to (public ones through chat:write.public).
 */
export function slackChannelMembership(client: WebClient): ChannelMembership {
  return async (channelId, slackUserId): Promise<ChannelAccess> => {
    let cursor: string | undefined
    do {
      let page: Awaited<ReturnType<WebClient['conversations']['members']>>
      try {
        page = await client.conversations.members({ channel: channelId, limit: PAGE, ...(cursor ? { cursor } : {}) })
      } catch (err) {
        const code = slackError(err)
        if (code === NOT_VISIBLE) return 'not_found'
        if (code === NOT_A_CHANNEL) return 'not_a_channel'
        if (code === 'missing_scope')
          throw new AppError(
            AppErrorCode.FORBIDDEN,
            'Promoly cannot check who is in that channel: its Slack app needs the channels:read and groups:read permissions (reinstall it). Nothing was changed.',
          )
        throw err
      }
      if (page.members?.includes(slackUserId)) return 'member'
      cursor = page.response_metadata?.next_cursor || undefined
    } while (cursor)
    return 'not_member'
  }
}
