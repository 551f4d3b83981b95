import { goneWord } from '../../domain/campaigns/find-object.ts'
import type { CampaignListItem, CampaignStatusFilter } from '../../domain/campaigns/list-campaigns.ts'
import { escapeMrkdwn, truncate } from '../../lib/mrkdwn.ts'
import { CAMPAIGN_STATUS_LEGEND, statusEmoji } from './format.ts'
import { budgetLocationText, figuresLine } from './list-figures.ts'
import { type Blocks, MAX_MESSAGE_BLOCKS, type MessageContent } from './types.ts'

const MAX_ROWS = 40

export function campaignsMessage(
  items: CampaignListItem[],
  options: { status: CampaignStatusFilter; accountName?: string },
): MessageContent {
  const statusWord = options.status === 'all' ? 'All' : options.status.charAt(0).toUpperCase() + options.status.slice(1)
  const scope = options.accountName ? ` in ${truncate(options.accountName, 60)}` : ''
  const title = `${statusWord} campaigns${scope}` // plain text (header); escaped wherever mrkdwn is parsed
  if (items.length === 0) {
    const text = `No ${options.status === 'all' ? '' : `${options.status} `}campaigns${escapeMrkdwn(scope)}. Try \`/promoly campaigns all\`.`
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] }
  }
  const blocks: Blocks = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`${title} (${items.length})`, 150) } },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `By ad account, sorted by spend over the last 7 complete days (account time zones). Yesterday may still be revised by Meta.\n${CAMPAIGN_STATUS_LEGEND}`,
        },
      ],
    },
  ]
  const accountCount = new Set(items.map((c) => c.account.id)).size
  let shown = 0
  let lastAccount: string | undefined
  for (const c of items) {
    const newGroup = accountCount > 1 && c.account.id !== lastAccount
    // Keep one block free for the "…and N more" line.
    if (shown >= MAX_ROWS || blocks.length + (newGroup ? 2 : 1) > MAX_MESSAGE_BLOCKS - 1) break
    if (newGroup) {
      lastAccount = c.account.id
      blocks.push({
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `*${escapeMrkdwn(truncate(c.account.name, 100))}* · ${c.account.currency}` }],
      })
    }
    shown++
    const budget = budgetLocationText(c.budget, c.account.currency)
    const gone = goneWord(c)
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: [
          `${statusEmoji(c.status)} *${escapeMrkdwn(truncate(c.name, 120))}* · ${c.objective.replace('OUTCOME_', '').toLowerCase()} · ${gone ? `_${gone} on Meta_` : budget}`,
          figuresLine('Yesterday', c.yesterday, c.account.currency),
          figuresLine('7 days', c.last7d, c.account.currency),
          `_${escapeMrkdwn(truncate(c.account.name, 60))} · id ${c.metaCampaignId}_`,
        ].join('\n'),
      },
    })
  }
  if (items.length > shown) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `…and ${items.length - shown} more. Filter by account or status to see them.` }],
    })
  }
  return { text: `${escapeMrkdwn(title)}: ${items.length}`, blocks }
}
