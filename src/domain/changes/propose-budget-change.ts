import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { formatMoney } from '../../lib/money.ts'
import type { DomainDeps } from '../deps.ts'
import { type BudgetChoice, budgetTarget } from './budget-input.ts'
import type { ChangeWithContext } from './change-include.ts'
import { type ProposeChangeOptions, proposeChanges } from './propose-change.ts'

export interface ProposeBudgetChangeOptions {
  workspaceId: string
  /** Internal campaign id, or (`adSetId`) an ad set's: exactly one. */
  campaignId?: string
  adSetId?: string
  choice: BudgetChoice
  source: ProposeChangeOptions['source']
  requestedBySlackUserId?: string
  reason?: string
  /**
   * At most one proposal per answer: a second proposal with the same key (a double click, Slack redelivering the
   * click) from the same person for the same object since `since` is refused instead of written twice.
   */
  once?: { key: string; since: Date }
}

/** An object whose budget a choice changes: where the budget lives and its current amount. */
interface BudgetHolder {
  campaignId?: string
  adSetId?: string
  name: string
  daily: bigint | null
  lifetime: bigint | null
}

/**
 * Proposes a new budget (daily, or lifetime when that is what the object has) from what the person chose: an
 * amount, a percent or so much more or less. The budget changes where it lives: a campaign with a campaign budget
 * changes the campaign; a campaign whose budgets live on its ad sets gets one change per active ad set with a
 * budget, on one card (a percent or a difference applies to each; an amount is refused: name the ad set); an ad
 * set changes itself (refused with the reason when its campaign holds the budget). The object must still be synced
 * in the workspace. Returns the parts (one, or the group's in order).
 */
export async function proposeBudgetChange(deps: DomainDeps, options: ProposeBudgetChangeOptions): Promise<ChangeWithContext[]> {
  const holders = await budgetHolders(deps, options)
  if (holders.length > 1 && options.choice.kind === 'absolute') {
    const names = holders.map((h) => `“${h.name}”`).join(', ')
    throw new AppError(
      AppErrorCode.BAD_INPUT,
      `This campaign's budgets live on its ${holders.length} active ad sets (${names}): give a change in percent (+20%) or by how much (+10), which applies to each, or name one ad set.`,
    )
  }
  const parts: ProposeChangeOptions[] = holders.map((h) => {
    const current = h.daily ?? h.lifetime
    if (current === null) throw new Error('a budget holder without a budget')
    const target = budgetTarget(Number(current), options.choice)
    if (target <= 0) throw new AppError(AppErrorCode.BAD_INPUT, 'The new budget must be more than zero.')
    const lifetime = h.daily === null
    return {
      workspaceId: options.workspaceId,
      type: lifetime ? 'SET_LIFETIME_BUDGET' : 'SET_DAILY_BUDGET',
      source: options.source,
      campaignId: h.campaignId,
      adSetId: h.adSetId,
      proposedValue: lifetime ? { lifetimeBudgetMinor: target } : { dailyBudgetMinor: target },
      requestedBySlackUserId: options.requestedBySlackUserId,
      reason: options.reason,
    }
  })
  const once = options.once
  const lead = parts[0]
  return proposeChanges(
    deps,
    parts,
    once &&
      lead && {
        async inTransaction(tx, change) {
          // Two clicks at once: the second waits here for the first to commit, then sees its proposal.
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`promoly.budget-answer:${once.key}`}, 0))`
          const earlier = await tx.changeRequest.findFirst({
            where: {
              id: { not: change.id },
              ...(change.groupId ? { OR: [{ groupId: null }, { groupId: { not: change.groupId } }] } : {}),
              campaignId: change.campaignId,
              adSetId: change.adSetId,
              level: change.level,
              source: options.source,
              requestedBySlackUserId: options.requestedBySlackUserId ?? null,
              createdAt: { gte: once.since },
              proposedValue: { equals: lead.proposedValue as object },
            },
            select: { id: true },
          })
          if (earlier) throw new AppError(AppErrorCode.CONFLICT, 'You already answered: the proposal is on its card.')
        },
      },
  )
}

/**
 * Where the budget a proposal on this object changes lives: the campaign, the named ad set, or the campaign's active
 * ad sets (refused with the reason when there is none to change). What proposeBudgetChange changes, for a question
 * asked before it ("+20 % or +$20.00/day for each of…").
 */
export async function budgetHolders(
  deps: DomainDeps,
  options: Pick<ProposeBudgetChangeOptions, 'workspaceId' | 'campaignId' | 'adSetId'>,
): Promise<BudgetHolder[]> {
  const inWorkspace = { adAccount: { workspaceId: options.workspaceId, syncEnabled: true } }
  if (options.adSetId) {
    const adSet = await deps.prisma.adSet.findFirst({ where: { id: options.adSetId, ...inWorkspace }, include: { campaign: true } })
    if (!adSet) throw new AppError(AppErrorCode.NOT_FOUND, 'That ad set is no longer in Promoly (see `/promoly adsets <campaign>`).')
    if (adSet.dailyBudget === null && adSet.lifetimeBudget === null) {
      const campaignHas = adSet.campaign.dailyBudget !== null || adSet.campaign.lifetimeBudget !== null
      throw new AppError(
        AppErrorCode.BAD_INPUT,
        campaignHas
          ? `Ad set “${adSet.name}” uses its campaign's budget: change the budget of campaign “${adSet.campaign.name}” instead.`
          : `Ad set “${adSet.name}” has no budget on record (try /promoly sync).`,
      )
    }
    return [{ adSetId: adSet.id, name: adSet.name, daily: adSet.dailyBudget, lifetime: adSet.lifetimeBudget }]
  }
  const campaign = await deps.prisma.campaign.findFirst({ where: { id: options.campaignId, ...inWorkspace }, include: { adAccount: true } })
  if (!campaign) throw new AppError(AppErrorCode.NOT_FOUND, 'That campaign is no longer in Promoly (see `/promoly campaigns`).')
  if (campaign.dailyBudget !== null || campaign.lifetimeBudget !== null)
    return [{ campaignId: campaign.id, name: campaign.name, daily: campaign.dailyBudget, lifetime: campaign.lifetimeBudget }]
  const adSets = await deps.prisma.adSet.findMany({
    where: { campaignId: campaign.id, status: { notIn: ['ARCHIVED', 'DELETED'] } },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
  })
  const withBudget = adSets.filter((s) => s.dailyBudget !== null || s.lifetimeBudget !== null)
  const active = withBudget.filter((s) => s.status === 'ACTIVE')
  if (active.length > 0) return active.map((s) => ({ adSetId: s.id, name: s.name, daily: s.dailyBudget, lifetime: s.lifetimeBudget }))
  if (withBudget.length > 0) {
    const list = withBudget
      .slice(0, 5)
      .map(
        (s) =>
          `“${s.name}” (${s.status.toLowerCase()}, ${formatMoney(Number(s.dailyBudget ?? s.lifetimeBudget), campaign.adAccount.currency)})`,
      )
      .join(', ')
    throw new AppError(
      AppErrorCode.BAD_INPUT,
      `“${campaign.name}” has no active ad set: its budgets live on its ad sets (${list}). Name the ad set whose budget to change.`,
    )
  }
  throw new AppError(
    AppErrorCode.BAD_INPUT,
    adSets.length === 0 && campaign.adAccount.adLevelSince === null
      ? `“${campaign.name}” has no campaign budget and its ad sets are not synced yet (try /promoly sync).`
      : `“${campaign.name}” has no campaign budget and none of its ad sets has one: there is no budget to change.`,
  )
}
