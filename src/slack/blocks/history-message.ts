import { changeTargetOf } from '../../domain/changes/change-include.ts'
import { objectLabel } from '../../domain/changes/change-target.ts'
import { budgetOf, describeChange, isBudgetChange } from '../../domain/changes/change-values.ts'
import type { HistoryEntry } from '../../domain/changes/list-history.ts'
import { formatDateTime } from '../../lib/dates.ts'
import { formatMoney } from '../../lib/money.ts'
import { escapeMrkdwn, truncate } from '../../lib/mrkdwn.ts'
import { CHANGE_STATUS_ICON, CHANGE_STATUS_LEGEND } from './format.ts'
import type { Blocks, MessageContent } from './types.ts'

const VERDICT: Record<string, string> = {
  improved: ':chart_with_upwards_trend: worked',
  worse: ':chart_with_downwards_trend: made it worse',
  'no clear change': ':heavy_minus_sign: no clear change',
  'not enough data': ':grey_question: not enough data',
}
const when = (d: Date) => formatDateTime(d)

/** What a change acted on, with its level and parents: "Ad “X” in ad set “Y” (campaign “Z”)"; a create's new name. */
function targetLabel(e: HistoryEntry): string {
  const target = changeTargetOf(e)
  if (target) return objectLabel(target)
  const name = (e.proposedValue as { name?: unknown }).name
  return `New campaign “${typeof name === 'string' ? name : ''}”`
}

export function historyMessage(entries: HistoryEntry[], scope?: string): MessageContent {
  const title = scope ? `Change history: ${truncate(scope, 100)}` : 'Change history'
  if (entries.length === 0)
    return {
      text: `${escapeMrkdwn(title)}: no changes yet`,
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: `No changes yet${scope ? ` for ${escapeMrkdwn(scope)}` : ''}. Propose one with \`/promoly budget\`, \`pause\` or \`resume\`.`,
          },
        },
      ],
    }
  const blocks: Blocks = [
    { type: 'header', text: { type: 'plain_text', text: title } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: CHANGE_STATUS_LEGEND }] },
  ]
  for (const e of entries.slice(0, 40)) {
    const d = describeChange(e, e.adAccount.currency)
    const target = targetLabel(e)
    const o = (e.outcome ?? {}) as { status?: string }
    const budgetAfter = isBudgetChange(e.type)
      ? budgetOf(
          e.type === 'SET_LIFETIME_BUDGET'
            ? { lifetimeBudgetMinor: (e.outcome as { lifetimeBudgetMinor?: number } | null)?.lifetimeBudgetMinor }
            : { dailyBudgetMinor: (e.outcome as { dailyBudgetMinor?: number } | null)?.dailyBudgetMinor },
        )
      : null
    const after =
      e.status === 'APPLIED'
        ? budgetAfter !== null
          ? formatMoney(budgetAfter, e.adAccount.currency)
          : (o.status ?? '').toLowerCase()
        : null
    const editor = e.status === 'REJECTED' ? e.replacedBy?.[0] : undefined
    const status = editor
      ? `replaced by an edit${editor.requestedBySlackUserId ? ` by <@${editor.requestedBySlackUserId}>` : ''}`
      : e.status.toLowerCase()
    const lines = [
      `${CHANGE_STATUS_ICON[e.status] ?? ''} *${escapeMrkdwn(d.action)}* · ${escapeMrkdwn(truncate(target, 200))} · _${status}_`,
      `Before ${escapeMrkdwn(d.current)} → asked ${escapeMrkdwn(truncate(d.proposed, 200))}${after ? ` → Meta: ${escapeMrkdwn(after)}` : ''}`,
      `Asked by ${e.requestedBySlackUserId ? `<@${e.requestedBySlackUserId}>` : 'Promoly'} ${when(e.createdAt)}${e.decidedBySlackUserId ? ` · decided by <@${e.decidedBySlackUserId}> ${e.decidedAt ? when(e.decidedAt) : ''}` : ''}`,
      ...(e.overrideReason ? [`Guardrail overridden: “${escapeMrkdwn(truncate(e.overrideReason, 200))}”`] : []),
      ...(e.failureReason ? [`Failed: ${escapeMrkdwn(truncate(e.failureReason, 300))}`] : []),
      ...(e.result
        ? [
            `Did it work? ${VERDICT[e.result.verdict] ?? e.result.verdict} — ${escapeMrkdwn(e.result.summary)} (${e.result.days} days before vs after)`,
          ]
        : e.status === 'APPLIED' && e.type !== 'CREATE_CAMPAIGN'
          ? ['Did it work? Judged once enough days have passed.']
          : []),
    ]
    if (blocks.length >= 49) break
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(lines.join('\n'), 2900) } })
  }
  return { text: `${escapeMrkdwn(title)}: ${entries.length} change(s)`, blocks }
}
