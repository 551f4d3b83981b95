import { alertsDestination } from '../../domain/alerts/alert-delivery.ts'
import { changeCardOf } from '../../domain/changes/change-card.ts'
import { loadChange } from '../../domain/changes/change-include.ts'
import { recordSuggestionPosted, suggestionsByClient, suggestionsDestination } from '../../domain/suggestions/suggestion-delivery.ts'
import { suggestionPlace } from '../../domain/suggestions/suggestion-place.ts'
import type { PrismaClient, Suggestion } from '../../generated/prisma/client.ts'
import type { SlackClients } from '../../integrations/slack-web/slack-clients.ts'
import type { Logger } from '../../lib/logger.ts'
import { suggestionMessage } from '../blocks/suggestion-message.ts'
import { slackWorkspaceAdmins } from '../slack-workspace-admins.ts'
import type { ChangeCardPublisher } from './change-card-publisher.ts'

/** What the other admins read when the suggestions went to the first admin's DM. */
function adminsNote(count: number, firstAdmin: string): { text: string } {
  const what = count === 1 ? 'a new suggestion' : `${count} new suggestions`
  return {
    text: `:bulb: Promoly has ${what} for your ads. No suggestions channel is chosen yet, so ${count === 1 ? 'it went' : 'they went'} to <@${firstAdmin}> by DM; \`/promoly suggestions\` lists the open ones. Choose a channel in \`/promoly settings\` to share them with your team.`,
  }
}

/** What the first admin reads above the suggestions sent to their DM: why they are here and how to move them. */
function firstAdminIntro(count: number): { text: string } {
  const what = count === 1 ? 'a new suggestion' : `${count} new suggestions`
  return {
    text: `:bulb: Promoly has ${what} for your ads. ${count === 1 ? 'It comes' : 'They come'} to you by DM because no suggestions channel is chosen yet (a channel Promoly was used in may be shared with a client, so it never picks one itself). Choose one in \`/promoly settings\` to share them with your team; \`/promoly suggestions\` lists the open ones.`,
  }
}

/** What the first admin reads above intraday alerts sent to their DM. */
function alertsIntro(count: number): { text: string } {
  const what = count === 1 ? 'an alert' : `${count} alerts`
  return {
    text: `:warning: Promoly has ${what} about today's delivery that should not wait for the digest. ${count === 1 ? 'It comes' : 'They come'} to you by DM because this client has no alerts or suggestions channel yet; choose one in \`/promoly settings\`.`,
  }
}

/** What the other admins read when alerts went to the first admin's DM. */
function alertsAdminsNote(count: number, firstAdmin: string): { text: string } {
  const what = count === 1 ? 'an alert' : `${count} alerts`
  return {
    text: `:warning: Promoly has ${what} about today's delivery; ${count === 1 ? 'it went' : 'they went'} to <@${firstAdmin}> by DM (no alerts or suggestions channel is chosen yet). Choose one in \`/promoly settings\`.`,
  }
}

/** The most Slack owners/admins DMed when Promoly has no admin on record yet (as for Promoly admins). */
const MAX_SLACK_ADMINS = 5

/**
 * Posts new optimizer findings to their client's suggestions channel (grouped by the client of their account). Until an admin chooses one, they
 * go to the Promoly admins by DM (see suggestionsDestination): the first admin gets each finding, the
 * other admins one short note per batch. With no Promoly admin on record yet (single-workspace mode has
 * no installer, and nobody has used Promoly), they go the same way to the Slack workspace's owners and
 * admins (full human members, at most 5, from users.list): they are Promoly admins by default, so they
 * are who an admin on record would be, and the first suggestions reach someone now rather than wait.
 * A finding with a change is its change request card; one without is a notice with the evidence.
 */
export function createSuggestionPoster(
  deps: { prisma: PrismaClient; slack: SlackClients; cards: ChangeCardPublisher; logger: Logger },
  /** `alerts`: intraday alerts, to the client's alerts channel first (alertsDestination), introduced as alerts. */
  kind: 'suggestions' | 'alerts' = 'suggestions',
) {
  const destination = kind === 'alerts' ? alertsDestination : suggestionsDestination
  const intro = kind === 'alerts' ? alertsIntro : firstAdminIntro
  const note = kind === 'alerts' ? alertsAdminsNote : adminsNote
  return async function postSuggestions(workspaceId: string, suggestions: Suggestion[]): Promise<void> {
    if (suggestions.length === 0) return
    // Each client's suggestions go to its own suggestions channel (or its admins by DM), never to another's.
    for (const group of await suggestionsByClient(deps.prisma, suggestions))
      await postForClient(workspaceId, group.clientId, group.suggestions)
  }

  async function postForClient(workspaceId: string, clientId: string, suggestions: Suggestion[]): Promise<void> {
    const { slackTeamId, channelId, adminUserIds } = await destination(deps.prisma, workspaceId, clientId)
    const client = await deps.slack.forTeam(slackTeamId)
    if (!client) return
    let admins = adminUserIds
    if (!channelId && admins.length === 0)
      admins = await slackWorkspaceAdmins(client, MAX_SLACK_ADMINS).catch((err) => {
        deps.logger.warn({ err: { message: (err as Error).message } }, "could not list the Slack workspace's admins")
        return []
      })
    const [firstAdmin, ...otherAdmins] = admins
    const channel = channelId ?? firstAdmin
    if (!channel) {
      deps.logger.info(
        { workspaceId, count: suggestions.length },
        'no suggestions channel and no admin to DM yet; they are listed by /promoly suggestions',
      )
      return
    }
    if (!channelId)
      await client.chat
        .postMessage({ channel, ...intro(suggestions.length) })
        .catch((err) => deps.logger.warn({ err: { message: (err as Error).message } }, 'could not introduce the suggestions to an admin'))
    for (const s of suggestions) {
      try {
        if (s.changeRequestId) {
          const change = await loadChange(deps.prisma, s.changeRequestId)
          // A card already out (an alert's post cut short before it was recorded on the alert) is not posted again.
          if (!(await changeCardOf(deps.prisma, change.id))?.messageTs) await deps.cards.post(change, channel, client)
          const posted = await changeCardOf(deps.prisma, change.id)
          if (!posted) throw new Error(`change ${change.id} is gone`)
          await recordSuggestionPosted(deps.prisma, s.id, posted.channelId, posted.messageTs)
        } else {
          const place = await suggestionPlace(deps.prisma, s)
          const res = await client.chat.postMessage({ channel, ...suggestionMessage(s, place) })
          await recordSuggestionPosted(deps.prisma, s.id, res.channel ?? channel, res.ts ?? null)
        }
      } catch (err) {
        deps.logger.warn({ err: { message: (err as Error).message }, suggestion: s.id }, 'could not post a suggestion')
      }
    }
    if (!channelId && firstAdmin)
      for (const admin of otherAdmins)
        await client.chat
          .postMessage({ channel: admin, ...note(suggestions.length, firstAdmin) })
          .catch((err) => deps.logger.warn({ err: { message: (err as Error).message } }, 'could not tell an admin about new suggestions'))
  }
}
