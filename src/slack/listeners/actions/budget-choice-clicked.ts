import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt'
import { proposeBudgetChange } from '../../../domain/changes/propose-budget-change.ts'
import { inScope, outOfScope, scopeForChannel } from '../../../domain/clients/client-scope.ts'
import { AppError, AppErrorCode } from '../../../lib/errors.ts'
import { budgetChoiceValue, choiceOf } from '../../blocks/budget-question.ts'
import { infoMessage } from '../../blocks/error-message.ts'
import type { SlackDeps } from '../../deps.ts'
import { requireWorkspace } from '../../middleware/workspace-context.ts'
import { postChangeCard, proposalNote } from '../../post-change-card.ts'
import { replyError } from '../../reply-error.ts'

/** How long an answer to "+20 % or +$20.00/day?" is taken (the budget it was asked about may have moved since). */
const ANSWER_TTL_MS = 24 * 3_600_000

/**
 * An answer to "Did you mean +20 % or +$20.00/day?": proposes exactly that change (once per question), after
 * checking the button's value, that the campaign is still synced in this workspace, in the currency asked about
 * and visible in this channel. The question is replaced by what happened.
 */
export function budgetChoiceClicked(deps: SlackDeps) {
  return async ({ ack, action, body, client, context, respond }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>) => {
    await ack()
    try {
      const workspace = requireWorkspace(context)
      let raw: unknown
      try {
        raw = JSON.parse(action.value ?? '')
      } catch {
        raw = undefined
      }
      const parsed = budgetChoiceValue.safeParse(raw)
      if (!parsed.success || !action.action_id.endsWith(parsed.data.k))
        throw new AppError(AppErrorCode.BAD_INPUT, 'This button does not say which budget change to propose. Type the command again.')
      const value = parsed.data
      const now = deps.domain.now()
      if (now.getTime() - value.t > ANSWER_TTL_MS)
        throw new AppError(AppErrorCode.BAD_INPUT, 'This question is more than a day old: type the budget command again.')
      const campaign = await deps.domain.prisma.campaign.findFirst({
        where: { id: value.c, adAccount: { workspaceId: workspace.id, syncEnabled: true } },
        include: { adAccount: { select: { workspaceId: true, clientId: true, currency: true } } },
      })
      if (!campaign) throw new AppError(AppErrorCode.NOT_FOUND, 'That campaign is no longer in Promoly (see `/promoly campaigns`).')
      const channelId = body.channel?.id
      const scope = await scopeForChannel(deps.domain.prisma, workspace.id, channelId)
      if (!inScope(scope, campaign.adAccount)) throw outOfScope(scope, campaign.name)
      if (campaign.adAccount.currency !== value.cur)
        throw new AppError(
          AppErrorCode.CONFLICT,
          `This campaign's budget is now in ${campaign.adAccount.currency}, not ${value.cur}: type the budget command again.`,
        )
      const [change] = await proposeBudgetChange(deps.domain, {
        workspaceId: workspace.id,
        campaignId: campaign.id,
        choice: choiceOf(value),
        source: 'COMMAND',
        requestedBySlackUserId: body.user.id,
        once: { key: value.q, since: new Date(value.t) },
      })
      if (!change) throw new Error('a budget proposal wrote nothing')
      await postChangeCard(deps, client, change, channelId ?? body.user.id, body.user.id)
      await respond({ replace_original: true, response_type: 'ephemeral', ...infoMessage(proposalNote(change)) })
    } catch (err) {
      await replyError({ client, userId: body.user.id, respond }, err, { logger: deps.logger, what: 'a budget answer' })
    }
  }
}
