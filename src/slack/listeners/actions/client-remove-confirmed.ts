import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt'
import { removeClient } from '../../../domain/clients/remove-client.ts'
import { clientRemovedMessage, digestsPausedNotice } from '../../blocks/clients-message.ts'
import type { SlackDeps } from '../../deps.ts'
import { requireWorkspace } from '../../middleware/workspace-context.ts'
import { replyError } from '../../reply-error.ts'
import { resolveCaller } from '../../resolve-caller.ts'

/**
 * "Remove <client>" under `/promoly clients remove`: the client goes (its accounts to the default client, its
 * channels unbound, its digests paused), the question is replaced by what happened, and whoever set up a paused
 * digest is told by DM.
 */
export function clientRemoveConfirmed(deps: SlackDeps) {
  return async ({ ack, action, body, client, context, respond }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>) => {
    await ack()
    try {
      const workspace = requireWorkspace(context)
      await resolveCaller(deps, workspace, body.user.id, client)
      const removed = await removeClient(deps.domain.prisma, {
        workspaceId: workspace.id,
        actorSlackUserId: body.user.id,
        clientId: action.value ?? '',
        now: deps.domain.now(),
      })
      await respond({ replace_original: true, ...clientRemovedMessage(removed) })
      for (const creator of removed.creatorsToTell)
        await client.chat
          .postMessage({ channel: creator.slackUserId, ...digestsPausedNotice(removed.client.name, creator.channelIds, body.user.id) })
          .catch((err) => deps.logger.warn({ err: { message: (err as Error).message } }, 'could not tell a digest creator it was paused'))
    } catch (err) {
      await replyError({ client, userId: body.user.id, respond }, err, { logger: deps.logger, what: 'removing a client' })
    }
  }
}
