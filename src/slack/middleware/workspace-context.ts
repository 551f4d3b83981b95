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

/** Events about the installation itself: they must not create (and bootstrap) a workspace. */
const INSTALLATION_EVENTS = new Set(['app_uninstalled', 'tokens_revoked'])

function isInstallationEvent(body: AnyMiddlewareArgs['body']): boolean {
  const type = (body as { event?: { type?: unknown } }).event?.type
  return typeof type === 'string' && INSTALLATION_EVENTS.has(type)
}

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

  const lookUp = (teamId: string, enterpriseId: string | undefined, logger: { error(...a: unknown[]): void }): Promise<Workspace> => {
    let lookup = lookups.get(teamId)
    if (!lookup) {
      lookup = ensureWorkspace(deps.domain.prisma, { slackTeamId: teamId, enterpriseId })
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

  return async ({ context, body, next, logger }) => {
    if (isInstallationEvent(body)) return next()
    const teamId = context.teamId ?? context.enterpriseId
    // A team of an Enterprise Grid organisation: remembered, so jobs find an org-wide installation (E: key).
    const enterpriseId = context.teamId ? context.enterpriseId : undefined
    if (teamId) {
      const hit = cache.get(teamId)
      const needsUpdate = hit && enterpriseId && hit.workspace.slackEnterpriseId !== enterpriseId
      if (hit && !needsUpdate) {
        context.workspace = hit.workspace
        if (Date.now() - hit.at >= CACHE_TTL_MS && !hit.refreshing) {
          hit.refreshing = true
          lookUp(teamId, enterpriseId, logger).catch((err) => {
            hit.refreshing = false
            logger.warn({ err }, 'could not refresh the cached workspace')
          })
        }
      } else {
        context.workspace = await lookUp(teamId, enterpriseId, logger)
      }
    }
    await next()
  }
}
