/**
 * Promoly as a whole, for end-to-end tests and benches: started with `startPromoly` (src/main.ts) against
 * the local Slack stand-in (fake-slack.ts), Meta served by the in-process simulator, and ready once start-up
 * has connected the workspace and synced every simulated ad account.
 */

import { loadConfig } from '../../src/config/env.ts'
import type { PrismaClient } from '../../src/generated/prisma/client.ts'
import { DEFAULT_SIM_ACCOUNTS } from '../../src/integrations/meta-sim/index.ts'
import { silentLogger } from '../../src/lib/logger.ts'
import { type Promoly, startPromoly } from '../../src/main.ts'
import { TEST_ENCRYPTION_KEY } from './domain-deps.ts'
import { type FakeSlack, type FakeSlackUser, startFakeSlack } from './fake-slack.ts'
import { freePort, waitUntil } from './net.ts'
import { createTestDatabase, type TestDatabase } from './test-database.ts'

/**
 * Waits until start-up has synced every ad account of the simulator (it connects them all to the
 * workspace named by auth.test, then syncs each one in a job).
 */
export async function waitForStartupSync(prisma: PrismaClient, timeoutMs = 60_000): Promise<void> {
  const accounts = DEFAULT_SIM_ACCOUNTS.length
  await waitUntil(
    `the ${accounts} simulated accounts are synced`,
    async () => (await prisma.adAccount.count({ where: { lastSyncedAt: { not: null } } })) >= accounts,
    timeoutMs,
  )
}

export interface PromolyOnFakeSlack {
  promoly: Promoly
  slack: FakeSlack
  db: TestDatabase
  /** The Slack request URL (slash commands, interactivity, events). */
  endpoint: string
  signingSecret: string
  /** Stops Promoly, drops the database and closes the fake Slack. */
  stop(): Promise<void>
}

export interface StartOnFakeSlackOptions {
  signingSecret?: string
  botToken?: string
  /** More environment (e.g. OPENAI_BASE_URL); it wins over the defaults here. */
  env?: Record<string, string>
  /** Users the fake Slack knows (users.info), e.g. `{ UADMIN: { is_admin: true } }`. */
  slackUsers?: Record<string, FakeSlackUser>
  /** Who is in which channel, for conversations.members (e.g. `{ C0001: ['UADMIN'] }`). */
  slackChannels?: Record<string, string[]>
  /** Default: a fresh createTestDatabase(). It is dropped by stop() either way. */
  db?: TestDatabase
  /** For the start-up sync, then for the queue to drain. Default 60 s each. */
  timeoutMs?: number
}

/**
 * Starts Promoly (web and worker, in-process queue) on a fresh database against a fake Slack, and returns
 * once the simulated accounts are synced and the queue is idle.
 */
export async function startPromolyOnFakeSlack(options: StartOnFakeSlackOptions = {}): Promise<PromolyOnFakeSlack> {
  const signingSecret = options.signingSecret ?? 'test-signing-secret'
  const timeoutMs = options.timeoutMs ?? 60_000
  const slack = await startFakeSlack({ users: options.slackUsers, channels: options.slackChannels })
  let db: TestDatabase | undefined
  let promoly: Promoly | undefined
  const stop = async () => {
    await promoly?.stop()
    await db?.drop()
    await slack.close()
  }
  try {
    db = options.db ?? (await createTestDatabase())
    const port = await freePort()
    const config = loadConfig({
      SLACK_BOT_TOKEN: options.botToken ?? 'xoxb-test-token',
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: slack.apiUrl,
      PORT: String(port),
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      LOG_LEVEL: 'silent',
      // Beside a (fake) Slack app the Meta simulator runs only when asked for.
      META_SIMULATOR: '1',
      ...options.env,
    })
    promoly = await startPromoly(config, { database: db, logger: silentLogger() })
    await waitForStartupSync(db.prisma, timeoutMs)
    await promoly.queue.drain(timeoutMs)
    return { promoly, slack, db, endpoint: `http://127.0.0.1:${port}/slack/events`, signingSecret, stop }
  } catch (error) {
    await stop().catch(() => {})
    throw error
  }
}
