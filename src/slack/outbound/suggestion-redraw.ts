import { loadChange } from '../../domain/changes/change-include.ts'
import { suggestionPlace } from '../../domain/suggestions/suggestion-place.ts'
import { workspaceTeamId } from '../../domain/workspaces/workspace-team.ts'
import type { PrismaClient, Suggestion } from '../../generated/prisma/client.ts'
import type { SlackClients } from '../../integrations/slack-web/slack-clients.ts'
import type { Logger } from '../../lib/logger.ts'
import { movedAwayCard } from '../blocks/moved-away-card.ts'
import { suggestionMessage } from '../blocks/suggestion-message.ts'
import { cardOutOfScope } from '../card-scope.ts'
import type { ChangeCardPublisher } from './change-card-publisher.ts'

/**
 * Redraws the posted messages of open findings whose numbers moved (the optimizer's `changed`), in place: a finding
 * with a proposal waiting for a decision through its change card (the publisher keeps the card in its client's
 * channel); one without, its own notice (chat.update at postedChannelId / postedTs). A finding never posted, or whose
 * proposal was decided meanwhile (its card shows the decision), is left alone. Slack refusing (a 429 after the web
 * client's retries, a deleted message) is logged, never thrown; the message then shows the older numbers until they
 * move again (the row holds the new ones, so an unchanged rerun does not retry).
 */
export function createSuggestionRedrawer(deps: { prisma: PrismaClient; slack: SlackClients; cards: ChangeCardPublisher; logger: Logger }) {
  return async function redrawSuggestions(suggestions: Suggestion[]): Promise<void> {
    for (const s of suggestions) {
      try {
        if (s.changeRequestId) {
          const change = await loadChange(deps.prisma, s.changeRequestId)
          if (change.status === 'PROPOSED') await deps.cards.refresh(change)
          continue
        }
        if (!s.postedChannelId || !s.postedTs) continue
        const teamId = await workspaceTeamId(deps.prisma, s.workspaceId)
        const client = teamId !== undefined ? await deps.slack.forTeam(teamId) : undefined
        if (!client) continue
        // The account moved to another client since: that channel gets the neutral stub, never the new numbers.
        const out = await cardOutOfScope(deps.prisma, {
          workspaceId: s.workspaceId,
          adAccountId: s.adAccountId,
          channelId: s.postedChannelId,
        })
        const content = out ? movedAwayCard() : suggestionMessage(s, await suggestionPlace(deps.prisma, s))
        await client.chat.update({ channel: s.postedChannelId, ts: s.postedTs, ...content })
      } catch (err) {
        deps.logger.warn({ err: { message: (err as Error).message }, suggestion: s.id }, 'could not redraw a suggestion')
      }
    }
  }
}
