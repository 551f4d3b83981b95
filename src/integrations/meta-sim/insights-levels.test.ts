import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Json } from '../../../test/support/json.ts'
import { graphGet, NOW, num, US, walkPages } from '../../../test/support/meta-sim.ts'
import { startMetaSimulator } from './index.ts'
import type { MetaSimulator } from './types.ts'
import { addDays } from './tz.ts'

const DAY = 86_400_000
const IDS = 'campaign_id,campaign_name,adset_id,adset_name,ad_id,ad_name,objective'
const METRICS = 'impressions,reach,frequency,clicks,inline_link_clicks,spend,actions,action_values'
const EVERY_AD_STATUS = ['ACTIVE', 'PAUSED', 'CAMPAIGN_PAUSED', 'ADSET_PAUSED', 'ARCHIVED', 'DELETED']
const withDeleted = (level: 'ad' | 'adset' | 'campaign', statuses: string[] = EVERY_AD_STATUS) =>
  JSON.stringify([{ field: `${level}.effective_status`, operator: 'IN', value: statuses }])

/** Integer totals of a row set per key (money in cents: every account here is USD). */
function totals(rows: Json[], key: (r: Json) => string): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>()
  for (const r of rows) {
    const k = key(r)
    const t = out.get(k) ?? {}
    const add = (name: string, v: number) => {
      t[name] = (t[name] ?? 0) + v
    }
    add('impressions', num(r.impressions))
    add('clicks', num(r.clicks))
    add('inline_link_clicks', num(r.inline_link_clicks))
    add('spend', Math.round(num(r.spend) * 100))
    for (const a of r.actions ?? []) add(`action:${a.action_type}`, num(a.value))
    for (const a of r.action_values ?? []) add(`value:${a.action_type}`, Math.round(num(a.value) * 100))
    out.set(k, t)
  }
  return out
}

describe('meta-sim insights by ad set and ad', () => {
  let sim: MetaSimulator
  let now: Date
  beforeEach(async () => {
    now = NOW
    sim = await startMetaSimulator({ now: () => now })
  })
  afterEach(async () => {
    await sim.close()
  })

  const daily = (level: string, extra: Record<string, string | number> = {}) =>
    walkPages(sim, `/act_${US}/insights`, {
      level,
      fields: `${IDS},${METRICS}`,
      time_increment: 1,
      date_preset: 'last_14d',
      limit: 500,
      ...extra,
    })

  it('gives every ad row the ids of every level, and ads and ad sets add up exactly to their campaign', async () => {
    const ads = await daily('ad', { filtering: withDeleted('ad') })
    const adSets = await daily('adset', {
      filtering: withDeleted(
        'adset',
        EVERY_AD_STATUS.filter((s) => s !== 'ADSET_PAUSED'),
      ),
    })
    const campaigns = await daily('campaign', { filtering: withDeleted('campaign', ['ACTIVE', 'PAUSED', 'ARCHIVED', 'DELETED']) })
    expect(ads.rows.length).toBeGreaterThan(campaigns.rows.length * 2)
    for (const r of ads.rows) {
      for (const f of IDS.split(',')) expect(typeof r[f], f).toBe('string')
      expect(r.date_start).toBe(r.date_stop)
      expect(num(r.reach)).toBeLessThanOrEqual(num(r.impressions))
    }
    for (const r of adSets.rows) expect(r.ad_id).toBeUndefined()
    const key = (r: Json) => `${r.campaign_id}|${r.date_start}`
    const byCampaign = totals(campaigns.rows, key)
    expect(totals(ads.rows, key)).toEqual(byCampaign)
    expect(totals(adSets.rows, key)).toEqual(byCampaign)
    expect(totals(ads.rows, (r) => `${r.adset_id}|${r.date_start}`)).toEqual(totals(adSets.rows, (r) => `${r.adset_id}|${r.date_start}`))
    // Reach does not add up: a campaign reaches at least its biggest ad's audience and at most all of them.
    for (const c of campaigns.rows) {
      const parts = ads.rows.filter((r) => key(r) === key(c)).map((r) => num(r.reach))
      expect(num(c.reach)).toBeGreaterThanOrEqual(Math.max(...parts))
      expect(num(c.reach)).toBeLessThanOrEqual(parts.reduce((a, b) => a + b, 0))
    }
    // Rows are ordered by date, then campaign, ad set and ad.
    const order = ads.rows.map((r) => `${r.date_start}|${r.campaign_id}`)
    expect([...order].sort()).toEqual(order)
  })

  it('leaves a deleted ad out until filtered on ad.effective_status, while its campaign keeps counting it', async () => {
    const campaign = sim.state.campaigns(US).find((c) => c.status === 'ACTIVE' && c.adSetIds.length > 1)!
    const adSet = sim.state.adSets(campaign.id).find((s) => s.status === 'ACTIVE' && s.adIds.length > 0)!
    const ad = sim.state.ad(adSet.adIds[0]!)!
    const before = await daily('ad')
    const adDays = before.rows.filter((r) => r.ad_id === ad.id)
    expect(adDays.length).toBeGreaterThan(5)

    sim.adsManager.setStatus(ad.id, 'DELETED')
    expect(sim.state.ad(ad.id)?.effectiveStatus).toBe('DELETED')
    const after = await daily('ad')
    expect(after.rows.some((r) => r.ad_id === ad.id)).toBe(false)
    expect(after.rows.length).toBe(before.rows.length - adDays.length)
    const filtered = await daily('ad', { filtering: withDeleted('ad') })
    expect(filtered.rows.filter((r) => r.ad_id === ad.id)).toEqual(adDays)
    // Only the listed statuses: DELETED alone gives the deleted ads only.
    const onlyDeleted = await daily('ad', { filtering: withDeleted('ad', ['DELETED']) })
    expect(onlyDeleted.rows.map((r) => r.ad_id)).toContain(ad.id)
    expect(onlyDeleted.rows.every((r) => sim.state.ad(r.ad_id)?.effectiveStatus === 'DELETED')).toBe(true)

    // The campaign's rows still include the deleted ad's delivery and equal the filtered ads' sum.
    const campaignRows = (await daily('campaign')).rows.filter((r) => r.campaign_id === campaign.id)
    const key = (r: Json) => r.date_start
    expect(
      totals(
        filtered.rows.filter((r) => r.campaign_id === campaign.id),
        key,
      ),
    ).toEqual(totals(campaignRows, key))
    expect(
      totals(
        after.rows.filter((r) => r.campaign_id === campaign.id),
        key,
      ),
    ).not.toEqual(totals(campaignRows, key))

    // An ad set's and a campaign's deletion hide their rows (and their ads') the same way.
    sim.adsManager.setStatus(campaign.id, 'DELETED')
    expect((await daily('campaign')).rows.some((r) => r.campaign_id === campaign.id)).toBe(false)
    expect((await daily('ad')).rows.some((r) => r.campaign_id === campaign.id)).toBe(false)
    const back = await daily('campaign', { filtering: withDeleted('campaign', ['ACTIVE', 'DELETED']) })
    expect(back.rows.filter((r) => r.campaign_id === campaign.id)).toEqual(campaignRows)
  })

  it('stops an ad set’s delivery when it is paused, keeping its past rows', async () => {
    const adSet = sim.state.adSets(US).find((s) => s.effectiveStatus === 'ACTIVE' && s.startDate < addDays(sim.state.today(US), -20))!
    sim.adsManager.setStatus(adSet.id, 'PAUSED')
    now = new Date(NOW.getTime() + 3 * DAY)
    const rows = (await daily('adset')).rows.filter((r) => r.adset_id === adSet.id)
    const pausedOn = sim.state.today(US)
    expect(rows.length).toBeGreaterThan(9)
    expect(rows.map((r) => r.date_start).filter((d) => d > addDays(pausedOn, -3))).toEqual([])
    const activeAds = sim.state.ads(adSet.id).filter((a) => a.status === 'ACTIVE')
    expect(new Set(activeAds.map((a) => a.effectiveStatus))).toEqual(new Set(['ADSET_PAUSED']))
  })

  it('serves insights on ad set and ad nodes, scoped to them', async () => {
    const adSet = sim.state.adSets(US).find((s) => s.effectiveStatus === 'ACTIVE' && s.adIds.length > 1)!
    const params = { fields: 'adset_id,ad_id,impressions,spend', time_increment: 1, date_preset: 'last_7d', limit: 500 }
    const onAdSet = await graphGet(sim, `/${adSet.id}/insights`, params)
    expect(onAdSet.json.data.length).toBeGreaterThan(0)
    for (const r of onAdSet.json.data) expect(r).toMatchObject({ adset_id: adSet.id })
    expect(onAdSet.json.data[0].ad_id).toBeUndefined()
    const adLevel = await graphGet(sim, `/${adSet.id}/insights`, { ...params, level: 'ad' })
    expect(new Set(adLevel.json.data.map((r: Json) => r.ad_id)).size).toBeGreaterThan(1)
    const adId = adLevel.json.data[0].ad_id
    const onAd = await graphGet(sim, `/${adId}/insights`, params)
    expect(onAd.json.data).toEqual(adLevel.json.data.filter((r: Json) => r.ad_id === adId))
  })

  it('is deterministic at ad level: the same seed and clock give the same rows', async () => {
    const other = await startMetaSimulator({ now: () => NOW })
    const seeded = await startMetaSimulator({ now: () => NOW, seed: 43 })
    try {
      const params = { level: 'ad', fields: `${IDS},${METRICS}`, time_increment: 1, date_preset: 'last_7d', limit: 500 }
      const a = await walkPages(sim, `/act_${US}/insights`, params)
      const b = await walkPages(other, `/act_${US}/insights`, params)
      const c = await walkPages(seeded, `/act_${US}/insights`, params)
      expect(b.rows).toEqual(a.rows)
      expect(c.rows).not.toEqual(a.rows)
    } finally {
      await Promise.all([other.close(), seeded.close()])
    }
  })
})
