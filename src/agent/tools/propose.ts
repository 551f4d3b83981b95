import type { ChangeWithContext } from '../../domain/changes/change-include.ts'
import { changeTargetOf } from '../../domain/changes/change-include.ts'
import { describeChange } from '../../domain/changes/change-values.ts'
import { failing, type GuardrailResult, lastActiveNote, overrideNote } from '../../domain/changes/guardrails.ts'
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
  return announceProposal(ctx, [change])
}

/**
 * Posts the card of what was just proposed (one change, or the parts of one group: one card for them all) and says
 * to the model what was proposed, part by part, and that nothing has changed yet.
 */
export async function announceProposal(ctx: ToolContext, parts: ChangeWithContext[]): Promise<string> {
  const [lead] = parts
  if (!lead) throw new Error('a proposal wrote nothing')
  let posted = true
  try {
    await ctx.onProposed(lead)
  } catch (error) {
    posted = false
    ctx.deps.logger.error({ err: error, changeId: lead.id }, 'agent proposal card could not be posted')
  }
  const effect = lastActiveNote(lead)
  return proposalText(parts, posted) + (effect ? `\n${effect}` : '')
}

/** `ad set "Retargeting" (id 120…) in campaign "Spring" (id 9001)`: names quoted as data. */
function objectText(change: ChangeWithContext): string {
  const campaign = change.campaign ? `campaign ${quote(change.campaign.name)} (id ${change.campaign.metaCampaignId})` : 'a campaign'
  const target = changeTargetOf(change)
  if (target?.level === 'ad' && change.ad && change.adSet)
    return `ad ${quote(change.ad.name)} (id ${change.ad.metaAdId}) in ad set ${quote(change.adSet.name)} of ${campaign}`
  if (target?.level === 'adset' && change.adSet) return `ad set ${quote(change.adSet.name)} (id ${change.adSet.metaAdSetId}) in ${campaign}`
  return campaign
}

function partText(change: ChangeWithContext): string {
  const d = describeChange(change, change.adAccount.currency)
  if (change.type === 'CREATE_CAMPAIGN') return `${d.action}: ${d.proposed}`
  const what = change.type === 'PAUSE' ? 'Pause' : change.type === 'RESUME' ? 'Resume' : `${d.action} of`
  return `${what} ${objectText(change)}: ${d.current} → ${d.proposed}`
}

function proposalText(parts: ChangeWithContext[], cardPosted: boolean): string {
  const [lead] = parts
  if (!lead) return ''
  const account = `account ${quote(lead.adAccount.name)}, ${lead.adAccount.currency}`
  const refused = parts.flatMap((p) => failing(p.guardrails as unknown as GuardrailResult[]))
  const what =
    parts.length === 1
      ? [`Change request ${lead.id} created with status PROPOSED: ${partText(lead)} (${account}).`]
      : [
          `${parts.length} change requests created with status PROPOSED, one per active ad set (the campaign's budgets live on its ad sets), on one card that is approved or rejected as a whole (${account}):`,
          ...parts.map((p) => `- ${p.id}: ${partText(p)}`),
        ]
  return [
    ...what,
    'Nothing has changed on Meta. It takes effect only if an admin or approver presses Approve on its card; tell the person exactly that, and do not say it is done.',
    cardPosted
      ? 'The card with Approve/Reject buttons has been posted.'
      : 'The card could not be posted just now; an admin can find the proposal with `/promoly history`.',
    ...(refused.length > 0
      ? [`Guardrails that would refuse it at approval (${overrideNote(refused)}): ${refused.map((g) => g.message).join(' ')}`]
      : []),
  ].join('\n')
}
