import type { ChangeSource, ChangeType, Prisma } from '../../generated/prisma/client.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { recordAuditEvent } from '../audit/record-audit-event.ts'
import { settingsForAccount } from '../clients/client-policy.ts'
import type { DomainDeps } from '../deps.ts'
import { loadSettings } from '../settings/workspace-settings.ts'
import { CHANGE_INCLUDE, type ChangeLevel, type ChangeWithContext } from './change-include.ts'
import { alreadyActive, budgetElsewhere, type ChangeTargetIds, loadChangeTarget, noBudgetOnAds } from './change-target.ts'
import { campaignNameProblem, createCampaignValue, dailyBudgetValue, lifetimeBudgetValue } from './change-values.ts'
import { evaluateGuardrails, type GuardrailResult } from './guardrails.ts'
import { applicableMinimum } from './minimum-budget.ts'

export interface ProposeChangeOptions {
  workspaceId: string
  type: ChangeType
  source: ChangeSource
  /**
   * The object acted on, for all types but CREATE_CAMPAIGN: exactly one of the internal campaign, ad set or ad id.
   * Budgets change where they live (a campaign budget on the campaign, ad set budgets on the ad set); ads have no
   * budget, only a status.
   */
  campaignId?: string
  adSetId?: string
  adId?: string
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
  /** Runs after the change(s) are created, before commit; throwing writes nothing. */
  inTransaction: (tx: Prisma.TransactionClient, change: ChangeWithContext) => Promise<void>
}

/** A proposal checked and ready to be written: what it acts on, its values and its guardrails. */
interface PreparedChange {
  options: ProposeChangeOptions
  adAccountId: string
  campaignId: string | null
  adSetId: string | null
  adId: string | null
  level: ChangeLevel
  currentValue: Prisma.InputJsonValue
  proposedValue: Prisma.InputJsonValue
  guardrails: GuardrailResult[]
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
  const [change] = await proposeChanges(deps, [options], guard)
  if (!change) throw new Error('a proposal wrote nothing')
  return change
}

/**
 * Proposes several writes shown on one card (one budget change per ad set of a campaign): each is checked as if it
 * were alone, all are written in one transaction or none is, and with more than one they share a group (every part's
 * `groupId` is the first part's id). Approving or rejecting the card decides them all; each is applied on its own.
 */
export async function proposeChanges(
  deps: DomainDeps,
  parts: ProposeChangeOptions[],
  guard?: ProposeChangeGuard,
): Promise<ChangeWithContext[]> {
  const first = parts[0]
  if (!first) throw new AppError(AppErrorCode.BAD_INPUT, 'Nothing to propose.')
  // One expiry for the whole card, taken before any part's Meta calls: its parts expire together.
  const ttlHours = (await loadSettings(deps.prisma, first.workspaceId)).guardrails.proposalTtlHours
  const expiresAt = new Date(deps.now().getTime() + ttlHours * 3_600_000)
  const prepared: PreparedChange[] = []
  for (const options of parts) prepared.push(await prepareChange(deps, options))
  return deps.prisma.$transaction(async (tx) => {
    const written: ChangeWithContext[] = []
    for (const p of prepared) {
      const o = p.options
      const change = await tx.changeRequest.create({
        data: {
          workspaceId: o.workspaceId,
          adAccountId: p.adAccountId,
          campaignId: p.campaignId,
          adSetId: p.adSetId,
          adId: p.adId,
          level: p.level,
          groupId: prepared.length > 1 ? (written[0]?.id ?? null) : null,
          type: o.type,
          source: o.source,
          requestedBySlackUserId: o.requestedBySlackUserId,
          reason: o.reason,
          evidence: o.evidence ?? [],
          currentValue: p.currentValue,
          proposedValue: p.proposedValue,
          guardrails: p.guardrails as unknown as Prisma.InputJsonValue,
          undoOfId: o.undoOfId,
          suggestionId: o.suggestionId,
          expiresAt,
        },
        include: CHANGE_INCLUDE,
      })
      written.push(change)
      await recordAuditEvent(tx, {
        workspaceId: o.workspaceId,
        actorType: o.source === 'OPTIMIZER' ? 'system' : o.source === 'AGENT' ? 'agent' : 'user',
        actorId: o.requestedBySlackUserId,
        action: 'change.proposed',
        targetType: 'change_request',
        targetId: change.id,
        data: {
          type: o.type,
          level: p.level,
          currentValue: p.currentValue,
          proposedValue: p.proposedValue,
          source: o.source,
          ...(change.groupId ? { groupId: change.groupId } : {}),
        },
      })
    }
    const lead = written[0]
    if (prepared.length > 1 && lead) {
      // The first part is written before its id is known to the group: it joins its own group now.
      await tx.changeRequest.update({ where: { id: lead.id }, data: { groupId: lead.id } })
      lead.groupId = lead.id
    }
    if (guard && lead) await guard.inTransaction(tx, lead)
    return written
  })
}

/** Loads what a proposal acts on, checks it can be proposed, and evaluates its guardrails. */
async function prepareChange(deps: DomainDeps, options: ProposeChangeOptions): Promise<PreparedChange> {
  const settings = await loadSettings(deps.prisma, options.workspaceId)
  let target: ChangeTargetIds
  let proposedValue: Prisma.InputJsonValue
  let currentValue: Prisma.InputJsonValue = {}

  if (options.type === 'CREATE_CAMPAIGN') {
    if (!options.adAccountId) throw new AppError(AppErrorCode.BAD_INPUT, 'Choose an ad account for the new campaign.')
    target = { level: 'campaign', adAccountId: options.adAccountId, campaignId: null, adSetId: null, adId: null }
    const value = options.proposedValue as { name?: unknown }
    const name = typeof value?.name === 'string' ? value.name : ''
    const problem = campaignNameProblem(name)
    if (problem) throw new AppError(AppErrorCode.BAD_INPUT, problem)
    proposedValue = createCampaignValue.parse({ ...(options.proposedValue as object), name: name.trim(), status: 'PAUSED' })
  } else {
    const object = await loadChangeTarget(deps.prisma, options)
    target = object
    const label = object.label
    switch (options.type) {
      case 'PAUSE':
        if (object.status === 'PAUSED') throw new AppError(AppErrorCode.BAD_INPUT, `${label} is already paused.`)
        if (object.status === 'ARCHIVED' || object.status === 'DELETED')
          throw new AppError(AppErrorCode.BAD_INPUT, `${label} is ${object.status.toLowerCase()} on Meta: there is nothing to pause.`)
        currentValue = { status: object.status }
        proposedValue = { status: 'PAUSED' }
        break
      case 'RESUME':
        if (object.status === 'ACTIVE') throw new AppError(AppErrorCode.BAD_INPUT, alreadyActive(object))
        if (object.status === 'ARCHIVED' || object.status === 'DELETED')
          throw new AppError(AppErrorCode.BAD_INPUT, `${label} is ${object.status.toLowerCase()} and cannot be resumed.`)
        currentValue = { status: object.status }
        proposedValue = { status: 'ACTIVE' }
        break
      case 'SET_DAILY_BUDGET': {
        if (object.level === 'ad') throw new AppError(AppErrorCode.BAD_INPUT, noBudgetOnAds(object))
        if (object.dailyBudget === null) throw new AppError(AppErrorCode.BAD_INPUT, budgetElsewhere(object, 'daily'))
        currentValue = { dailyBudgetMinor: object.dailyBudget }
        proposedValue = dailyBudgetValue.parse(options.proposedValue)
        if (proposedValue.dailyBudgetMinor === currentValue.dailyBudgetMinor)
          throw new AppError(AppErrorCode.BAD_INPUT, 'That is already the daily budget.')
        break
      }
      case 'SET_LIFETIME_BUDGET': {
        if (object.level === 'ad') throw new AppError(AppErrorCode.BAD_INPUT, noBudgetOnAds(object))
        if (object.lifetimeBudget === null) throw new AppError(AppErrorCode.BAD_INPUT, budgetElsewhere(object, 'lifetime'))
        currentValue = { lifetimeBudgetMinor: object.lifetimeBudget }
        proposedValue = lifetimeBudgetValue.parse(options.proposedValue)
        if (proposedValue.lifetimeBudgetMinor === currentValue.lifetimeBudgetMinor)
          throw new AppError(AppErrorCode.BAD_INPUT, 'That is already the lifetime budget.')
        break
      }
      default:
        throw new AppError(AppErrorCode.BAD_INPUT, 'Unknown kind of change.')
    }
  }

  const account = await deps.prisma.adAccount.findFirst({
    where: { id: target.adAccountId, workspaceId: options.workspaceId },
    include: { connection: true },
  })
  if (!account) throw new AppError(AppErrorCode.NOT_FOUND, 'That ad account is not connected.')
  const objective = options.type === 'CREATE_CAMPAIGN' ? (proposedValue as { objective?: string }).objective : undefined
  const minimum = await applicableMinimum(deps, account, { ...target, objective }).catch(() => null)
  const now = deps.now()
  const guardrails = await evaluateGuardrails(
    deps.prisma,
    {
      type: options.type,
      level: target.level,
      adAccountId: target.adAccountId,
      campaignId: target.campaignId,
      adSetId: target.adSetId,
      adId: target.adId,
      currentValue,
      proposedValue,
      currency: account.currency,
      minimumDailyBudgetMinor: minimum?.minor,
      minimumBasis: minimum?.basis,
      groupId: null,
      isUndo: options.source === 'UNDO',
    },
    await settingsForAccount(deps.prisma, settings, account.id),
    now,
  )
  return {
    options,
    adAccountId: target.adAccountId,
    campaignId: target.campaignId,
    adSetId: target.adSetId,
    adId: target.adId,
    level: target.level,
    currentValue,
    proposedValue,
    guardrails,
  }
}
