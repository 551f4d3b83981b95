import type { Suggestion } from '../../generated/prisma/client.ts'
import { escapeMrkdwn, truncate } from '../../lib/mrkdwn.ts'
import type { Blocks, MessageContent } from './types.ts'

const KIND_LABEL: Record<string, string> = {
  creative_fatigue: 'Creative fatigue',
  low_ctr: 'Low click-through rate',
  cost_spike: 'Cost per result spike',
  high_cost_per_result: 'Cost per result above target',
  underpacing: 'Underspending its budget',
  overpacing: 'Overspending its budget',
  scale_winner: 'Winner worth scaling',
  zero_delivery: 'Stopped delivering',
}

export const SUGGESTION_DISMISS_ACTION = 'suggestion_dismiss'

/** A finding Promoly cannot apply through the API (e.g. refresh creatives): evidence, advice, Dismiss. */
export function suggestionMessage(s: Suggestion, campaignName: string): MessageContent {
  const evidence = (Array.isArray(s.evidence) ? s.evidence : []) as Array<{ label?: string; value?: string }>
  const effect = (s.expectedEffect ?? {}) as { text?: string; basis?: string }
  const blocks: Blocks = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`${KIND_LABEL[s.kind] ?? s.kind}: ${campaignName}`, 150) } },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(`*${escapeMrkdwn(s.title)}*${s.notice ? `\n${escapeMrkdwn(s.notice)}` : ''}`, 2900) },
    },
  ]
  if (evidence.length > 0) {
    blocks.push({
      type: 'section',
      fields: evidence.slice(0, 10).map((e) => ({
        type: 'mrkdwn' as const,
        text: truncate(`*${escapeMrkdwn(String(e.label ?? ''))}*\n${escapeMrkdwn(String(e.value ?? ''))}`, 1900),
      })),
    })
  }
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: truncate(
          `Confidence ${(s.confidence * 100).toFixed(0)}%${effect.text ? ` · Expected: ${escapeMrkdwn(effect.text)}${effect.basis ? ` (${escapeMrkdwn(effect.basis)})` : ''}` : ''}`,
          2900,
        ),
      },
    ],
  })
  if (s.status === 'OPEN') {
    blocks.push({
      type: 'actions',
      block_id: `suggestion_${s.id}`,
      elements: [{ type: 'button', action_id: SUGGESTION_DISMISS_ACTION, text: { type: 'plain_text', text: 'Dismiss' }, value: s.id }],
    })
  } else if (s.status === 'REJECTED') {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'Dismissed: Promoly stays quiet about this unless it gets materially worse.' }],
    })
  }
  return { text: `${KIND_LABEL[s.kind] ?? s.kind}: ${escapeMrkdwn(campaignName)} — ${escapeMrkdwn(s.title)}`, blocks }
}
