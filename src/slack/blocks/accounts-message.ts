import { describeSyncGap, readSyncGaps } from '../../domain/sync/sync-gaps.ts'
import type { AdAccount, MetaConnection } from '../../generated/prisma/client.ts'
import { escapeMrkdwn, truncate } from '../../lib/mrkdwn.ts'
import { type Blocks, MAX_MESSAGE_BLOCKS, type MessageContent } from './types.ts'

export function accountsMessage(accounts: Array<AdAccount & { connection: Pick<MetaConnection, 'status'> }>, now: Date): MessageContent {
  if (accounts.length === 0) {
    return {
      text: 'No ad account is connected yet.',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'No Meta ad account is connected yet. Run `/promoly connect` to add one.' } },
      ],
    }
  }
  const blocks: Blocks = [{ type: 'header', text: { type: 'plain_text', text: `Connected ad accounts (${accounts.length})` } }]
  for (const a of accounts.slice(0, MAX_MESSAGE_BLOCKS - 2)) {
    const gaps = readSyncGaps(a.syncGaps)
    const sync = a.lastSyncedAt ? `${gaps.length > 0 ? 'partly synced' : 'synced'} ${ago(a.lastSyncedAt, now)}` : 'not synced yet'
    const problems = [
      // A partly synced account names the days it is missing and why, never passing for complete.
      ...gaps.slice(0, 3).map((g) => `:warning: ${escapeMrkdwn(describeSyncGap(g))}`),
      gaps.length > 3 ? `:warning: …and ${gaps.length - 3} more missing ranges, retried at the next sync.` : null,
      a.connection.status !== 'ACTIVE' ? ':warning: token rejected by Meta — run `/promoly connect` to reconnect' : null,
      a.lastSyncError && a.connection.status === 'ACTIVE'
        ? `:warning: last sync failed: ${escapeMrkdwn(truncate(a.lastSyncError, 200))}`
        : null,
      !a.syncEnabled ? 'sync off' : null,
    ].filter(Boolean)
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${escapeMrkdwn(truncate(a.name, 150))}* \`${a.metaAccountId}\`\n${a.currency} · ${escapeMrkdwn(a.timezoneName)} · ${sync}${problems.length ? `\n${problems.join('\n')}` : ''}`,
      },
    })
  }
  if (accounts.length > MAX_MESSAGE_BLOCKS - 2) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${accounts.length - (MAX_MESSAGE_BLOCKS - 2)} more.` }] })
  }
  return { text: `${accounts.length} connected ad account(s)`, blocks }
}

export function ago(then: Date, now: Date): string {
  const s = Math.max(0, Math.round((now.getTime() - then.getTime()) / 1000))
  if (s < 90) return 'just now'
  const m = Math.round(s / 60)
  if (m < 90) return `${m} min ago`
  const h = Math.round(m / 60)
  if (h < 36) return `${h} h ago`
  return `${Math.round(h / 24)} days ago`
}
