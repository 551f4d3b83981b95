import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt'
import { recordTokensRevoked } from '../../../domain/workspaces/installation-lifecycle.ts'
import type { SlackDeps } from '../../deps.ts'

/** Slack revoked tokens of Promoly (bot: the installation ends; user tokens: they are dropped from it). */
export function tokensRevoked(deps: SlackDeps) {
  return async ({ event, body, context }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'tokens_revoked'>): Promise<void> => {
    await recordTokensRevoked(deps.domain, {
      installation: { teamId: context.teamId, enterpriseId: context.enterpriseId, isEnterpriseInstall: context.isEnterpriseInstall },
      botUserIds: event.tokens.bot ?? [],
      userIds: event.tokens.oauth ?? [],
      eventId: body.event_id,
    })
  }
}
