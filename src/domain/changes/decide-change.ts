import type { Member, Prisma } from '../../generated/prisma/client.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { formatMoney } from '../../lib/money.ts'
import { recordAuditEvent } from '../audit/record-audit-event.ts'
import { mayDecideFor, settingsForAccount } from '../clients/client-policy.ts'
import type { DomainDeps } from '../deps.ts'
import { loadSettings } from '../settings/workspace-settings.ts'
import { type ChangeWithContext, changeTargetOf, loadChangeGroup } from './change-include.ts'
import { objectLabel } from './change-target.ts'
import { findChange } from './find-change.ts'
import { guardrailInputOf } from './guardrail-input.ts'
import {
  evaluateGuardrails,
  failing,
  fourEyesThreshold,
  type GuardrailPhase,
  HARD_GUARDRAILS,
  overridable,
  spendAtStake,
} from './guardrails.ts'
import { applicableMinimum } from './minimum-budget.ts'

export interface DecisionResult {
  change: ChangeWithContext
  /** False when the change had already left PROPOSED (a double click, a redelivered payload). */
  transitioned: boolean
  /** The parts this decision moved (the change's whole group when it has one; empty when nothing moved). */
  decided: ChangeWithContext[]
}

/** The PROPOSED parts decided with `change`: its group's in order (or just itself). */
async function proposedParts(deps: DomainDeps, change: ChangeWithContext): Promise<ChangeWithContext[]> {
  if (!change.groupId) return [change]
  return (await loadChangeGroup(deps.prisma, change)).filter((p) => p.status === 'PROPOSED' && p.workspaceId === change.workspaceId)
}

/** "Ad set “X” in campaign “Y”: " before a part's guardrail messages on a card of several parts (plain text). */
function partPrefix(part: ChangeWithContext, several: boolean): string {
  const target = several ? changeTargetOf(part) : null
  return target ? `${objectLabel(target)}: ` : ''
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
  if (change.status !== 'PROPOSED') return { change, transitioned: false, decided: [] }
  if (!(await mayDecideFor(deps.prisma, member, change.adAccountId)))
    throw new AppError(
      AppErrorCode.FORBIDDEN,
      "Only Promoly admins and approvers, and the approvers of this ad account's client, can approve its changes. Nothing was changed.",
    )
  const now = deps.now()
  const parts = await proposedParts(deps, change)
  const several = parts.length > 1
  if (change.expiresAt <= now) {
    await expireGroup(deps, change)
    return { change: await load(deps, options.workspaceId, change.id), transitioned: false, decided: [] }
  }
  const settings = await loadSettings(deps.prisma, options.workspaceId)
  const fourEyes = fourEyesThreshold(settings, change.adAccount.currency)
  if (fourEyes && change.requestedBySlackUserId === member.slackUserId) {
    // The stake of a card is what all its parts move together.
    let stake = 0
    for (const p of parts) stake += await spendAtStake(deps.prisma, guardrailInputOf(p, p.proposedValue))
    if (stake > fourEyes.minor) {
      throw new AppError(
        AppErrorCode.FORBIDDEN,
        `Four-eyes rule: you asked for this change, and it moves ${formatMoney(stake, change.adAccount.currency)}, above ${fourEyes.label}, so someone else has to approve it.`,
      )
    }
  }
  // Guardrails per part: one part refused refuses the whole card (naming the part), and nothing is approved.
  const checked: Array<{ part: ChangeWithContext; guardrails: Awaited<ReturnType<typeof evaluateChangeGuardrails>> }> = []
  for (const part of parts) checked.push({ part, guardrails: await evaluateChangeGuardrails(deps, part, part.proposedValue, now) })
  const refusedByPart = checked.map((c) => ({ part: c.part, refused: failing(c.guardrails) })).filter((c) => c.refused.length > 0)
  const refused = refusedByPart.flatMap((c) => c.refused)
  const override = options.overrideReason?.trim()
  if (refused.length > 0) {
    // A second click racing the first: by now the first may have approved (and applied) the change, which the
    // guardrails then count against it (a cooldown, the hourly limit). It is decided: say so, not "refused".
    const latest = await load(deps, options.workspaceId, change.id)
    if (latest.status !== 'PROPOSED') return { change: latest, transitioned: false, decided: [] }
    const why = refusedByPart.map((c) => `${partPrefix(c.part, several)}${c.refused.map((r) => r.message).join('; ')}`).join('. ')
    if (!override) {
      // Say only what is true: whether an override could lift every refusal, and who may give it.
      const hint = !overridable(refused)
        ? ''
        : member.role === 'ADMIN'
          ? ' As an admin you can override with a stated reason.'
          : ' A Promoly admin can override with a stated reason.'
      const nothing = several ? ' Nothing was approved.' : ''
      throw new AppError(AppErrorCode.FORBIDDEN, `Refused by guardrails: ${why}.${nothing}${hint}`, {
        details: { guardrails: refused },
      })
    }
    if (member.role !== 'ADMIN') throw new AppError(AppErrorCode.FORBIDDEN, 'Only Promoly admins can override a guardrail.')
    const metaLimit = refused.find((r) => r.name === 'meta_budget_changes_per_hour')
    if (metaLimit) throw new AppError(AppErrorCode.FORBIDDEN, `Meta itself refuses more budget changes this hour: ${metaLimit.message}.`)
    const ceiling = refused.find((r) => HARD_GUARDRAILS.has(r.name))
    if (ceiling) throw new AppError(AppErrorCode.FORBIDDEN, `No override lifts this limit: ${ceiling.message}. Nothing was changed.`)
  }
  const won = await deps.prisma
    .$transaction(async (tx) => {
      // Every part of the card is locked (in one order for every click) and checked before any is approved: the card
      // is approved whole or not at all — never some parts while another has expired or was decided meanwhile.
      const rows = await lockGroup(tx, change)
      const at = deps.now()
      if (rows.every((r) => r.status !== 'PROPOSED')) return [] // another click (or the expiry, or a rejection) decided it
      const stale = rows.filter((r) => r.status !== 'PROPOSED' || r.expiresAt <= at || !checked.some((c) => c.part.id === r.id))
      if (stale.length > 0) throw new GroupSplit(stale.map((r) => r.id))
      const moved: string[] = []
      // Each part is its own conditional UPDATE, all in one transaction (the same order for every click): however
      // many clicks arrive, one wins every part.
      for (const { part, guardrails } of checked) {
        const partRefused = failing(guardrails)
        const r = await tx.changeRequest.updateMany({
          where: { id: part.id, status: 'PROPOSED', expiresAt: { gt: at } },
          data: {
            status: 'APPROVED',
            decidedBySlackUserId: member.slackUserId,
            decidedAt: now,
            guardrails: guardrails as unknown as Prisma.InputJsonValue,
            overrideReason: partRefused.length > 0 ? override : null,
          },
        })
        if (r.count === 0) throw new GroupSplit([part.id])
        moved.push(part.id)
        await recordAuditEvent(tx, {
          workspaceId: options.workspaceId,
          actorType: 'user',
          actorId: member.slackUserId,
          action: partRefused.length > 0 ? 'change.approved_with_override' : 'change.approved',
          targetType: 'change_request',
          targetId: part.id,
          data: {
            proposedValue: part.proposedValue as Prisma.InputJsonValue,
            ...(part.groupId ? { groupId: part.groupId } : {}),
            ...(partRefused.length > 0 ? { overrideReason: override, overridden: partRefused.map((r) => r.name) } : {}),
          },
        })
      }
      return moved
    })
    .catch(async (err) => {
      if (!(err instanceof GroupSplit)) throw err
      const group = await loadChangeGroup(deps.prisma, change)
      if (group.some((p) => p.status === 'PROPOSED' && p.expiresAt <= deps.now())) await expireGroup(deps, change)
      const names = group
        .filter((p) => err.ids.includes(p.id))
        .map((p) => `${partPrefix(p, true).replace(/: $/, '')} is ${p.status === 'PROPOSED' ? 'expired' : p.status.toLowerCase()}`)
      throw new AppError(
        AppErrorCode.CONFLICT,
        `This card's parts can no longer be approved together (${names.join('; ') || 'a part changed meanwhile'}). Nothing was approved; propose the change again.`,
      )
    })
  const decided: ChangeWithContext[] = []
  for (const id of won) decided.push(await load(deps, options.workspaceId, id))
  return { change: await load(deps, options.workspaceId, change.id), transitioned: won.includes(change.id), decided }
}

/** A part of a card left PROPOSED (or expired) while its approval was under way: the whole approval rolls back. */
class GroupSplit extends Error {
  constructor(readonly ids: string[]) {
    super('a part of the card can no longer be approved')
  }
}

/** Locks every part of the change's card (or the change alone), in id order; returns their status and expiry. */
async function lockGroup(
  tx: Prisma.TransactionClient,
  change: Pick<ChangeWithContext, 'id' | 'groupId'>,
): Promise<Array<{ id: string; status: string; expiresAt: Date }>> {
  return change.groupId
    ? tx.$queryRaw`SELECT id, status::text AS status, "expiresAt" FROM "ChangeRequest" WHERE "groupId" = ${change.groupId} ORDER BY id FOR UPDATE`
    : tx.$queryRaw`SELECT id, status::text AS status, "expiresAt" FROM "ChangeRequest" WHERE id = ${change.id} FOR UPDATE`
}

/** Rejects a proposed change (with every PROPOSED part of its group). */
export async function rejectChange(
  deps: DomainDeps,
  options: { workspaceId: string; changeId: string; member: Member },
): Promise<DecisionResult> {
  const change = await load(deps, options.workspaceId, options.changeId)
  if (change.status !== 'PROPOSED') return { change, transitioned: false, decided: [] }
  if (!(await mayDecideFor(deps.prisma, options.member, change.adAccountId)))
    throw new AppError(
      AppErrorCode.FORBIDDEN,
      "Only Promoly admins and approvers, and the approvers of this ad account's client, can reject its changes.",
    )
  const now = deps.now()
  const parts = await proposedParts(deps, change)
  const won = await deps.prisma.$transaction(async (tx) => {
    const moved: string[] = []
    for (const part of parts) {
      const r = await tx.changeRequest.updateMany({
        where: { id: part.id, status: 'PROPOSED' },
        data: { status: 'REJECTED', decidedBySlackUserId: options.member.slackUserId, decidedAt: now },
      })
      if (r.count === 0) continue
      moved.push(part.id)
      if (part.suggestionId)
        await tx.suggestion.updateMany({ where: { id: part.suggestionId, status: 'OPEN' }, data: { status: 'REJECTED', rejectedAt: now } })
      await recordAuditEvent(tx, {
        workspaceId: options.workspaceId,
        actorType: 'user',
        actorId: options.member.slackUserId,
        action: 'change.rejected',
        targetType: 'change_request',
        targetId: part.id,
        ...(part.groupId ? { data: { groupId: part.groupId } } : {}),
      })
    }
    return moved
  })
  const decided: ChangeWithContext[] = []
  for (const id of won) decided.push(await load(deps, options.workspaceId, id))
  return { change: await load(deps, options.workspaceId, change.id), transitioned: won.includes(change.id), decided }
}

/**
 * PROPOSED → EXPIRED for the change and, on a card of several parts, every PROPOSED part of it: a card expires as
 * one unit (in one transaction, under the parts' locks). Returns the ids expired.
 */
async function expireGroup(deps: DomainDeps, change: Pick<ChangeWithContext, 'id' | 'groupId' | 'workspaceId'>): Promise<string[]> {
  return deps.prisma.$transaction(async (tx) => {
    const rows = await lockGroup(tx, change)
    const ids = rows.filter((r) => r.status === 'PROPOSED').map((r) => r.id)
    if (ids.length === 0) return []
    await tx.changeRequest.updateMany({ where: { id: { in: ids }, status: 'PROPOSED' }, data: { status: 'EXPIRED' } })
    for (const id of ids)
      await recordAuditEvent(tx, {
        workspaceId: change.workspaceId,
        actorType: 'system',
        action: 'change.expired',
        targetType: 'change_request',
        targetId: id,
        ...(change.groupId ? { data: { groupId: change.groupId } } : {}),
      })
    return ids
  })
}

/**
 * PROPOSED past their expiry → EXPIRED; a card of several parts expires whole (when any of its parts is due).
 * Returns the expired ones (their cards need updating).
 */
export async function expireChanges(deps: DomainDeps): Promise<ChangeWithContext[]> {
  const now = deps.now()
  const due = await deps.prisma.changeRequest.findMany({
    where: { status: 'PROPOSED', expiresAt: { lte: now } },
    select: { id: true, groupId: true, workspaceId: true },
  })
  return expireAll(deps, due)
}

/**
 * The still-PROPOSED changes of findings that no longer hold → EXPIRED, the same way as at their expiry (a card of
 * several parts whole, audited). Returns the expired ones (their cards need updating: no Approve button any more).
 */
export async function expireProposalsOf(deps: DomainDeps, suggestionIds: readonly string[]): Promise<ChangeWithContext[]> {
  if (suggestionIds.length === 0) return []
  const proposed = await deps.prisma.changeRequest.findMany({
    where: { suggestionId: { in: [...suggestionIds] }, status: 'PROPOSED' },
    select: { id: true, groupId: true, workspaceId: true },
  })
  return expireAll(deps, proposed)
}

async function expireAll(
  deps: DomainDeps,
  due: ReadonlyArray<Pick<ChangeWithContext, 'id' | 'groupId' | 'workspaceId'>>,
): Promise<ChangeWithContext[]> {
  const expired: ChangeWithContext[] = []
  const seen = new Set<string>()
  for (const d of due) {
    const key = d.groupId ?? d.id
    if (seen.has(key)) continue
    seen.add(key)
    for (const id of await expireGroup(deps, d)) expired.push(await load(deps, d.workspaceId, id))
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
  const minimum = await applicableMinimum(deps, account, change).catch(() => null)
  return evaluateGuardrails(
    deps.prisma,
    { ...guardrailInputOf(change, proposedValue, minimum?.minor), minimumBasis: minimum?.basis },
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
