import type { ChangeWithContext } from '../../domain/changes/change-include.ts'
import { budgetOf, describeChange, isBudgetChange } from '../../domain/changes/change-values.ts'
import { minorToMajor } from '../../lib/money.ts'
import { escapeMrkdwn, truncate } from '../../lib/mrkdwn.ts'
import type { ModalView } from './types.ts'

export const EDIT_CHANGE_VIEW = 'promoly_edit_change'
export const EDIT_FIELDS = {
  amount: { block: 'amount', action: 'amount_input' },
  override: { block: 'override', action: 'override_input' },
} as const

/** Adjust the amount (budget changes) and approve; admins may state a reason to override a guardrail. */
export function editChangeModal(c: ChangeWithContext): ModalView {
  const d = describeChange(c, c.adAccount.currency)
  const budget = isBudgetChange(c.type) ? budgetOf(c.proposedValue) : null
  return {
    type: 'modal',
    callback_id: EDIT_CHANGE_VIEW,
    private_metadata: JSON.stringify({ changeId: c.id }),
    title: { type: 'plain_text', text: 'Approve change' },
    submit: { type: 'plain_text', text: 'Approve' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: truncate(`*${escapeMrkdwn(d.action)}*: ${escapeMrkdwn(d.current)} → ${escapeMrkdwn(d.proposed)}`, 2900),
        },
      },
      ...(budget !== null
        ? [
            {
              type: 'input' as const,
              block_id: EDIT_FIELDS.amount.block,
              label: { type: 'plain_text' as const, text: `New budget (${c.adAccount.currency})` },
              element: {
                type: 'plain_text_input' as const,
                action_id: EDIT_FIELDS.amount.action,
                initial_value: String(minorToMajor(budget, c.adAccount.currency)),
              },
            },
          ]
        : []),
      {
        type: 'input',
        block_id: EDIT_FIELDS.override.block,
        optional: true,
        label: { type: 'plain_text', text: 'Override reason (admins)' },
        hint: { type: 'plain_text', text: 'Only needed when a guardrail refuses the change. It is recorded in the audit trail.' },
        element: { type: 'plain_text_input', action_id: EDIT_FIELDS.override.action, multiline: true, max_length: 500 },
      },
    ],
  }
}
