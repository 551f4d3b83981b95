import type { Member, Prisma } from '../../generated/prisma/client.ts'
import { isMetaApiError } from '../../integrations/meta/errors.ts'
import type { MetaCampaign } from '../../integrations/meta/meta-api.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { recordAuditEvent } from '../audit/record-audit-event.ts'
import { connectionToken } from '../connections/connection-token.ts'
import type { DomainDeps } from '../deps.ts'
import { toAppError } from '../meta-errors.ts'
import { type ChangeWithContext, loadChange } from './change-include.ts'
import { budgetOf, createCampaignValue } from './change-values.ts'
import { canApprove, guardrailsRefusing } from './decide-change.ts'
import { findChange } from './find-change.ts'

export type ApplyResult =
  | { kind: 'applied'; change: ChangeWithContext }
  | { kind: 'failed'; change: ChangeWithContext }
  | { kind: 'skipped'; change: ChangeWithContext }
  /** Meta throttled the write: try again after `retryAfterMs` (the change is APPROVED again). */
  | { kind: 'throttled'; change: ChangeWithContext; retryAfterMs: number }

function liveValue(c: MetaCampaign) {
  return {
    status: c.status,
    effectiveStatus: c.effectiveStatus,
    dailyBudgetMinor: c.dailyBudgetMinor,
    lifetimeBudgetMinor: c.lifetimeBudgetMinor,
    name: c.name,
    metaCampaignId: c.id,
  }
}

/**
 * Applies an approved change exactly once. The job carries the change's idempotency key; each
 * attempt first reads Meta's live state and only writes what is not there yet, so a retried job
 * (after a crash or a lost answer) never makes a second budget change or a second campaign.
 * The outcome recorded is what Meta reports after the write, not what was asked.
 */
export async function applyChange(deps: DomainDeps, options: { changeId: string; idempotencyKey: string }): Promise<ApplyResult> {
  const load = () => loadChange(deps.prisma, options.changeId)
  const change = await load()
  if (change.idempotencyKey !== options.idempotencyKey)
    throw new AppError(AppErrorCode.CONFLICT, 'idempotency key does not match this change')
  if (change.status !== 'APPROVED' && change.status !== 'APPLYING') return { kind: 'skipped', change }
  // Exclusive claim: APPROVED, or APPLYING whose lease ran out (its worker died mid-way).
  // updatedAt is written by the database client's wall clock, so the lease is measured on it too.
  const leaseExpired = new Date(Date.now() - APPLY_LEASE_MS)
  const claimed = await deps.prisma.changeRequest.updateMany({
    where: { id: change.id, OR: [{ status: 'APPROVED' }, { status: 'APPLYING', updatedAt: { lt: leaseExpired } }] },
    data: { status: 'APPLYING', attempts: { increment: 1 } },
  })
  if (claimed.count === 0) return { kind: 'skipped', change: await load() }
  if (change.attempts + 1 > MAX_APPLY_ATTEMPTS)
    return fail(deps, change.id, change.workspaceId, `Meta could not be reached after ${MAX_APPLY_ATTEMPTS} attempts.`, load)

  const account = await deps.prisma.adAccount.findUniqueOrThrow({ where: { id: change.adAccountId }, include: { connection: true } })
  const token = connectionToken(deps, account.connection)
  try {
    let metaCampaignId = change.campaign?.metaCampaignId
    if (change.type === 'CREATE_CAMPAIGN') {
      const v = createCampaignValue.parse(change.proposedValue)
      const known = (change.outcome as { metaCampaignId?: string } | null)?.metaCampaignId
      // Only a retry looks for a campaign an earlier attempt may have created before its answer was lost;
      // a first attempt never adopts someone else's campaign of the same name.
      metaCampaignId =
        known ?? (change.attempts > 0 ? await findCreatedEarlier(deps, token, account.metaAccountId, v.name, change.decidedAt) : undefined)
      if (!metaCampaignId) {
        const created = await deps.meta.createCampaign(token, account.metaAccountId, {
          name: v.name,
          objective: v.objective as never,
          status: 'PAUSED',
          specialAdCategories: v.specialAdCategories,
          dailyBudgetMinor: v.dailyBudgetMinor,
        })
        metaCampaignId = created.id
        // Remember it at once: if anything below fails, the retry adopts this campaign.
        await deps.prisma.changeRequest.update({ where: { id: change.id }, data: { outcome: { metaCampaignId } } })
      }
    } else {
      if (!metaCampaignId) throw new Error(`change ${change.id} (${change.type}) has no campaign to act on`)
      const live = await deps.meta.getCampaign(token, metaCampaignId)
      const proposed = change.proposedValue as { status?: string; dailyBudgetMinor?: number; lifetimeBudgetMinor?: number }
      // The guardrails judged the change against the budget of the proposal: if someone changed it on
      // Meta since (and it is not our own earlier attempt), do not apply a change nobody approved.
      const was = change.currentValue as { dailyBudgetMinor?: number; lifetimeBudgetMinor?: number }
      const drifted =
        (change.type === 'SET_DAILY_BUDGET' &&
          live.dailyBudgetMinor !== was.dailyBudgetMinor &&
          live.dailyBudgetMinor !== proposed.dailyBudgetMinor) ||
        (change.type === 'SET_LIFETIME_BUDGET' &&
          live.lifetimeBudgetMinor !== was.lifetimeBudgetMinor &&
          live.lifetimeBudgetMinor !== proposed.lifetimeBudgetMinor)
      if (drifted) {
        return fail(
          deps,
          change.id,
          change.workspaceId,
          `The budget changed on Meta since this was proposed (now ${live.dailyBudgetMinor ?? live.lifetimeBudgetMinor} in minor units); nothing was applied. Propose the change again.`,
          load,
        )
      }
      if (change.type === 'PAUSE' || change.type === 'RESUME') {
        if (live.status !== proposed.status)
          await deps.meta.updateCampaign(token, metaCampaignId, { status: proposed.status as 'PAUSED' | 'ACTIVE' })
      } else if (change.type === 'SET_DAILY_BUDGET') {
        if (live.dailyBudgetMinor !== proposed.dailyBudgetMinor)
          await deps.meta.updateCampaign(token, metaCampaignId, { dailyBudgetMinor: proposed.dailyBudgetMinor })
      } else if (change.type === 'SET_LIFETIME_BUDGET') {
        if (live.lifetimeBudgetMinor !== proposed.lifetimeBudgetMinor)
          await deps.meta.updateCampaign(token, metaCampaignId, { lifetimeBudgetMinor: proposed.lifetimeBudgetMinor })
      }
    }
    const after = await deps.meta.getCampaign(token, metaCampaignId)
    const outcome = liveValue(after)
    const now = deps.now()
    await deps.prisma.$transaction(async (tx) => {
      const campaign = await tx.campaign.upsert({
        where: { adAccountId_metaCampaignId: { adAccountId: account.id, metaCampaignId: after.id } },
        create: {
          adAccountId: account.id,
          metaCampaignId: after.id,
          name: after.name,
          objective: after.objective ?? 'UNKNOWN',
          status: after.status ?? 'PAUSED',
          effectiveStatus: after.effectiveStatus ?? after.status ?? 'PAUSED',
          dailyBudget: after.dailyBudgetMinor === null ? null : BigInt(after.dailyBudgetMinor),
          lifetimeBudget: after.lifetimeBudgetMinor === null ? null : BigInt(after.lifetimeBudgetMinor),
        },
        update: {
          status: after.status ?? undefined,
          effectiveStatus: after.effectiveStatus ?? undefined,
          dailyBudget: after.dailyBudgetMinor === null ? null : BigInt(after.dailyBudgetMinor),
          lifetimeBudget: after.lifetimeBudgetMinor === null ? null : BigInt(after.lifetimeBudgetMinor),
        },
      })
      await tx.changeRequest.update({
        where: { id: change.id },
        data: {
          status: 'APPLIED',
          appliedAt: now,
          outcome: outcome as Prisma.InputJsonValue,
          campaignId: campaign.id,
          failureReason: null,
        },
      })
      if (change.suggestionId) await tx.suggestion.updateMany({ where: { id: change.suggestionId }, data: { status: 'APPLIED' } })
      await recordAuditEvent(tx, {
        workspaceId: change.workspaceId,
        actorType: 'system',
        actorId: change.decidedBySlackUserId,
        action: 'change.applied',
        targetType: 'change_request',
        targetId: change.id,
        data: {
          type: change.type,
          before: change.currentValue as Prisma.InputJsonValue,
          after: outcome as Prisma.InputJsonValue,
          approvedBy: change.decidedBySlackUserId,
        },
      })
    })
    return { kind: 'applied', change: await load() }
  } catch (err) {
    if (isMetaApiError(err) && err.kind === 'throttled') {
      await deps.prisma.changeRequest.updateMany({ where: { id: change.id, status: 'APPLYING' }, data: { status: 'APPROVED' } })
      return { kind: 'throttled', change: await load(), retryAfterMs: err.retryAfterMs ?? 60_000 }
    }
    if (isMetaApiError(err) && (err.kind === 'transient' || err.source === 'network' || err.source === 'timeout')) {
      // Hand the change back so the job's retry (or the recovery sweep) can claim it again.
      await deps.prisma.changeRequest.updateMany({ where: { id: change.id, status: 'APPLYING' }, data: { status: 'APPROVED' } })
      throw err
    }
    const reason = isMetaApiError(err)
      ? toAppError(err).userMessage
      : err instanceof AppError
        ? err.userMessage
        : 'An unexpected error stopped the change (it has been logged).'
    if (!isMetaApiError(err) && !(err instanceof AppError)) deps.logger.error({ err, changeId: change.id }, 'applying a change failed')
    return fail(deps, change.id, change.workspaceId, reason, load)
  }
}

/** How long an APPLYING claim holds before another worker may take the change over. */
const APPLY_LEASE_MS = 5 * 60_000
const MAX_APPLY_ATTEMPTS = 10

async function fail(
  deps: DomainDeps,
  changeId: string,
  workspaceId: string,
  reason: string,
  load: () => Promise<ChangeWithContext>,
): Promise<ApplyResult> {
  await deps.prisma.$transaction(async (tx) => {
    await tx.changeRequest.update({ where: { id: changeId }, data: { status: 'FAILED', failureReason: reason } })
    await recordAuditEvent(tx, {
      workspaceId,
      actorType: 'system',
      action: 'change.failed',
      targetType: 'change_request',
      targetId: changeId,
      data: { reason },
    })
  })
  return { kind: 'failed', change: await load() }
}

/**
 * Approved changes whose apply job is gone (queue restarted, job dropped after its retries) or
 * whose worker died while APPLYING: the recovery sweep queues them again with the same key.
 */
export async function changesNeedingApply(deps: DomainDeps): Promise<Array<{ id: string; idempotencyKey: string }>> {
  const now = Date.now() // compared with updatedAt, which the database client stamps with the wall clock
  return deps.prisma.changeRequest.findMany({
    where: {
      OR: [
        { status: 'APPROVED', updatedAt: { lt: new Date(now - 60_000) } },
        { status: 'APPLYING', updatedAt: { lt: new Date(now - APPLY_LEASE_MS) } },
      ],
    },
    select: { id: true, idempotencyKey: true },
    take: 100,
  })
}

/** A campaign with this exact name created since the approval: a previous attempt's, adopted. */
async function findCreatedEarlier(
  deps: DomainDeps,
  token: string,
  actId: string,
  name: string,
  since: Date | null,
): Promise<string | undefined> {
  const campaigns = await deps.meta.listCampaigns(token, actId)
  const match = campaigns.find(
    (c) => c.name === name && (!since || !c.createdTime || Date.parse(c.createdTime) >= since.getTime() - 60_000),
  )
  return match?.id
}

/**
 * FAILED → APPROVED again (the Retry button), keeping the same idempotency key; guardrails are checked again.
 * Only admins and approvers may retry (a retry moves money like an approval).
 */
export async function retryChange(
  deps: DomainDeps,
  options: { workspaceId: string; changeId: string; member: Pick<Member, 'role' | 'slackUserId'> },
): Promise<boolean> {
  if (!canApprove(options.member))
    throw new AppError(AppErrorCode.FORBIDDEN, 'Only Promoly admins and approvers can retry a change. Nothing was changed.')
  const change = await findChange(deps.prisma, options)
  if (change?.status !== 'FAILED') return false
  const refused = await guardrailsRefusing(deps, change)
  if (refused.length > 0 && !change.overrideReason) {
    throw new AppError(AppErrorCode.FORBIDDEN, `Refused by guardrails now: ${refused.map((r) => r.message).join('; ')}.`)
  }
  return deps.prisma.$transaction(async (tx) => {
    const r = await tx.changeRequest.updateMany({
      where: { id: options.changeId, workspaceId: options.workspaceId, status: 'FAILED' },
      data: { status: 'APPROVED', failureReason: null },
    })
    if (r.count === 1)
      await recordAuditEvent(tx, {
        workspaceId: options.workspaceId,
        actorType: 'user',
        actorId: options.member.slackUserId,
        action: 'change.retried',
        targetType: 'change_request',
        targetId: options.changeId,
      })
    return r.count === 1
  })
}

/** The value to go back to when undoing an applied change. */
export function undoValue(change: ChangeWithContext): { type: ChangeWithContext['type']; proposedValue?: unknown } {
  switch (change.type) {
    case 'PAUSE':
      return { type: 'RESUME' }
    case 'RESUME':
      return { type: 'PAUSE' }
    case 'SET_DAILY_BUDGET':
      return { type: 'SET_DAILY_BUDGET', proposedValue: { dailyBudgetMinor: budgetOf(change.currentValue) } }
    case 'SET_LIFETIME_BUDGET':
      return { type: 'SET_LIFETIME_BUDGET', proposedValue: { lifetimeBudgetMinor: budgetOf(change.currentValue) } }
    case 'CREATE_CAMPAIGN':
      return { type: 'PAUSE' }
  }
}
