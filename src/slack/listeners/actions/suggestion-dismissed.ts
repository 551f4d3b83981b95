import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt'
import { canApprove } from '../../../domain/changes/decide-change.ts'
import { suggestionMessage } from '../../blocks/suggestion-message.ts'
import type { SlackDeps } from '../../deps.ts'
import { resolveCaller } from '../../resolve-caller.ts'

/** Dismiss on a notice: the finding is rejected (quiet for the cooldown) and the message says so. */
export function suggestionDismissed(deps: SlackDeps) {
  return async ({ ack, action, body, client, context, respond }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>) => {
    await ack()
    const member = await resolveCaller(deps, context.workspace!, body.user.id, client)
    if (!canApprove(member)) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: 'Only Promoly admins and approvers can dismiss suggestions.' })
      return
    }
    const prisma = deps.domain.prisma
    const now = deps.domain.now()
    const done = await prisma.suggestion.updateMany({ where: { id: action.value, workspaceId: context.workspace!.id, status: 'OPEN' }, data: { status: 'REJECTED', rejectedAt: now } })
    const s = await prisma.suggestion.findFirst({ where: { id: action.value, workspaceId: context.workspace!.id } })
    if (!s) return
    if (done.count === 1) {
      await prisma.auditEvent.create({ data: { workspaceId: s.workspaceId, actorType: 'user', actorId: body.user.id, action: 'suggestion.dismissed', targetType: 'suggestion', targetId: s.id } })
    }
    const campaign = await prisma.campaign.findUnique({ where: { id: s.campaignId }, select: { name: true } })
    await respond({ replace_original: true, ...suggestionMessage(s, campaign?.name ?? 'campaign') })
  }
}
