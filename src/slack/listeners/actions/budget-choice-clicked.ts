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
 * An answer to "Did you mean +20 % or +$20.00/day?": proposes exactly that change (once per question) for the object
 * asked about (a campaign: its own budget or each of its active ad sets'; an ad set), after checking the button's
 * value, that the object is still synced in this workspace, in the currency asked about and visible in this channel.
 * The question is replaced by what happened.
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
      const inWorkspace = { adAccount: { workspaceId: workspace.id, syncEnabled: true } }
      const account = { adAccount: { select: { workspaceId: true, clientId: true, currency: true } } }
      const object =
        value.l === 'adset'
          ? await deps.domain.prisma.adSet.findFirst({ where: { id: value.o, ...inWorkspace }, include: account })
          : await deps.domain.prisma.campaign.findFirst({ where: { id: value.o, ...inWorkspace }, include: account })
      const what = value.l === 'adset' ? 'ad set' : 'campaign'
      if (!object)
        throw new AppError(
          AppErrorCode.NOT_FOUND,
          `That ${what} is no longer in Promoly (see \`/promoly ${value.l === 'adset' ? 'adsets <campaign>' : 'campaigns'}\`).`,
        )
      const channelId = body.channel?.id
      const scope = await scopeForChannel(deps.domain.prisma, workspace.id, channelId)
      if (!inScope(scope, object.adAccount)) throw outOfScope(scope, object.name)
      if (object.adAccount.currency !== value.cur)
        throw new AppError(
          AppErrorCode.CONFLICT,
          `This ${what}'s budget is now in ${object.adAccount.currency}, not ${value.cur}: type the budget command again.`,
        )
      const parts = await proposeBudgetChange(deps.domain, {
        workspaceId: workspace.id,
        ...(value.l === 'adset' ? { adSetId: object.id } : { campaignId: object.id }),
        choice: choiceOf(value),
        source: 'COMMAND',
        requestedBySlackUserId: body.user.id,
        once: { key: value.q, since: new Date(value.t) },
      })
      const [change] = parts
      if (!change) throw new Error('a budget proposal wrote nothing')
      await postChangeCard(deps, client, change, channelId ?? body.user.id, body.user.id)
      await respond({
        replace_original: true,
        response_type: 'ephemeral',
        ...infoMessage(proposalNote(change, parts)),
      })
    } catch (err) {
      await replyError({ client, userId: body.user.id, respond }, err, { logger: deps.logger, what: 'a budget answer' })
    }
  }
}
