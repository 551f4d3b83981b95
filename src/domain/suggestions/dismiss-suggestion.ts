import type { Member, Suggestion } from '../../generated/prisma/client.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { recordAuditEvent } from '../audit/record-audit-event.ts'
import { canApprove } from '../changes/decide-change.ts'
import type { DomainDeps } from '../deps.ts'
import { type SuggestionPlace, suggestionPlace } from './suggestion-place.ts'

export interface DismissSuggestionOptions {
  workspaceId: string
  suggestionId: string
  /** Who dismisses it: only admins and approvers may. */
  member: Pick<Member, 'role' | 'slackUserId'>
}

export interface DismissSuggestionResult {
  /** The suggestion as it is now (REJECTED, or whatever it already was). */
  suggestion: Suggestion
  campaignName: string | null
  /** Its client, account and campaign, as its card names them. */
  place: SuggestionPlace
  /** False when it had already left OPEN (a double click): nothing was written. */
  dismissed: boolean
}

/**
 * Dismisses an open suggestion: it becomes REJECTED (the optimizer stays quiet about it for the
 * cooldown), and its audit event is written in the same transaction. Null when the workspace has
 * no such suggestion.
 */
export async function dismissSuggestion(
  deps: Pick<DomainDeps, 'prisma' | 'now'>,
  options: DismissSuggestionOptions,
): Promise<DismissSuggestionResult | null> {
  if (!canApprove(options.member)) throw new AppError(AppErrorCode.FORBIDDEN, 'Only Promoly admins and approvers can dismiss suggestions.')
  // Prisma drops `id: undefined` from a filter: without an id, the update below would dismiss every open suggestion.
  if (typeof options.suggestionId !== 'string' || options.suggestionId.trim() === '')
    throw new AppError(AppErrorCode.BAD_INPUT, 'That button does not say which suggestion to dismiss, so nothing was dismissed.')
  const { prisma } = deps
  const where = { id: options.suggestionId, workspaceId: options.workspaceId }
  const now = deps.now()
  // The status change and its audit event are one transaction: never a dismissal nobody can trace.
  const dismissed = await prisma.$transaction(async (tx) => {
    const done = await tx.suggestion.updateMany({ where: { ...where, status: 'OPEN' }, data: { status: 'REJECTED', rejectedAt: now } })
    if (done.count === 1) {
      await recordAuditEvent(tx, {
        workspaceId: options.workspaceId,
        actorType: 'user',
        actorId: options.member.slackUserId,
        action: 'suggestion.dismissed',
        targetType: 'suggestion',
        targetId: options.suggestionId,
      })
    }
    return done.count === 1
  })
  const suggestion = await prisma.suggestion.findFirst({ where })
  if (!suggestion) return null
  const campaign = await prisma.campaign.findFirst({
    where: { id: suggestion.campaignId, adAccount: { workspaceId: options.workspaceId } },
    select: { name: true },
  })
  return { suggestion, campaignName: campaign?.name ?? null, place: await suggestionPlace(prisma, suggestion), dismissed }
}
