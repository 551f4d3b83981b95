import type { Suggestion } from '../../generated/prisma/client.ts'
import type { PrismaClient } from '../../generated/prisma/client.ts'
import { CHANGE_INCLUDE } from '../../domain/changes/change-include.ts'
import type { Logger } from '../../lib/logger.ts'
import { suggestionMessage } from '../../slack/blocks/suggestion-message.ts'
import type { ChangeCardPublisher } from './change-card-publisher.ts'
import type { SlackClients } from './slack-clients.ts'

/**
 * Posts new optimizer findings to the workspace's suggestions channel: until an admin sets one,
 * the channel where Promoly was first used, else the installer's DM. A finding with a change is
 * its change request card; one without is a notice with the evidence.
 */
export function createSuggestionPoster(deps: { prisma: PrismaClient; slack: SlackClients; cards: ChangeCardPublisher; logger: Logger }) {
  return async function postSuggestions(workspaceId: string, suggestions: Suggestion[]): Promise<void> {
    if (suggestions.length === 0) return
    const ws = await deps.prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } })
    const installer = await deps.prisma.slackInstallation.findFirst({ where: { workspaceId }, select: { installerUserId: true } })
    const channel = ws.suggestionsChannelId ?? ws.firstChannelId ?? installer?.installerUserId
    if (!channel) {
      deps.logger.info({ workspaceId, count: suggestions.length }, 'no channel for suggestions yet; they are listed by /promoly suggestions')
      return
    }
    const client = await deps.slack.forTeam(ws.slackTeamId)
    if (!client) return
    for (const s of suggestions) {
      try {
        if (s.changeRequestId) {
          const change = await deps.prisma.changeRequest.findUniqueOrThrow({ where: { id: s.changeRequestId }, include: CHANGE_INCLUDE })
          await deps.cards.post(change, channel, client)
          const posted = await deps.prisma.changeRequest.findUniqueOrThrow({ where: { id: change.id }, select: { cardChannelId: true, cardMessageTs: true } })
          await deps.prisma.suggestion.update({ where: { id: s.id }, data: { postedChannelId: posted.cardChannelId, postedTs: posted.cardMessageTs } })
        } else {
          const campaign = await deps.prisma.campaign.findUnique({ where: { id: s.campaignId }, select: { name: true } })
          const res = await client.chat.postMessage({ channel, ...suggestionMessage(s, campaign?.name ?? 'campaign') })
          await deps.prisma.suggestion.update({ where: { id: s.id }, data: { postedChannelId: res.channel ?? channel, postedTs: res.ts ?? null } })
        }
      } catch (err) {
        deps.logger.warn({ err: { message: (err as Error).message }, suggestion: s.id }, 'could not post a suggestion')
      }
    }
  }
}

export type SuggestionPoster = ReturnType<typeof createSuggestionPoster>
