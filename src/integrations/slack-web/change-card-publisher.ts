import type { WebClient } from '@slack/web-api'
import type { ChangeWithContext } from '../../domain/changes/change-include.ts'
import type { PrismaClient } from '../../generated/prisma/client.ts'
import type { Logger } from '../../lib/logger.ts'
import { changeCard } from '../../slack/blocks/change-card.ts'
import type { SlackClients } from './slack-clients.ts'

/** Posts change request cards and keeps them current (from listeners and from jobs alike). */
export interface ChangeCardPublisher {
  post(change: ChangeWithContext, channelId: string, client?: WebClient): Promise<void>
  refresh(change: ChangeWithContext): Promise<void>
}

export function createChangeCardPublisher(deps: { prisma: PrismaClient; slack: SlackClients; logger: Logger }): ChangeCardPublisher {
  async function clientFor(workspaceId: string): Promise<WebClient | undefined> {
    const ws = await deps.prisma.workspace.findUnique({ where: { id: workspaceId }, select: { slackTeamId: true } })
    return ws ? deps.slack.forTeam(ws.slackTeamId) : undefined
  }
  return {
    async post(change, channelId, client) {
      const c = client ?? (await clientFor(change.workspaceId))
      if (!c) return
      const res = await c.chat.postMessage({ channel: channelId, ...changeCard(change) })
      if (res.ts && res.channel) await deps.prisma.changeRequest.update({ where: { id: change.id }, data: { cardChannelId: res.channel, cardMessageTs: res.ts } })
    },
    async refresh(change) {
      const fresh = await deps.prisma.changeRequest.findUnique({ where: { id: change.id }, select: { cardChannelId: true, cardMessageTs: true } })
      if (!fresh?.cardChannelId || !fresh.cardMessageTs) return
      const c = await clientFor(change.workspaceId)
      await c?.chat.update({ channel: fresh.cardChannelId, ts: fresh.cardMessageTs, ...changeCard(change) }).catch((err) => deps.logger.warn({ err: { message: (err as Error).message }, changeId: change.id }, 'could not update the change card'))
    },
  }
}
