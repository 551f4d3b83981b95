import type { WebClient } from '@slack/web-api'
import { changeCardOf, recordChangeCard } from '../../domain/changes/change-card.ts'
import { type ChangeWithContext, loadChangeGroup } from '../../domain/changes/change-include.ts'
import { suggestionsDestination } from '../../domain/suggestions/suggestion-delivery.ts'
import { workspaceTeamId } from '../../domain/workspaces/workspace-team.ts'
import type { PrismaClient } from '../../generated/prisma/client.ts'
import type { SlackClients } from '../../integrations/slack-web/slack-clients.ts'
import type { Logger } from '../../lib/logger.ts'
import { changeCard } from '../blocks/change-card.ts'
import { movedAwayCard } from '../blocks/moved-away-card.ts'
import { cardOutOfScope } from '../card-scope.ts'

/**
 * Posts change request cards and keeps them current (from listeners and from jobs alike). The one place that
 * keeps cards inside their channel's client: a card in a channel whose client no longer owns the account (it was
 * moved) is redrawn as a neutral stub, and a new card meant for such a channel (an undo, an edit) goes to the
 * account's client's suggestions destination instead.
 */
export interface ChangeCardPublisher {
  /** Posts the card; returns where it went (another place than `channelId` when that channel is another client's). */
  post(change: ChangeWithContext, channelId: string, client?: WebClient): Promise<string | undefined>
  refresh(change: ChangeWithContext): Promise<void>
}

export function createChangeCardPublisher(deps: { prisma: PrismaClient; slack: SlackClients; logger: Logger }): ChangeCardPublisher {
  async function clientFor(workspaceId: string): Promise<WebClient | undefined> {
    const teamId = await workspaceTeamId(deps.prisma, workspaceId)
    return teamId !== undefined ? deps.slack.forTeam(teamId) : undefined
  }
  /** The channel a new card of `change` may go to: `channelId`, or its client's destination when that is another client's. */
  async function placeFor(change: ChangeWithContext, channelId: string): Promise<string | undefined> {
    const out = await cardOutOfScope(deps.prisma, { workspaceId: change.workspaceId, adAccountId: change.adAccountId, channelId })
    if (!out) return channelId
    const to = await suggestionsDestination(deps.prisma, change.workspaceId, out.clientId)
    return to.channelId ?? change.requestedBySlackUserId ?? to.adminUserIds[0]
  }
  async function groupCardOf(change: ChangeWithContext) {
    const parts = await loadChangeGroup(deps.prisma, change)
    return changeCard(parts[0] ?? change, parts)
  }
  /** Draws the card of `change` (its group's one card) as the database says now, and updates the message. */
  async function redraw(change: ChangeWithContext): Promise<void> {
    // Every part's refresh redraws the group's one card with each part's outcome.
    const card = await changeCardOf(deps.prisma, change.groupId ?? change.id)
    if (!card?.channelId || !card.messageTs) return
    const c = await clientFor(change.workspaceId)
    const out = await cardOutOfScope(deps.prisma, {
      workspaceId: change.workspaceId,
      adAccountId: change.adAccountId,
      channelId: card.channelId,
    })
    await c?.chat
      .update({ channel: card.channelId, ts: card.messageTs, ...(out ? movedAwayCard() : await groupCardOf(change)) })
      .catch((err) =>
        deps.logger.warn({ err: { message: (err as Error).message }, changeId: change.id }, 'could not update the change card'),
      )
  }
  /** The redraw under way per card (the group's id), and whether another was asked for meanwhile. */
  const redraws = new Map<string, { again: boolean; done: Promise<void> }>()
  return {
    async post(change, channelId, client) {
      const c = client ?? (await clientFor(change.workspaceId))
      if (!c) return undefined
      const channel = await placeFor(change, channelId)
      if (!channel) return undefined
      // A change of a group is shown with all its parts, on one card (recorded on the group's first part).
      const parts = await loadChangeGroup(deps.prisma, change)
      const lead = parts[0] ?? change
      const res = await c.chat.postMessage({ channel, ...changeCard(lead, parts) })
      if (res.ts && res.channel) await recordChangeCard(deps.prisma, lead.id, res.channel, res.ts)
      return channel
    },
    refresh(change) {
      // One redraw at a time per card (in this process), each drawn from the state when it is sent: a refresh asked
      // for while one is under way (a 429 makes the web client wait and resend what it drew) draws the card again
      // after it, so an older drawing never lands last.
      const key = change.groupId ?? change.id
      const running = redraws.get(key)
      if (running) {
        running.again = true
        return running.done
      }
      const entry = { again: true, done: Promise.resolve() }
      entry.done = (async () => {
        try {
          while (entry.again) {
            entry.again = false
            await redraw(change)
          }
        } finally {
          redraws.delete(key)
        }
      })()
      redraws.set(key, entry)
      return entry.done
    },
  }
}
