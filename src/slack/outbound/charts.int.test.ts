/**
 * Pictures (issue 11 §7), posted to the playground's Slack emulator through the real Web API client: a digest charts
 * every account it covers (each in its own currency and result type) in one thread reply, counted once; `/promoly
 * metrics` sends the period's daily chart (spend and results) to the asker's DM.
 */
import { WebClient } from '@slack/web-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAdAccount, createCampaign, createWorkspace } from '../../../test/support/factories.ts'
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts'
import { workspaceScope } from '../../domain/clients/client-scope.ts'
import { getMetricsReport } from '../../domain/metrics/get-metrics-report.ts'
import { addDays, toDbDate } from '../../lib/dates.ts'
import { silentLogger } from '../../lib/logger.ts'
import { YOU } from '../../playground/model.ts'
import { type SlackEmulator, startSlackEmulator } from '../../playground/server.ts'
import { createDigestPoster } from './digest-poster.ts'
import { sendMetricsChart } from './metrics-chart.ts'

const NOW = new Date('2026-12-04T09:00:00Z')
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

describe('charts in Slack', () => {
  let db: TestDatabase
  let emulator: SlackEmulator
  let client: WebClient
  let workspaceId: string

  beforeAll(async () => {
    db = await createTestDatabase()
    emulator = await startSlackEmulator({ requestUrl: 'http://127.0.0.1:9/slack/events', rateLimit: { burst: 50, perSecond: 50 } })
    client = new WebClient(emulator.botToken, { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } })
    const ws = await createWorkspace(db.prisma)
    workspaceId = ws.id
    const accounts = [
      { name: 'Acme Leads', currency: 'EUR', timezoneName: 'Europe/Berlin', objective: 'OUTCOME_LEADS' },
      { name: 'Sakura Shop', currency: 'JPY', timezoneName: 'Asia/Tokyo', objective: 'OUTCOME_SALES' },
      { name: 'Bharat Store', currency: 'INR', timezoneName: 'Asia/Kolkata', objective: 'OUTCOME_SALES' },
    ]
    for (const a of accounts) {
      const account = await createAdAccount(db.prisma, {
        workspaceId: ws.id,
        name: a.name,
        currency: a.currency,
        timezoneName: a.timezoneName,
      })
      const campaign = await createCampaign(db.prisma, account.id, {
        name: `Spring ${a.currency}`,
        objective: a.objective,
        status: 'ACTIVE',
      })
      const rows = Array.from({ length: 20 }, (_, i) => ({
        campaignId: campaign.id,
        adAccountId: account.id,
        date: toDbDate(addDays('2026-12-03', -i)),
        impressions: 10_000n,
        clicks: 200n,
        linkClicks: 150n,
        spend: BigInt(5_000 + i * 100),
        leads: a.objective === 'OUTCOME_LEADS' ? BigInt(10 + (i % 4)) : 0n,
        purchases: a.objective === 'OUTCOME_SALES' ? BigInt(3 + (i % 3)) : 0n,
        purchaseValue: a.objective === 'OUTCOME_SALES' ? 90_000n : 0n,
      }))
      await db.prisma.campaignDailyMetric.createMany({ data: rows })
    }
  })

  afterAll(async () => {
    await emulator?.close()
    await db?.drop()
  })

  it('a digest of several accounts shares one chart per account in one thread reply, each in its currency', async () => {
    const poster = createDigestPoster({ prisma: db.prisma, slack: { forTeam: async () => client }, logger: silentLogger(), now: () => NOW })
    const replies: unknown[] = []
    await poster.postNow({
      scope: workspaceScope(workspaceId),
      channelId: 'C0GENERAL1',
      preview: false,
      respond: async (r) => {
        replies.push(r)
        return {} as never
      },
    })
    expect(replies).toEqual([])
    const digest = emulator.state.messages.find(
      (m) => m.channel === 'C0GENERAL1' && !m.threadTs && JSON.stringify(m.blocks ?? []).includes('Acme'),
    )
    expect(digest).toBeDefined()
    const thread = emulator.state.messages.filter((m) => m.threadTs === digest!.ts && m.ts !== digest!.ts)
    expect(thread).toHaveLength(1)
    expect(digest!.replyCount).toBe(1)
    const files = thread[0]!.files ?? []
    expect(files.map((f) => f.title).sort()).toEqual([
      'Acme Leads — spend (EUR) and leads, last 14 days',
      'Bharat Store — spend (INR) and purchases, last 14 days',
      'Sakura Shop — spend (JPY) and purchases, last 14 days',
    ])
    for (const f of files) {
      expect(f.mimetype).toBe('image/png')
      const served = Buffer.from(await (await fetch(f.url)).arrayBuffer())
      expect(served.subarray(0, 8).equals(PNG)).toBe(true)
    }
  })

  it('/promoly metrics sends the daily chart of the period to the asker’s DM', async () => {
    const report = await getMetricsReport(db.prisma, {
      scope: workspaceScope(workspaceId),
      target: 'Acme Leads',
      period: 'last_14d',
      now: NOW,
    })
    expect(report.daily).toHaveLength(14)
    expect(report.daily.every((d) => d.spendMinor > 0 && d.results > 0)).toBe(true)
    const before = emulator.state.messages.length
    const dm = await sendMetricsChart(client, YOU, report)
    expect(dm).toBe('D0PROMOLY1')
    const posted = emulator.state.messages.slice(before)
    expect(posted).toHaveLength(1)
    expect(posted[0]).toMatchObject({ channel: 'D0PROMOLY1', files: [{ mimetype: 'image/png' }] })
    expect(posted[0]!.text).toContain('*Acme Leads* — last 14 days, Fri 20 Nov – Thu 3 Dec')
    expect(posted[0]!.files![0]!.title).toBe('Acme Leads — spend (EUR) and leads per day, Fri 20 Nov – Thu 3 Dec')
    // One day has nothing to chart.
    const yesterday = await getMetricsReport(db.prisma, {
      scope: workspaceScope(workspaceId),
      target: 'Acme Leads',
      period: 'yesterday',
      now: NOW,
    })
    expect(await sendMetricsChart(client, YOU, yesterday)).toBeNull()
  })

  it('/promoly metrics on a mixed account charts the result most spend sought, over its campaigns only; awareness: spend only', async () => {
    const mixed = await createAdAccount(db.prisma, { workspaceId, name: 'Mixed Co', currency: 'EUR', timezoneName: 'Europe/Berlin' })
    const aware = await createAdAccount(db.prisma, { workspaceId, name: 'Aware Co', currency: 'EUR', timezoneName: 'Europe/Berlin' })
    const campaigns = [
      // Lead campaigns get most of the money; the sales campaign's rows also carry leads (Meta reports them), not charted.
      { account: mixed.id, objective: 'OUTCOME_LEADS', spend: 8_000, leads: 4, purchases: 0 },
      { account: mixed.id, objective: 'OUTCOME_SALES', spend: 3_000, leads: 7, purchases: 2 },
      { account: mixed.id, objective: 'OUTCOME_AWARENESS', spend: 1_000, leads: 0, purchases: 0 },
      { account: aware.id, objective: 'OUTCOME_AWARENESS', spend: 2_000, leads: 0, purchases: 0 },
    ]
    for (const [n, c] of campaigns.entries()) {
      const row = await createCampaign(db.prisma, c.account, { name: `Mix ${n}`, objective: c.objective, status: 'ACTIVE' })
      await db.prisma.campaignDailyMetric.createMany({
        data: Array.from({ length: 7 }, (_, i) => ({
          campaignId: row.id,
          adAccountId: c.account,
          date: toDbDate(addDays('2026-12-03', -i)),
          impressions: 10_000n,
          clicks: 100n,
          linkClicks: 80n,
          spend: BigInt(c.spend),
          leads: BigInt(c.leads),
          purchases: BigInt(c.purchases),
          purchaseValue: BigInt(c.purchases * 5_000),
        })),
      })
    }
    const report = await getMetricsReport(db.prisma, {
      scope: workspaceScope(workspaceId),
      target: 'Mixed Co',
      period: 'last_7d',
      now: NOW,
    })
    expect(report.current.derived.resultLabel).toBeNull() // "multiple result types" on the account line
    expect(report.chart).toMatchObject({ resultKind: 'leads', resultsLabel: 'leads from lead campaigns' })
    expect(report.daily).toHaveLength(7)
    // every day: the whole account's spend, and the lead campaigns' 4 leads (not the sales campaign's 7)
    expect(report.daily.every((d) => d.spendMinor === 12_000 && d.results === 4)).toBe(true)
    const before = emulator.state.messages.length
    await sendMetricsChart(client, YOU, report)
    const [posted] = emulator.state.messages.slice(before)
    expect(posted!.files![0]!.title).toBe('Mixed Co — spend (EUR) and leads from lead campaigns per day, Fri 27 Nov – Thu 3 Dec')
    expect(posted!.text).toContain('The line counts leads from lead campaigns only')
    expect(posted!.text).toContain('purchases are not charted')

    const awareness = await getMetricsReport(db.prisma, {
      scope: workspaceScope(workspaceId),
      target: 'Aware Co',
      period: 'last_7d',
      now: NOW,
    })
    expect(awareness.chart).toMatchObject({ resultKind: null, resultsLabel: null })
    expect(awareness.daily.every((d) => d.spendMinor === 2_000 && d.results === 0)).toBe(true)
    const mark = emulator.state.messages.length
    await sendMetricsChart(client, YOU, awareness)
    const [spendOnly] = emulator.state.messages.slice(mark)
    expect(spendOnly!.files![0]!.title).toBe('Aware Co — spend (EUR) per day, Fri 27 Nov – Thu 3 Dec')
    expect(spendOnly!.text).toContain('Spend only')
  })
})
