import { type Config, ConfigError, loadConfig } from '../config/env.ts'
import type { Logger } from '../lib/logger.ts'
import { type Promoly, startPromoly } from '../main.ts'
import { realServiceProblems } from './local-only.ts'
import { type SlackEmulator, startSlackEmulator } from './server.ts'

export interface Playground {
  emulator: SlackEmulator
  promoly: Promoly
  /** The page to open in a browser. */
  url: string
  stop(): Promise<void>
}

const SLACK_VARIABLES = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'SLACK_CLIENT_ID',
  'SLACK_CLIENT_SECRET',
  'SLACK_STATE_SECRET',
  'SLACK_API_URL',
]

/**
 * Promoly in a local Slack: starts the emulator, then Promoly pointed at it purely through its
 * configuration (SLACK_API_URL, a bot token, a signing secret), and waits for the first sync so
 * the simulated ad accounts answer at once. Refuses (ConfigError) to run on real services — a
 * database or Redis on another machine, a real Meta token — unless PLAYGROUND_ALLOW_REAL_SERVICES=1.
 */
export async function startPlayground(options: {
  env: Record<string, string | undefined>
  logger: Logger
  syncTimeoutMs?: number
}): Promise<Playground> {
  const base = loadConfig(options.env)
  const problems = realServiceProblems(base)
  if (problems.length > 0) throw new ConfigError(problems)
  const emulator = await startSlackEmulator({ port: base.playgroundPort, requestUrl: `http://127.0.0.1:${base.port}/slack/events` })
  let promoly: Promoly | undefined
  try {
    const env = Object.fromEntries(Object.entries(options.env).filter(([k]) => !SLACK_VARIABLES.includes(k)))
    const config: Config = loadConfig({
      ...env,
      SLACK_BOT_TOKEN: emulator.botToken,
      SLACK_SIGNING_SECRET: emulator.signingSecret,
      SLACK_API_URL: emulator.apiUrl,
      // The playground's Slack is local, so the Meta simulator is what it talks to (unless told otherwise).
      META_SIMULATOR: env.META_SIMULATOR ?? (env.META_ACCESS_TOKEN ? undefined : '1'),
    })
    // Promoly itself answers this machine only, like the playground (its /healthz and /readyz too).
    promoly = await startPromoly(config, { logger: options.logger, listenHost: '127.0.0.1' })
    // Nothing to wait for without Meta (META_SIMULATOR=0 and no token).
    if (promoly.simulator || config.meta.accessToken) await waitForFirstSync(promoly, options.syncTimeoutMs ?? 90_000, options.logger)
  } catch (err) {
    await promoly?.stop()
    await emulator.close()
    throw err
  }
  const p = promoly
  return {
    emulator,
    promoly: p,
    url: emulator.pageUrl,
    async stop() {
      await p.stop()
      await emulator.close()
    },
  }
}

async function waitForFirstSync(promoly: Promoly, timeoutMs: number, logger: Logger) {
  const prisma = promoly.db.prisma
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const [accounts, synced] = await Promise.all([
      prisma.adAccount.count({ where: { syncEnabled: true } }),
      prisma.adAccount.count({ where: { syncEnabled: true, lastSyncedAt: { not: null } } }),
    ])
    if (accounts > 0 && synced === accounts) return
    if (Date.now() > deadline) {
      logger.warn({ accounts, synced }, 'the first sync is still running; the playground opens anyway')
      return
    }
    await new Promise((r) => setTimeout(r, 150))
  }
}
