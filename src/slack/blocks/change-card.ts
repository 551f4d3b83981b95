import { type ChangeWithContext, changeTargetOf } from '../../domain/changes/change-include.ts'
import { approvalSummary, budgetOf, describeChange, isBudgetChange } from '../../domain/changes/change-values.ts'
import { type GuardrailResult, overridable, overrideNote } from '../../domain/changes/guardrails.ts'
import { formatDateTime, withFormattedDays } from '../../lib/dates.ts'
import { formatMoney } from '../../lib/money.ts'
import { escapeKeepingMentions, escapeMrkdwn, truncate } from '../../lib/mrkdwn.ts'
import { GUARDRAIL_LEGEND } from './format.ts'
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
 * card, a digest): the same action_ids, so the same handlers decide. `confirmText` is mrkdwn, escaped: it names
 * the action and the amounts (see approvalConfirmText).
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
    rejectButton(changeId),
  ]
}

function rejectButton(changeId: string) {
  return {
    type: 'button' as const,
    action_id: CHANGE_ACTIONS.reject,
    style: 'danger' as const,
    text: { type: 'plain_text' as const, text: 'Reject' },
    value: changeId,
  }
}

/** "Pause *Spring Sale*", "Budget $80.00 → $96.00/day · *Spring Sale*" (mrkdwn, escaped). */
export function approvalLine(s: { verb: string; name: string; amounts: string | null }): string {
  const name = `*${escapeMrkdwn(truncate(s.name, 80))}*`
  return s.amounts ? `${s.verb} ${escapeMrkdwn(s.amounts)} · ${name}` : `${s.verb} ${name}`
}

/**
 * The Approve confirm of a change: the action and its amounts, the client and account, and any guardrail it
 * fails (as evaluated when it was proposed; approval checks them again).
 */
function approvalConfirmText(c: ChangeWithContext, parts: ChangeWithContext[] = [c]): string {
  // Slack's confirm text holds 300 characters: every part's action and amounts, as many as fit.
  const lines = parts.map((p) => approvalLine(approvalSummary(p, p.adAccount.currency, targetName(p))))
  const shown = parts.length <= 4 ? lines : [...lines.slice(0, 3), `…and ${parts.length - 3} more (each listed on the card)`]
  const refused = parts.flatMap((p) => ((p.guardrails ?? []) as unknown as GuardrailResult[]).filter((g) => !g.ok))
  const where = `${escapeMrkdwn(truncate(c.adAccount.client.name, 60))} · ${escapeMrkdwn(truncate(c.adAccount.name, 60))}`
  const fails = refused.length ? `\n:x: Fails: ${escapeMrkdwn(truncate(refused.map((g) => g.message).join('; '), 150))}` : ''
  const each = parts.length > 1 ? ' Each part is applied on Meta at once.' : ' Applied on Meta at once.'
  return `${shown.join('\n')}\n${where}.${each}${fails}`
}

const LEVEL_NOUN = { campaign: 'campaign', adset: 'ad set', ad: 'ad' } as const

/** The name of what a change acts on: its ad set or ad, its campaign, or the campaign it creates. */
export function targetName(c: ChangeWithContext): string {
  return changeTargetOf(c)?.name ?? (c.proposedValue as { name?: string }).name ?? 'new campaign'
}

/** "Ad set *X* in campaign *Y*", "Ad *X* in ad set *Y* (campaign *Z*)": escaped mrkdwn; null at campaign level. */
export function objectWithParent(c: ChangeWithContext): string | null {
  const t = changeTargetOf(c)
  if (!t || t.level === 'campaign') return null
  const b = (name: string | null) => `*${escapeMrkdwn(truncate(name ?? '?', 100))}*`
  if (t.level === 'ad') return `Ad ${b(t.name)} in ad set ${b(t.adSetName)} (campaign ${b(t.campaignName)})`
  return `Ad set ${b(t.name)} in campaign ${b(t.campaignName)}`
}

/** "Pause campaign" → "Pause ad set" for a change at ad set level. */
function actionAtLevel(action: string, c: ChangeWithContext): string {
  const level = changeTargetOf(c)?.level ?? 'campaign'
  return level === 'campaign' ? action : action.replace(/ campaign$/, ` ${LEVEL_NOUN[level]}`)
}

/** The client and ad account a card is about, first thing under its header. */
export function clientContext(client: string, account: string, currency: string) {
  return {
    type: 'context' as const,
    elements: [
      {
        type: 'mrkdwn' as const,
        text: truncate(`:office: *${escapeMrkdwn(truncate(client, 100))}* · ${escapeMrkdwn(truncate(account, 200))} (${currency})`, 2900),
      },
    ],
  }
}

/** Evidence (statistics, counts, intervals) as one small-print context line under the plain first line. */
export function statisticsContext(items: Array<{ label?: string; value?: string }>, extra: string[] = []) {
  const parts = [
    ...items
      .slice(0, 12)
      .map(
        (e) =>
          `${escapeMrkdwn(truncate(withFormattedDays(String(e.label ?? '')), 100))}: ${escapeMrkdwn(truncate(withFormattedDays(String(e.value ?? '')), 300))}`,
      ),
    ...extra.map(withFormattedDays),
  ]
  if (parts.length === 0) return null
  return { type: 'context' as const, elements: [{ type: 'mrkdwn' as const, text: truncate(parts.join(' · '), 2900) }] }
}

const SOURCE: Record<string, string> = { COMMAND: 'a command', OPTIMIZER: 'the optimizer', AGENT: 'the assistant', UNDO: 'an undo' }
const time = (d: Date) => formatDateTime(d)

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
 * The change request card: the client and account, what changes in plain words (the reason's first sentence),
 * current vs proposed, the statistics on a context line, guardrails, who asked, expiry. While proposed: Approve
 * (its confirm names the action and the amounts) / Reject / Edit — or, when a guardrail refuses the change, no
 * Approve at all but an admin's Override… that asks for a reason. After a decision the same message shows who
 * decided, when, and the outcome as Meta reports it (with Undo once applied, Retry if it failed).
 */
export function changeCard(c: ChangeWithContext, group: ChangeWithContext[] = [c]): MessageContent {
  if (group.length > 1) return groupCard(group[0] ?? c, group)
  const d = describeChange(c, c.adAccount.currency)
  const action = actionAtLevel(d.action, c)
  const target = targetName(c)
  const guardrails = (c.guardrails ?? []) as unknown as GuardrailResult[]
  const refused = guardrails.filter((g) => !g.ok)
  const blocks: Blocks = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`${action}: ${target}`, 150) } },
    clientContext(c.adAccount.client.name, c.adAccount.name, c.adAccount.currency),
  ]
  const where = objectWithParent(c)
  if (where) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(where, 2900) }] })
  if (c.reason) {
    // The first line says what is going on in plain words (an optimizer finding, or the asker's reason).
    const [first = '', ...rest] = withFormattedDays(c.reason).split('\n')
    const text = `*${escapeKeepingMentions(truncate(first, 500))}*${rest.length ? `\n${escapeKeepingMentions(rest.join('\n'))}` : ''}`
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(text, 2900) } })
  } else {
    // Without a reason, the first line is what the change does: "Budget $80.00 → $96.00/day · *Spring Sale*".
    const line = approvalLine(approvalSummary(c, c.adAccount.currency, targetName(c)))
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(line, 2900) } })
  }
  blocks.push({
    type: 'section',
    fields: [
      { type: 'mrkdwn', text: `*Current*\n${escapeMrkdwn(d.current)}` },
      { type: 'mrkdwn', text: `*Proposed*\n${escapeMrkdwn(truncate(d.proposed, 1900))}` },
      { type: 'mrkdwn', text: `*Asked by*\n${askedBy(c)}` },
    ],
  })
  const evidence = (Array.isArray(c.evidence) ? c.evidence : []) as Array<{ label?: string; value?: string }>
  const stats = statisticsContext(evidence)
  if (stats) blocks.push(stats)
  if (guardrails.length > 0) {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: truncate(
            `${guardrails.map((g) => `${guardrailIcon(g)} ${escapeMrkdwn(g.message)}`).join('\n')}\n_${GUARDRAIL_LEGEND}_`,
            2900,
          ),
        },
      ],
    })
  }
  const decider = c.decidedBySlackUserId ? `<@${c.decidedBySlackUserId}>` : 'Promoly'
  const decided = c.decidedAt ? time(c.decidedAt) : ''
  switch (c.status) {
    case 'PROPOSED':
      blocks.push(...proposedBlocks(c, refused))
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
  return { text: `${action}: ${escapeMrkdwn(target)} — ${c.status.toLowerCase()}`, blocks }
}

/** At most this many parts are listed one by one on a card (Slack allows 50 blocks a message). */
const GROUP_PARTS_SHOWN = 20

/** One part of a group card: its object, from → to, its guardrails in short, then its outcome (mrkdwn, escaped). */
function partLine(p: ChangeWithContext): string {
  const d = describeChange(p, p.adAccount.currency)
  const t = changeTargetOf(p)
  const noun = t ? LEVEL_NOUN[t.level] : 'campaign'
  const name = `${noun.charAt(0).toUpperCase()}${noun.slice(1)} *${escapeMrkdwn(truncate(targetName(p), 100))}*`
  const guardrails = (p.guardrails ?? []) as unknown as GuardrailResult[]
  const refused = guardrails.filter((g) => !g.ok)
  const checks = refused.length
    ? `:x: ${escapeMrkdwn(truncate(refused.map((g) => g.message).join('; '), 500))}`
    : `:white_check_mark: ${guardrails.length} guardrail${guardrails.length === 1 ? '' : 's'} pass`
  const notes = guardrails
    .filter((g) => INFORMATION.has(g.name))
    .map((g) => `\n:information_source: ${escapeMrkdwn(truncate(g.message, 300))}`)
  return `${name}: ${escapeMrkdwn(d.current)} → ${escapeMrkdwn(d.proposed)}\n${checks}${notes.join('')}\n${partOutcome(p)}`
}

/** Lines that inform and never refuse: who may approve (four eyes), what a pause does to its parent. */
const INFORMATION: ReadonlySet<GuardrailResult['name']> = new Set(['four_eyes', 'last_active'])

function guardrailIcon(g: GuardrailResult): string {
  if (!g.ok) return ':x:'
  return INFORMATION.has(g.name) ? ':information_source:' : ':white_check_mark:'
}

function partOutcome(p: ChangeWithContext): string {
  switch (p.status) {
    case 'PROPOSED':
      return ':grey_question: waiting for a decision'
    case 'APPROVED':
    case 'APPLYING':
      return ':hourglass_flowing_sand: approved; waiting to be applied on Meta'
    case 'APPLIED':
      return `:white_check_mark: *applied*: Meta now reports ${outcomeText(p) || 'the change'}`
    case 'FAILED':
      return `:x: *failed*: ${escapeMrkdwn(truncate(p.failureReason ?? 'Unknown error.', 600))}`
    case 'REJECTED':
      return ':no_entry_sign: rejected'
    case 'EXPIRED':
      return ':zzz: expired'
  }
}

/**
 * The card of several changes proposed together (one budget change per active ad set of a campaign): each part
 * with its object, from → to, its guardrails and its outcome; Approve and Reject decide every part. After the
 * decision: who decided, each part's outcome as Meta reports it, Undo (of every applied part) and Retry per failed part.
 */
function groupCard(lead: ChangeWithContext, parts: ChangeWithContext[]): MessageContent {
  const d = describeChange(lead, lead.adAccount.currency)
  const levels = [...new Set(parts.map((p) => changeTargetOf(p)?.level ?? 'campaign'))]
  const [only] = levels
  const noun = levels.length === 1 && only ? `${LEVEL_NOUN[only]}s` : 'objects'
  const campaigns = new Set(parts.map((p) => p.campaign?.name ?? '?'))
  const inCampaign = campaigns.size === 1 ? ` in ${[...campaigns][0]}` : ''
  const title = `${d.action.replace(/ campaign$/, '')}: ${parts.length} ${noun}${inCampaign}`
  const blocks: Blocks = [
    { type: 'header', text: { type: 'plain_text', text: truncate(title, 150) } },
    clientContext(lead.adAccount.client.name, lead.adAccount.name, lead.adAccount.currency),
  ]
  if (lead.reason) {
    const text = escapeKeepingMentions(truncate(withFormattedDays(lead.reason), 1500))
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*${text}*` } })
  }
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `One card, ${parts.length} changes: approving or rejecting decides them all; each is applied on its own. Asked by ${askedBy(lead)}.`,
      },
    ],
  })
  for (const p of parts.slice(0, GROUP_PARTS_SHOWN))
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(partLine(p), 2900) } })
  if (parts.length > GROUP_PARTS_SHOWN)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${parts.length - GROUP_PARTS_SHOWN} more parts.` }] })
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `_${GUARDRAIL_LEGEND}_` }] })
  const proposed = parts.filter((p) => p.status === 'PROPOSED')
  if (proposed.length > 0) {
    const refused = proposed.flatMap((p) => ((p.guardrails ?? []) as unknown as GuardrailResult[]).filter((g) => !g.ok))
    blocks.push(...proposedBlocks(lead, refused, approvalConfirmText(lead, proposed)))
  } else {
    const decider = lead.decidedBySlackUserId ? `<@${lead.decidedBySlackUserId}>` : 'Promoly'
    const count = (st: ChangeWithContext['status'][]) => parts.filter((p) => st.includes(p.status)).length
    const [applied, failed, waiting] = [count(['APPLIED']), count(['FAILED']), count(['APPROVED', 'APPLYING'])]
    const summary =
      lead.status === 'REJECTED'
        ? `:no_entry_sign: Rejected by ${decider} ${lead.decidedAt ? time(lead.decidedAt) : ''}. Nothing was changed.`
        : lead.status === 'EXPIRED'
          ? ':zzz: Expired without a decision. Nothing was changed.'
          : `Approved by ${decider} ${lead.decidedAt ? time(lead.decidedAt) : ''}: ${applied} applied, ${failed} failed, ${waiting} waiting.`
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: summary }] })
    const firstApplied = parts.find((p) => p.status === 'APPLIED')
    const retries = parts.filter((p) => p.status === 'FAILED').slice(0, 5)
    const elements = [
      ...(firstApplied && firstApplied.type !== 'CREATE_CAMPAIGN'
        ? [
            {
              type: 'button' as const,
              action_id: CHANGE_ACTIONS.undo,
              text: { type: 'plain_text' as const, text: applied > 1 ? `Undo ${applied} applied` : 'Undo' },
              value: firstApplied.id,
            },
          ]
        : []),
      ...retries.map((p, i) => ({
        type: 'button' as const,
        action_id: `${CHANGE_ACTIONS.retry}_${i}`,
        text: { type: 'plain_text' as const, text: truncate(`Retry ${targetName(p)}`, 75) },
        value: p.id,
      })),
    ]
    if (elements.length > 0) blocks.push({ type: 'actions', block_id: `change_${lead.id}`, elements })
  }
  return { text: `${title} — ${lead.status.toLowerCase()}`, blocks }
}

/**
 * What a proposed change offers: Approve with its confirm, or (a guardrail refuses it) only an admin's Override….
 * Edit amount… only on a change alone: the parts of a card of several are decided together, never edited one by one.
 */
function proposedBlocks(c: ChangeWithContext, refused: GuardrailResult[], confirmText = approvalConfirmText(c)): Blocks {
  const edit =
    isBudgetChange(c.type) && !c.groupId
      ? [
          {
            type: 'button' as const,
            action_id: CHANGE_ACTIONS.edit,
            text: { type: 'plain_text' as const, text: 'Edit amount…' },
            value: c.id,
          },
        ]
      : []
  const expires = `Expires ${time(c.expiresAt)}.`
  if (refused.length === 0)
    return [
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `Nothing changes on Meta until an admin or approver approves. ${expires}` }],
      },
      { type: 'actions', block_id: `change_${c.id}`, elements: [...decisionButtons(c.id, confirmText), ...edit] },
    ]
  const why = escapeMrkdwn(truncate(refused.map((g) => g.message).join('; '), 600))
  if (!overridable(refused))
    return [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `:no_entry: *A guardrail refuses this change:* ${why}. ${sentence(overrideNote(refused))}. ${expires}`,
        },
      },
      { type: 'actions', block_id: `change_${c.id}`, elements: [rejectButton(c.id), ...edit] },
    ]
  return [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `:no_entry: *A guardrail refuses this change:* ${why}. It cannot simply be approved: only a Promoly admin can override it, stating a reason (recorded in the audit trail). ${expires}`,
      },
    },
    {
      type: 'actions',
      block_id: `change_${c.id}`,
      elements: [
        {
          type: 'button',
          action_id: CHANGE_ACTIONS.approveNote,
          text: { type: 'plain_text', text: 'Override…' },
          value: c.id,
        },
        rejectButton(c.id),
        ...edit,
      ],
    },
  ]
}

/** "an admin can …" → "An admin can …": a phrase made the start of a sentence. */
function sentence(phrase: string): string {
  return `${phrase.charAt(0).toUpperCase()}${phrase.slice(1)}`
}
