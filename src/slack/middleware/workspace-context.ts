import type { AnyMiddlewareArgs, Context, Middleware } from '@slack/bolt'
import { ensureWorkspace } from '../../domain/workspaces/ensure-workspace.ts'
import type { Workspace } from '../../generated/prisma/client.ts'
import type { SlackDeps } from '../deps.ts'

declare module '@slack/bolt' {
  interface Context {
    workspace?: Workspace
  }
}

/**
 * The workspace this middleware put into the context. Every interaction and command Slack sends names
 * its team, so a missing one is a bug (or a request that is not Slack's), not something a user can fix.
 */
export function requireWorkspace(context: Context): Workspace {
  if (!context.workspace) throw new Error('no Promoly workspace was resolved for this request (it names no team)')
  return context.workspace
}

const CACHE_TTL_MS = 60_000

/**
 * Resolves the Promoly workspace of every request into `context.workspace` (creating it on first
 * contact). This runs before every ack, so a known workspace never costs a database round-trip: it
 * comes from a cache, and a cached row older than a minute is served while a fresh copy is read in
 * the background; listeners read only the ids.
 * Concurrent requests of a team that is not cached yet share one lookup.
 */
export function workspaceContext(deps: SlackDeps): Middleware<AnyMiddlewareArgs> {
  const cache = new Map<string, { workspace: Workspace; at: number; refreshing: boolean }>()
  const lookups = new Map<string, Promise<Workspace>>()

  const lookUp = (teamId: string, logger: { error(...a: unknown[]): void }): Promise<Workspace> => {
    let lookup = lookups.get(teamId)
    if (!lookup) {
      lookup = ensureWorkspace(deps.domain.prisma, { slackTeamId: teamId })
        .then(({ workspace, created }) => {
          cache.set(teamId, { workspace, at: Date.now(), refreshing: false })
          if (created) deps.onWorkspaceCreated(workspace).catch((err) => logger.error({ err }, 'workspace bootstrap failed'))
          return workspace
        })
        .finally(() => lookups.delete(teamId))
      lookups.set(teamId, lookup)
    }
    return lookup
  }

  return async ({ context, next, logger }) => {
    const teamId = context.teamId ?? context.enterpriseId
    if (teamId) {
      const hit = cache.get(teamId)
      if (hit) {
        context.workspace = hit.workspace
        if (Date.now() - hit.at >= CACHE_TTL_MS && !hit.refreshing) {
          hit.refreshing = true
          lookUp(teamId, logger).catch((err) => {
            hit.refreshing = false
            logger.warn({ err }, 'could not refresh the cached workspace')
          })
        }
      } else {
        context.workspace = await lookUp(teamId, logger)
      }
    }
    await next()
  }
}
