import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Json } from '../../../test/support/json.ts'
import { fixedNow, graphGet, US, walkPages } from '../../../test/support/meta-sim.ts'
import { startMetaSimulator } from './index.ts'
import type { MetaSimulator } from './types.ts'

const EVERY_CAMPAIGN_STATUS = ['ACTIVE', 'PAUSED', 'ARCHIVED', 'DELETED']
const EVERY_AD_STATUS = ['ACTIVE', 'PAUSED', 'CAMPAIGN_PAUSED', 'ADSET_PAUSED', 'ARCHIVED', 'DELETED']
const ADSET_FIELDS =
  'id,name,campaign_id,status,effective_status,daily_budget,lifetime_budget,bid_strategy,bid_amount,optimization_goal,billing_event,start_time,end_time,created_time,learning_stage_info'

describe('meta-sim ad sets and ads', () => {
  let sim: MetaSimulator
  beforeAll(async () => {
    sim = await startMetaSimulator({ now: fixedNow })
  })
  afterAll(async () => {
    await sim.close()
  })

  const ids = (rows: Json[]): string[] => rows.map((r) => r.id).sort()

  it('leaves ARCHIVED and DELETED objects out of unfiltered lists and shows them with either filter form', async () => {
    for (const [edge, statuses, level] of [
      ['campaigns', EVERY_CAMPAIGN_STATUS, 'campaign'],
      ['adsets', [...EVERY_CAMPAIGN_STATUS, 'CAMPAIGN_PAUSED'], 'adset'],
      ['ads', EVERY_AD_STATUS, 'ad'],
    ] as const) {
      const plain = await walkPages(sim, `/act_${US}/${edge}`, { fields: 'id,effective_status', limit: 25 })
      const byParam = await walkPages(sim, `/act_${US}/${edge}`, {
        fields: 'id,effective_status',
        effective_status: JSON.stringify(statuses),
        limit: 25,
      })
      const byFiltering = await walkPages(sim, `/act_${US}/${edge}`, {
        fields: 'id,effective_status',
        filtering: JSON.stringify([{ field: `${level}.effective_status`, operator: 'IN', value: statuses }]),
        limit: 25,
      })
      const hidden = byParam.rows.filter((r) => ['ARCHIVED', 'DELETED'].includes(r.effective_status))
      expect(
        hidden.map((r) => r.effective_status),
        edge,
      ).toEqual(expect.arrayContaining(['ARCHIVED', 'DELETED']))
      expect(
        plain.rows.every((r) => !['ARCHIVED', 'DELETED'].includes(r.effective_status)),
        edge,
      ).toBe(true)
      expect(plain.rows.length + hidden.length, edge).toBe(byParam.rows.length)
      expect(ids(byFiltering.rows), edge).toEqual(ids(byParam.rows))
      // Only the listed statuses come back.
      const deletedOnly = await walkPages(sim, `/act_${US}/${edge}`, { fields: 'effective_status', effective_status: '["DELETED"]' })
      expect(deletedOnly.rows.length, edge).toBeGreaterThan(0)
      expect(new Set(deletedOnly.rows.map((r) => r.effective_status)), edge).toEqual(new Set(['DELETED']))
    }
    expect(sim.state.campaigns(US).length).toBe(10)
  })

  it('answers #100 for effective statuses the object type does not have', async () => {
    const cases: Array<[string, Record<string, string>]> = [
      ['campaigns', { effective_status: '["CAMPAIGN_PAUSED"]' }],
      ['adsets', { effective_status: '["ADSET_PAUSED"]' }],
      ['ads', { effective_status: '["ACTIVE","SLEEPING"]' }],
      ['ads', { filtering: JSON.stringify([{ field: 'ad.effective_status', operator: 'IN', value: ['GONE'] }]) }],
    ]
    for (const [edge, params] of cases) {
      const res = await graphGet(sim, `/act_${US}/${edge}`, params)
      expect(res.status).toBe(400)
      expect(res.json.error.code).toBe(100)
      expect(res.json.error.message).toMatch(/must be one of the following values: ACTIVE, PAUSED, DELETED, ARCHIVED/)
    }
  })

  it('serves ad sets with their budgets, bidding, schedule and learning stage', async () => {
    const { rows } = await walkPages(sim, `/act_${US}/adsets`, {
      fields: ADSET_FIELDS,
      effective_status: JSON.stringify([...EVERY_CAMPAIGN_STATUS, 'CAMPAIGN_PAUSED']),
      limit: 100,
    })
    expect(rows.length).toBeGreaterThan(15)
    const campaigns = sim.state.campaigns(US)
    for (const s of rows) {
      expect(s.id).toMatch(/^12022\d{13}$/)
      expect(Object.keys(s)[0]).toBe('id')
      expect(s.start_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-0[45]00$/)
      expect(s.created_time <= s.start_time || s.created_time.slice(0, 10) <= s.start_time.slice(0, 10)).toBe(true)
      const campaign = campaigns.find((c) => c.id === s.campaign_id)!
      if (campaign.budgetLevel === 'adset') expect(s.daily_budget ?? s.lifetime_budget).toMatch(/^\d+$/)
      else expect(s.daily_budget ?? s.lifetime_budget).toBeUndefined()
      expect(['LOWEST_COST_WITHOUT_CAP', 'COST_CAP']).toContain(s.bid_strategy)
      if (s.bid_strategy === 'COST_CAP') expect(typeof s.bid_amount).toBe('number')
      expect(s.optimization_goal).toMatch(/^[A-Z_]+$/)
      expect(s.billing_event).toBe('IMPRESSIONS')
      if (s.learning_stage_info) {
        expect(Object.keys(s.learning_stage_info)).toEqual(['status', 'conversions', 'last_sig_edit_ts', 'attribution_windows'])
        expect(['LEARNING', 'SUCCESS', 'FAIL']).toContain(s.learning_stage_info.status)
        expect(s.learning_stage_info.attribution_windows).toEqual(['7d_click', '1d_view'])
      }
    }
    // Both budget homes exist, and an ad set budget campaign's budget is its ad sets' budgets.
    const abo = campaigns.find((c) => c.budgetLevel === 'adset' && c.status === 'ACTIVE')!
    expect(abo.dailyBudget).toBeUndefined()
    expect(campaigns.some((c) => c.budgetLevel === 'campaign' && c.dailyBudget !== undefined)).toBe(true)
    const campaignNode = await graphGet(sim, `/${abo.id}`, { fields: 'daily_budget,lifetime_budget,bid_strategy' })
    expect(campaignNode.json).toEqual({ id: abo.id })
    const lifetime = rows.find((s) => s.end_time !== undefined)
    expect(lifetime).toBeDefined()
  })

  it('serves ads with their creative through the creative{…} expansion, and ads/ad sets under their parents', async () => {
    const fields = 'id,name,adset_id,campaign_id,status,effective_status,created_time,creative{id,name,thumbnail_url,title,body}'
    const { rows } = await walkPages(sim, `/act_${US}/ads`, { fields, limit: 50 })
    expect(rows.length).toBeGreaterThan(20)
    for (const a of rows) {
      expect(a.id).toMatch(/^12023\d{13}$/)
      expect(Object.keys(a.creative)).toEqual(['id', 'name', 'thumbnail_url', 'title', 'body'])
      expect(a.creative.thumbnail_url).toMatch(/^https:\/\/creatives\.meta-sim\.example\/\d+\/thumbnail\.jpg$/)
      expect(a.creative.title.length).toBeGreaterThan(5)
    }
    const bare = await graphGet(sim, `/${rows[0].id}`, { fields: 'creative' })
    expect(bare.json).toEqual({ creative: { id: rows[0].creative.id }, id: rows[0].id })
    const other = await graphGet(sim, `/${rows[0].id}`, { fields: 'adset{name}' })
    expect(other.json.error.code).toBe(100)

    const campaignId = rows[0].campaign_id
    const adSetId = rows[0].adset_id
    const underCampaign = await walkPages(sim, `/${campaignId}/ads`, { fields: 'campaign_id', limit: 5 })
    expect(underCampaign.rows.every((a) => a.campaign_id === campaignId)).toBe(true)
    expect(underCampaign.rows.map((a) => a.id)).toEqual(rows.filter((a) => a.campaign_id === campaignId).map((a) => a.id))
    const underAdSet = await walkPages(sim, `/${adSetId}/ads`, { fields: 'adset_id' })
    expect(underAdSet.rows.map((a) => a.id)).toEqual(rows.filter((a) => a.adset_id === adSetId).map((a) => a.id))
    const adSets = await walkPages(sim, `/${campaignId}/adsets`, { fields: 'campaign_id,name' })
    expect(adSets.rows.map((s) => s.id)).toContain(adSetId)
    const node = await graphGet(sim, `/${adSetId}`, { fields: 'name,campaign_id' })
    expect(node.json).toMatchObject({ id: adSetId, campaign_id: campaignId })
  })

  it('derives effective statuses from the parents', async () => {
    const adSets = sim.state.adSets(US)
    const ads = sim.state.ads(US)
    const campaigns = sim.state.campaigns(US)
    const campaignOf = (id: string) => campaigns.find((c) => c.id === id)!
    const paused = campaigns.find((c) => c.status === 'PAUSED')!
    expect(adSets.filter((s) => s.campaignId === paused.id && s.status === 'ACTIVE').map((s) => s.effectiveStatus)).toContain(
      'CAMPAIGN_PAUSED',
    )
    const deleted = campaigns.find((c) => c.status === 'DELETED')!
    expect(new Set(ads.filter((a) => a.campaignId === deleted.id).map((a) => a.effectiveStatus))).toEqual(new Set(['DELETED']))
    const archived = campaigns.find((c) => c.status === 'ARCHIVED')!
    expect(new Set(adSets.filter((s) => s.campaignId === archived.id).map((s) => s.effectiveStatus))).toEqual(new Set(['ARCHIVED']))
    const pausedAdSet = adSets.find((s) => s.status === 'PAUSED' && campaignOf(s.campaignId).status === 'ACTIVE')!
    expect(new Set(ads.filter((a) => a.adSetId === pausedAdSet.id).map((a) => a.effectiveStatus))).toEqual(new Set(['ADSET_PAUSED']))
    const listed = await graphGet(sim, `/${pausedAdSet.id}/ads`, { fields: 'status,effective_status' })
    for (const a of listed.json.data) expect(a).toMatchObject({ status: 'ACTIVE', effective_status: 'ADSET_PAUSED' })
    // Deleted and archived ad sets and ads with history exist under delivering campaigns too.
    expect(adSets.some((s) => s.status === 'ARCHIVED' && campaignOf(s.campaignId).status === 'ACTIVE')).toBe(true)
    expect(adSets.some((s) => s.status === 'DELETED' && campaignOf(s.campaignId).status === 'ACTIVE')).toBe(true)
    expect(ads.some((a) => a.status === 'DELETED' && campaignOf(a.campaignId).status === 'ACTIVE')).toBe(true)
  })

  it('builds the same ad sets and ads from the same seed, other ones from another seed', async () => {
    const a = await startMetaSimulator({ now: fixedNow, seed: 7 })
    const b = await startMetaSimulator({ now: fixedNow, seed: 7 })
    const c = await startMetaSimulator({ now: fixedNow, seed: 8 })
    try {
      const params = { fields: 'id,name,adset_id,effective_status,creative{id,name,title,body}', limit: 500 }
      const [ra, rb, rc] = await Promise.all([a, b, c].map((s) => graphGet(s, `/act_${US}/ads`, params)))
      expect(ra!.text.replaceAll(a.url.replaceAll('/', '\\/'), 'URL')).toBe(rb!.text.replaceAll(b.url.replaceAll('/', '\\/'), 'URL'))
      expect(rc!.json.data.map((x: Json) => x.name)).not.toEqual(ra!.json.data.map((x: Json) => x.name))
      const sa = await graphGet(a, `/act_${US}/adsets`, { fields: ADSET_FIELDS, limit: 500 })
      const sb = await graphGet(b, `/act_${US}/adsets`, { fields: ADSET_FIELDS, limit: 500 })
      expect(sa.json.data).toEqual(sb.json.data)
    } finally {
      await Promise.all([a.close(), b.close(), c.close()])
    }
  })

  it('generates fixed counts for the scale preset', async () => {
    const scale = await startMetaSimulator({
      now: fixedNow,
      accounts: [
        { id: '42', name: 'Fixed', currency: 'EUR', timezoneName: 'Europe/Berlin', campaigns: 6, adSetsPerCampaign: 5, adsPerAdSet: 4 },
      ],
    })
    try {
      expect(scale.state.adSets('42')).toHaveLength(30)
      expect(scale.state.ads('42')).toHaveLength(120)
      expect(scale.state.ads('42').every((a) => a.status === 'ACTIVE')).toBe(true)
    } finally {
      await scale.close()
    }
  })
})
