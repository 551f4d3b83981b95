/**
 * Intraday delivery follows each account's diurnal curve (issue 14): the hourly breakdown adds up to the day, today's
 * partial numbers at the simulator's clock are the sum of today's hours so far, nights are quiet, other breakdowns
 * are refused as Meta refuses them, and a campaign can be made to overspend today through the control API.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Json } from '../../../test/support/json.ts'
import { graphGet, NOW, num, US, walkPages } from '../../../test/support/meta-sim.ts'
import { startMetaSimulator } from './index.ts'
import type { MetaSimulator } from './types.ts'
import { addDays } from './tz.ts'

const HOURLY = 'hourly_stats_aggregated_by_advertiser_time_zone'
const cents = (rows: Json[]) => rows.reduce((s: number, r: Json) => s + Math.round(num(r.spend) * 100), 0)
const impressions = (rows: Json[]) => rows.reduce((s: number, r: Json) => s + num(r.impressions), 0)

describe('meta-sim hourly delivery', () => {
  let sim: MetaSimulator
  let now: Date
  beforeEach(async () => {
    now = NOW
    sim = await startMetaSimulator({ now: () => now })
  })
  afterEach(async () => {
    await sim.close()
  })

  const insights = (params: Record<string, string | number>) =>
    walkPages(sim, `/act_${US}/insights`, { level: 'account', fields: 'spend,impressions,reach,frequency', time_increment: 1, ...params })

  it('the hours of a day add up to the day, nights deliver less than afternoons, reach and frequency are 0', async () => {
    const today = sim.state.today(`act_${US}`)
    const day = addDays(today, -2)
    const range = JSON.stringify({ since: day, until: day })
    const whole = await insights({ time_range: range })
    const hours = await insights({ time_range: range, breakdowns: HOURLY })
    expect(hours.rows.length).toBeGreaterThan(20)
    expect(cents(hours.rows)).toBe(cents(whole.rows))
    expect(impressions(hours.rows)).toBe(impressions(whole.rows))
    const at = (h: number) =>
      num(hours.rows.find((r) => r[HOURLY] === `${String(h).padStart(2, '0')}:00:00 - ${String(h).padStart(2, '0')}:59:59`)?.spend)
    expect(at(3)).toBeLessThan(at(15) / 2)
    expect(hours.rows.every((r) => r.reach === '0' && r.frequency === '0')).toBe(true)
  })

  it("today's partial numbers are the sum of today's hours so far, and grow faster in the daytime than at night", async () => {
    const today = sim.state.today(`act_${US}`)
    const range = JSON.stringify({ since: today, until: today })
    const soFar = await insights({ time_range: range })
    const hours = await insights({ time_range: range, breakdowns: HOURLY })
    expect(cents(hours.rows)).toBe(cents(soFar.rows))
    // NOW is 07:26 in the account's zone (New York): close to a third of the day's hours, far less of its spend.
    const full = await insights({ time_range: JSON.stringify({ since: addDays(today, -1), until: addDays(today, -1) }) })
    expect(cents(soFar.rows)).toBeLessThan(cents(full.rows) * 0.12)
  })

  it('refuses an invalid breakdown combination with 2/1504041', async () => {
    const res = await graphGet(sim, `/act_${US}/insights`, { level: 'account', fields: 'spend', breakdowns: `${HOURLY},age` })
    expect(res.status).toBe(400)
    expect(res.json.error).toMatchObject({ code: 2, error_subcode: 1504041 })
  })

  it('a pacing surge makes a campaign overspend today, never past 175 % of its daily budget', async () => {
    const campaign = sim.state.campaigns(`act_${US}`).find((c) => c.status === 'ACTIVE' && c.dailyBudget && c.budgetLevel === 'campaign')
    if (!campaign?.dailyBudget) throw new Error('no active campaign with a daily budget')
    const today = sim.state.today(`act_${US}`)
    const spentToday = async () => {
      const r = await walkPages(sim, `/${campaign.id}/insights`, {
        fields: 'spend',
        time_range: JSON.stringify({ since: today, until: today }),
      })
      return cents(r.rows)
    }
    now = new Date(NOW.getTime() + 5 * 3_600_000) // 12:26 in New York
    const before = await spentToday()
    sim.adsManager.surge(campaign.id, 6)
    expect(await spentToday()).toBe(before) // nothing changes the past
    now = new Date(NOW.getTime() + 10 * 3_600_000) // 17:26
    const after = await spentToday()
    expect(after).toBeGreaterThan(campaign.dailyBudget)
    expect(after).toBeLessThanOrEqual(Math.ceil(campaign.dailyBudget * 1.75))
  })
})
