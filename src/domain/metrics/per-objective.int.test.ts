/**
 * Numbers an account manager can defend, on real PostgreSQL: an account with lead and sales campaigns shows results
 * and cost per result per objective, each equal to the sums of its campaigns, in `/promoly metrics` and in the digest;
 * archived campaigns are never ranked; a campaign alone of its objective is described; reach is the period's cached
 * reach, never the sum of daily reach.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAdAccount, createCampaign, createWorkspace } from '../../../test/support/factories.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../../../test/support/test-database.ts'
import type { Campaign } from '../../generated/prisma/client.ts'
import { addDays, type IsoDate, toDbDate } from '../../lib/dates.ts'
import { metricsMessage } from '../../slack/blocks/metrics-message.ts'
import { workspaceScope } from '../clients/client-scope.ts'
import { buildDigestData } from '../digests/build-digest-data.ts'
import { getMetricsReport } from './get-metrics-report.ts'
import { resolvePeriod } from './periods.ts'
import { type ResultKind, resultKind } from './vocabulary.ts'

const serverUrl = requirePostgresUrl()
const NOW = new Date('2026-03-16T14:00:00Z') // Berlin 15:00: yesterday is Mar 15
const TZ = 'Europe/Berlin'

interface Seeded {
  campaign: Campaign
  daily: (d: number) => { spend: number; leads: number; purchases: number; purchaseValue: number; reach: number }
}

describe.skipIf(!serverUrl)('per-objective account lines on PostgreSQL', () => {
  let db: TestDatabase
  let workspaceId: string
  let adAccountId: string
  const seeded: Seeded[] = []

  beforeAll(async () => {
    db = await createPostgresTestDatabase(serverUrl!)
    workspaceId = (await createWorkspace(db.prisma)).id
    const account = await createAdAccount(db.prisma, {
      workspaceId,
      name: 'Nordlicht Shop',
      currency: 'EUR',
      timezoneName: TZ,
      lastSyncedAt: NOW,
    })
    adAccountId = account.id
    const specs: Array<{ name: string; objective: string; status?: string; daily: Seeded['daily'] }> = [
      {
        name: 'Leads Berlin',
        objective: 'OUTCOME_LEADS',
        daily: (d) => ({ spend: 1_500 + d * 10, leads: 2 + (d % 3), purchases: 0, purchaseValue: 0, reach: 900 }),
      },
      {
        name: 'Leads Hamburg',
        objective: 'OUTCOME_LEADS',
        daily: (d) => ({ spend: 2_200, leads: 1 + (d % 2), purchases: 0, purchaseValue: 0, reach: 700 }),
      },
      // A sales campaign's stray leads and a lead campaign's stray purchase value never mix into the other objective.
      {
        name: 'Sales Winter',
        objective: 'OUTCOME_SALES',
        daily: (d) => ({ spend: 9_000, leads: d % 2, purchases: 1 + (d % 2), purchaseValue: 20_000, reach: 1_500 }),
      },
      {
        name: 'Sales Spring',
        objective: 'OUTCOME_SALES',
        daily: () => ({ spend: 6_000, leads: 0, purchases: 1, purchaseValue: 9_000, reach: 1_200 }),
      },
      {
        name: 'Traffic Blog',
        objective: 'OUTCOME_TRAFFIC',
        daily: () => ({ spend: 800, leads: 0, purchases: 0, purchaseValue: 0, reach: 400 }),
      },
      // Cheapest leads of all, but archived: never ranked among the active campaigns.
      {
        name: 'Archived Leads',
        objective: 'OUTCOME_LEADS',
        status: 'ARCHIVED',
        daily: () => ({ spend: 300, leads: 6, purchases: 0, purchaseValue: 0, reach: 500 }),
      },
    ]
    for (const spec of specs) {
      const campaign = await createCampaign(db.prisma, adAccountId, {
        name: spec.name,
        objective: spec.objective,
        status: spec.status ?? 'ACTIVE',
      })
      seeded.push({ campaign, daily: spec.daily })
      const rows = Array.from({ length: 30 }, (_, k) => {
        const f = spec.daily(k)
        return {
          campaignId: campaign.id,
          adAccountId,
          date: toDbDate(addDays('2026-03-15', -k)),
          impressions: 20_000n,
          reach: BigInt(f.reach),
          clicks: 300n,
          linkClicks: 250n,
          spend: BigInt(f.spend),
          leads: BigInt(f.leads),
          purchases: BigInt(f.purchases),
          purchaseValue: BigInt(f.purchaseValue),
          syncedAt: NOW,
        }
      })
      await db.prisma.campaignDailyMetric.createMany({ data: rows })
    }
  })

  afterAll(async () => {
    await db?.drop()
  })

  /** The campaigns' own sums per result type over days [since, until] (k = days before Mar 15). */
  function campaignSums(since: IsoDate, until: IsoDate) {
    const out = new Map<ResultKind, { results: number; spend: number; purchaseValue: number }>()
    for (const { campaign, daily } of seeded) {
      const kind = resultKind(campaign.objective)
      if (!kind) continue
      for (let k = 0; k < 30; k++) {
        const d = addDays('2026-03-15', -k)
        if (d < since || d > until) continue
        const f = daily(k)
        const s = out.get(kind) ?? { results: 0, spend: 0, purchaseValue: 0 }
        s.results += kind === 'leads' ? f.leads : kind === 'purchases' ? f.purchases : 250
        s.spend += f.spend
        s.purchaseValue += kind === 'purchases' ? f.purchaseValue : 0
        out.set(kind, s)
      }
    }
    return out
  }

  it('metrics: per result type, the account line equals the sums of its campaigns; one Results cell says "multiple result types"', async () => {
    const r = await getMetricsReport(db.prisma, {
      scope: workspaceScope(workspaceId),
      target: 'Nordlicht Shop',
      period: 'last_7d',
      now: NOW,
    })
    const range = resolvePeriod('last_7d', NOW, TZ).current
    const sums = campaignSums(range.since, range.until)
    expect(r.current.derived.multipleResults).toBe(true)
    expect(r.current.derived.costPerResult).toBeNull()
    expect(r.current.derived.byResult.map((l) => l.kind)).toEqual(['leads', 'purchases', 'link clicks'])
    for (const line of r.current.derived.byResult) {
      const s = sums.get(line.kind)!
      expect(line.results).toBe(s.results)
      expect(line.spend).toBe(s.spend)
      expect(line.costPerResult).toBeCloseTo(s.spend / s.results)
    }
    // ROAS over the sales campaigns' spend only.
    const sales = sums.get('purchases')!
    expect(r.current.derived.roas).toBeCloseTo(sales.purchaseValue / sales.spend)
    // Each campaign's own report adds up to the account's lead line.
    const leadReports = await Promise.all(
      seeded
        .filter((s) => s.campaign.objective === 'OUTCOME_LEADS')
        .map((s) =>
          getMetricsReport(db.prisma, { scope: workspaceScope(workspaceId), target: s.campaign.name, period: 'last_7d', now: NOW }),
        ),
    )
    const leadLine = r.current.derived.byResult.find((l) => l.kind === 'leads')!
    expect(leadReports.reduce((n, x) => n + x.current.derived.results, 0)).toBe(leadLine.results)
    expect(leadReports.reduce((n, x) => n + x.current.totals.spend, 0)).toBe(leadLine.spend)

    const text = JSON.stringify(metricsMessage(r, NOW))
    expect(text).toContain('*Results*\\nmultiple result types')
    expect(text).toContain('*Cost per result*\\nmultiple result types')
    expect(text).toContain('*ROAS (sales campaigns)*')
  })

  it('digest: the day per objective equals its campaigns; archived never ranked; a lone objective described', async () => {
    const data = await buildDigestData(db.prisma, { scope: workspaceScope(workspaceId), now: NOW })
    const a = data.accounts.find((x) => x.id === adAccountId)!
    const day = campaignSums('2026-03-15', '2026-03-15')
    expect(a.yesterday.multipleResults).toBe(true)
    for (const line of a.yesterday.byResult) {
      const s = day.get(line.kind)!
      expect([line.kind, line.results, line.spend]).toEqual([line.kind, s.results, s.spend])
    }
    expect(a.yesterday.costPerLeadMinor).toBeCloseTo(day.get('leads')!.spend / day.get('leads')!.results)
    expect(a.yesterday.roas).toBeCloseTo(day.get('purchases')!.purchaseValue / day.get('purchases')!.spend)
    expect(a.yesterday.leads).toBe(day.get('leads')!.results) // the sales campaign's stray lead is not a lead result
    const ranked = [...a.top, ...a.bottom].map((c) => c.name)
    expect(ranked).not.toContain('Archived Leads')
    expect(ranked.sort()).toEqual(['Leads Berlin', 'Leads Hamburg', 'Sales Spring', 'Sales Winter'])
    expect(a.alone.map((c) => c.name)).toEqual(['Traffic Blog'])
    expect(a.alone[0]!.reason).toMatch(/^the only traffic campaign: 1,750 link clicks at €0\.03 in 7 days$/)
  })

  it('reach: the cached period row, never the sum of daily reach; unavailable for a range not cached', async () => {
    const range = resolvePeriod('last_7d', NOW, TZ).current
    await db.prisma.periodReach.create({
      data: {
        adAccountId,
        campaignId: null,
        since: toDbDate(range.since),
        until: toDbDate(range.until),
        reach: 12_345n,
        impressions: 840_000n,
        frequency: 68.04,
        syncedAt: NOW,
      },
    })
    const r = await getMetricsReport(db.prisma, {
      scope: workspaceScope(workspaceId),
      target: 'Nordlicht Shop',
      period: 'last_7d',
      now: NOW,
    })
    expect(r.reach?.reach).toBe(12_345)
    expect(r.reach?.frequency).toBeCloseTo(840_000 / 12_345)
    const text = JSON.stringify(metricsMessage(r, NOW))
    expect(text).toContain('*Reach*\\n12,345')
    expect(text).not.toContain(String(r.current.totals.reach)) // the sum of daily reach is shown nowhere
    const other = await getMetricsReport(db.prisma, {
      scope: workspaceScope(workspaceId),
      target: 'Nordlicht Shop',
      period: 'last_14d',
      now: NOW,
    })
    expect(other.reach).toBeNull()
    expect(JSON.stringify(metricsMessage(other, NOW))).toContain('*Reach*\\n_unavailable for this range_')
  })
})
