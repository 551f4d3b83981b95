import type { AdAccount } from '../../generated/prisma/client.ts'
import { truncate } from '../../lib/mrkdwn.ts'
import { timeZoneSelect } from './time-zone-select.ts'
import type { ModalView } from './types.ts'

export const DIGEST_SUBSCRIBE_VIEW = 'promoly_digest_subscribe'
export const DIGEST_FIELDS = {
  channel: { block: 'channel', action: 'channel_select' },
  time: { block: 'time', action: 'time_select' },
  timeZone: { block: 'time_zone', action: 'time_zone_select' },
  accounts: { block: 'accounts', action: 'accounts_select' },
} as const

/**
 * `/promoly digest` with no arguments: the same subscription as a form. The time zone is chosen from a list,
 * `defaultTimeZone` (the person's Slack time zone when known) selected, the accounts' zones suggested first.
 */
export function digestSubscribeModal(options: { channelId: string; accounts: AdAccount[]; defaultTimeZone: string }): ModalView {
  const accountOptions = options.accounts
    .slice(0, 100)
    .map((a) => ({ text: { type: 'plain_text' as const, text: truncate(`${a.name} (${a.currency})`, 75) }, value: a.id }))
  return {
    type: 'modal',
    callback_id: DIGEST_SUBSCRIBE_VIEW,
    title: { type: 'plain_text', text: 'Daily digest' },
    submit: { type: 'plain_text', text: 'Subscribe' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: DIGEST_FIELDS.channel.block,
        label: { type: 'plain_text', text: 'Channel' },
        element: {
          type: 'conversations_select',
          action_id: DIGEST_FIELDS.channel.action,
          ...(options.channelId.startsWith('D') ? {} : { initial_conversation: options.channelId }),
          filter: { include: ['public', 'private'], exclude_bot_users: true },
        },
      },
      {
        type: 'input',
        block_id: DIGEST_FIELDS.time.block,
        label: { type: 'plain_text', text: 'Time' },
        element: { type: 'timepicker', action_id: DIGEST_FIELDS.time.action, initial_time: '09:00' },
      },
      {
        type: 'input',
        block_id: DIGEST_FIELDS.timeZone.block,
        label: { type: 'plain_text', text: 'Time zone' },
        element: timeZoneSelect({
          actionId: DIGEST_FIELDS.timeZone.action,
          initial: options.defaultTimeZone,
          suggested: options.accounts.map((a) => a.timezoneName),
        }),
      },
      ...(accountOptions.length > 0
        ? [
            {
              type: 'input' as const,
              block_id: DIGEST_FIELDS.accounts.block,
              optional: true,
              label: { type: 'plain_text' as const, text: 'Ad accounts' },
              hint: { type: 'plain_text' as const, text: 'Leave empty for every connected account.' },
              element: {
                type: 'multi_static_select' as const,
                action_id: DIGEST_FIELDS.accounts.action,
                options: accountOptions,
                placeholder: { type: 'plain_text' as const, text: 'All accounts' },
              },
            },
          ]
        : []),
    ],
  }
}
