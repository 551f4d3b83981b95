import type { Member } from '../../generated/prisma/client.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { formatMoney } from '../../lib/money.ts'
import { recordAuditEvent } from '../audit/record-audit-event.ts'
import { mayDecideFor } from '../clients/client-policy.ts'
import type { DomainDeps } from '../deps.ts'
import { ambiguityMessage, budgetTarget, parseBudgetInput } from './budget-input.ts'
import { type ChangeWithContext, loadChange } from './change-include.ts'
import { budgetOf, isBudgetChange } from './change-values.ts'
import { findChange } from './find-change.ts'
import { proposeChange } from './propose-change.ts'

export interface EditChangeOptions {
  workspaceId: string
  /** The proposal being edited (PROPOSED). */
  changeId: string
  /** The new budget, in the account currency's minor units. */
  budgetMinor: number
  /** Who edits: an admin or approver. They become the requester of the new proposal. */
  member: Pick<Member, 'role' | 'slackUserId'>
}

export type EditChangeResult =
  | { edited: true; change: ChangeWithContext; replaced: ChangeWithContext }
  /** The proposal had already left PROPOSED (decided, expired, edited by someone else): nothing was written. */
  | { edited: false; change: ChangeWithContext }

/**
 * An edit never approves. It is a new proposal of the edited amount by the editor (same target, same
 * suggestion, a fresh expiry), and it closes the edited one as REJECTED ("replaced by an edit"), in one
 * transaction, audited; the new proposal takes over the old one's card. It is then decided like any
 * proposal: under four eyes someone other than the editor approves it.
 */
export async function editChange(deps: DomainDeps, options: EditChangeOptions): Promise<EditChangeResult> {
  const { member } = options
  const original = await findChange(deps.prisma, { workspaceId: options.workspaceId, changeId: options.changeId })
  if (!original) throw new AppError(AppErrorCode.NOT_FOUND, 'That change request no longer exists.')
  if (original.status !== 'PROPOSED' || original.expiresAt <= deps.now()) return { edited: false, change: original }
  if (!(await mayDecideFor(deps.prisma, member, original.adAccountId)))
    throw new AppError(
      AppErrorCode.FORBIDDEN,
      'Only Promoly admins and approvers (and its client’s approvers) can edit a proposal. You can propose your own amount with `/promoly budget`. Nothing was changed.',
    )
  if (!isBudgetChange(original.type) || !original.campaignId)
    throw new AppError(AppErrorCode.BAD_INPUT, 'Only the amount of a budget change can be edited.')
  if (original.groupId)
    throw new AppError(
      AppErrorCode.BAD_INPUT,
      'This card changes several ad sets together, so one amount cannot be edited on it: reject it and propose again (in percent for all, or naming one ad set). Nothing was changed.',
    )
  if (!Number.isSafeInteger(options.budgetMinor) || options.budgetMinor <= 0)
    throw new AppError(AppErrorCode.BAD_INPUT, 'The budget must be more than zero.')
  const before = budgetOf(original.proposedValue)
  if (before === options.budgetMinor)
    throw new AppError(AppErrorCode.BAD_INPUT, 'That is the amount already proposed: approve it on the card instead.')
  const currency = original.adAccount.currency
  const was = before === null ? 'another amount' : formatMoney(before, currency)
  // A mention (the card keeps mentions in reasons): Slack shows the person's name.
  const by = original.requestedBySlackUserId ? `<@${original.requestedBySlackUserId}>` : 'Promoly'
  const proposedValue =
    original.type === 'SET_LIFETIME_BUDGET' ? { lifetimeBudgetMinor: options.budgetMinor } : { dailyBudgetMinor: options.budgetMinor }
  const now = deps.now()
  const created = await proposeChange(
    deps,
    {
      workspaceId: options.workspaceId,
      type: original.type,
      // A person's proposal now, whoever proposed the edited one (an edited undo is no longer an undo).
      source: 'COMMAND',
      // The same object as the edited proposal: its ad set when the budget lives there, else its campaign.
      ...(original.level === 'adset' && original.adSetId ? { adSetId: original.adSetId } : { campaignId: original.campaignId }),
      proposedValue,
      requestedBySlackUserId: member.slackUserId,
      reason: `Edit of the proposal by ${by} (${was})${original.reason ? `, which said: ${original.reason}` : '.'}`,
      evidence: original.evidence ?? [],
      suggestionId: original.suggestionId ?? undefined,
    },
    {
      async inTransaction(tx, change) {
        // Conditional, like every decision: of two edits (or an edit and an approval) one wins.
        const closed = await tx.changeRequest.updateMany({
          where: { id: original.id, status: 'PROPOSED' },
          data: { status: 'REJECTED', decidedBySlackUserId: member.slackUserId, decidedAt: now, cardChannelId: null, cardMessageTs: null },
        })
        if (closed.count === 0) throw new ProposalGone()
        await tx.changeRequest.update({
          where: { id: change.id },
          data: { replacesId: original.id, cardChannelId: original.cardChannelId, cardMessageTs: original.cardMessageTs },
        })
        if (original.suggestionId)
          await tx.suggestion.updateMany({
            where: { id: original.suggestionId, changeRequestId: original.id },
            data: { changeRequestId: change.id },
          })
        await recordAuditEvent(tx, {
          workspaceId: options.workspaceId,
          actorType: 'user',
          actorId: member.slackUserId,
          action: 'change.replaced_by_edit',
          targetType: 'change_request',
          targetId: original.id,
          data: { replacedBy: change.id, from: original.proposedValue as object, to: proposedValue },
        })
      },
    },
  ).catch(async (err) => {
    if (err instanceof ProposalGone) return null
    throw err
  })
  if (!created) return { edited: false, change: await loadChange(deps.prisma, original.id) }
  return { edited: true, change: await loadChange(deps.prisma, created.id), replaced: await loadChange(deps.prisma, original.id) }
}

class ProposalGone extends Error {}

/**
 * The new budget typed in a proposal's edit form, read like `/promoly budget`: `96`, `£96`, `96 GBP` set it;
 * `+20%`, `-10 %`, `+£5` are relative to the campaign's current budget. An ambiguous `+5` is refused with the
 * question ("Did you mean +5 % or +£5.00?"), another currency refused: never guessed. Throws AppError BAD_INPUT.
 */
export async function readEditedBudget(
  prisma: DomainDeps['prisma'],
  change: Pick<ChangeWithContext, 'type' | 'campaignId' | 'currentValue' | 'adAccount'>,
  text: string,
): Promise<number> {
  const currency = change.adAccount.currency
  const input = parseBudgetInput(text, currency)
  if (input.kind === 'ambiguous') throw new AppError(AppErrorCode.BAD_INPUT, ambiguityMessage(input, currency))
  if (input.kind === 'absolute') return input.minor
  const campaign = change.campaignId
    ? await prisma.campaign.findUnique({ where: { id: change.campaignId }, select: { dailyBudget: true, lifetimeBudget: true } })
    : null
  const synced = change.type === 'SET_LIFETIME_BUDGET' ? campaign?.lifetimeBudget : campaign?.dailyBudget
  const current = synced ?? budgetOf(change.currentValue)
  if (current === null || current === undefined)
    throw new AppError(AppErrorCode.BAD_INPUT, 'The current budget is unknown: enter the new amount itself, for example 50.')
  return budgetTarget(Number(current), input)
}
