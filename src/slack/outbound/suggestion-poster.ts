import { changeCardOf } from '../../domain/changes/change-card.ts'
import { loadChange } from '../../domain/changes/change-include.ts'
import { campaignNameOf, recordSuggestionPosted, suggestionsDestination } from '../../domain/suggestions/suggestion-delivery.ts'
import type { PrismaClient, Suggestion } from '../../generated/prisma/client.ts'
import type { SlackClients } from '../../integrations/slack-web/slack-clients.ts'
import type { Logger } from '../../lib/logger.ts'
import { suggestionMessage } from '../blocks/suggestion-message.ts'
import type { ChangeCardPublisher } from './change-card-publisher.ts'

/**
 * Posts new optimizer findings to the workspace's suggestions channel: until an admin sets one,
 * the channel where Promoly was first used, else the installer's DM. A finding with a change is
 * its change request card; one without is a notice with the evidence.
 */
export function createSuggestionPoster(deps: { prisma: PrismaClient; slack: SlackClients; cards: ChangeCardPublisher; logger: Logger }) {
  return async function postSuggestions(workspaceId: string, suggestions: Suggestion[]): Promise<void> {
    if (suggestions.length === 0) return
    const { slackTeamId, channelId: channel } = await suggestionsDestination(deps.prisma, workspaceId)
    if (!channel) {
      deps.logger.info(
        { workspaceId, count: suggestions.length },
        'no channel for suggestions yet; they are listed by /promoly suggestions',
      )
      return
    }
    const client = await deps.slack.forTeam(slackTeamId)
    if (!client) return
    for (const s of suggestions) {
      try {
        if (s.changeRequestId) {
          const change = await loadChange(deps.prisma, s.changeRequestId)
          await deps.cards.post(change, channel, client)
          const posted = await changeCardOf(deps.prisma, change.id)
          if (!posted) throw new Error(`change ${change.id} is gone`)
          await recordSuggestionPosted(deps.prisma, s.id, posted.channelId, posted.messageTs)
        } else {
          const campaignName = await campaignNameOf(deps.prisma, s.campaignId)
          const res = await client.chat.postMessage({ channel, ...suggestionMessage(s, campaignName ?? 'campaign') })
          await recordSuggestionPosted(deps.prisma, s.id, res.channel ?? channel, res.ts ?? null)
        }
      } catch (err) {
        deps.logger.warn({ err: { message: (err as Error).message }, suggestion: s.id }, 'could not post a suggestion')
      }
    }
  }
}
