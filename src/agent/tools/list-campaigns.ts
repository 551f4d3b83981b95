import { tool } from 'langchain'
import * as z from 'zod'
import { CAMPAIGN_STATUS_FILTERS, listCampaigns } from '../../domain/campaigns/list-campaigns.ts'
import { money, summary } from './format.ts'
import { quote, runTool, type ToolContext } from './tool-context.ts'

/** More than this and the answer says how to narrow it down (keeps the prompt small). */
const MAX_ROWS = 30

export function listCampaignsTool(ctx: ToolContext) {
  return tool(
    ({ account, status }) =>
      runTool(ctx, 'list_campaigns', 'Looking at your campaigns…', async () => {
        const { items } = await listCampaigns(ctx.deps.prisma, {
          scope: ctx.scope,
          account: account ?? undefined,
          status: status ?? undefined,
          now: ctx.deps.now(),
        })
        const which = status ?? 'active'
        if (items.length === 0) return `No ${which === 'all' ? '' : `${which} `}campaigns${account ? ` in ${quote(account)}` : ''}.`
        const shown = items.slice(0, MAX_ROWS)
        const lines = shown.map((c) => {
          const cur = c.account.currency
          const budget =
            c.dailyBudget !== null
              ? `daily budget ${money(c.dailyBudget, cur)}`
              : c.lifetimeBudget !== null
                ? `lifetime budget ${money(c.lifetimeBudget, cur)}`
                : 'budget on ad sets'
          return [
            `• ${quote(c.name)} (id ${c.metaCampaignId}, ${c.status.toLowerCase()}, ${c.objective}, ${budget}, account ${quote(c.account.name)} in ${cur})`,
            `  last 7 days: ${summary(c.last7d.totals, c.last7d.derived)}`,
            `  yesterday: ${summary(c.yesterday.totals, c.yesterday.derived)}`,
          ].join('\n')
        })
        const more =
          items.length > shown.length
            ? `\n…and ${items.length - shown.length} more with less spend (filter by account or status to see them).`
            : ''
        return `${items.length} ${which} campaign${items.length === 1 ? '' : 's'}, by 7-day spend (complete days in each account's time zone):\n${lines.join('\n')}${more}`
      }),
    {
      name: 'list_campaigns',
      description:
        "Campaigns with their status, budget, and yesterday's and the last 7 days' key figures (spend, results, cost per result, CTR, CPC, CPM).",
      schema: z.object({
        account: z.string().optional().describe('Ad account name (or part of it) or id such as act_123; all accounts when omitted.'),
        status: z.enum(CAMPAIGN_STATUS_FILTERS).optional().describe('Which campaigns: active (default), paused, archived or all.'),
      }),
    },
  )
}
