import type { WebClient } from '@slack/web-api'
import { changeCardOf, recordChangeCard } from '../../domain/changes/change-card.ts'
import type { ChangeWithContext } from '../../domain/changes/change-include.ts'
import { workspaceTeamId } from '../../domain/workspaces/workspace-team.ts'
import type { PrismaClient } from '../../generated/prisma/client.ts'
import type { SlackClients } from '../../integrations/slack-web/slack-clients.ts'
import type { Logger } from '../../lib/logger.ts'
import { changeCard } from '../blocks/change-card.ts'

/** Posts change request cards and keeps them current (from listeners and from jobs alike). */
export interface ChangeCardPublisher {
  post(change: ChangeWithContext, channelId: string, client?: WebClient): Promise<void>
  refresh(change: ChangeWithContext): Promise<void>
}

export function createChangeCardPublisher(deps: { prisma: PrismaClient; slack: SlackClients; logger: Logger }): ChangeCardPublisher {
  async function clientFor(workspaceId: string): Promise<WebClient | undefined> {
    const teamId = await workspaceTeamId(deps.prisma, workspaceId)
    return teamId !== undefined ? deps.slack.forTeam(teamId) : undefined
  }
  return {
    async post(change, channelId, client) {
      const c = client ?? (await clientFor(change.workspaceId))
      if (!c) return
      const res = await c.chat.postMessage({ channel: channelId, ...changeCard(change) })
      if (res.ts && res.channel) await recordChangeCard(deps.prisma, change.id, res.channel, res.ts)
    },
    async refresh(change) {
      const card = await changeCardOf(deps.prisma, change.id)
      if (!card?.channelId || !card.messageTs) return
      const c = await clientFor(change.workspaceId)
      await c?.chat
        .update({ channel: card.channelId, ts: card.messageTs, ...changeCard(change) })
        .catch((err) =>
          deps.logger.warn({ err: { message: (err as Error).message }, changeId: change.id }, 'could not update the change card'),
        )
    },
  }
}
