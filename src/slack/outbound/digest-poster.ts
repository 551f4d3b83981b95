import type { RespondFn } from '@slack/bolt'
import type { WebClient } from '@slack/web-api'
import { type ClientScope, scopeForChannel } from '../../domain/clients/client-scope.ts'
import { buildDigestData } from '../../domain/digests/build-digest-data.ts'
import {
  digestCreatorRefusal,
  digestSubscriptionWithTeam,
  findDigestRun,
  markDigestRunFailed,
  markDigestRunSent,
  pauseDigestForCreator,
  pauseDigestSubscription,
} from '../../domain/digests/digest-runs.ts'
import type { DigestData } from '../../domain/digests/digest-types.ts'
import { channelDigestAccounts } from '../../domain/digests/list-digest-subscriptions.ts'
import { workspaceTeamId } from '../../domain/workspaces/workspace-team.ts'
import type { PrismaClient } from '../../generated/prisma/client.ts'
import type { SlackClients } from '../../integrations/slack-web/slack-clients.ts'
import type { Logger } from '../../lib/logger.ts'
import { escapeMrkdwn } from '../../lib/mrkdwn.ts'
import { digestMessage } from '../blocks/digest-message.ts'
import { chartFileName, uploadCharts } from './upload-charts.ts'

/** Slack answers that mean the channel is gone for Promoly: retrying would never help. */
const CHANNEL_GONE = new Set(['channel_not_found', 'not_in_channel', 'is_archived', 'channel_is_archived'])

export interface DigestPoster {
  /** Posts a claimed run (the claim makes it exactly once); marks it SENT or FAILED. */
  postRun(runId: string): Promise<void>
  /**
   * `/promoly digest now|preview` in a channel: what its digests would post (each digest of the channel, with its
   * accounts), within the channel's scope; a channel without a digest gets one of every account of its scope.
   */
  postNow(args: { scope: ClientScope; channelId: string; preview: boolean; respond: RespondFn }): Promise<void>
}

function slackError(err: unknown): string | undefined {
  return (err as { data?: { error?: string } }).data?.error
}

/**
 * Builds a digest (a handful of queries whatever the number of campaigns), posts it, and uploads
 * a 14-day chart per account in its thread through Slack's external upload flow. Rate limits are waited out
 * by the Web API client (Retry-After, then the same request once); a channel that is gone pauses
 * the subscription and its creator is told by DM.
 */
export function createDigestPoster(deps: { prisma: PrismaClient; slack: SlackClients; logger: Logger; now: () => Date }): DigestPoster {
  async function send(client: WebClient, channel: string, data: DigestData): Promise<string | undefined> {
    const res = await client.chat.postMessage({ channel, ...digestMessage(data) })
    if (res.ts && data.accounts.length > 0) {
      // Every account the digest covers gets its chart, each in its own currency and result type.
      try {
        await uploadCharts(
          client,
          { channel: res.channel ?? channel, threadTs: res.ts },
          data.accounts.map((a, i) => ({
            series: a.series,
            currency: a.currency,
            resultsLabel: a.resultKind,
            title: `${a.name} (${a.currency}): spend${a.resultKind ? ` and ${a.resultKind}` : ''}, 14 days`,
            fileTitle: `${a.name} — spend (${a.currency})${a.resultKind ? ` and ${a.resultKind}` : ''}, last 14 days`,
            filename: chartFileName('promoly-digest', a.name, i),
          })),
        )
      } catch (err) {
        deps.logger.warn({ err: { message: (err as Error).message } }, 'digest charts could not be uploaded (the digest itself was posted)')
      }
    }
    return res.ts
  }

  /** The admins hear once per pause (no figures in it): the channel, who set the digest up, why, and how to revive it. */
  async function tellAdminsOfPause(
    slackTeamId: string,
    sub: { channelId: string; createdBySlackUserId: string | null },
    reason: string,
    adminUserIds: string[],
  ): Promise<void> {
    const client = await deps.slack.forTeam(slackTeamId)
    if (!client) return
    const by = sub.createdBySlackUserId ? ` (set up by <@${sub.createdBySlackUserId}>)` : ''
    const text = `:double_vertical_bar: The daily digest for <#${sub.channelId}>${by} is paused: ${escapeMrkdwn(reason)}. \`/promoly digest list\` shows every digest and why it is paused; \`/promoly digest unsubscribe\` in the channel removes it.`
    for (const admin of adminUserIds) {
      await client.chat
        .postMessage({ channel: admin, text })
        .catch((e) => deps.logger.warn({ err: { message: (e as Error).message } }, 'could not tell an admin about a paused digest'))
    }
  }

  return {
    async postRun(runId) {
      const run = await findDigestRun(deps.prisma, runId)
      if (!run || run.status === 'SENT') return
      let posted: { ts: string | undefined } | undefined
      try {
        const { subscription: sub, slackTeamId } = await digestSubscriptionWithTeam(deps.prisma, run.subscriptionId)
        // Its creator must still be an approver or admin: otherwise it pauses, and nobody gets the figures.
        const refusal = await digestCreatorRefusal(deps.prisma, sub)
        if (refusal) {
          const { tellAdmins } = await pauseDigestForCreator(deps.prisma, { subscription: sub, runId: run.id, reason: refusal })
          deps.logger.warn(
            { subscriptionId: sub.id, runId, adminsTold: tellAdmins.length },
            'digest paused: its creator is not an approver or admin',
          )
          if (tellAdmins.length > 0) await tellAdminsOfPause(slackTeamId, sub, refusal, tellAdmins)
          return
        }
        const client = await deps.slack.forTeam(slackTeamId)
        if (!client) throw new Error('no Slack token for this workspace')
        try {
          // The channel's client is checked now, at post time: an account moved to another client since is left out.
          const scope = await scopeForChannel(deps.prisma, sub.workspaceId, sub.channelId)
          const data = await buildDigestData(deps.prisma, { scope, adAccountIds: sub.adAccountIds, now: deps.now() })
          posted = { ts: await send(client, sub.channelId, data) }
        } catch (err) {
          const code = slackError(err)
          if (!code || !CHANNEL_GONE.has(code)) throw err
          const reason =
            code === 'not_in_channel'
              ? 'Promoly is not in the channel (invite it, then resume)'
              : code === 'channel_not_found'
                ? 'the channel was not found'
                : 'the channel is archived'
          await pauseDigestSubscription(deps.prisma, { subscriptionId: sub.id, runId: run.id, reason, error: code })
          if (sub.createdBySlackUserId) {
            await client.chat
              .postMessage({
                channel: sub.createdBySlackUserId,
                text: `:double_vertical_bar: The daily digest for <#${sub.channelId}> is paused: ${escapeMrkdwn(reason)}. Subscribe again with \`/promoly digest subscribe\` once it is fixed.`,
              })
              .catch((e) => deps.logger.warn({ err: { message: (e as Error).message } }, 'could not tell the subscriber'))
          }
          return
        }
      } catch (err) {
        deps.logger.warn({ err: { message: (err as Error).message }, runId }, 'digest post failed; a later tick retries it')
        await markDigestRunFailed(deps.prisma, run.id, slackError(err) ?? (err as Error).message).catch((e) =>
          deps.logger.error({ err: e, runId }, 'could not record a failed digest'),
        )
        return
      }
      // Posted: from here on a failure must never lead to a second copy. If this write fails the run
      // stays CLAIMED (not FAILED), so no tick posts it again.
      await markDigestRunSent(deps.prisma, run.id, posted.ts).catch((err) =>
        deps.logger.error({ err, runId }, 'digest posted but not marked SENT; it will not be posted again'),
      )
    },

    async postNow({ scope, channelId, preview, respond }) {
      const { workspaceId } = scope
      const now = deps.now()
      const digests: DigestData[] = []
      for (const adAccountIds of await channelDigestAccounts(deps.prisma, { workspaceId, channelId }))
        digests.push(await buildDigestData(deps.prisma, { scope, adAccountIds, now }))
      if (preview) {
        for (const data of digests) await respond({ response_type: 'ephemeral', replace_original: false, ...digestMessage(data) })
        return
      }
      const teamId = await workspaceTeamId(deps.prisma, workspaceId)
      if (teamId === undefined) throw new Error(`no workspace ${workspaceId}`)
      const client = await deps.slack.forTeam(teamId)
      if (!client) return
      try {
        for (const data of digests) await send(client, channelId, data)
      } catch (err) {
        const code = slackError(err)
        await respond({
          response_type: 'ephemeral',
          text: `:warning: The digest could not be posted here${code ? ` (${escapeMrkdwn(code)})` : ''}. Is Promoly in this channel?`,
        })
      }
    },
  }
}
