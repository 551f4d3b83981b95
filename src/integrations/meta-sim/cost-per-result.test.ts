/**
 * The control API's cost-per-result edit (issue 14: a playground user must be able to cause a cost spike): from the
 * start of a day some days ago a campaign converts `factor` times less for the same spend, at every level alike, and
 * the days before stay as they were.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Json } from '../../../test/support/json.ts'
import { NOW, num, US, walkPages } from '../../../test/support/meta-sim.ts'
import { startMetaSimulator } from './index.ts'
import type { MetaSimulator } from './types.ts'
import { addDays } from './tz.ts'

const leadsOf = (r: Json) => (r.actions ?? []).reduce((s: number, a: Json) => s + (a.action_type === 'lead' ? num(a.value) : 0), 0)
const cents = (r: Json) => Math.round(num(r.spend) * 100)

describe('meta-sim cost-per-result edit', () => {
  let sim: MetaSimulator
  beforeEach(async () => {
    sim = await startMetaSimulator({ now: () => NOW, controlToken: 'ctl' })
  })
  afterEach(async () => {
    await sim.close()
  })

  /** Per level and date: summed leads, spend, impressions and clicks of the campaign's rows. */
  const byDay = async (campaignId: string, level: 'campaign' | 'adset' | 'ad') => {
    const r = await walkPages(sim, `/${campaignId}/insights`, {
      level,
      fields: 'spend,impressions,clicks,actions',
      time_increment: 1,
      date_preset: 'last_14d',
      limit: 500,
    })
    const out = new Map<string, { leads: number; spend: number; impressions: number; clicks: number }>()
    for (const row of r.rows) {
      const t = out.get(row.date_start) ?? { leads: 0, spend: 0, impressions: 0, clicks: 0 }
      t.leads += leadsOf(row)
      t.spend += cents(row)
      t.impressions += num(row.impressions)
      t.clicks += num(row.clicks)
      out.set(row.date_start, t)
    }
    return out
  }

  it('divides a lead campaign’s results by the factor from the start of that day, spend unchanged, levels adding up', async () => {
    const campaigns = sim.state.campaigns(`act_${US}`).filter((c) => c.status === 'ACTIVE' && c.objective === 'OUTCOME_LEADS')
    // The lead campaign with the most leads (the simulator's world is seeded: always the same one).
    let campaign: (typeof campaigns)[number] | undefined
    let before = new Map<string, { leads: number; spend: number; impressions: number; clicks: number }>()
    let most = 0
    for (const c of campaigns) {
      const days = await byDay(c.id, 'campaign')
      const leads = [...days.values()].reduce((s, d) => s + d.leads, 0)
      if (leads > most) [campaign, before, most] = [c, days, leads]
    }
    if (!campaign) throw new Error('no active lead campaign with enough leads')
    const today = sim.state.today(`act_${US}`)
    const since = addDays(today, -3)

    // Through the HTTP control API, as a playground user would.
    const res = await fetch(`${sim.url}/__sim/objects/${campaign.id}`, {
      method: 'POST',
      headers: { authorization: 'Bearer ctl' },
      body: JSON.stringify({ cost_per_result: 3, since_days_ago: 3 }),
    })
    expect(res.status).toBe(200)

    const after = await byDay(campaign.id, 'campaign')
    let leadsBefore = 0
    let leadsAfter = 0
    for (const [date, was] of before) {
      const now = after.get(date)
      expect(now?.spend).toBe(was.spend)
      expect(now?.impressions).toBe(was.impressions)
      expect(now?.clicks).toBe(was.clicks)
      if (date < since) expect(now?.leads).toBe(was.leads)
      else {
        expect(now?.leads ?? 0).toBeLessThanOrEqual(Math.ceil(was.leads / 3) + 2)
        leadsBefore += was.leads
        leadsAfter += now?.leads ?? 0
      }
    }
    expect(leadsBefore).toBeGreaterThan(8)
    expect(leadsAfter / leadsBefore).toBeGreaterThan(0.2)
    expect(leadsAfter / leadsBefore).toBeLessThan(0.45)

    const adSets = await byDay(campaign.id, 'adset')
    const ads = await byDay(campaign.id, 'ad')
    for (const [date, c] of after) {
      expect(adSets.get(date)?.leads).toBe(c.leads)
      expect(ads.get(date)?.leads).toBe(c.leads)
    }
  })

  it('refuses a factor or a number of days out of range, and a body mixing edits', async () => {
    const campaign = sim.state.campaigns(`act_${US}`)[0]
    if (!campaign) throw new Error('no campaign')
    for (const body of [
      { cost_per_result: 30, since_days_ago: 1 },
      { cost_per_result: 3, since_days_ago: 15 },
      { cost_per_result: 3, since_days_ago: 1.5 },
      { cost_per_result: 3 },
      { cost_per_result: 3, since_days_ago: 1, pacing: 2 },
    ]) {
      const res = await fetch(`${sim.url}/__sim/objects/${campaign.id}`, {
        method: 'POST',
        headers: { authorization: 'Bearer ctl' },
        body: JSON.stringify(body),
      })
      expect(res.status).toBe(400)
    }
  })
})
