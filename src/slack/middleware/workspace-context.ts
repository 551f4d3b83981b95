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

const CACHE_TTL_MS = 60_000

/**
 * Resolves the Promoly workspace of every request into `context.workspace` (creating it on first
 * contact). This runs before every ack, so a known workspace comes from a short-lived cache: its
 * row only changes when its first channel is recorded, which this middleware does itself.
 */
export function workspaceContext(deps: SlackDeps): Middleware<AnyMiddlewareArgs> {
  const cache = new Map<string, { workspace: Workspace; at: number }>()
  return async ({ context, body, next, logger }) => {
    const teamId = context.teamId ?? context.enterpriseId
    if (teamId) {
      const channelId = channelOf(body)
      const hit = cache.get(teamId)
      const needsChannel = hit && !hit.workspace.firstChannelId && channelId && !channelId.startsWith('D')
      if (hit && Date.now() - hit.at < CACHE_TTL_MS && !needsChannel) {
        context.workspace = hit.workspace
      } else {
        const { workspace, created } = await ensureWorkspace(deps.domain.prisma, { slackTeamId: teamId, channelId })
        cache.set(teamId, { workspace, at: Date.now() })
        context.workspace = workspace
        if (created) deps.onWorkspaceCreated(workspace).catch((err) => logger.error({ err }, 'workspace bootstrap failed'))
      }
    }
    await next()
  }
}
