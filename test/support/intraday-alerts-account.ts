/**
 * The set-up every intraday-alerts end-to-end test shares: a workspace with the simulator's account connected and
 * fully synced, its client's channels set, the active campaigns with a campaign budget that deliver (the ones that can
 * overspend), and the real intraday-alerts job wired to Slack outbound on the fake Slack.
 */
import { ensureDefaultClient } from '../../src/domain/clients/default-client.ts'
import { ensureDefaultConnection } from '../../src/domain/connections/ensure-default-connection.ts'
import type { DomainDeps } from '../../src/domain/deps.ts'
import { syncAdAccount } from '../../src/domain/sync/sync-ad-account.ts'
import type { Prisma } from '../../src/generated/prisma/client.ts'
import type { MetaSimulator } from '../../src/integrations/meta-sim/index.ts'
import { createSlackClients } from '../../src/integrations/slack-web/slack-clients.ts'
import { createIntradayAlertsJob } from '../../src/jobs/definitions/intraday-alerts.ts'
import type { JobContext } from '../../src/jobs/job-queue.ts'
import { silentLogger } from '../../src/lib/logger.ts'
import { createSlackOutbound } from '../../src/slack/outbound/slack-outbound.ts'
import type { FakeSlack } from './fake-slack.ts'

export interface IntradayAlertsAccount {
  workspaceId: string
  clientId: string
  adAccountId: string
  /** Active, delivering campaigns with a campaign budget (at least 3). */
  campaigns: Array<{ id: string; name: string }>
  /** One run of the intraday-alerts job for the account. */
  run: () => Promise<void>
}

export async function setUpIntradayAlertsAccount(options: {
  deps: DomainDeps
  sim: MetaSimulator
  slack: FakeSlack
  now: () => Date
  slackTeamId: string
  /** The simulator account's Meta id, e.g. act_7070. */
  metaAccountId: string
  channels: { alertsChannelId?: string; suggestionsChannelId?: string }
  settings?: Prisma.InputJsonValue
}): Promise<IntradayAlertsAccount> {
  const { deps, sim, slack } = options
  const prisma = deps.prisma
  const workspaceId = (
    await prisma.workspace.create({
      data: { slackTeamId: options.slackTeamId, ...(options.settings ? { settings: options.settings } : {}) },
    })
  ).id
  const [account] = await ensureDefaultConnection(deps, workspaceId, { token: sim.accessToken, label: 'sim' })
  if (!account) throw new Error('no account')
  const clientId = (await ensureDefaultClient(prisma, workspaceId)).id
  await prisma.client.update({ where: { id: clientId }, data: options.channels })
  await syncAdAccount(deps, { adAccountId: account.id, full: true })
  const campaigns: Array<{ id: string; name: string }> = []
  for (const c of sim.state.campaigns(options.metaAccountId))
    if (c.status === 'ACTIVE' && c.budgetLevel === 'campaign' && c.dailyBudget && c.delivers) campaigns.push({ id: c.id, name: c.name })
  if (campaigns.length < 3) throw new Error(`only ${campaigns.length} active campaigns with a campaign budget`)
  const logger = silentLogger()
  const { notifier } = createSlackOutbound({
    prisma,
    slack: createSlackClients({ apiUrl: slack.apiUrl, botToken: `xoxb-${options.slackTeamId.toLowerCase()}`, logger }),
    logger,
    now: options.now,
  })
  const job = createIntradayAlertsJob({ domain: deps, notifier })
  const ctx = { logger, attempt: 1, jobId: 'test' } as unknown as JobContext
  return { workspaceId, clientId, adAccountId: account.id, campaigns, run: () => job.definition.handler({ adAccountId: account.id }, ctx) }
}
