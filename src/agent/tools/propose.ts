import type { ChangeWithContext } from '../../domain/changes/change-include.ts'
import { describeChange } from '../../domain/changes/change-values.ts'
import { failing, type GuardrailResult, overrideNote } from '../../domain/changes/guardrails.ts'
import { type ProposeChangeOptions, proposeChange } from '../../domain/changes/propose-change.ts'
import { quote, type ToolContext } from './tool-context.ts'

export type ProposalOptions = Omit<ProposeChangeOptions, 'workspaceId' | 'source' | 'requestedBySlackUserId' | 'undoOfId' | 'suggestionId'>

/**
 * The agent's only way to ask for a write: a PROPOSED change request (source AGENT, on behalf of
 * the person talking to it), whose card the Slack layer posts through `onProposed`. Nothing is
 * written to Meta here; an admin or approver decides on the card.
 */
export async function proposeForAgent(ctx: ToolContext, options: ProposalOptions): Promise<string> {
  const change = await proposeChange(ctx.deps, {
    ...options,
    workspaceId: ctx.workspaceId,
    source: 'AGENT',
    requestedBySlackUserId: ctx.slackUserId,
  })
  let posted = true
  try {
    await ctx.onProposed(change)
  } catch (error) {
    posted = false
    ctx.deps.logger.error({ err: error, changeId: change.id }, 'agent proposal card could not be posted')
  }
  return proposalText(change, posted)
}

function proposalText(change: ChangeWithContext, cardPosted: boolean): string {
  const d = describeChange(change, change.adAccount.currency)
  const what = change.campaign ? `${d.action} ${quote(change.campaign.name)}` : d.action
  const refused = failing(change.guardrails as unknown as GuardrailResult[])
  return [
    `Change request ${change.id} created with status PROPOSED: ${what}, ${d.current} → ${d.proposed} (account ${quote(change.adAccount.name)}, ${change.adAccount.currency}).`,
    'Nothing has changed on Meta. It takes effect only if an admin or approver presses Approve on its card; tell the person exactly that, and do not say it is done.',
    cardPosted
      ? 'The card with Approve/Reject buttons has been posted.'
      : 'The card could not be posted just now; an admin can find the proposal with `/promoly history`.',
    ...(refused.length > 0
      ? [`Guardrails that would refuse it at approval (${overrideNote(refused)}): ${refused.map((g) => g.message).join(' ')}`]
      : []),
  ].join('\n')
}
