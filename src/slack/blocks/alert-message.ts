import type { SuggestionPlace } from '../../domain/suggestions/suggestion-place.ts'
import type { Suggestion } from '../../generated/prisma/client.ts'
import { escapeMrkdwn, truncate } from '../../lib/mrkdwn.ts'
import { clientContext, statisticsContext } from './change-card.ts'
import type { Blocks, MessageContent } from './types.ts'

/** What each intraday alert is called on its card. */
const ALERT_LABEL: Record<string, string> = {
  overspend_today: 'Overspending today',
  stopped_delivering: 'Stopped delivering today',
  no_results_today: 'No results today',
}

/**
 * An intraday alert without a change to approve (stopped delivering, no results today): what it is about, the client
 * and account, what Promoly saw in plain words, the numbers on a context line, and Dismiss. An overspend alert is its
 * pause proposal's change card instead (Approve / Reject).
 */
export function alertMessage(
  s: Suggestion,
  place: SuggestionPlace,
  objectText: string,
  objectMrkdwn: string,
  dismissAction: string,
): MessageContent {
  const evidence = (Array.isArray(s.evidence) ? s.evidence : []) as Array<{ label?: string; value?: string }>
  const label = ALERT_LABEL[s.kind] ?? s.kind
  const blocks: Blocks = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`⚠️ ${label}: ${objectText}`, 150) } },
    clientContext(place.clientName, place.accountName, place.currency),
    {
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(`*${escapeMrkdwn(s.title)}*${s.notice ? `\n${escapeMrkdwn(s.notice)}` : ''}`, 2900) },
    },
  ]
  const stats = statisticsContext(evidence)
  if (stats) blocks.push(stats)
  if (s.status === 'OPEN') {
    blocks.push({
      type: 'actions',
      block_id: `suggestion_${s.id}`,
      elements: [{ type: 'button', action_id: dismissAction, text: { type: 'plain_text', text: 'Dismiss' }, value: s.id }],
    })
  } else if (s.status === 'REJECTED') {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Dismissed: Promoly raises this alert at most once a day.' }] })
  }
  return { text: `⚠️ ${label}: ${objectMrkdwn} — ${escapeMrkdwn(s.title)}`, blocks }
}
