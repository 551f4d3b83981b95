import type { DigestSubscriptionWithAccounts } from '../../domain/digests/list-digest-subscriptions.ts'
import { escapeMrkdwn, truncate } from '../../lib/mrkdwn.ts'
import type { MessageContent } from './types.ts'

/**
 * `/promoly digest list`: paused digests first (with why and who set them up, so an admin sees what stopped and
 * how to revive it), then the active ones. `manager`: the viewer manages digests and sees all of them.
 */
export function digestListMessage(subs: DigestSubscriptionWithAccounts[], manager: boolean): MessageContent {
  const line = (s: DigestSubscriptionWithAccounts) => {
    const accounts = s.accountNames.length === 0 ? 'all accounts' : s.accountNames.map(escapeMrkdwn).join(', ')
    const base = `<#${s.channelId}> at ${s.localTime} (${escapeMrkdwn(s.timeZone)}) — ${accounts}`
    if (s.status !== 'PAUSED') return `• ${base}`
    const by = s.createdBySlackUserId ? `, set up by <@${s.createdBySlackUserId}>` : ''
    return `• :double_vertical_bar: *Paused:* ${base}${by} — ${escapeMrkdwn(truncate(s.pausedReason ?? 'no reason recorded', 400))}`
  }
  const ordered = [...subs.filter((s) => s.status === 'PAUSED'), ...subs.filter((s) => s.status !== 'PAUSED')]
  const text =
    subs.length > 0
      ? `${manager ? 'Digests' : 'Digests of this channel'}:\n${ordered.map(line).join('\n')}`
      : manager
        ? 'No digests yet. `/promoly digest subscribe` adds one for this channel.'
        : 'This channel has no digest. Promoly admins and approvers can add one (`/promoly digest subscribe`).'
  return { text: truncate(text, 3900), blocks: [{ type: 'section', text: { type: 'mrkdwn', text: truncate(text, 2900) } }] }
}
