/**
 * "An open suggestion is updated, not reposted" (issue 14, item 4): when the optimizer reruns (hourly in the fast
 * loop) and an open finding's numbers moved, its posted message is redrawn in place (chat.update), its waiting
 * proposal's reason and evidence follow; when nothing moved, Slack is not called at all. A refused update is logged,
 * never thrown into the job. PostgreSQL, the Meta simulator, fake Slack, the real optimizer on planted problems.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { GENERATOR_TODAY, generateLabelledCampaigns } from '../../../bench/optimizer/planted-problems.ts'
import { simulatorMetaApi, testDomainDeps } from '../../../test/support/domain-deps.ts'
import { type FakeSlack, startFakeSlack } from '../../../test/support/fake-slack.ts'
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts'
import { ensureDefaultConnection } from '../../domain/connections/ensure-default-connection.ts'
import type { DomainDeps } from '../../domain/deps.ts'
import type { Suggestion } from '../../generated/prisma/client.ts'
import { type MetaSimulator, startMetaSimulator } from '../../integrations/meta-sim/index.ts'
import { createSlackClients } from '../../integrations/slack-web/slack-clients.ts'
import { createOptimizeAccountJob } from '../../jobs/definitions/optimize-account.ts'
import type { JobDefinition } from '../../jobs/job-queue.ts'
import { toDbDate } from '../../lib/dates.ts'
import { silentLogger } from '../../lib/logger.ts'
import { createSlackOutbound } from './slack-outbound.ts'

const CHANNEL = 'C0SUGGEST'
const STALE = [{ label: 'Cost per lead', value: 'an hour ago: $1.00' }]

describe('open suggestions redrawn in place', () => {
  let sim: MetaSimulator
  let slack: FakeSlack
  let db: TestDatabase
  let deps: DomainDeps
  let adAccountId: string
  let optimize: JobDefinition<{ adAccountId: string }>
  const ctx = { logger: silentLogger(), attempt: 1, jobId: 'test' }

  const calls = (method: string) => slack.calls.filter((c) => c.method === method)
  const run = () => optimize.handler({ adAccountId }, ctx)

  beforeAll(async () => {
    const clock = new Date(`${GENERATOR_TODAY}T15:00:00Z`)
    sim = await startMetaSimulator({ accounts: [{ id: '889', name: 'Planted', currency: 'USD', timezoneName: 'UTC', campaigns: 1 }] })
    slack = await startFakeSlack()
    db = await createTestDatabase()
    deps = testDomainDeps({ prisma: db.prisma, meta: simulatorMetaApi(sim), now: () => clock })
    const ws = await db.prisma.workspace.create({ data: { slackTeamId: 'T0001' } })
    const [account] = await ensureDefaultConnection(deps, ws.id, { token: sim.accessToken, label: 'sim' })
    adAccountId = account!.id
    await db.prisma.client.updateMany({ where: { workspaceId: ws.id }, data: { suggestionsChannelId: CHANNEL } })
    for (const [i, { series }] of generateLabelledCampaigns({ seed: 7, count: 40, days: 60, currency: 'USD' }).entries()) {
      const c = await db.prisma.campaign.create({
        data: {
          adAccountId,
          metaCampaignId: String(9000 + i),
          name: series.name,
          objective: series.objective,
          status: series.status,
          effectiveStatus: series.status,
          dailyBudget: series.dailyBudgetMinor === null ? null : BigInt(series.dailyBudgetMinor),
        },
      })
      await db.prisma.campaignDailyMetric.createMany({
        data: series.days.map((d) => ({
          campaignId: c.id,
          adAccountId,
          date: toDbDate(d.date),
          impressions: BigInt(d.impressions),
          reach: BigInt(d.reach),
          frequency: d.reach ? d.impressions / d.reach : 0,
          clicks: BigInt(d.clicks),
          linkClicks: BigInt(d.linkClicks),
          spend: BigInt(d.spend),
          leads: BigInt(d.leads),
          purchases: BigInt(d.purchases),
          purchaseValue: BigInt(d.purchaseValue),
        })),
      })
    }
    const logger = silentLogger()
    const { notifier } = createSlackOutbound({
      prisma: db.prisma,
      slack: createSlackClients({ apiUrl: slack.apiUrl, botToken: 'xoxb-redraw', logger }),
      logger,
      now: () => clock,
    })
    optimize = createOptimizeAccountJob({ domain: deps, notifier }).definition
  }, 60_000)

  afterAll(async () => {
    await db?.drop()
    await slack?.close()
    await sim?.close()
  })

  beforeEach(() => {
    slack.calls.length = 0
    slack.off('chat.update')
  })

  /** An open finding with a proposal waiting, and one without (a notice), both posted. */
  async function postedFindings(): Promise<{ withChange: Suggestion; notice: Suggestion }> {
    const open = await db.prisma.suggestion.findMany({ where: { status: 'OPEN', postedTs: { not: null } }, orderBy: { id: 'asc' } })
    const withChange = open.find((s) => s.changeRequestId)
    const notice = open.find((s) => !s.changeRequestId)
    if (!withChange || !notice) throw new Error('the planted problems gave no posted finding of each sort')
    return { withChange, notice }
  }

  it('posts the first findings, then on a rerun with the same numbers calls Slack not at all', async () => {
    await run()
    expect(calls('chat.postMessage').length).toBeGreaterThan(1)
    const { withChange } = await postedFindings()
    const change = await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: withChange.changeRequestId! } })
    expect(change.status).toBe('PROPOSED')
    expect(change.cardMessageTs).toBe(withChange.postedTs)
    slack.calls.length = 0
    await run()
    expect(slack.calls.map((c) => c.method)).toEqual([])
  }, 60_000)

  it('redraws in place a finding whose numbers moved, and its waiting proposal, without posting anything', async () => {
    const { withChange, notice } = await postedFindings()
    const changeBefore = await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: withChange.changeRequestId! } })
    // As they stood an hour ago: other numbers on both cards.
    for (const s of [withChange, notice])
      await db.prisma.suggestion.update({ where: { id: s.id }, data: { title: `${s.title} (an hour ago)`, evidence: STALE } })
    await db.prisma.changeRequest.update({ where: { id: changeBefore.id }, data: { reason: 'An hour ago', evidence: STALE } })

    await run()
    expect(calls('chat.postMessage')).toEqual([])
    const updates = calls('chat.update')
    expect(updates.map((c) => [c.args.channel, c.args.ts]).sort()).toEqual(
      [
        [CHANNEL, withChange.postedTs],
        [CHANNEL, notice.postedTs],
      ].sort(),
    )
    for (const u of updates) {
      const drawn = JSON.stringify(u.args)
      expect(drawn).not.toContain('an hour ago')
      expect(drawn).not.toContain('An hour ago')
    }
    const noticeDrawn = updates.find((u) => u.args.ts === notice.postedTs)!
    expect(JSON.stringify(noticeDrawn.args)).toContain(JSON.stringify(notice.title).slice(1, -1))
    // The proposal carries the finding's words again, and is still the same proposal, waiting.
    const changeAfter = await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: changeBefore.id } })
    expect(changeAfter).toMatchObject({ status: 'PROPOSED', reason: changeBefore.reason, evidence: changeBefore.evidence })
    expect((await db.prisma.suggestion.findUniqueOrThrow({ where: { id: notice.id } })).title).toBe(notice.title)

    slack.calls.length = 0
    await run()
    expect(slack.calls.map((c) => c.method)).toEqual([])
  }, 60_000)

  it('logs a refused redraw and goes on: the job does not fail, and nothing is posted instead', async () => {
    const { notice } = await postedFindings()
    await db.prisma.suggestion.update({ where: { id: notice.id }, data: { evidence: STALE } })
    slack.on('chat.update', () => ({ ok: false, error: 'message_not_found' }))
    await expect(run()).resolves.toBeUndefined()
    expect(calls('chat.update')).toHaveLength(1)
    expect(calls('chat.postMessage')).toEqual([])
  }, 60_000)
})
