import type { ChangeSource, ChangeType, Prisma } from '../../generated/prisma/client.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { recordAuditEvent } from '../audit/record-audit-event.ts'
import { settingsForAccount } from '../clients/client-policy.ts'
import { connectionToken } from '../connections/connection-token.ts'
import type { DomainDeps } from '../deps.ts'
import { loadSettings } from '../settings/workspace-settings.ts'
import { CHANGE_INCLUDE, type ChangeWithContext } from './change-include.ts'
import { campaignNameProblem, createCampaignValue, dailyBudgetValue, lifetimeBudgetValue } from './change-values.ts'
import { evaluateGuardrails } from './guardrails.ts'

export interface ProposeChangeOptions {
  workspaceId: string
  type: ChangeType
  source: ChangeSource
  /** Internal campaign id (all types but CREATE_CAMPAIGN). */
  campaignId?: string
  /** Internal ad account id (CREATE_CAMPAIGN). */
  adAccountId?: string
  /** { dailyBudgetMinor } / { lifetimeBudgetMinor } / create parameters; status changes need none. */
  proposedValue?: unknown
  requestedBySlackUserId?: string
  reason?: string
  evidence?: Prisma.InputJsonValue
  undoOfId?: string
  suggestionId?: string
}

/** Domain-internal: what must hold for the proposal to be written, checked in its own transaction. */
export interface ProposeChangeGuard {
  /** Runs after the change is created, before commit; throwing writes nothing. */
  inTransaction: (tx: Prisma.TransactionClient, change: ChangeWithContext) => Promise<void>
}

/**
 * Proposes a write to Meta: nothing is written until an authorised person approves it. The
 * current value comes from the last sync, the guardrails are evaluated and stored for the card.
 */
export async function proposeChange(
  deps: DomainDeps,
  options: ProposeChangeOptions,
  guard?: ProposeChangeGuard,
): Promise<ChangeWithContext> {
  const settings = await loadSettings(deps.prisma, options.workspaceId)
  let adAccountId: string
  let campaignId: string | null = null
  let currentValue: Prisma.InputJsonValue = {}
  let proposedValue: Prisma.InputJsonValue

  if (options.type === 'CREATE_CAMPAIGN') {
    if (!options.adAccountId) throw new AppError(AppErrorCode.BAD_INPUT, 'Choose an ad account for the new campaign.')
    adAccountId = options.adAccountId
    const value = options.proposedValue as { name?: unknown }
    const name = typeof value?.name === 'string' ? value.name : ''
    const problem = campaignNameProblem(name)
    if (problem) throw new AppError(AppErrorCode.BAD_INPUT, problem)
    proposedValue = createCampaignValue.parse({ ...(options.proposedValue as object), name: name.trim(), status: 'PAUSED' })
  } else {
    const campaign = options.campaignId
      ? await deps.prisma.campaign.findFirst({ where: { id: options.campaignId, adAccount: { workspaceId: options.workspaceId } } })
      : null
    if (!campaign) throw new AppError(AppErrorCode.NOT_FOUND, 'That campaign is not known to Promoly (try /promoly sync).')
    adAccountId = campaign.adAccountId
    campaignId = campaign.id
    switch (options.type) {
      case 'PAUSE':
        if (campaign.status === 'PAUSED') throw new AppError(AppErrorCode.BAD_INPUT, `"${campaign.name}" is already paused.`)
        currentValue = { status: campaign.status }
        proposedValue = { status: 'PAUSED' }
        break
      case 'RESUME':
        if (campaign.status === 'ACTIVE') throw new AppError(AppErrorCode.BAD_INPUT, `"${campaign.name}" is already active.`)
        if (campaign.status === 'ARCHIVED' || campaign.status === 'DELETED')
          throw new AppError(AppErrorCode.BAD_INPUT, `"${campaign.name}" is ${campaign.status.toLowerCase()} and cannot be resumed.`)
        currentValue = { status: campaign.status }
        proposedValue = { status: 'ACTIVE' }
        break
      case 'SET_DAILY_BUDGET': {
        if (campaign.dailyBudget === null) {
          throw new AppError(
            AppErrorCode.BAD_INPUT,
            `"${campaign.name}" has no campaign daily budget (its budgets are set on ad sets${campaign.lifetimeBudget !== null ? ' or it has a lifetime budget' : ''}).`,
          )
        }
        currentValue = { dailyBudgetMinor: Number(campaign.dailyBudget) }
        proposedValue = dailyBudgetValue.parse(options.proposedValue)
        if (proposedValue.dailyBudgetMinor === currentValue.dailyBudgetMinor)
          throw new AppError(AppErrorCode.BAD_INPUT, 'That is already the daily budget.')
        break
      }
      case 'SET_LIFETIME_BUDGET': {
        if (campaign.lifetimeBudget === null)
          throw new AppError(AppErrorCode.BAD_INPUT, `"${campaign.name}" has no campaign lifetime budget.`)
        currentValue = { lifetimeBudgetMinor: Number(campaign.lifetimeBudget) }
        proposedValue = lifetimeBudgetValue.parse(options.proposedValue)
        break
      }
      default:
        throw new AppError(AppErrorCode.BAD_INPUT, 'Unknown kind of change.')
    }
  }

  const account = await deps.prisma.adAccount.findFirst({
    where: { id: adAccountId, workspaceId: options.workspaceId },
    include: { connection: true },
  })
  if (!account) throw new AppError(AppErrorCode.NOT_FOUND, 'That ad account is not connected.')
  const minimum = await minimumDailyBudget(deps, account).catch(() => null)
  const now = deps.now()
  const guardrails = await evaluateGuardrails(
    deps.prisma,
    {
      type: options.type,
      adAccountId,
      campaignId,
      currentValue,
      proposedValue,
      currency: account.currency,
      minimumDailyBudgetMinor: minimum,
      isUndo: options.source === 'UNDO',
    },
    await settingsForAccount(deps.prisma, settings, account.id),
    now,
  )
  return deps.prisma.$transaction(async (tx) => {
    const change = await tx.changeRequest.create({
      data: {
        workspaceId: options.workspaceId,
        adAccountId,
        campaignId,
        type: options.type,
        source: options.source,
        requestedBySlackUserId: options.requestedBySlackUserId,
        reason: options.reason,
        evidence: options.evidence ?? [],
        currentValue,
        proposedValue,
        guardrails: guardrails as unknown as Prisma.InputJsonValue,
        undoOfId: options.undoOfId,
        suggestionId: options.suggestionId,
        expiresAt: new Date(now.getTime() + settings.guardrails.proposalTtlHours * 3_600_000),
      },
      include: CHANGE_INCLUDE,
    })
    await recordAuditEvent(tx, {
      workspaceId: options.workspaceId,
      actorType: options.source === 'OPTIMIZER' ? 'system' : options.source === 'AGENT' ? 'agent' : 'user',
      actorId: options.requestedBySlackUserId,
      action: 'change.proposed',
      targetType: 'change_request',
      targetId: change.id,
      data: { type: options.type, currentValue, proposedValue, source: options.source },
    })
    if (guard) await guard.inTransaction(tx, change)
    return change
  })
}

/** Meta's minimum daily budget for impressions-billed ad sets in this account (minor units). */
export async function minimumDailyBudget(
  deps: DomainDeps,
  account: { metaAccountId: string; currency: string; connection: { id: string; accessTokenEnc: string } },
): Promise<number | null> {
  const mins = await deps.meta.getMinimumBudgets(connectionToken(deps, account.connection), account.metaAccountId)
  const mine = mins.find((m) => m.currency === account.currency)
  return mine?.minDailyImpressionsMinor ?? null
}
