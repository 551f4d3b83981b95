import type { Member, Prisma } from '../../generated/prisma/client.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { formatMoney } from '../../lib/money.ts'
import { recordAuditEvent } from '../audit/record-audit-event.ts'
import { mayDecideFor, settingsForAccount } from '../clients/client-policy.ts'
import type { DomainDeps } from '../deps.ts'
import { loadSettings } from '../settings/workspace-settings.ts'
import type { ChangeWithContext } from './change-include.ts'
import { findChange } from './find-change.ts'
import {
  evaluateGuardrails,
  failing,
  fourEyesThreshold,
  type GuardrailPhase,
  HARD_GUARDRAILS,
  overridable,
  spendAtStake,
} from './guardrails.ts'
import { minimumDailyBudget } from './propose-change.ts'

export interface DecisionResult {
  change: ChangeWithContext
  /** False when the change had already left PROPOSED (a double click, a redelivered payload). */
  transitioned: boolean
}

export function canApprove(member: Pick<Member, 'role'>): boolean {
  return member.role === 'ADMIN' || member.role === 'APPROVER'
}

async function load(deps: DomainDeps, workspaceId: string, changeId: string): Promise<ChangeWithContext> {
  const change = await findChange(deps.prisma, { workspaceId, changeId })
  if (!change) throw new AppError(AppErrorCode.NOT_FOUND, 'That change request no longer exists.')
  return change
}

/**
 * Approves a proposed change. Only admins and approvers may; the four-eyes rule and the guardrails
 * are checked again now (an admin may override a guardrail with a stated reason, which is audited).
 * PROPOSED → APPROVED is one conditional UPDATE: however many clicks arrive, one wins.
 */
export async function approveChange(
  deps: DomainDeps,
  options: { workspaceId: string; changeId: string; member: Member; overrideReason?: string },
): Promise<DecisionResult> {
  const { member } = options
  const change = await load(deps, options.workspaceId, options.changeId)
  if (change.status !== 'PROPOSED') return { change, transitioned: false }
  if (!(await mayDecideFor(deps.prisma, member, change.adAccountId)))
    throw new AppError(
      AppErrorCode.FORBIDDEN,
      "Only Promoly admins and approvers, and the approvers of this ad account's client, can approve its changes. Nothing was changed.",
    )
  const now = deps.now()
  if (change.expiresAt <= now) {
    await expireOne(deps, change.id, change.workspaceId)
    return { change: await load(deps, options.workspaceId, change.id), transitioned: false }
  }
  const settings = await loadSettings(deps.prisma, options.workspaceId)
  const proposedValue = change.proposedValue as Prisma.InputJsonValue
  const fourEyes = fourEyesThreshold(settings, change.adAccount.currency)
  if (fourEyes && change.requestedBySlackUserId === member.slackUserId) {
    const stake = await spendAtStake(deps.prisma, { ...change, proposedValue })
    if (stake > fourEyes.minor) {
      throw new AppError(
        AppErrorCode.FORBIDDEN,
        `Four-eyes rule: you asked for this change, and it moves ${formatMoney(stake, change.adAccount.currency)}, above ${fourEyes.label}, so someone else has to approve it.`,
      )
    }
  }
  const guardrails = await evaluateChangeGuardrails(deps, change, proposedValue, now)
  const refused = failing(guardrails)
  const override = options.overrideReason?.trim()
  if (refused.length > 0) {
    if (!override) {
      // Say only what is true: whether an override could lift every refusal, and who may give it.
      const hint = !overridable(refused)
        ? ''
        : member.role === 'ADMIN'
          ? ' As an admin you can override with a stated reason.'
          : ' A Promoly admin can override with a stated reason.'
      throw new AppError(AppErrorCode.FORBIDDEN, `Refused by guardrails: ${refused.map((r) => r.message).join('; ')}.${hint}`, {
        details: { guardrails: refused },
      })
    }
    if (member.role !== 'ADMIN') throw new AppError(AppErrorCode.FORBIDDEN, 'Only Promoly admins can override a guardrail.')
    const metaLimit = refused.find((r) => r.name === 'meta_budget_changes_per_hour')
    if (metaLimit) throw new AppError(AppErrorCode.FORBIDDEN, `Meta itself refuses more budget changes this hour: ${metaLimit.message}.`)
    const ceiling = refused.find((r) => HARD_GUARDRAILS.has(r.name))
    if (ceiling) throw new AppError(AppErrorCode.FORBIDDEN, `No override lifts this limit: ${ceiling.message}. Nothing was changed.`)
  }
  const updated = await deps.prisma.$transaction(async (tx) => {
    const won = await tx.changeRequest.updateMany({
      where: { id: change.id, status: 'PROPOSED', expiresAt: { gt: now } },
      data: {
        status: 'APPROVED',
        decidedBySlackUserId: member.slackUserId,
        decidedAt: now,
        guardrails: guardrails as unknown as Prisma.InputJsonValue,
        overrideReason: refused.length > 0 ? override : null,
      },
    })
    if (won.count === 0) return false
    await recordAuditEvent(tx, {
      workspaceId: options.workspaceId,
      actorType: 'user',
      actorId: member.slackUserId,
      action: refused.length > 0 ? 'change.approved_with_override' : 'change.approved',
      targetType: 'change_request',
      targetId: change.id,
      data: { proposedValue, ...(refused.length > 0 ? { overrideReason: override, overridden: refused.map((r) => r.name) } : {}) },
    })
    return true
  })
  return { change: await load(deps, options.workspaceId, change.id), transitioned: updated }
}

export async function rejectChange(
  deps: DomainDeps,
  options: { workspaceId: string; changeId: string; member: Member },
): Promise<DecisionResult> {
  const change = await load(deps, options.workspaceId, options.changeId)
  if (change.status !== 'PROPOSED') return { change, transitioned: false }
  if (!(await mayDecideFor(deps.prisma, options.member, change.adAccountId)))
    throw new AppError(
      AppErrorCode.FORBIDDEN,
      "Only Promoly admins and approvers, and the approvers of this ad account's client, can reject its changes.",
    )
  const now = deps.now()
  const done = await deps.prisma.$transaction(async (tx) => {
    const won = await tx.changeRequest.updateMany({
      where: { id: change.id, status: 'PROPOSED' },
      data: { status: 'REJECTED', decidedBySlackUserId: options.member.slackUserId, decidedAt: now },
    })
    if (won.count === 0) return false
    if (change.suggestionId)
      await tx.suggestion.updateMany({ where: { id: change.suggestionId, status: 'OPEN' }, data: { status: 'REJECTED', rejectedAt: now } })
    await recordAuditEvent(tx, {
      workspaceId: options.workspaceId,
      actorType: 'user',
      actorId: options.member.slackUserId,
      action: 'change.rejected',
      targetType: 'change_request',
      targetId: change.id,
    })
    return true
  })
  return { change: await load(deps, options.workspaceId, change.id), transitioned: done }
}

async function expireOne(deps: DomainDeps, changeId: string, workspaceId: string) {
  await deps.prisma.$transaction(async (tx) => {
    const r = await tx.changeRequest.updateMany({ where: { id: changeId, status: 'PROPOSED' }, data: { status: 'EXPIRED' } })
    if (r.count === 1)
      await recordAuditEvent(tx, {
        workspaceId,
        actorType: 'system',
        action: 'change.expired',
        targetType: 'change_request',
        targetId: changeId,
      })
  })
}

/**
 * The daily money a change puts at stake, for the four-eyes rule: the budget delta of a budget
 * change, the daily budget of a campaign being resumed or created.
 */

/** PROPOSED past their expiry → EXPIRED. Returns the expired ones (their cards need updating). */
export async function expireChanges(deps: DomainDeps): Promise<ChangeWithContext[]> {
  const now = deps.now()
  const due = await deps.prisma.changeRequest.findMany({
    where: { status: 'PROPOSED', expiresAt: { lte: now } },
    select: { id: true, workspaceId: true },
  })
  const expired: ChangeWithContext[] = []
  for (const d of due) {
    const won = await deps.prisma.$transaction(async (tx) => {
      const r = await tx.changeRequest.updateMany({ where: { id: d.id, status: 'PROPOSED' }, data: { status: 'EXPIRED' } })
      if (r.count === 1)
        await recordAuditEvent(tx, {
          workspaceId: d.workspaceId,
          actorType: 'system',
          action: 'change.expired',
          targetType: 'change_request',
          targetId: d.id,
        })
      return r.count === 1
    })
    if (won) expired.push(await load(deps, d.workspaceId, d.id))
  }
  return expired
}

/** The guardrails of a change, evaluated now (at approval, and again before a retry). */
async function evaluateChangeGuardrails(
  deps: DomainDeps,
  change: ChangeWithContext,
  proposedValue: unknown,
  now: Date,
  excludeSelf = false,
  phase: GuardrailPhase = 'decide',
) {
  const settings = await settingsForAccount(deps.prisma, await loadSettings(deps.prisma, change.workspaceId), change.adAccountId)
  const account = await deps.prisma.adAccount.findUniqueOrThrow({ where: { id: change.adAccountId }, include: { connection: true } })
  const minimum = await minimumDailyBudget(deps, account).catch(() => null)
  return evaluateGuardrails(
    deps.prisma,
    {
      type: change.type,
      adAccountId: change.adAccountId,
      campaignId: change.campaignId,
      currentValue: change.currentValue,
      proposedValue,
      currency: account.currency,
      minimumDailyBudgetMinor: minimum,
      isUndo: change.source === 'UNDO',
    },
    settings,
    now,
    excludeSelf ? change.id : undefined,
    phase,
  )
}

/**
 * The guardrails that would refuse this change if it were applied now (before a retry): counted like the apply
 * does (phase `apply`: changes on their way to Meta and applied ones, by when they were applied).
 */
export async function guardrailsRefusing(deps: DomainDeps, change: ChangeWithContext) {
  return failing(await evaluateChangeGuardrails(deps, change, change.proposedValue, deps.now(), true, 'apply'))
}
