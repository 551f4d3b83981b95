import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt'
import { ensureWorkspace } from '../../domain/workspaces/ensure-workspace.ts'
import type { Workspace } from '../../generated/prisma/client.ts'
import type { SlackDeps } from '../deps.ts'

declare module '@slack/bolt' {
  interface Context {
    workspace?: Workspace
  }
}

function channelOf(body: AnyMiddlewareArgs['body']): string | undefined {
  const b = body as { channel_id?: string; channel?: { id?: string }; event?: { channel?: string } }
  return b.channel_id ?? b.channel?.id ?? b.event?.channel
}

/** Resolves the Promoly workspace of every request into `context.workspace` (creating it on first contact). */
export function workspaceContext(deps: SlackDeps): Middleware<AnyMiddlewareArgs> {
  return async ({ context, body, next, logger }) => {
    const teamId = context.teamId ?? context.enterpriseId
    if (teamId) {
      const { workspace, created } = await ensureWorkspace(deps.domain.prisma, { slackTeamId: teamId, channelId: channelOf(body) })
      context.workspace = workspace
      if (created) deps.onWorkspaceCreated(workspace).catch((err) => logger.error({ err }, 'workspace bootstrap failed'))
    }
    await next()
  }
}
