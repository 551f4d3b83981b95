import type { ChangeWithContext } from '../../domain/changes/change-include.ts'
import { budgetOf, describeChange, isBudgetChange } from '../../domain/changes/change-values.ts'
import type { GuardrailResult } from '../../domain/changes/guardrails.ts'
import { formatMoney } from '../../lib/money.ts'
import { escapeMrkdwn, truncate } from '../../lib/mrkdwn.ts'
import type { Blocks, MessageContent } from './types.ts'

export const CHANGE_ACTIONS = {
  approve: 'change_approve',
  reject: 'change_reject',
  edit: 'change_edit',
  approveNote: 'change_approve_note',
  undo: 'change_undo',
  retry: 'change_retry',
} as const

/**
 * Approve (with Slack's confirm dialog) and Reject for a proposed change, wherever it is shown (its
 * card, a digest): the same action_ids, so the same handlers decide. `confirmText` is mrkdwn, escaped.
 */
export function decisionButtons(changeId: string, confirmText: string) {
  return [
    {
      type: 'button' as const,
      action_id: CHANGE_ACTIONS.approve,
      style: 'primary' as const,
      text: { type: 'plain_text' as const, text: 'Approve' },
      value: changeId,
      confirm: {
        title: { type: 'plain_text' as const, text: 'Apply this change?' },
        text: { type: 'mrkdwn' as const, text: truncate(confirmText, 300) },
        confirm: { type: 'plain_text' as const, text: 'Approve' },
        deny: { type: 'plain_text' as const, text: 'Cancel' },
      },
    },
    {
      type: 'button' as const,
      action_id: CHANGE_ACTIONS.reject,
      style: 'danger' as const,
      text: { type: 'plain_text' as const, text: 'Reject' },
      value: changeId,
    },
  ]
}

const SOURCE: Record<string, string> = { COMMAND: 'a command', OPTIMIZER: 'the optimizer', AGENT: 'the assistant', UNDO: 'an undo' }
const time = (d: Date) =>
  `<!date^${Math.floor(d.getTime() / 1000)}^{date_short_pretty} {time}|${d.toISOString().slice(0, 16).replace('T', ' ')} UTC>`

function outcomeText(c: ChangeWithContext): string {
  const o = (c.outcome ?? {}) as { status?: string; dailyBudgetMinor?: number | null; lifetimeBudgetMinor?: number | null; name?: string }
  const parts = [
    o.status ? `status *${o.status.toLowerCase()}*` : null,
    o.dailyBudgetMinor ? `daily budget *${formatMoney(o.dailyBudgetMinor, c.adAccount.currency)}*` : null,
    o.lifetimeBudgetMinor ? `lifetime budget *${formatMoney(o.lifetimeBudgetMinor, c.adAccount.currency)}*` : null,
  ]
  return parts.filter(Boolean).join(', ')
}

const person = (id: string | null | undefined) => (id ? `<@${id}>` : 'Promoly')

/** Who asked for what: an edit names the editor and the proposal (person, amount) it replaced. */
function askedBy(c: ChangeWithContext): string {
  if (!c.replaces) return `${person(c.requestedBySlackUserId)} via ${SOURCE[c.source] ?? c.source}`
  const was = budgetOf(c.replaces.proposedValue)
  const amount = was === null ? '' : ` of ${formatMoney(was, c.adAccount.currency)}`
  return `${person(c.requestedBySlackUserId)}, editing the proposal${amount} by ${person(c.replaces.requestedBySlackUserId)}`
}

/**
 * The change request card: what changes, current vs proposed, why, guardrails, who asked, expiry;
 * Approve / Reject / Edit while proposed. After a decision the same message shows who decided,
 * when, and the outcome as Meta reports it (with Undo once applied, Retry if it failed).
 */
export function changeCard(c: ChangeWithContext): MessageContent {
  const d = describeChange(c, c.adAccount.currency)
  const target = c.campaign ? c.campaign.name : ((c.proposedValue as { name?: string }).name ?? 'new campaign')
  const guardrails = (c.guardrails ?? []) as unknown as GuardrailResult[]
  const blocks: Blocks = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`${d.action}: ${target}`, 150) } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Current*\n${escapeMrkdwn(d.current)}` },
        { type: 'mrkdwn', text: `*Proposed*\n${escapeMrkdwn(truncate(d.proposed, 1900))}` },
        { type: 'mrkdwn', text: `*Ad account*\n${escapeMrkdwn(truncate(c.adAccount.name, 200))} (${c.adAccount.currency})` },
        { type: 'mrkdwn', text: `*Asked by*\n${askedBy(c)}` },
      ],
    },
  ]
  if (c.reason) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(`*Why*\n${escapeMrkdwn(c.reason)}`, 2900) } })
  const evidence = (Array.isArray(c.evidence) ? c.evidence : []) as Array<{ label?: string; value?: string }>
  if (evidence.length > 0) {
    blocks.push({
      type: 'section',
      fields: evidence.slice(0, 10).map((e) => ({
        type: 'mrkdwn' as const,
        text: `*${escapeMrkdwn(truncate(String(e.label ?? ''), 100))}*\n${escapeMrkdwn(truncate(String(e.value ?? ''), 300))}`,
      })),
    })
  }
  if (guardrails.length > 0) {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: truncate(guardrails.map((g) => `${g.ok ? ':white_check_mark:' : ':x:'} ${escapeMrkdwn(g.message)}`).join('\n'), 2900),
        },
      ],
    })
  }
  const decider = c.decidedBySlackUserId ? `<@${c.decidedBySlackUserId}>` : 'Promoly'
  const decided = c.decidedAt ? time(c.decidedAt) : ''
  switch (c.status) {
    case 'PROPOSED':
      blocks.push(
        {
          type: 'context',
          elements: [
            { type: 'mrkdwn', text: `Nothing changes on Meta until an admin or approver approves. Expires ${time(c.expiresAt)}.` },
          ],
        },
        {
          type: 'actions',
          block_id: `change_${c.id}`,
          elements: [
            ...decisionButtons(c.id, `${escapeMrkdwn(d.action)} on Meta: ${escapeMrkdwn(d.current)} → ${escapeMrkdwn(d.proposed)}`),
            // Edit proposes another amount (it never approves); Approve with note carries an admin's override reason.
            ...(isBudgetChange(c.type)
              ? [
                  {
                    type: 'button' as const,
                    action_id: CHANGE_ACTIONS.edit,
                    text: { type: 'plain_text' as const, text: 'Edit amount…' },
                    value: c.id,
                  },
                ]
              : []),
            {
              type: 'button',
              action_id: CHANGE_ACTIONS.approveNote,
              text: { type: 'plain_text', text: 'Approve with note…' },
              value: c.id,
            },
          ],
        },
      )
      break
    case 'APPROVED':
    case 'APPLYING':
      blocks.push({
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `:hourglass_flowing_sand: Approved by ${decider} ${decided}; applying on Meta…${c.overrideReason ? ` Guardrail overridden: “${escapeMrkdwn(truncate(c.overrideReason, 300))}”` : ''}`,
          },
        ],
      })
      break
    case 'APPLIED':
      blocks.push({
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `:white_check_mark: *Applied.* Approved by ${decider} ${decided}. Meta now reports ${outcomeText(c) || 'the change'}.${c.overrideReason ? `\nGuardrail overridden: “${escapeMrkdwn(truncate(c.overrideReason, 300))}”` : ''}`,
        },
      })
      if (c.type !== 'CREATE_CAMPAIGN') {
        blocks.push({
          type: 'actions',
          block_id: `change_${c.id}`,
          elements: [{ type: 'button', action_id: CHANGE_ACTIONS.undo, text: { type: 'plain_text', text: 'Undo' }, value: c.id }],
        })
      }
      break
    case 'FAILED':
      blocks.push(
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: `:x: *Failed.* Approved by ${decider} ${decided}. ${escapeMrkdwn(truncate(c.failureReason ?? 'Unknown error.', 1500))}`,
          },
        },
        {
          type: 'actions',
          block_id: `change_${c.id}`,
          elements: [{ type: 'button', action_id: CHANGE_ACTIONS.retry, text: { type: 'plain_text', text: 'Retry' }, value: c.id }],
        },
      )
      break
    case 'REJECTED':
      blocks.push({
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `:no_entry_sign: Rejected by ${decider} ${decided}. Nothing was changed.` }],
      })
      break
    case 'EXPIRED':
      blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: ':zzz: Expired without a decision. Nothing was changed.' }] })
      break
  }
  return { text: `${d.action}: ${escapeMrkdwn(target)} — ${c.status.toLowerCase()}`, blocks }
}
