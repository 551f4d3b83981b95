/**
 * "Last 7 days" means the same days and the same numbers on a suggestion card and in `/promoly metrics` (issue 11):
 * the 7 complete days before today in the account's time zone, yesterday included. A real PostgreSQL server; the card and the
 * metrics message are rendered as Slack shows them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { simulatorMetaApi, testDomainDeps } from '../../test/support/domain-deps.ts'
import { createAdAccount, createCampaign, createWorkspace } from '../../test/support/factories.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../../test/support/test-database.ts'
import { loadChange } from '../domain/changes/change-include.ts'
import { workspaceScope } from '../domain/clients/client-scope.ts'
import type { DomainDeps } from '../domain/deps.ts'
import { getMetricsReport } from '../domain/metrics/get-metrics-report.ts'
import { rangeText, resolvePeriod } from '../domain/metrics/periods.ts'
import { optimizeAdAccount } from '../domain/suggestions/optimize-ad-account.ts'
import { suggestionPlace } from '../domain/suggestions/suggestion-place.ts'
import { addDays, localDate, toDbDate } from '../lib/dates.ts'
import { formatMoney } from '../lib/money.ts'
import { changeCard } from './blocks/change-card.ts'
import { metricsMessage } from './blocks/metrics-message.ts'
import { suggestionMessage } from './blocks/suggestion-message.ts'

// 05:00 UTC on Dec 5 is still Dec 4 in Los Angeles: today is Dec 4 there, yesterday Dec 3.
const NOW = new Date('2026-12-05T05:00:00Z')
const TZ = 'America/Los_Angeles'
const TODAY = localDate(NOW, TZ)

/** A healthy lead-gen day: 2.5 % CTR, $100 spend, 4 leads ($25 CPL). */
const HEALTHY = { impressions: 10_000, reach: 8_000, clicks: 250, linkClicks: 160, spend: 10_000, leads: 4, purchases: 0, purchaseValue: 0 }

const serverUrl = requirePostgresUrl()

describe.skipIf(!serverUrl)('last 7 days on a suggestion card and in /promoly metrics', () => {
  let db: TestDatabase
  let deps: DomainDeps
  let workspaceId: string
  let adAccountId: string
  let campaignId: string
  let metaCampaignId: string

  async function days(id: string, row: (k: number) => Partial<typeof HEALTHY> | null) {
    const data = []
    for (let k = 60; k >= 0; k--) {
      const r = row(k)
      if (!r) continue
      const d = { ...HEALTHY, ...r }
      data.push({
        campaignId: id,
        adAccountId,
        date: toDbDate(addDays(TODAY, -k)),
        impressions: BigInt(d.impressions),
        reach: BigInt(d.reach),
        frequency: d.impressions / d.reach,
        clicks: BigInt(d.clicks),
        linkClicks: BigInt(d.linkClicks),
        spend: BigInt(d.spend),
        leads: BigInt(d.leads),
        purchases: 0n,
        purchaseValue: 0n,
      })
    }
    await db.prisma.campaignDailyMetric.createMany({ data })
  }

  beforeAll(async () => {
    db = await createPostgresTestDatabase(serverUrl!)
    // The optimizer reads stored metrics only; nothing here reaches Meta.
    deps = testDomainDeps({ prisma: db.prisma, meta: simulatorMetaApi({ url: 'http://127.0.0.1:9' }), now: () => NOW })
    const ws = await createWorkspace(db.prisma)
    workspaceId = ws.id
    const account = await createAdAccount(db.prisma, { workspaceId, currency: 'USD', timezoneName: TZ, name: 'Coast Leads' })
    adAccountId = account.id
    for (let i = 0; i < 4; i++) {
      const peer = await createCampaign(db.prisma, adAccountId, { name: `Steady ${i}`, dailyBudget: 10_000n })
      await days(peer.id, (k) => (k === 0 ? { spend: 3_000, leads: 1 } : {}))
    }
    const c = await createCampaign(db.prisma, adAccountId, { name: 'Spring Sale', dailyBudget: 10_000n })
    campaignId = c.id
    metaCampaignId = c.metaCampaignId
    // k = 2…8: $100 a day for 1 lead (a spike); yesterday (k = 1): its best day of the week so far, 3 leads and
    // more clicks; today (k = 0): a partial day that no period counts.
    await days(c.id, (k) =>
      k >= 2 && k <= 8 ? { leads: 1, clicks: 200 } : k === 1 ? { leads: 3, clicks: 400 } : k === 0 ? { spend: 4_000, leads: 0 } : {},
    )
  }, 60_000)

  afterAll(async () => {
    await db?.drop()
  })

  it('shows the same dates and the same spend, CTR and cost per result, yesterday included', async () => {
    const found = await optimizeAdAccount(deps, { adAccountId })
    const s = found.created.find((x) => x.campaignId === campaignId)
    expect(s?.kind).toBe('cost_spike')
    const card = s!.changeRequestId
      ? changeCard(await loadChange(db.prisma, s!.changeRequestId))
      : suggestionMessage(s!, await suggestionPlace(db.prisma, s!))
    const cardText = JSON.stringify(card.blocks)

    const report = await getMetricsReport(db.prisma, {
      scope: workspaceScope(workspaceId),
      target: metaCampaignId,
      period: 'last_7d',
      now: NOW,
    })
    const metricsText = JSON.stringify(metricsMessage(report, NOW).blocks)

    // The same dates: the 7 days before today in Los Angeles, ending yesterday.
    const week = resolvePeriod('last_7d', NOW, TZ).current
    expect(week).toEqual({ since: addDays(TODAY, -7), until: addDays(TODAY, -1) })
    expect(report.period.current).toEqual(week)
    const dates = rangeText(week)
    expect(metricsText).toContain(`Last 7 days: ${dates}`)
    expect(cardText).toContain(`Last 7 days (${dates})`)

    // The same numbers, from the database: 6 spike days and yesterday.
    const spend = 7 * 10_000
    const clicks = 6 * 200 + 400
    const leads = 6 + 3
    expect(report.current.totals.spend).toBe(spend)
    expect(report.current.derived.results).toBe(leads)
    const spendText = formatMoney(spend, 'USD')
    const ctrText = `${((clicks / 70_000) * 100).toFixed(2)}%`
    const cprText = formatMoney(Math.round(spend / leads), 'USD')
    for (const figure of [spendText, ctrText, cprText]) {
      expect(metricsText).toContain(figure)
      expect(cardText).toContain(figure)
    }
    expect(cardText).toContain(`${spendText} spent · CTR ${ctrText} · 9 leads at ${cprText} each`)

    // The rule names the window that fired (ending yesterday, which it counts at its expected completeness).
    expect(cardText).toContain('Recent days counted at their expected completeness: yesterday')
    expect(cardText).toContain(`CPL, last 7 days (${dates})`)
  })
})
