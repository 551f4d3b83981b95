import { App, type AppOptions, type Authorize } from '@slack/bolt'
import type { InstallationStore } from '@slack/oauth'
import { WebClient } from '@slack/web-api'
import type { Config } from '../config/env.ts'
import type { HttpRoute } from '../http/health-routes.ts'
import { boltLogger, webClientOptions } from '../integrations/slack-web/slack-clients.ts'
import type { SlackDeps } from './deps.ts'
import { registerListeners } from './listeners/index.ts'
import { workspaceContext } from './middleware/workspace-context.ts'

/** Bot scopes Promoly asks for (keep in step with manifest.json). */
export const BOT_SCOPES = ['app_mentions:read', 'assistant:write', 'channels:read', 'chat:write', 'chat:write.public', 'commands', 'files:write', 'im:history', 'im:read', 'im:write', 'users:read']

export interface SlackApp {
  app: App
  start(): Promise<void>
  stop(): Promise<void>
}

/**
 * Single-workspace apps authorize with a cached auth.test instead of Bolt's constructor call, so
 * start-up never waits on Slack; if Slack is unreachable the next request tries again.
 */
export function cachedSingleWorkspaceAuthorize(botToken: string, apiUrl: string): Authorize<boolean> {
  const client = new WebClient(botToken, { ...webClientOptions(apiUrl), retryConfig: { retries: 0 }, timeout: 5_000 })
  let cached: { botToken: string; botId?: string; botUserId?: string; teamId?: string } | undefined
  return async () => {
    if (cached) return cached
    try {
      const r = await client.auth.test()
      cached = { botToken, botId: r.bot_id, botUserId: r.user_id, teamId: r.team_id }
      return cached
    } catch {
      return { botToken }
    }
  }
}

export function createSlackApp(options: { config: Config; deps: SlackDeps; routes: HttpRoute[]; installationStore?: InstallationStore }): SlackApp {
  const { config, deps } = options
  const slack = config.slack
  if (slack.kind === 'none') throw new Error('Slack is not configured')
  const socketMode = Boolean(slack.appToken)
  const common: AppOptions = {
    logger: boltLogger(deps.logger.child({ component: 'bolt' })),
    clientOptions: webClientOptions(slack.apiUrl, deps.logger.child({ component: 'slack-web' })),
    customRoutes: options.routes,
    ...(socketMode ? { socketMode: true, appToken: slack.appToken, installerOptions: { port: config.port } } : { signingSecret: slack.signingSecret }),
  }
  const app =
    slack.kind === 'single'
      ? new App({ ...common, authorize: cachedSingleWorkspaceAuthorize(slack.botToken, slack.apiUrl) })
      : new App({
          ...common,
          clientId: slack.clientId,
          clientSecret: slack.clientSecret,
          stateSecret: slack.stateSecret,
          scopes: BOT_SCOPES,
          installationStore: options.installationStore,
          installerOptions: { directInstall: true, ...(socketMode ? { port: config.port } : {}) },
        })
  app.use(workspaceContext(deps))
  registerListeners(app, deps)
  app.error(async (err) => {
    deps.logger.error({ err }, 'unhandled Slack listener error')
  })
  return {
    app,
    async start() {
      await app.start(config.port)
    },
    async stop() {
      await app.stop()
    },
  }
}
