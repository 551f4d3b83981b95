import { objectLabel } from '../../domain/changes/change-target.ts'
import { confidencePct } from '../../domain/optimizer/format.ts'
import type { SuggestionPlace } from '../../domain/suggestions/suggestion-place.ts'
import type { Suggestion } from '../../generated/prisma/client.ts'
import { withFormattedDays } from '../../lib/dates.ts'
import { escapeMrkdwn, truncate } from '../../lib/mrkdwn.ts'
import { alertMessage } from './alert-message.ts'
import { clientContext, statisticsContext } from './change-card.ts'
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

/** The object a finding is about with its parents, plain text: "Ad “X” in ad set “Y” (campaign “Z”)". */
function objectText(place: SuggestionPlace): string {
  const name = place.level === 'ad' ? place.adName : place.level === 'adset' ? place.adSetName : place.campaignName
  return objectLabel({ level: place.level, name: name ?? '?', campaignName: place.campaignName, adSetName: place.adSetName })
}

/** The same in mrkdwn, names escaped and bold: "Ad *X* in ad set *Y* (campaign *Z*)". */
export function suggestionObjectMrkdwn(
  place: Pick<SuggestionPlace, 'level' | 'adSetName' | 'adName'> & { campaignName: string | null },
): string {
  const bold = (name: string | null) => `*${escapeMrkdwn(name ?? '?')}*`
  if (place.level === 'ad') return `Ad ${bold(place.adName)} in ad set ${bold(place.adSetName)} (campaign ${bold(place.campaignName)})`
  if (place.level === 'adset') return `Ad set ${bold(place.adSetName)} in campaign ${bold(place.campaignName)}`
  return `Campaign ${bold(place.campaignName)}`
}

/**
 * A finding Promoly cannot apply through the API (e.g. refresh creatives): what it is about (the campaign, or the ad
 * set or ad with its parents), the client and account, the finding in plain words, what to do, the statistics on a
 * context line, Dismiss.
 */
export function suggestionMessage(s: Suggestion, place: SuggestionPlace): MessageContent {
  // An intraday alert reads as one (no confidence or expected effect: it reports what happened today).
  if (s.alertKey) return alertMessage(s, place, objectText(place), suggestionObjectMrkdwn(place), SUGGESTION_DISMISS_ACTION)
  const evidence = (Array.isArray(s.evidence) ? s.evidence : []) as Array<{ label?: string; value?: string }>
  const effect = (s.expectedEffect ?? {}) as { text?: string; basis?: string }
  const blocks: Blocks = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`${KIND_LABEL[s.kind] ?? s.kind}: ${objectText(place)}`, 150) } },
    clientContext(place.clientName, place.accountName, place.currency),
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(
          withFormattedDays(
            `*${escapeMrkdwn(s.title)}*${s.notice ? `\n${escapeMrkdwn(s.notice)}` : ''}${effect.text ? `\n_Expected:_ ${escapeMrkdwn(effect.text)}` : ''}`,
          ),
          2900,
        ),
      },
    },
  ]
  const stats = statisticsContext(evidence, [
    `Confidence ${confidencePct(s.confidence)}`,
    ...(effect.basis ? [`Expected from ${escapeMrkdwn(effect.basis)}`] : []),
  ])
  if (stats) blocks.push(stats)
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
  return { text: `${KIND_LABEL[s.kind] ?? s.kind}: ${suggestionObjectMrkdwn(place)} — ${escapeMrkdwn(s.title)}`, blocks }
}
