import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt'
import { parseLocalTime, subscribeDigest } from '../../../domain/digests/subscriptions.ts'
import { escapeMrkdwn } from '../../../lib/mrkdwn.ts'
import { canonicalTimeZone } from '../../../lib/time-zones.ts'
import { DIGEST_FIELDS } from '../../blocks/digest-subscribe-modal.ts'
import { slackChannelMembership } from '../../channel-membership.ts'
import type { SlackDeps } from '../../deps.ts'
import { requireWorkspace } from '../../middleware/workspace-context.ts'
import { replyError } from '../../reply-error.ts'
import { resolveCaller } from '../../resolve-caller.ts'
import { tellUser } from '../../tell-user.ts'

/**
 * The digest form: fields checked before the ack (errors under them), then the subscription is saved by the
 * domain, which checks the role and that the person is in the channel (a refusal comes by DM).
 */
export function digestSubscribeSubmitted(deps: SlackDeps) {
  return async ({ ack, view, body, client, context }: AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>) => {
    const v = view.state.values
    const F = DIGEST_FIELDS
    const channelId = v[F.channel.block]?.[F.channel.action]?.selected_conversation ?? undefined
    const time = v[F.time.block]?.[F.time.action]?.selected_time ?? ''
    const chosenZone = v[F.timeZone.block]?.[F.timeZone.action]?.selected_option?.value ?? ''
    const timeZone = canonicalTimeZone(chosenZone)
    const accountIds = v[F.accounts.block]?.[F.accounts.action]?.selected_options?.map((o) => o.value) ?? []
    const errors: Record<string, string> = {}
    if (!channelId) errors[F.channel.block] = 'Choose a channel.'
    try {
      parseLocalTime(time)
    } catch {
      errors[F.time.block] = 'Choose a time.'
    }
    if (!timeZone) errors[F.timeZone.block] = 'Choose a time zone.'
    if (!channelId || !timeZone || Object.keys(errors).length > 0) return ack({ response_action: 'errors', errors })
    await ack()
    const dm = { client, userId: body.user.id }
    let text: string
    try {
      const workspace = requireWorkspace(context)
      const member = await resolveCaller(deps, workspace, body.user.id, client)
      const { subscription: sub, outcome } = await subscribeDigest(deps.domain.prisma, {
        workspaceId: workspace.id,
        channelId,
        localTime: time,
        timeZone,
        adAccountIds: accountIds,
        by: { member, channelMembership: slackChannelMembership(client) },
      })
      const when = `${sub.localTime} (${escapeMrkdwn(sub.timeZone)})`
      text =
        outcome === 'created'
          ? `:white_check_mark: Subscribed <#${sub.channelId}> to a daily digest at ${when}.`
          : outcome === 'resumed'
            ? `:white_check_mark: Resumed the paused digest of <#${sub.channelId}>: daily at ${when}. You are now its creator.`
            : `:white_check_mark: The digest of <#${sub.channelId}> is posted daily at ${when}.`
    } catch (err) {
      return replyError(dm, err, { logger: deps.logger, what: 'digest subscription', prefix: 'The digest was not set up: ' })
    }
    await tellUser(dm, { text }).catch((e) => deps.logger.warn({ err: e }, 'could not confirm the digest subscription'))
  }
}
