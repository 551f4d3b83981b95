import { type ChangeWithContext, changeTargetOf } from '../../domain/changes/change-include.ts'
import { approvalSummary, budgetOf, describeChange } from '../../domain/changes/change-values.ts'
import type { GuardrailResult } from '../../domain/changes/guardrails.ts'
import { currencySymbol, minorToMajor } from '../../lib/money.ts'
import { escapeMrkdwn, truncate } from '../../lib/mrkdwn.ts'
import { approvalLine } from './change-card.ts'
import type { ModalView } from './types.ts'

export const EDIT_CHANGE_VIEW = 'promoly_edit_change'
export const APPROVE_NOTE_VIEW = 'promoly_approve_note'
export const EDIT_FIELDS = {
  amount: { block: 'amount', action: 'amount_input' },
  override: { block: 'override', action: 'override_input' },
} as const

function summary(c: ChangeWithContext) {
  const d = describeChange(c, c.adAccount.currency)
  const by = c.requestedBySlackUserId ? ` (proposed by <@${c.requestedBySlackUserId}>)` : ''
  return {
    type: 'section' as const,
    text: {
      type: 'mrkdwn' as const,
      text: truncate(`*${escapeMrkdwn(d.action)}*: ${escapeMrkdwn(d.current)} → ${escapeMrkdwn(d.proposed)}${by}`, 2900),
    },
  }
}

/**
 * Edit the amount of a proposed budget change. Submitting never approves: it proposes the new amount in
 * the editor's name (replacing this proposal on its card), to be approved like any proposal.
 */
export function editChangeModal(c: ChangeWithContext): ModalView {
  const budget = budgetOf(c.proposedValue)
  return {
    type: 'modal',
    callback_id: EDIT_CHANGE_VIEW,
    private_metadata: JSON.stringify({ changeId: c.id }),
    title: { type: 'plain_text', text: 'Edit change' },
    submit: { type: 'plain_text', text: 'Propose' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      summary(c),
      {
        type: 'input',
        block_id: EDIT_FIELDS.amount.block,
        label: { type: 'plain_text', text: `New budget (${c.adAccount.currency})` },
        hint: {
          type: 'plain_text',
          text: `An amount (96), or a change to the current budget (+20%, -10%, +${currencySymbol(c.adAccount.currency)}5). This proposes the new amount in your name and replaces the proposal above. Nothing changes on Meta until it is approved; when four eyes apply, by someone else.`,
        },
        element: {
          type: 'plain_text_input',
          action_id: EDIT_FIELDS.amount.action,
          ...(budget !== null ? { initial_value: String(minorToMajor(budget, c.adAccount.currency)) } : {}),
        },
      },
    ],
  }
}

/**
 * An admin's override of a guardrail: the change as shown (action, amounts), what refuses it, and a reason —
 * required, recorded with the approval in the audit trail.
 */
export function approveNoteModal(c: ChangeWithContext): ModalView {
  const refused = ((c.guardrails ?? []) as unknown as GuardrailResult[]).filter((g) => !g.ok)
  // The object the change writes to: the ad or ad set of a change at that level, not its campaign.
  const action = approvalLine(approvalSummary(c, c.adAccount.currency, changeTargetOf(c)?.name ?? null))
  return {
    type: 'modal',
    callback_id: APPROVE_NOTE_VIEW,
    private_metadata: JSON.stringify({ changeId: c.id }),
    title: { type: 'plain_text', text: 'Override guardrail' },
    submit: { type: 'plain_text', text: 'Override and approve' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: truncate(
            `${action}\n${escapeMrkdwn(truncate(c.adAccount.client.name, 100))} · ${escapeMrkdwn(truncate(c.adAccount.name, 100))}${
              refused.length ? `\n:x: Refused by: ${escapeMrkdwn(refused.map((g) => g.message).join('; '))}` : ''
            }`,
            2900,
          ),
        },
      },
      summary(c),
      {
        type: 'input',
        block_id: EDIT_FIELDS.override.block,
        label: { type: 'plain_text', text: 'Why override? (required)' },
        hint: {
          type: 'plain_text',
          text: 'Only Promoly admins can override a guardrail. The reason is recorded in the audit trail and on the card.',
        },
        element: { type: 'plain_text_input', action_id: EDIT_FIELDS.override.action, multiline: true, min_length: 3, max_length: 500 },
      },
    ],
  }
}
