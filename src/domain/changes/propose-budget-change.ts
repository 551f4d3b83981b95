import { AppError, AppErrorCode } from '../../lib/errors.ts'
import type { DomainDeps } from '../deps.ts'
import { type BudgetChoice, budgetTarget } from './budget-input.ts'
import type { ChangeWithContext } from './change-include.ts'
import { type ProposeChangeOptions, proposeChange } from './propose-change.ts'

export interface ProposeBudgetChangeOptions {
  workspaceId: string
  /** Internal campaign id. */
  campaignId: string
  choice: BudgetChoice
  source: ProposeChangeOptions['source']
  requestedBySlackUserId?: string
  reason?: string
  /**
   * At most one proposal per answer: a second proposal with the same key (a double click, Slack redelivering the
   * click) from the same person for the same campaign since `since` is refused instead of written twice.
   */
  once?: { key: string; since: Date }
}

/**
 * Proposes a campaign's new budget (daily, or lifetime when the campaign has one) from what the person chose:
 * an amount, a percent or so much more or less. The campaign must still be synced in the workspace.
 */
export async function proposeBudgetChange(deps: DomainDeps, options: ProposeBudgetChangeOptions): Promise<ChangeWithContext> {
  const campaign = await deps.prisma.campaign.findFirst({
    where: { id: options.campaignId, adAccount: { workspaceId: options.workspaceId, syncEnabled: true } },
    include: { adAccount: true },
  })
  if (!campaign) throw new AppError(AppErrorCode.NOT_FOUND, 'That campaign is no longer in Promoly (see `/promoly campaigns`).')
  const current = campaign.dailyBudget ?? campaign.lifetimeBudget
  if (current === null)
    throw new AppError(AppErrorCode.BAD_INPUT, `"${campaign.name}" has no campaign budget: its budgets are set on its ad sets.`)
  const target = budgetTarget(Number(current), options.choice)
  if (target <= 0) throw new AppError(AppErrorCode.BAD_INPUT, 'The new budget must be more than zero.')
  const lifetime = campaign.dailyBudget === null
  const proposedValue = lifetime ? { lifetimeBudgetMinor: target } : { dailyBudgetMinor: target }
  const once = options.once
  return proposeChange(
    deps,
    {
      workspaceId: options.workspaceId,
      type: lifetime ? 'SET_LIFETIME_BUDGET' : 'SET_DAILY_BUDGET',
      source: options.source,
      campaignId: campaign.id,
      proposedValue,
      requestedBySlackUserId: options.requestedBySlackUserId,
      reason: options.reason,
    },
    once && {
      async inTransaction(tx, change) {
        // Two clicks at once: the second waits here for the first to commit, then sees its proposal.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`promoly.budget-answer:${once.key}`}, 0))`
        const earlier = await tx.changeRequest.findFirst({
          where: {
            id: { not: change.id },
            campaignId: campaign.id,
            source: options.source,
            requestedBySlackUserId: options.requestedBySlackUserId ?? null,
            createdAt: { gte: once.since },
            proposedValue: { equals: proposedValue },
          },
          select: { id: true },
        })
        if (earlier) throw new AppError(AppErrorCode.CONFLICT, 'You already answered: the proposal is on its card.')
      },
    },
  )
}
