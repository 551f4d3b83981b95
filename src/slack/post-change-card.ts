import type { WebClient } from '@slack/web-api'
import type { ChangeWithContext } from '../domain/changes/change-include.ts'
import { failing, type GuardrailResult, overrideNote } from '../domain/changes/guardrails.ts'
import type { SlackDeps } from './deps.ts'

/**
 * Posts a new change card where the command was run (everyone there can see it and approvers can
 * decide), falling back to the requester's DM when Promoly cannot post in that channel. Returns where it
 * went: the publisher sends it to the account's client's destination when the channel is another client's.
 */
export async function postChangeCard(
  deps: SlackDeps,
  client: WebClient,
  change: ChangeWithContext,
  channelId: string,
  userId: string,
): Promise<string> {
  try {
    return (await deps.cards.post(change, channelId, client)) ?? channelId
  } catch {
    await deps.cards.post(change, userId, client)
    return userId
  }
}

/**
 * What the proposer is told: whether the card can simply be approved. `parts` are the card's changes when it has
 * several (a budget change per ad set): a guardrail refusing any of them refuses the card.
 */
export function proposalNote(change: ChangeWithContext, parts: ChangeWithContext[] = [change]): string {
  const refused = parts.flatMap((p) => failing(p.guardrails as unknown as GuardrailResult[]))
  const several = parts.length > 1 ? ` (${parts.length} changes, one per ad set, on one card: approved or rejected together)` : ''
  return refused.length > 0
    ? `Proposed${several}, but ${refused.length} guardrail${refused.length === 1 ? '' : 's'} would refuse it (see the card); ${overrideNote(refused)}.`
    : `Proposed${several}: an admin or approver can approve it on the card.`
}
