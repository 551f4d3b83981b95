import { type IncomingMessage, Server, type ServerResponse } from 'node:http'
import { App, type AppOptions, type Authorize } from '@slack/bolt'
import type { InstallationStore } from '@slack/oauth'
import { WebClient } from '@slack/web-api'
import type { Config } from '../config/env.ts'
import { isKnownTeam } from '../domain/workspaces/workspace-team.ts'
import type { HttpRoute } from '../http/health-routes.ts'
import { boltLogger, webClientOptions } from '../integrations/slack-web/slack-clients.ts'
import { createAfterAckQueue } from './after-ack.ts'
import type { SlackDeps } from './deps.ts'
import { installedEnterpriseOf } from './installation-store.ts'
import { registerListeners } from './listeners/index.ts'
import { callerGate, installedTeamOnly } from './middleware/caller-gate.ts'
import { workspaceContext } from './middleware/workspace-context.ts'
import type { WorkspaceTeam } from './slack-users.ts'

/**
 * Bot scopes Promoly asks for (keep in step with manifest.json; src/manifest.test.ts derives the list from the Web
 * API methods the code calls and the events it subscribes to, and fails on a scope nothing uses or one missing).
 */
export const BOT_SCOPES = [
  'app_mentions:read',
  'assistant:write',
  'channels:history',
  'channels:read',
  'chat:write',
  'chat:write.public',
  'commands',
  'files:write',
  'groups:history',
  'groups:read',
  'im:history',
  'im:write',
  'users:read',
]

/** Slack's window for a request's timestamp, either way (Bolt enforces only the past side). */
const MAX_CLOCK_SKEW_SEC = 5 * 60

/**
 * Whether a request carries an `x-slack-request-timestamp` more than five minutes ahead of this clock.
 * Bolt refuses timestamps older than five minutes but accepts any future one, so a request signed
 * with a future timestamp could be replayed until then; the header is part of the signed base string,
 * so refusing on it alone is safe (a forged header fails the signature anyway).
 */
function fromTheFuture(req: IncomingMessage): boolean {
  const raw = req.headers['x-slack-request-timestamp']
  const ts = Number(Array.isArray(raw) ? raw[0] : raw)
  return Number.isFinite(ts) && ts > Math.floor(Date.now() / 1000) + MAX_CLOCK_SKEW_SEC
}

/**
 * Puts the future-timestamp check in front of Bolt's own request handling on its HTTP server: such a
 * request is answered 401, as Bolt answers a stale one, and never reaches Bolt.
 */
function refuseFutureTimestamps(server: Server, logger: SlackDeps['logger']) {
  const bolt = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>
  server.removeAllListeners('request')
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'POST' && fromTheFuture(req)) {
      logger.warn({ path: req.url?.split('?')[0] }, 'refused a Slack request timestamped more than 5 minutes in the future')
      res.writeHead(401)
      res.end()
      return
    }
    for (const listener of bolt) listener.call(server, req, res)
  })
}

export interface SlackApp {
  app: App
  start(): Promise<void>
  stop(): Promise<void>
}

/**
 * Single-workspace apps authorize without Bolt's constructor-time auth.test, so neither start-up
 * nor any request waits on Slack: the bot's ids come from one auth.test in the background, retried
 * (at most every 30 s) while Slack does not answer. Until then requests carry the token alone.
 * `installedTeam` is the team (and Grid organisation) of the token: the only one this app serves.
 */
function singleWorkspaceAuth(
  botToken: string,
  apiUrl: string,
): { authorize: Authorize<boolean>; installedTeam: () => Promise<WorkspaceTeam | undefined> } {
  const client = new WebClient(botToken, { ...webClientOptions(apiUrl), retryConfig: { retries: 0 }, timeout: 5_000 })
  let cached: { botToken: string; botId?: string; botUserId?: string; teamId?: string; enterpriseId?: string } | undefined
  let inFlight: Promise<void> | undefined
  let lastTry = 0
  const refresh = (): Promise<void> | undefined => {
    if (cached) return undefined
    if (inFlight || Date.now() - lastTry < 30_000) return inFlight
    lastTry = Date.now()
    inFlight = client.auth
      .test()
      .then((r) => {
        cached = { botToken, botId: r.bot_id, botUserId: r.user_id, teamId: r.team_id, enterpriseId: r.enterprise_id || undefined }
      })
      .catch(() => undefined)
      .finally(() => {
        inFlight = undefined
      })
    return inFlight
  }
  void refresh()
  return {
    authorize: async () => {
      if (cached) return cached
      void refresh()
      return { botToken }
    },
    async installedTeam() {
      // A request arriving while auth.test is on its way waits for it a little (within Slack's 3 s).
      const pending = refresh()
      if (pending !== undefined) await Promise.race([pending, new Promise((r) => setTimeout(r, 1_000).unref())])
      return cached?.teamId ? { teamId: cached.teamId, enterpriseId: cached.enterpriseId } : undefined
    },
  }
}

export function createSlackApp(options: {
  config: Config
  deps: SlackDeps
  routes: HttpRoute[]
  installationStore?: InstallationStore
  /** Interface the HTTP server listens on (the playground: 127.0.0.1); all interfaces when unset. */
  listenHost?: string
}): SlackApp {
  const { config, deps } = options
  const slack = config.slack
  if (slack.kind === 'none') throw new Error('Slack is not configured')
  const socketMode = Boolean(slack.appToken)
  const common: AppOptions = {
    logger: boltLogger(deps.logger.child({ component: 'bolt' })),
    clientOptions: webClientOptions(slack.apiUrl, deps.logger.child({ component: 'slack-web' })),
    customRoutes: options.routes,
    // Promoly keeps no state in Bolt's conversation store: skip its lookup on every request.
    convoStore: false,
    ...(socketMode
      ? {
          socketMode: true,
          appToken: slack.appToken,
          installerOptions: { port: config.port, clientOptions: webClientOptions(slack.apiUrl) },
        }
      : { signingSecret: slack.signingSecret }),
  }
  const single = slack.kind === 'single' ? singleWorkspaceAuth(slack.botToken, slack.apiUrl) : undefined
  const app =
    slack.kind === 'single'
      ? new App({ ...common, authorize: (single as ReturnType<typeof singleWorkspaceAuth>).authorize })
      : new App({
          ...common,
          clientId: slack.clientId,
          clientSecret: slack.clientSecret,
          stateSecret: slack.stateSecret,
          scopes: BOT_SCOPES,
          installationStore: options.installationStore,
          installerOptions: {
            directInstall: true,
            clientOptions: webClientOptions(slack.apiUrl),
            ...(socketMode ? { port: config.port } : {}),
          },
        })
  // Post-ack work waits while requests are coming in: their acks go first (see after-ack.ts). Over HTTP the
  // server reports each request from its headers to its response (see start()); Socket Mode has no such
  // hook, so a middleware notes each request as Bolt takes it in.
  const afterAck = createAfterAckQueue()
  if (socketMode) {
    app.use(async ({ next }) => {
      afterAck.requestArrived()
      await next()
    })
  }
  // Who may be served: in single-workspace mode only the token's own team (no workspace is created for
  // another), and everywhere only the workspace's full members (no guests, no other organisations).
  if (single)
    app.use(
      installedTeamOnly({ deps, installedTeam: single.installedTeam, knownTeam: (teamId) => isKnownTeam(deps.domain.prisma, teamId) }),
    )
  app.use(workspaceContext(deps))
  // The organisation a team installed Promoly in, asked for callers of another home team: cached for a minute.
  const enterprises = new Map<string, { value: string | undefined; at: number }>()
  const installedEnterprise = async (teamId: string): Promise<string | undefined> => {
    const hit = enterprises.get(teamId)
    if (hit && Date.now() - hit.at < 60_000) return hit.value
    const value = await installedEnterpriseOf(deps.domain.prisma, teamId)
    enterprises.set(teamId, { value, at: Date.now() })
    return value
  }
  app.use(callerGate(deps, async (teamId) => (single ? (await single.installedTeam())?.enterpriseId : installedEnterprise(teamId))))
  registerListeners(app, deps, afterAck)
  app.error(async (err) => {
    deps.logger.error({ err }, 'unhandled Slack listener error')
  })
  return {
    app,
    async start() {
      if (!socketMode) {
        const server = await app.start(options.listenHost ? { port: config.port, host: options.listenHost } : config.port)
        // A request is in flight from its headers to the end of its response: post-ack work waits meanwhile.
        if (server instanceof Server) {
          // Right after listen, before any I/O callback runs: no request reaches Bolt unchecked.
          refuseFutureTimestamps(server, deps.logger)
          server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
            res.once('close', afterAck.requestStarted())
          })
        }
        return
      }
      // Socket Mode connects to Slack: never let an unreachable Slack hold up (or fail) start-up. Its
      // requests come over Slack's authenticated WebSocket, unsigned: there is no timestamp to check.
      app.start().catch((err) => deps.logger.error({ err: { message: (err as Error).message } }, 'Socket Mode could not connect to Slack'))
    },
    async stop() {
      await app.stop()
    },
  }
}
