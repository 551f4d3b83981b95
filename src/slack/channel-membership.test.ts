/** Slack's answers to conversations.members, as Promoly reads them for digest subscriptions. */
import type { WebClient } from '@slack/web-api'
import { describe, expect, it } from 'vitest'
import { slackChannelMembership } from './channel-membership.ts'

/** A WebClient whose conversations.members answers with `answer` (a Slack error code throws like the real client). */
function clientAnswering(answer: { members?: string[]; next_cursor?: string } | { error: string }): WebClient {
  return {
    conversations: {
      members: async () => {
        if ('error' in answer)
          throw Object.assign(new Error(`An API error occurred: ${answer.error}`), { data: { ok: false, error: answer.error } })
        return { ok: true, members: answer.members, response_metadata: { next_cursor: answer.next_cursor ?? '' } }
      },
    },
  } as unknown as WebClient
}

describe('slackChannelMembership', () => {
  it('tells a group DM or DM (method_not_supported_for_channel_type) apart from a channel Promoly cannot see', async () => {
    expect(await slackChannelMembership(clientAnswering({ error: 'method_not_supported_for_channel_type' }))('G0MPIM001', 'U1')).toBe(
      'not_a_channel',
    )
    expect(await slackChannelMembership(clientAnswering({ error: 'channel_not_found' }))('G0PRIV001', 'U1')).toBe('not_found')
  })

  it('answers member or not_member from the member list', async () => {
    expect(await slackChannelMembership(clientAnswering({ members: ['U0', 'U1'] }))('C0001', 'U1')).toBe('member')
    expect(await slackChannelMembership(clientAnswering({ members: ['U0'] }))('C0001', 'U1')).toBe('not_member')
  })
})
