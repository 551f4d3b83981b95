import { tool } from 'langchain'
import * as z from 'zod'
import { type BudgetChoice, parseBudgetInput } from '../../domain/changes/budget-input.ts'
import { budgetRef } from '../../domain/changes/changeable-object.ts'
import { proposeBudgetChange } from '../../domain/changes/propose-budget-change.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { formatMoney } from '../../lib/money.ts'
import { changeLevelSchema, changeTargetSchema, findChangeTarget } from './find-target.ts'
import { announceProposal } from './propose.ts'
import { runTool, type ToolContext } from './tool-context.ts'

export function proposeBudgetChangeTool(ctx: ToolContext) {
  return tool(
    ({ level, target, amount, percent, reason }) =>
      runTool(ctx, 'propose_budget_change', 'Preparing a proposal…', async () => {
        const change: { amount: string } | { percent: number } | null =
          amount !== undefined && percent === undefined ? { amount } : percent !== undefined && amount === undefined ? { percent } : null
        if (!change) throw new AppError(AppErrorCode.BAD_INPUT, 'Give either a new amount or a percent change, not both.')
        const found = await findChangeTarget(ctx, level, target)
        // An ad has no budget (refused, naming what holds it); a campaign or an ad set: where the budget lives.
        const ref = budgetRef(found)
        // The amount as the person wrote it: "$80" on a euro campaign is refused, "+20" is asked back, never guessed.
        const choice: BudgetChoice =
          'percent' in change ? { kind: 'percent', percent: change.percent } : amountChoice(change.amount, found.account.currency)
        const parts = await proposeBudgetChange(ctx.deps, {
          workspaceId: ctx.workspaceId,
          ...ref,
          choice,
          source: 'AGENT',
          requestedBySlackUserId: ctx.slackUserId,
          reason,
        })
        return announceProposal(ctx, parts)
      }),
    {
      name: 'propose_budget_change',
      description:
        "Proposes a new budget (daily, or lifetime when that is what the object has) as a change request card that an admin or approver must approve. Budgets live either on the campaign (a campaign budget) or on each ad set (ad set budgets); ads have none. Give a campaign or an ad set: a campaign with ad set budgets gets one change per active ad set on one card (a percent or an amount more/less applies to each; a new absolute amount needs one ad set); an ad set that uses its campaign's budget is refused. Give either amount or percent. Returns every part proposed. Does not change anything by itself; guardrails (max change per step, Meta's minimum, cooldowns) are checked on the card.",
      schema: z.object({
        level: changeLevelSchema,
        target: changeTargetSchema,
        amount: z
          .string()
          .optional()
          .describe(
            'The amount exactly as the person wrote it, with its currency symbol or code if they gave one ("60", "$60", "80 EUR", "+$20" for $20 more; major units, not cents). Never convert or drop a currency: another currency than the account\'s is refused with the reason. If they wrote a bare signed number ("+20"), ask whether they meant percent or money first.',
          ),
        percent: z.number().min(-90).max(500).optional().describe('Relative change in percent, e.g. 20 for +20% or -10 for -10%.'),
        reason: z.string().max(500).optional().describe('Why, in one sentence grounded in the numbers you looked up; shown on the card.'),
      }),
    },
  )
}

/** A new budget or so much more or less money; a bare "+20" is sent back as a question, never guessed. */
function amountChoice(amount: string, currency: string): BudgetChoice {
  const input = parseBudgetInput(amount, currency)
  if (input.kind !== 'ambiguous') return input
  const [pct, money] = [input.percent, formatMoney(Math.abs(input.deltaMinor), currency)]
  throw new AppError(
    AppErrorCode.BAD_INPUT,
    `"${amount}" could mean ${pct > 0 ? '+' : '-'}${Math.abs(pct)} % or ${pct > 0 ? '+' : '-'}${money}: ask the person which one, then call again with percent, or with the amount including its currency symbol.`,
  )
}
