/**
 * Issue 13, end to end on real PostgreSQL through the Meta simulator: an ad that wears out among delivering
 * siblings becomes one ad-level suggestion whose change request, once approved, pauses that ad on Meta — and only
 * it: its siblings, its ad set and its campaign keep running.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GENERATOR_TODAY } from '../../../bench/optimizer/planted-problems.ts'
import { simulatorMetaApi, testDomainDeps } from '../../../test/support/domain-deps.ts'
import { createAdDays } from '../../../test/support/factories.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../../../test/support/test-database.ts'
import type { Ad, Member } from '../../generated/prisma/client.ts'
import { type MetaSimulator, startMetaSimulator } from '../../integrations/meta-sim/index.ts'
import { addDays } from '../../lib/dates.ts'
import { applyChange } from '../changes/apply-change.ts'
import { approveChange } from '../changes/decide-change.ts'
import { ensureDefaultConnection } from '../connections/ensure-default-connection.ts'
import type { DomainDeps } from '../deps.ts'
import { syncAdAccount } from '../sync/sync-ad-account.ts'
import { optimizeAdAccount } from './optimize-ad-account.ts'

const serverUrl = requirePostgresUrl()
const DAYS = 60

/** A steady ad's day k (k = DAYS … 1, 1 = yesterday): 5,000 impressions, 2.5 % CTR, $90, 4 leads. */
function steady(k: number) {
  const impressions = 5_000 + ([0, 150, -100, 50, -150, 100, -50][k % 7] ?? 0)
  return {
    impressions,
    reach: Math.round(impressions / 1.2),
    clicks: Math.round(impressions * 0.025),
    linkClicks: 80,
    spend: 9_000,
    leads: 4,
  }
}

/** Worn out over the last 28 days: frequency 1.2 → 2.3, CTR 2.5 % → 1.2 %, three times a sibling's delivery. */
function worn(k: number) {
  const one = steady(k)
  const impressions = 3 * one.impressions
  const p = k > 28 ? 0 : (28 - k + 1) / 28
  return { ...one, impressions, reach: Math.round(impressions / (1.2 + 1.1 * p)), clicks: Math.round(impressions * (0.025 - 0.013 * p)) }
}

describe.skipIf(!serverUrl)('a worn-out ad paused through approval', () => {
  let db: TestDatabase
  let sim: MetaSimulator
  let deps: DomainDeps
  let workspaceId: string
  let admin: Member
  let ads: Ad[]
  const clock = new Date(`${GENERATOR_TODAY}T15:00:00Z`)

  beforeAll(async () => {
    db = await createPostgresTestDatabase(serverUrl!)
    sim = await startMetaSimulator({
      now: () => clock,
      accounts: [{ id: '915', name: 'Creative shop', currency: 'USD', timezoneName: 'UTC', campaigns: 6 }],
    })
    deps = testDomainDeps({ prisma: db.prisma, meta: simulatorMetaApi(sim, { sleep: async () => {}, maxWaitMs: 0 }), now: () => clock })
    workspaceId = (await db.prisma.workspace.create({ data: { slackTeamId: 'TWORNAD', settings: { guardrails: { cooldownHours: 0 } } } }))
      .id
    const [account] = await ensureDefaultConnection(deps, workspaceId, { token: sim.accessToken, label: 'sim' })
    await syncAdAccount(deps, { adAccountId: account!.id })
    admin = await db.prisma.member.create({ data: { workspaceId, slackUserId: 'UADMIN', role: 'ADMIN' } })
    // An active ad set (of an active campaign) with at least three active ads, as Meta serves it.
    const adSet = sim.state
      .adSets()
      .find((s) => s.effectiveStatus === 'ACTIVE' && sim.state.ads(s.id).filter((a) => a.effectiveStatus === 'ACTIVE').length >= 3)
    if (!adSet) throw new Error('the simulator has no active ad set with three active ads')
    const metaAdIds = sim.state
      .ads(adSet.id)
      .filter((a) => a.effectiveStatus === 'ACTIVE')
      .slice(0, 3)
      .map((a) => a.id)
    ads = await Promise.all(metaAdIds.map((metaAdId) => db.prisma.ad.findFirstOrThrow({ where: { metaAdId } })))
    // The account's history replaced by a planted one: the first ad wears out, its two siblings hold steady.
    await db.prisma.adDailyMetric.deleteMany({ where: { adAccountId: account!.id } })
    await db.prisma.campaignDailyMetric.deleteMany({ where: { adAccountId: account!.id } })
    const rows: Parameters<typeof createAdDays>[1] = []
    ads.forEach((ad, i) => {
      for (let k = DAYS; k >= 1; k--) rows.push({ ad, date: addDays(GENERATOR_TODAY, -k), ...(i === 0 ? worn(k) : steady(k)) })
    })
    await createAdDays(db.prisma, rows)
  })
  afterAll(async () => {
    await sim?.close()
    await db?.drop()
  })

  it('proposes pausing the worn-out ad (one suggestion, not one for its campaign too) and pauses only it once approved', async () => {
    const [wornAd, ...siblings] = ads
    await optimizeAdAccount(deps, { adAccountId: wornAd!.adAccountId })
    const about = await db.prisma.suggestion.findMany({ where: { campaignId: wornAd!.campaignId, kind: 'creative_fatigue' } })
    expect(about.map((s) => [s.level, s.adId])).toEqual([['ad', wornAd!.id]])
    const change = await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: about[0]!.changeRequestId! } })
    expect(change).toMatchObject({ type: 'PAUSE', level: 'ad', adId: wornAd!.id, adSetId: wornAd!.adSetId, status: 'PROPOSED' })
    // Nothing reaches Meta before the approval.
    expect(sim.state.ads().find((a) => a.id === wornAd!.metaAdId)?.status).toBe('ACTIVE')

    const { decided } = await approveChange(deps, { workspaceId, changeId: change.id, member: admin })
    const results = await Promise.all(decided.map((d) => applyChange(deps, { changeId: d.id, idempotencyKey: d.idempotencyKey })))
    expect(results.map((r) => r.kind)).toEqual(['applied'])

    const onMeta = (id: string) => sim.state.ads().find((a) => a.id === id)
    expect(onMeta(wornAd!.metaAdId)?.status).toBe('PAUSED')
    for (const s of siblings) expect(onMeta(s.metaAdId)).toMatchObject({ status: 'ACTIVE', effectiveStatus: 'ACTIVE' })
    const adSet = await db.prisma.adSet.findUniqueOrThrow({ where: { id: wornAd!.adSetId }, include: { campaign: true } })
    expect(sim.state.adSets().find((s) => s.id === adSet.metaAdSetId)?.effectiveStatus).toBe('ACTIVE')
    expect(sim.state.campaigns().find((c) => c.id === adSet.campaign.metaCampaignId)?.effectiveStatus).toBe('ACTIVE')
    expect((await db.prisma.ad.findUniqueOrThrow({ where: { id: wornAd!.id } })).status).toBe('PAUSED')
    expect((await db.prisma.suggestion.findUniqueOrThrow({ where: { id: about[0]!.id } })).status).toBe('APPLIED')
  })
})
