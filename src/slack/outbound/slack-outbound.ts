import type { Notifier } from '../../domain/notifier.ts'
import type { PrismaClient } from '../../generated/prisma/client.ts'
import type { SlackClients } from '../../integrations/slack-web/slack-clients.ts'
import type { Logger } from '../../lib/logger.ts'
import { type ChangeCardPublisher, createChangeCardPublisher } from './change-card-publisher.ts'
import { createDigestPoster, type DigestPoster } from './digest-poster.ts'
import { createSuggestionPoster } from './suggestion-poster.ts'
import { createSuggestionRedrawer } from './suggestion-redraw.ts'
import { createSyncNotices } from './sync-notices.ts'

/**
 * Everything Promoly posts to Slack outside a request, built once by the composition root: the
 * Notifier jobs use, and the card publisher and digest poster the listeners use too.
 */
export function createSlackOutbound(deps: { prisma: PrismaClient; slack: SlackClients; logger: Logger; now: () => Date }): {
  notifier: Notifier
  cards: ChangeCardPublisher
  digests: DigestPoster
} {
  const cards = createChangeCardPublisher(deps)
  const digests = createDigestPoster(deps)
  const postSuggestions = createSuggestionPoster({ ...deps, cards })
  const postAlerts = createSuggestionPoster({ ...deps, cards }, 'alerts')
  const redrawSuggestions = createSuggestionRedrawer({ ...deps, cards })
  const sync = createSyncNotices(deps)
  const notifier: Notifier = {
    postSuggestions,
    postAlerts,
    redrawSuggestions,
    refreshChangeCard: (change) => cards.refresh(change),
    postDigestRun: (runId) => digests.postRun(runId),
    tellSyncOutcome: (notify, outcome) => sync.tellSyncOutcome(notify, outcome),
    tellSyncStopped: (adAccountId, notify, message) => sync.tellSyncStopped(adAccountId, notify, message),
  }
  return { notifier, cards, digests }
}
