import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt'
import { recordAppUninstalled } from '../../../domain/workspaces/installation-lifecycle.ts'
import type { SlackDeps } from '../../deps.ts'

/**
 * Promoly was removed from a workspace (or an Enterprise Grid organisation): its stored tokens go, its syncs
 * and digests stop, and the audit log says so. Bolt does not authorize this event (the tokens are gone).
 */
export function appUninstalled(deps: SlackDeps) {
  return async ({ body, context, logger }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_uninstalled'>): Promise<void> => {
    const handled = await recordAppUninstalled(deps.domain.prisma, {
      installation: { teamId: context.teamId, enterpriseId: context.enterpriseId, isEnterpriseInstall: context.isEnterpriseInstall },
      eventId: body.event_id,
    })
    if (handled) logger.info(`Promoly was uninstalled from ${context.isEnterpriseInstall ? context.enterpriseId : context.teamId}`)
  }
}
