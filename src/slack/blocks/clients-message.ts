import type { ClientSummary } from '../../domain/clients/list-clients.ts'
import type { ClientRemoval, ClientRemoved } from '../../domain/clients/remove-client.ts'
import { escapeToFit } from '../../lib/mrkdwn.ts'
import type { Blocks, MessageContent } from './types.ts'

export const CLIENT_ACTIONS = {
  removeConfirm: 'client_remove_confirm',
  removeCancel: 'client_remove_cancel',
} as const

const SLACK_ID = /^[A-Z0-9]+$/
const channel = (id: string) => (SLACK_ID.test(id) ? `<#${id}>` : 'a channel')
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`
const name = (text: string) => escapeToFit(text, 120)
/** At most this many clients listed in one message (a section per client, within Slack's 50 blocks). */
const MAX_LISTED = 40

/** `/promoly clients`: each client with its accounts, channels and counts. */
export function clientsListMessage(clients: ClientSummary[]): MessageContent {
  const shown = clients.slice(0, MAX_LISTED)
  const blocks: Blocks = [{ type: 'header', text: { type: 'plain_text', text: `Clients (${clients.length})` } }]
  for (const c of shown) {
    const accounts =
      c.accounts.length === 0
        ? 'no ad accounts'
        : c.accounts
            .slice(0, 15)
            .map((a) => `${name(a.name)} (${a.currency}${a.syncEnabled ? '' : ', not syncing'})`)
            .join(', ') + (c.accounts.length > 15 ? ` and ${c.accounts.length - 15} more` : '')
    const channels = c.channelIds.length === 0 ? 'no channel of its own' : c.channelIds.slice(0, 10).map(channel).join(', ')
    const lines = [
      `*${name(c.name)}*${c.isDefault ? ' _(default: new ad accounts join it)_' : ''}`,
      `${plural(c.accounts.length, 'ad account')}: ${accounts}`,
      `Channels: ${channels} · suggestions to ${c.suggestionsChannelId ? channel(c.suggestionsChannelId) : 'the admins by DM'}`,
      `${plural(c.activeDigests, 'daily digest')} · ${plural(c.openSuggestions, 'open suggestion')}`,
    ]
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n').slice(0, 2900) } })
  }
  if (clients.length > shown.length)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${clients.length - shown.length} more clients.` }] })
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: '`/promoly clients add <name>` · `rename <old> to <new>` · `remove <name>` · `move <account> to <client>` · `bind <client>` / `unbind` (in the channel) · per-client channels, approvers, targets and guardrails: `/promoly settings`',
      },
    ],
  })
  return { text: `Clients: ${clients.map((c) => c.name).join(', ')}`.slice(0, 3000), blocks }
}

/** What removing a client would do, with the button that does it. */
export function clientRemovalQuestion(removal: ClientRemoval): MessageContent {
  const c = name(removal.client.name)
  const effects = [
    removal.accounts.length === 0
      ? 'It has no ad accounts.'
      : `${removal.accounts.length === 1 ? 'Its ad account' : `Its ${plural(removal.accounts.length, 'ad account')}`} (${removal.accounts
          .slice(0, 15)
          .map((a) => name(a.name))
          .join(
            ', ',
          )}) ${removal.accounts.length === 1 ? 'moves' : 'move'} to *${name(removal.defaultClient.name)}*, with ${removal.accounts.length === 1 ? 'its' : 'their'} history and suggestions.`,
    removal.channelIds.length === 0
      ? ''
      : `${removal.channelIds.map(channel).join(', ')} will no longer belong to a client: *anyone there will see every client's data* (commands, \`digest now\`, the assistant). Bind ${removal.channelIds.length === 1 ? 'it' : 'them'} to another client afterwards, or archive ${removal.channelIds.length === 1 ? 'it' : 'them'} if shared with this client.`,
    removal.subscriptions.length === 0
      ? ''
      : removal.subscriptions.length === 1
        ? 'Its daily digest will be paused, and whoever set it up told.'
        : `Its ${plural(removal.subscriptions.length, 'daily digest')} will be paused, and whoever set them up told.`,
  ].filter(Boolean)
  return {
    text: `Remove the client ${removal.client.name}?`,
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `:warning: *Remove the client ${c}?*\n${effects.map((e) => `• ${e}`).join('\n')}` },
      },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: CLIENT_ACTIONS.removeConfirm,
            style: 'danger',
            text: { type: 'plain_text', text: `Remove ${removal.client.name}`.slice(0, 75) },
            value: removal.client.id,
          },
          {
            type: 'button',
            action_id: CLIENT_ACTIONS.removeCancel,
            text: { type: 'plain_text', text: 'Keep it' },
            value: removal.client.id,
          },
        ],
      },
    ],
  }
}

/** After a removal: what happened. */
export function clientRemovedMessage(removed: ClientRemoved): MessageContent {
  const parts = [
    `:white_check_mark: The client *${name(removed.client.name)}* was removed.`,
    removed.accounts.length > 0
      ? `${plural(removed.accounts.length, 'ad account')} now ${removed.accounts.length === 1 ? 'belongs' : 'belong'} to *${name(removed.defaultClient.name)}*.`
      : '',
    removed.channelIds.length > 0
      ? `${removed.channelIds.map(channel).join(', ')} no longer ${removed.channelIds.length === 1 ? 'belongs' : 'belong'} to a client and ${removed.channelIds.length === 1 ? 'shows' : 'show'} every client's data: bind or archive ${removed.channelIds.length === 1 ? 'it' : 'them'} if shared with a client.`
      : '',
    removed.subscriptions.length > 0
      ? `${plural(removed.subscriptions.length, 'daily digest')} paused${removed.creatorsToTell.length === 0 ? '.' : removed.creatorsToTell.length === 1 ? '; the person who set it up was told.' : `; the ${removed.creatorsToTell.length} people who set them up were told.`}`
      : '',
  ].filter(Boolean)
  return {
    text: `The client ${removed.client.name} was removed.`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: parts.join(' ') } }],
  }
}

/** The DM to someone whose digests were paused because their client was removed. */
export function digestsPausedNotice(clientName: string, channelIds: string[], byUserId: string): { text: string } {
  const where = channelIds.map(channel).join(', ')
  return {
    text: `:pause_button: <@${SLACK_ID.test(byUserId) ? byUserId : 'USLACKBOT'}> removed the client *${name(clientName)}*, so the daily digest you set up in ${where} is paused (its accounts now belong to the default client). \`/promoly digest subscribe\` there sets it up again.`,
  }
}

export function plainMessage(text: string): MessageContent {
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] }
}
