import { connectionCreatorOf } from '../../domain/connections/find-connection.ts'
import type { NotifyTarget, SyncOutcome } from '../../domain/notifier.ts'
import { describeSyncGap } from '../../domain/sync/sync-gaps.ts'
import type { PrismaClient } from '../../generated/prisma/client.ts'
import type { SlackClients } from '../../integrations/slack-web/slack-clients.ts'
import type { Logger } from '../../lib/logger.ts'
import { escapeMrkdwn } from '../../lib/mrkdwn.ts'
import { plural } from '../../lib/numbers.ts'

/** What a sync tells people: the requester by an ephemeral message, the connection's creator by DM. */
export function createSyncNotices(deps: { prisma: PrismaClient; slack: SlackClients; logger: Logger }) {
  async function tell(notify: NotifyTarget, text: string) {
    const client = await deps.slack.forTeam(notify.teamId)
    await client?.chat
      .postEphemeral({ channel: notify.channelId, user: notify.userId, text })
      .catch((err) => deps.logger.warn({ err }, 'could not post the sync result'))
  }

  return {
    async tellSyncOutcome(notify: NotifyTarget, outcome: SyncOutcome): Promise<void> {
      switch (outcome.kind) {
        case 'synced': {
          const r = outcome.result
          const synced = `*${escapeMrkdwn(r.name)}*: ${plural(r.campaigns, 'campaign')}, ${plural(r.adSets, 'ad set')}, ${plural(r.ads, 'ad')}, ${plural(r.metricRows, 'ad-day')} (${r.since} → ${r.until})`
          if (r.gaps.length === 0) return tell(notify, `:white_check_mark: Synced ${synced}.`)
          return tell(notify, `:warning: Partly synced ${synced}. ${r.gaps.map((g) => escapeMrkdwn(describeSyncGap(g))).join(' ')}`)
        }
        case 'needs-reconnect':
          return tell(
            notify,
            ':warning: Meta no longer accepts the token of this ad account. An admin needs to run `/promoly connect` again.',
          )
        case 'failed':
          return tell(
            notify,
            `:warning: The sync failed: ${escapeMrkdwn(outcome.message ?? 'an unexpected error (logged)')}. It will run again at the next scheduled sync.`,
          )
      }
    },

    async tellSyncStopped(adAccountId: string, notify: NotifyTarget | undefined, message: string): Promise<void> {
      if (notify) return tell(notify, `:warning: ${escapeMrkdwn(message)}`)
      const creator = await connectionCreatorOf(deps.prisma, adAccountId)
      if (!creator) return
      const client = await deps.slack.forTeam(creator.slackTeamId)
      await client?.chat
        .postMessage({
          channel: creator.slackUserId,
          text: `:warning: Syncing *${escapeMrkdwn(creator.adAccountName)}* stopped: ${escapeMrkdwn(message)}`,
        })
        .catch((err) => deps.logger.warn({ err }, 'could not DM the reconnect notice'))
    },
  }
}

export type SyncNotices = ReturnType<typeof createSyncNotices>
