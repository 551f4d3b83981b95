import type { AdAccount, Campaign } from '../../generated/prisma/client.ts'
import { escapeMrkdwn } from '../../lib/mrkdwn.ts'
import { fmtMoney } from './format.ts'
import type { MessageContent } from './types.ts'

export function campaignCreatedMessage(c: Campaign, account: AdAccount, slackUserId: string): MessageContent {
  const budget = c.dailyBudget !== null ? `${fmtMoney(Number(c.dailyBudget), account.currency)}/day` : 'no campaign budget'
  const objective = c.objective.replace('OUTCOME_', '').toLowerCase()
  return {
    text: `Campaign ${escapeMrkdwn(c.name)} created (paused)`,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `:white_check_mark: <@${slackUserId}> created *${escapeMrkdwn(c.name)}* in ${escapeMrkdwn(account.name)} — ${objective}, ${budget}.\nMeta reports it as *${c.status.toLowerCase()}*: it spends nothing until it is activated.`,
        },
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Campaign id ${c.metaCampaignId} · ad account ${account.metaAccountId}` }] },
    ],
  }
}
