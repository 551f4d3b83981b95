import type { CampaignListItem, CampaignStatusFilter } from '../../domain/campaigns/list-campaigns.ts'
import { escapeMrkdwn, truncate } from '../../lib/mrkdwn.ts'
import { fmtInt, fmtMoney, statusEmoji } from './format.ts'
import { MAX_MESSAGE_BLOCKS, type Blocks, type MessageContent } from './types.ts'

const MAX_ROWS = 40

function figures(label: string, f: CampaignListItem['last7d'], currency: string): string {
  const t = f.totals
  const d = f.derived
  const parts = [`${label}: *${fmtMoney(t.spend, currency)}*`]
  if (d.resultLabel) parts.push(`${fmtInt(d.results)} ${d.resultLabel}`, `${fmtMoney(d.costPerResult, currency)}/result`)
  else parts.push(`${fmtInt(t.impressions)} impr.`)
  if (d.roas !== null) parts.push(`ROAS ${d.roas.toFixed(2)}×`)
  return parts.join(' · ')
}

export function campaignsMessage(items: CampaignListItem[], options: { status: CampaignStatusFilter; accountName?: string }): MessageContent {
  const statusWord = options.status === 'all' ? 'All' : options.status[0]!.toUpperCase() + options.status.slice(1)
  const scope = options.accountName ? ` in ${truncate(options.accountName, 60)}` : ''
  const title = `${statusWord} campaigns${scope}` // plain text (header); escaped wherever mrkdwn is parsed
  if (items.length === 0) {
    const text = `No ${options.status === 'all' ? '' : `${options.status} `}campaigns${escapeMrkdwn(scope)}. Try \`/promoly campaigns all\`.`
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] }
  }
  const blocks: Blocks = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`${title} (${items.length})`, 150) } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: 'Sorted by spend over the last 7 complete days (account time zones). Yesterday may still be revised by Meta.' }] },
  ]
  const shown = items.slice(0, Math.min(MAX_ROWS, MAX_MESSAGE_BLOCKS - 4))
  for (const c of shown) {
    const budget = c.dailyBudget !== null ? `${fmtMoney(c.dailyBudget, c.account.currency)}/day` : c.lifetimeBudget !== null ? `${fmtMoney(c.lifetimeBudget, c.account.currency)} lifetime` : 'ad set budgets'
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: [
          `${statusEmoji(c.status)} *${escapeMrkdwn(truncate(c.name, 120))}* · ${c.objective.replace('OUTCOME_', '').toLowerCase()} · ${budget}`,
          `${figures('Yesterday', c.yesterday, c.account.currency)}`,
          `${figures('7 days', c.last7d, c.account.currency)}`,
          `_${escapeMrkdwn(truncate(c.account.name, 60))} · id ${c.metaCampaignId}_`,
        ].join('\n'),
      },
    })
  }
  if (items.length > shown.length) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${items.length - shown.length} more with less spend. Filter by account or status to see them.` }] })
  }
  return { text: `${escapeMrkdwn(title)}: ${items.length}`, blocks }
}
