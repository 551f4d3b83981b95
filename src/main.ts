import type { Server } from 'node:http'
import { WebClient } from '@slack/web-api'
import { createChatModel } from './agent/model.ts'
import type { Config } from './config/env.ts'
import { type Database, openDatabase } from './db/database.ts'
import type { DomainDeps } from './domain/deps.ts'
import { ensureWorkspace } from './domain/workspaces/ensure-workspace.ts'
import { resumeInstalledWorkspaces, stopForeignWorkspaces } from './domain/workspaces/installation-lifecycle.ts'
import { installerOf } from './domain/workspaces/installations.ts'
import { healthRoutes } from './http/health-routes.ts'
import { startPlainServer } from './http/plain-server.ts'
import { createGraphClient } from './integrations/meta/graph-client.ts'
import { createMetaApi } from './integrations/meta/meta-api.ts'
import { type MetaSimulator, startMetaSimulator } from './integrations/meta-sim/index.ts'
import { createSlackClients, webClientOptions } from './integrations/slack-web/slack-clients.ts'
import { createBullmqQueue } from './jobs/bullmq-queue.ts'
import { queueApply } from './jobs/definitions/apply-change.ts'
import { queueBootstrap } from './jobs/definitions/bootstrap-workspace.ts'
import { createInProcessQueue } from './jobs/in-process-queue.ts'
import type { JobQueue } from './jobs/job-queue.ts'
import { createJobs, type PromolyJobs, scheduleJobs } from './jobs/registry.ts'
import { requestSync } from './jobs/request-sync.ts'
import { createLogger, type Logger } from './lib/logger.ts'
import { openSecretBox } from './secret-keys.ts'
import { createSlackApp, type SlackApp } from './slack/app.ts'
import type { SlackDeps } from './slack/deps.ts'
import { createInstallationStore } from './slack/installation-store.ts'
import { createSlackOutbound } from './slack/outbound/slack-outbound.ts'
import { createSlackUserDirectory } from './slack/slack-users.ts'

export interface Roles {
  web: boolean
  worker: boolean
}

export interface Promoly {
  readonly config: Config
  readonly logger: Logger
  readonly db: Database
  readonly queue: JobQueue
  readonly jobs: PromolyJobs
  readonly domain: DomainDeps
  readonly slackDeps: SlackDeps
  /** The in-process Meta simulator: META_SIMULATOR=1, or nothing real configured (see Config.meta.useSimulator). */
  readonly simulator?: MetaSimulator
  /** Base URL of the HTTP server (web role). */
  readonly url?: string
  stop(): Promise<void>
}

export interface StartOptions {
  roles?: Roles
  logger?: Logger
  now?: () => Date
  /** An already open database (tests); opened from the config otherwise. */
  database?: Database
  /** Redis key prefix of the BullMQ queue (tests give each run its own). */
  queuePrefix?: string
  /** Interface Promoly's HTTP server listens on (the playground: 127.0.0.1, this machine only); all interfaces when unset. */
  listenHost?: string
  /**
   * Single-workspace mode, when Slack does not answer auth.test at start-up: first wait before asking again,
   * doubled each time up to the max (default 5 s, then up to 5 min). Tests make it short.
   */
  authTestRetry?: { firstMs: number; maxMs: number }
}

/** The composition root: config → clients → services → surfaces, and the reverse on stop. */
export async function startPromoly(config: Config, options: StartOptions = {}): Promise<Promoly> {
  const roles = options.roles ?? { web: true, worker: true }
  const logger = options.logger ?? createLogger({ level: config.logLevel })
  const now = options.now ?? (() => new Date())
  const stops: Array<() => Promise<void>> = []
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) await s().catch((err) => logger.warn({ err }, 'error during shutdown'))
  }
  try {
    const db =
      options.database ??
      (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? undefined : config.dataDir, logger }))
    if (!options.database) stops.push(() => db.close())
    const secrets = await openSecretBox(config, db.prisma, logger)

    let simulator: MetaSimulator | undefined
    let graphUrl = config.meta.graphUrl
    let defaultToken = config.meta.accessToken
    if (config.meta.useSimulator) {
      // Its /__sim/ control API is off unless META_SIMULATOR_CONTROL_TOKEN gives it a token.
      const controlToken = config.meta.simulatorControlToken
      const sim = await startMetaSimulator({
        port: 0,
        logger: logger.child({ component: 'meta-sim' }),
        ...(controlToken ? { controlToken } : { controlApi: false }),
      })
      simulator = sim
      stops.push(() => sim.close())
      graphUrl = sim.url
      defaultToken = sim.accessToken
    }
    if (!simulator && !defaultToken && config.slack.kind !== 'none') {
      logger.info('Meta: no META_ACCESS_TOKEN, so no deployment-wide connection; admins connect accounts with /promoly connect')
    }
    const graph = createGraphClient({
      baseUrl: graphUrl,
      version: config.meta.apiVersion,
      appSecret: config.meta.appSecret,
      logger: logger.child({ component: 'meta' }),
    })
    const domain: DomainDeps = {
      prisma: db.prisma,
      meta: createMetaApi(graph),
      secrets,
      logger,
      now,
      sync: { reportDeadlineMs: config.meta.reportDeadlineMs },
    }

    let onInstalled: (workspaceId: string) => Promise<void> = async () => {}
    const installationStore =
      config.slack.kind === 'oauth' ? createInstallationStore(db.prisma, secrets, (id) => onInstalled(id)) : undefined
    const slackClients = createSlackClients({
      apiUrl: config.slack.apiUrl,
      botToken: config.slack.kind === 'single' ? config.slack.botToken : undefined,
      installationStore,
      logger,
    })

    // The jobs enqueue follow-up jobs on the queue, and the queue is made from the jobs' definitions.
    let createdQueue: JobQueue | undefined
    const currentQueue = (): JobQueue => {
      if (!createdQueue) throw new Error('a job used the queue before the queue was created')
      return createdQueue
    }
    const { notifier, cards, digests } = createSlackOutbound({ prisma: db.prisma, slack: slackClients, logger, now })
    // Single-workspace mode: until auth.test has named the token's team and workspaces of other teams are
    // stopped, the sweeps over every workspace (sync-all, hence the optimizer; digest-tick) skip their runs.
    let teamPending = config.slack.kind === 'single'
    const jobs = createJobs({
      domain,
      notifier,
      sweepsOnHold: () => teamPending,
      syncIntervalMs: Math.round(config.syncIntervalHours * 3_600_000),
      // META_ACCESS_TOKEN belongs to the one workspace of a single-workspace install; with OAuth every
      // workspace connects its own accounts (/promoly connect). The simulator is for everyone.
      defaultConnection:
        defaultToken && (simulator || config.slack.kind !== 'oauth')
          ? {
              token: defaultToken,
              label: simulator ? 'Meta simulator' : 'Deployment token (META_ACCESS_TOKEN)',
              adAccountIds: config.meta.adAccountIds,
            }
          : undefined,
      queue: currentQueue,
    })
    const queue: JobQueue = config.redisUrl
      ? createBullmqQueue({
          redisUrl: config.redisUrl,
          definitions: jobs.all,
          logger: logger.child({ component: 'jobs' }),
          prefix: options.queuePrefix,
        })
      : createInProcessQueue({ definitions: jobs.all, logger: logger.child({ component: 'jobs' }) })
    createdQueue = queue
    stops.push(() => queue.close())
    // Single-workspace mode: workspaces of other teams than the token's are stopped before any job runs.
    const singleTeam = config.slack.kind === 'single' ? await botTeam(config.slack.botToken, config.slack.apiUrl, logger) : undefined
    if (singleTeam) {
      await stopOtherTeams(domain.prisma, singleTeam, logger)
      teamPending = false
    }
    // Without Redis the queue lives in this process, so this process also works it.
    if (roles.worker || queue.kind === 'in-process') {
      await queue.startWorker()
      await scheduleJobs(queue, jobs)
    }

    onInstalled = (workspaceId) => queueBootstrap(queue, jobs.bootstrapWorkspace, workspaceId).then(() => undefined)
    const slackDeps: SlackDeps = {
      domain,
      logger,
      requestSync: (req) => requestSync({ domain, queue, syncAccount: jobs.syncAccount }, req),
      onWorkspaceCreated: async (ws) => void (await queueBootstrap(queue, jobs.bootstrapWorkspace, ws.id)),
      installerUserId: (teamId) => installerOf(db.prisma, teamId),
      slackUsers: createSlackUserDirectory(),
      cards,
      agent: {
        domain,
        model:
          config.openai.apiKey || config.openai.baseUrl
            ? createChatModel({
                apiKey: config.openai.apiKey ?? 'not-needed-by-this-server',
                baseUrl: config.openai.baseUrl,
                model: config.openai.model,
                maxTokens: config.openai.maxTokens,
              })
            : undefined,
      },
      digests,
      requestApply: async (change) => void (await queueApply(queue, jobs.applyChange, change)),
    }

    let url: string | undefined
    if (roles.web) {
      const routes = healthRoutes(
        [
          { name: 'database', check: () => db.ping() },
          { name: 'queue', check: () => queue.ping() },
        ],
        { logger: logger.child({ component: 'health' }) },
      )
      if (config.slack.kind === 'none') {
        const server: Server = await startPlainServer(
          config.port,
          routes,
          'Slack is not configured: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (see README).',
        )
        stops.push(() => new Promise<void>((r) => server.close(() => r())))
        url = `http://localhost:${addressPort(server) ?? config.port}`
      } else {
        const slackApp: SlackApp = createSlackApp({ config, deps: slackDeps, routes, installationStore, listenHost: options.listenHost })
        await slackApp.start()
        stops.push(() => slackApp.stop())
        url = `http://${options.listenHost ?? 'localhost'}:${config.port}`
      }
    }

    if (config.slack.kind === 'single') {
      const shutdown = new AbortController()
      stops.push(async () => shutdown.abort())
      void bootstrapSingleWorkspace({
        known: singleTeam,
        botToken: config.slack.botToken,
        apiUrl: config.slack.apiUrl,
        domain,
        deps: slackDeps,
        logger,
        retry: options.authTestRetry ?? { firstMs: 5_000, maxMs: 300_000 },
        signal: shutdown.signal,
        onTeamServed: () => {
          teamPending = false
        },
      })
    }

    return { config, logger, db, queue, jobs, domain, slackDeps, simulator, url, stop }
  } catch (err) {
    await stop()
    throw err
  }
}

function addressPort(server: Server): number | undefined {
  const a = server.address()
  return a && typeof a === 'object' ? a.port : undefined
}

interface BotTeam {
  teamId: string
  name?: string
  enterpriseId?: string
}

/** The team of a single-workspace bot token (auth.test); undefined when Slack does not answer (logged). */
async function botTeam(botToken: string, apiUrl: string, logger: Logger): Promise<BotTeam | undefined> {
  try {
    const client = new WebClient(botToken, { ...webClientOptions(apiUrl), retryConfig: { retries: 0 }, timeout: 5_000 })
    const auth = await client.auth.test()
    return auth.team_id ? { teamId: auth.team_id, name: auth.team, enterpriseId: auth.enterprise_id } : undefined
  } catch (err) {
    logger.warn({ err: { message: (err as Error).message } }, 'Slack did not answer auth.test; asking again in the background')
    return undefined
  }
}

async function stopOtherTeams(prisma: DomainDeps['prisma'], team: BotTeam, logger: Logger): Promise<void> {
  const stopped = await stopForeignWorkspaces(prisma, team)
  if (stopped > 0)
    logger.warn(
      { stopped, team: team.teamId },
      `stopped ${stopped} workspace${stopped === 1 ? '' : 's'} of other Slack teams than SLACK_BOT_TOKEN's (their Meta connections disabled, digests paused)`,
    )
}

/** auth.test until Slack answers, waiting longer each time; undefined once `signal` aborts (shutdown). */
async function waitForBotTeam(
  botToken: string,
  apiUrl: string,
  logger: Logger,
  retry: { firstMs: number; maxMs: number },
  signal: AbortSignal,
): Promise<BotTeam | undefined> {
  let delay = retry.firstMs
  while (!signal.aborted) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delay)
      timer.unref()
      signal.addEventListener('abort', () => {
        clearTimeout(timer)
        resolve()
      })
    })
    if (signal.aborted) return undefined
    const team = await botTeam(botToken, apiUrl, logger)
    if (team) return team
    delay = Math.min(delay * 2, retry.maxMs)
  }
  return undefined
}

/**
 * Single-workspace installs know their team only from auth.test: connect and sync it at start-up in the
 * background. When Slack did not answer at start-up, auth.test is asked again in the background (backoff,
 * until shutdown); once it answers, workspaces of other teams are stopped, and only then do the sweeps over
 * every workspace resume (onTeamServed).
 */
async function bootstrapSingleWorkspace(options: {
  known: BotTeam | undefined
  botToken: string
  apiUrl: string
  domain: DomainDeps
  deps: SlackDeps
  logger: Logger
  retry: { firstMs: number; maxMs: number }
  signal: AbortSignal
  onTeamServed: () => void
}) {
  const { known, domain, deps, logger } = options
  try {
    const team = known ?? (await waitForBotTeam(options.botToken, options.apiUrl, logger, options.retry, options.signal))
    if (!team) return
    if (!known) {
      await stopOtherTeams(domain.prisma, team, logger)
      options.onTeamServed()
    }
    const { workspace } = await ensureWorkspace(domain.prisma, {
      slackTeamId: team.teamId,
      name: team.name,
      enterpriseId: team.enterpriseId,
    })
    // The bot token works: if Promoly had been uninstalled (its syncs and digests stopped), it is installed again.
    await resumeInstalledWorkspaces(domain.prisma, { teamId: team.teamId })
    await deps.onWorkspaceCreated(workspace)
    logger.info({ team: team.name }, 'connected to Slack workspace')
  } catch (err) {
    logger.warn(
      { err: { message: (err as Error).message } },
      'could not connect the Slack workspace at start-up; will retry on the first request',
    )
  }
}
