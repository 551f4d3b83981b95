import type { ReachableAdAccount } from '../../domain/connections/validate-meta-token.ts'
import { truncate } from '../../lib/mrkdwn.ts'
import type { ModalView } from './types.ts'

export const CONNECT_TOKEN_VIEW = 'promoly_connect_token'
export const CONNECT_ACCOUNTS_VIEW = 'promoly_connect_accounts'
export const TOKEN_BLOCK = 'token'
export const TOKEN_ACTION = 'token_input'
export const ACCOUNTS_BLOCK = 'accounts'
export const ACCOUNTS_ACTION = 'accounts_input'

export function connectTokenModal(): ModalView {
  return {
    type: 'modal',
    callback_id: CONNECT_TOKEN_VIEW,
    title: { type: 'plain_text', text: 'Connect Meta' },
    submit: { type: 'plain_text', text: 'Check token' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: 'Paste a *system-user access token* from Meta Business Settings › System users (scopes `ads_management`, `ads_read`). Promoly checks it with Meta and stores it encrypted.',
        },
      },
      {
        type: 'input',
        block_id: TOKEN_BLOCK,
        label: { type: 'plain_text', text: 'Access token' },
        element: {
          type: 'plain_text_input',
          action_id: TOKEN_ACTION,
          placeholder: { type: 'plain_text', text: 'EAAB…' },
          min_length: 20,
          max_length: 1000,
        },
      },
    ],
  }
}

export function checkingTokenModal(): ModalView {
  return {
    type: 'modal',
    callback_id: CONNECT_TOKEN_VIEW,
    title: { type: 'plain_text', text: 'Connect Meta' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: ':hourglass_flowing_sand: Checking the token with Meta…' } }],
  }
}

export function connectAccountsModal(connectionId: string, accounts: ReachableAdAccount[], who: string): ModalView {
  const options = accounts.slice(0, 100).map((a) => ({
    text: { type: 'plain_text' as const, text: truncate(`${a.name} (${a.currency})`, 75) },
    value: a.id,
    description: { type: 'plain_text' as const, text: truncate(`${a.id} · ${a.timezoneName ?? 'time zone unknown'}`, 75) },
  }))
  return {
    type: 'modal',
    callback_id: CONNECT_ACCOUNTS_VIEW,
    private_metadata: JSON.stringify({ connectionId }),
    notify_on_close: true,
    title: { type: 'plain_text', text: 'Connect Meta' },
    submit: { type: 'plain_text', text: 'Connect' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `:white_check_mark: Token accepted (Meta user *${truncate(who, 100).replace(/[<>&]/g, '')}*). Choose the ad accounts Promoly should follow:`,
        },
      },
      {
        type: 'input',
        block_id: ACCOUNTS_BLOCK,
        label: { type: 'plain_text', text: 'Ad accounts' },
        element: {
          type: 'multi_static_select',
          action_id: ACCOUNTS_ACTION,
          options,
          initial_options: options,
          placeholder: { type: 'plain_text', text: 'Choose ad accounts' },
        },
      },
      ...(accounts.length > 100
        ? [
            {
              type: 'context' as const,
              elements: [
                {
                  type: 'mrkdwn' as const,
                  text: `This token reaches ${accounts.length} ad accounts; the first 100 (by Meta's order) are listed.`,
                },
              ],
            },
          ]
        : []),
    ],
  }
}

export function connectResultModal(text: string): ModalView {
  return {
    type: 'modal',
    callback_id: CONNECT_TOKEN_VIEW,
    title: { type: 'plain_text', text: 'Connect Meta' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
  }
}
