import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Json } from '../../../test/support/json.ts'
import { graphGet, graphPost, NOW, num, US, walkPages } from '../../../test/support/meta-sim.ts'
import { startMetaSimulator } from './index.ts'
import type { MetaSimulator, SimAdSetView } from './types.ts'
import { addDays } from './tz.ts'

const DAY = 86_400_000
const ADSET_STATUSES = ['ACTIVE', 'PAUSED', 'CAMPAIGN_PAUSED', 'ARCHIVED', 'DELETED']

function action(row: Json, type: string): number {
  return num(row.actions?.find((a: Json) => a.action_type === type)?.value ?? 0)
}

/** The ad set's optimisation events in an insights row, as learning_stage_info counts them. */
function results(row: Json, goal: string, objective: string): number {
  switch (goal) {
    case 'LEAD_GENERATION':
      return action(row, 'lead')
    case 'OFFSITE_CONVERSIONS':
      return objective === 'OUTCOME_SALES' ? action(row, 'purchase') : action(row, 'lead')
    case 'LANDING_PAGE_VIEWS':
      return action(row, 'landing_page_view')
    case 'REACH':
      return num(row.reach)
    case 'POST_ENGAGEMENT':
      return action(row, 'post_engagement')
    default:
      throw new Error(`unexpected goal ${goal}`)
  }
}

describe('meta-sim learning phase and creative fatigue', () => {
  let sim: MetaSimulator
  let now: Date
  beforeEach(async () => {
    now = NOW
    sim = await startMetaSimulator({ now: () => now })
  })
  afterEach(async () => {
    await sim.close()
  })

  async function learningOf(): Promise<Map<string, Json>> {
    const { rows } = await walkPages(sim, `/act_${US}/adsets`, {
      fields: 'optimization_goal,learning_stage_info',
      effective_status: JSON.stringify(ADSET_STATUSES),
      limit: 200,
    })
    return new Map(rows.map((r) => [r.id, r]))
  }

  async function adSetDays(since: string): Promise<Json[]> {
    const { rows } = await walkPages(sim, `/act_${US}/insights`, {
      level: 'adset',
      fields: 'adset_id,objective,reach,actions',
      time_increment: 1,
      time_range: JSON.stringify({ since, until: sim.state.today(US) }),
      filtering: JSON.stringify([{ field: 'adset.effective_status', operator: 'IN', value: ADSET_STATUSES }]),
      limit: 500,
    })
    return rows
  }

  /** Checks every ad set's learning stage against its delivery: 50 results within 7 days of the last significant edit. */
  function checkAgainstInsights(learning: Map<string, Json>, rows: Json[], adSets: SimAdSetView[]): Record<string, number> {
    const seen: Record<string, number> = {}
    const today = sim.state.today(US)
    for (const s of adSets) {
      const info = learning.get(s.id)?.learning_stage_info
      const mine = rows.filter((r) => r.adset_id === s.id)
      if (!info) {
        expect(mine, s.id).toEqual([])
        continue
      }
      seen[info.status] = (seen[info.status] ?? 0) + 1
      const editDay = new Date(info.last_sig_edit_ts * 1000 - 5 * 3_600_000).toISOString().slice(0, 10)
      const windowEnd = addDays(editDay, 6)
      const inWindow = mine.filter((r) => r.date_start >= editDay && r.date_start <= windowEnd)
      const conversions = inWindow.reduce((sum, r) => sum + results(r, s.optimizationGoal, r.objective), 0)
      expect(info.conversions, s.id).toBe(conversions)
      if (conversions >= 50) expect(info.status, s.id).toBe('SUCCESS')
      else expect(info.status, s.id).toBe(today > windowEnd ? 'FAIL' : 'LEARNING')
    }
    return seen
  }

  it('reports learning_stage_info from each ad set’s own results: LEARNING, then SUCCESS at 50 in 7 days or FAIL', async () => {
    const adSets = sim.state.adSets(US)
    const since = adSets.map((s) => s.startDate).sort()[0]!
    const seen = checkAgainstInsights(await learningOf(), await adSetDays(since), adSets)
    expect(Object.keys(seen).sort()).toEqual(['FAIL', 'LEARNING', 'SUCCESS'])

    // The youngest campaign's ad sets leave the learning phase a week later, one way or the other.
    const young = sim.state.campaigns(US).find((c) => c.status === 'ACTIVE' && c.startDate >= addDays(sim.state.today(US), -5))!
    const youngSets = adSets.filter((s) => s.campaignId === young.id && s.effectiveStatus === 'ACTIVE')
    const before = await learningOf()
    expect(youngSets.map((s) => before.get(s.id)?.learning_stage_info?.status)).toContain('LEARNING')
    now = new Date(NOW.getTime() + 10 * DAY)
    const after = await learningOf()
    for (const s of youngSets) expect(['SUCCESS', 'FAIL']).toContain(after.get(s.id)?.learning_stage_info?.status)
    checkAgainstInsights(after, await adSetDays(since), adSets)
  })

  it('restarts learning on a significant budget edit only', async () => {
    const s = sim.state.adSets(US).find((x) => x.effectiveStatus === 'ACTIVE' && x.dailyBudget !== undefined)!
    const ts = (await learningOf()).get(s.id)?.learning_stage_info?.last_sig_edit_ts
    expect((await graphPost(sim, `/${s.id}`, { daily_budget: Math.round(s.dailyBudget! * 1.1) })).status).toBe(200)
    expect((await learningOf()).get(s.id)?.learning_stage_info?.last_sig_edit_ts).toBe(ts)
    now = new Date(NOW.getTime() + 60_000)
    expect((await graphPost(sim, `/${s.id}`, { daily_budget: Math.round(s.dailyBudget! * 2) })).status).toBe(200)
    const info = (await learningOf()).get(s.id)?.learning_stage_info
    expect(info).toMatchObject({ status: 'LEARNING', last_sig_edit_ts: Math.floor(now.getTime() / 1000) })
  })

  it('tires old creatives ad by ad: their CTR falls and frequency rises while a fresh ad takes over delivery', async () => {
    const campaign = sim.state.campaigns(US)[0]!
    const adSet = sim.state.adSet(campaign.adSetIds[0]!)!
    const ads = sim.state.ads(adSet.id).filter((a) => a.status === 'ACTIVE')
    const old = ads[0]!
    const fresh = ads.at(-1)!
    const today = sim.state.today(US)
    expect(old.startDate).toBe(campaign.startDate)
    expect(fresh.startDate > addDays(today, -10)).toBe(true)
    const { rows } = await walkPages(sim, `/${adSet.id}/insights`, {
      level: 'ad',
      fields: 'ad_id,impressions,reach,clicks',
      time_increment: 1,
      time_range: JSON.stringify({ since: campaign.startDate, until: addDays(today, -1) }),
      limit: 500,
    })
    const sum = (list: Json[], f: string) => list.reduce((s, r) => s + num(r[f]), 0)
    const ctr = (list: Json[]) => sum(list, 'clicks') / sum(list, 'impressions')
    const freq = (list: Json[]) => sum(list, 'impressions') / sum(list, 'reach')
    const both = (id: string) => rows.filter((r) => r.ad_id === id && r.date_start > fresh.startDate)
    expect(both(fresh.id).length).toBeGreaterThan(1)
    expect(ctr(both(old.id))).toBeLessThan(0.85 * ctr(both(fresh.id)))
    expect(freq(both(old.id))).toBeGreaterThan(freq(both(fresh.id)))
    // The old ad was better in its second and third weeks than it is now.
    const oldEarly = rows.filter(
      (r) => r.ad_id === old.id && r.date_start >= addDays(campaign.startDate, 7) && r.date_start < addDays(campaign.startDate, 21),
    )
    expect(ctr(both(old.id))).toBeLessThan(0.8 * ctr(oldEarly))
    // Its share of the ad set's impressions drops once the fresh creative runs.
    const share = (dates: (d: string) => boolean) => {
      const inSet = rows.filter((r) => dates(r.date_start))
      return (
        sum(
          inSet.filter((r) => r.ad_id === old.id),
          'impressions',
        ) / sum(inSet, 'impressions')
      )
    }
    const freshStart = fresh.startDate
    expect(share((d) => d > freshStart)).toBeLessThan(share((d) => d < freshStart && d >= addDays(freshStart, -7)))
    // Spend moves within the ad set; the ad set's own row keeps its size.
    const adSetRows = await graphGet(sim, `/${adSet.id}/insights`, { date_preset: 'last_7d', fields: 'impressions' })
    expect(num(adSetRows.json.data[0].impressions)).toBeGreaterThan(0)
  })
})
