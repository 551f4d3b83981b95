import type { InstallationStore } from '@slack/oauth'
import { LogLevel, WebClient, type WebClientOptions } from '@slack/web-api'
import type { Logger } from '../../lib/logger.ts'

/** Web API options shared by every client Promoly builds: SLACK_API_URL is honoured everywhere. */
export function webClientOptions(apiUrl: string, logger?: Logger): WebClientOptions {
  return {
    slackApiUrl: apiUrl,
    timeout: 10_000,
    retryConfig: { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5_000, randomize: true },
    logLevel: LogLevel.WARN,
    logger: logger ? boltLogger(logger) : undefined,
  }
}

/** Clients for posting outside a request (jobs): the bot token of a team. */
export interface SlackClients {
  forTeam(teamId: string): Promise<WebClient | undefined>
}

export function createSlackClients(options: {
  apiUrl: string
  botToken?: string
  installationStore?: InstallationStore
  logger: Logger
}): SlackClients {
  const cache = new Map<string, WebClient>()
  return {
    async forTeam(teamId) {
      if (options.botToken) {
        let c = cache.get('single')
        if (!c) {
          c = new WebClient(options.botToken, webClientOptions(options.apiUrl, options.logger))
          cache.set('single', c)
        }
        return c
      }
      if (!options.installationStore) return undefined
      const installation = await options.installationStore
        .fetchInstallation({ teamId, enterpriseId: undefined, isEnterpriseInstall: false })
        .catch(() => undefined)
      const token = installation?.bot?.token
      return token ? new WebClient(token, { ...webClientOptions(options.apiUrl, options.logger), teamId }) : undefined
    },
  }
}

/** Bolt's and web-api's Logger interface over our pino logger. */
export function boltLogger(logger: Logger) {
  let level = LogLevel.INFO
  const fmt = (msgs: unknown[]) =>
    msgs.map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m))).join(' ')
  return {
    debug: (...msgs: unknown[]) => logger.debug(fmt(msgs)),
    info: (...msgs: unknown[]) => logger.info(fmt(msgs)),
    warn: (...msgs: unknown[]) => logger.warn(fmt(msgs)),
    error: (...msgs: unknown[]) => logger.error(fmt(msgs)),
    setLevel: (l: LogLevel) => {
      level = l
    },
    getLevel: () => level,
    setName: () => {},
  }
}
