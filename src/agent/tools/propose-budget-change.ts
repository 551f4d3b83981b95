import { tool } from 'langchain'
import * as z from 'zod'
import { findCampaign } from '../../domain/campaigns/find-campaign.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { parseMoneyInput } from '../../lib/money.ts'
import { proposeForAgent } from './propose.ts'
import { quote, runTool, type ToolContext } from './tool-context.ts'

export function proposeBudgetChangeTool(ctx: ToolContext) {
  return tool(
    ({ campaign, amount, percent, reason }) =>
      runTool(ctx, 'propose_budget_change', 'Preparing a proposal…', async () => {
        const change: { amount: string } | { percent: number } | null =
          amount !== undefined && percent === undefined ? { amount } : percent !== undefined && amount === undefined ? { percent } : null
        if (!change) throw new AppError(AppErrorCode.BAD_INPUT, 'Give either a new amount or a percent change, not both.')
        const c = await findCampaign(ctx.deps.prisma, ctx.scope, campaign)
        const current = c.dailyBudget ?? c.lifetimeBudget
        if (current === null)
          throw new AppError(
            AppErrorCode.BAD_INPUT,
            `${quote(c.name)} has no campaign budget: its budgets are set on its ad sets, which Promoly does not change.`,
          )
        const target =
          'percent' in change
            ? Math.round(Number(current) * (1 + change.percent / 100))
            : parseMoneyInput(change.amount, c.adAccount.currency)
        if (target <= 0) throw new AppError(AppErrorCode.BAD_INPUT, 'The new budget must be more than zero.')
        const lifetime = c.dailyBudget === null
        return proposeForAgent(ctx, {
          type: lifetime ? 'SET_LIFETIME_BUDGET' : 'SET_DAILY_BUDGET',
          campaignId: c.id,
          proposedValue: lifetime ? { lifetimeBudgetMinor: target } : { dailyBudgetMinor: target },
          reason,
        })
      }),
    {
      name: 'propose_budget_change',
      description:
        "Proposes a new campaign budget (daily, or lifetime when the campaign has one) as a change request card that an admin or approver must approve. Give either amount or percent. Does not change anything by itself; guardrails (max change per step, Meta's minimum, cooldowns) are checked on the card.",
      schema: z.object({
        campaign: z.string().describe('The campaign: its name (or part of it) or its id.'),
        amount: z.string().optional().describe('New budget in the account currency, major units, e.g. "60" or "60.50" (not cents).'),
        percent: z.number().min(-90).max(500).optional().describe('Relative change in percent, e.g. 20 for +20% or -10 for -10%.'),
        reason: z.string().max(500).optional().describe('Why, in one sentence grounded in the numbers you looked up; shown on the card.'),
      }),
    },
  )
}
