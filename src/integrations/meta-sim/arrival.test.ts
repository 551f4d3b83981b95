import { afterEach, describe, expect, it } from 'vitest'
import { num, walkPages } from '../../../test/support/meta-sim.ts'
import { arrivalFor, arrivedShare, DEFAULT_SIM_ARRIVAL, withArrival } from './arrival.ts'
import { startMetaSimulator } from './index.ts'
import { ZERO_COUNTS } from './model.ts'
import type { MetaSimulator } from './types.ts'
import { addDays, dayBounds } from './tz.ts'

const HOUR = 3_600_000
const ACCOUNT = '987654321'
const TZ = 'America/New_York'
const EVERY_AD_STATUS = ['ACTIVE', 'PAUSED', 'CAMPAIGN_PAUSED', 'ADSET_PAUSED', 'ARCHIVED', 'DELETED']

describe('arrival curves', () => {
  it('interpolate between the end of the day and 1, 2, 3 and 7 days after, then stay complete', () => {
    const c = DEFAULT_SIM_ARRIVAL.purchases
    expect(arrivedShare(c, -5)).toBe(0.4)
    expect(arrivedShare(c, 0)).toBe(0.4)
    expect(arrivedShare(c, 12)).toBeCloseTo(0.5, 9)
    expect(arrivedShare(c, 24)).toBeCloseTo(0.6, 9)
    expect(arrivedShare(c, 48)).toBeCloseTo(0.85, 9)
    expect(arrivedShare(c, 72)).toBeCloseTo(0.93, 9)
    expect(arrivedShare(c, 120)).toBeCloseTo(0.965, 9)
    expect(arrivedShare(c, 168)).toBe(1)
    expect(arrivedShare(c, 1000)).toBe(1)
  })

  it('hold back results and their value, nothing else, the same ones at the same instant', () => {
    const day = { ...ZERO_COUNTS, impressions: 1000, clicks: 50, leads: 20, purchases: 10, purchaseValueMinor: 100_000 }
    const key = [42, 'acct', 'campaign', '2026-11-24']
    const seen = withArrival(day, DEFAULT_SIM_ARRIVAL, 24, key)
    expect(seen).toEqual({ ...day, leads: seen.leads, purchases: seen.purchases, purchaseValueMinor: seen.purchases * 10_000 })
    expect(seen.leads).toBeLessThan(20)
    expect(seen.purchases).toBeLessThan(10)
    // The same results at the same instant, never fewer later, all of them after 7 days.
    expect(withArrival(day, DEFAULT_SIM_ARRIVAL, 24, key)).toEqual(seen)
    let last = 0
    for (let h = 0; h < 168; h += 6) {
      const p = withArrival(day, DEFAULT_SIM_ARRIVAL, h, key).purchases
      expect(p).toBeGreaterThanOrEqual(last)
      last = p
    }
    expect(withArrival(day, DEFAULT_SIM_ARRIVAL, 168, key)).toBe(day)
  })

  it('refuse a curve outside [0, 1] or one that falls', () => {
    expect(() => arrivalFor({ leads: { atEndOfDay: 0.9, afterDays: [0.8, 0.9, 1] } })).toThrow(/never fall/)
    expect(() => arrivalFor({ purchases: { atEndOfDay: 0.5, afterDays: [0.6, 0.8, 1.2] } })).toThrow(/\[0, 1\]/)
    expect(arrivalFor({ leads: { atEndOfDay: 1, afterDays: [1, 1, 1] } }).purchases).toBe(DEFAULT_SIM_ARRIVAL.purchases)
  })
})

describe('meta-sim late conversions', () => {
  let sim: MetaSimulator | undefined
  afterEach(async () => {
    await sim?.close()
    sim = undefined
  })

  /** A day's results as the account reports them at the simulator's clock, summed from rows at `level`. */
  async function dayResults(date: string, level: 'account' | 'campaign' | 'ad') {
    // Deleted objects' rows too, so that every level counts the same results.
    const statuses = level === 'ad' ? EVERY_AD_STATUS : ['ACTIVE', 'PAUSED', 'ARCHIVED', 'DELETED']
    const filtering =
      level === 'account' ? undefined : JSON.stringify([{ field: `${level}.effective_status`, operator: 'IN', value: statuses }])
    const params = {
      time_range: JSON.stringify({ since: date, until: date }),
      fields: 'actions,action_values',
      level,
      filtering,
      limit: 500,
    }
    const out = { leads: 0, purchases: 0, value: 0 }
    for (const r of (await walkPages(sim!, `/act_${ACCOUNT}/insights`, params)).rows) {
      for (const a of r.actions ?? []) {
        if (a.action_type === 'lead') out.leads += num(a.value)
        if (a.action_type === 'purchase') out.purchases += num(a.value)
      }
      for (const a of r.action_values ?? []) if (a.action_type === 'purchase') out.value += Math.round(num(a.value) * 100)
    }
    return out
  }

  it("reports a day's results as they arrive: the account's curve at every level, complete after 7 days", async () => {
    const leadsCurve = { atEndOfDay: 0.7, afterDays: [0.8, 0.9, 0.95] as const }
    let now = new Date('2026-11-25T12:00:00Z')
    sim = await startMetaSimulator({
      now: () => now,
      accounts: [
        { id: ACCOUNT, name: 'Late conversions', currency: 'USD', timezoneName: TZ, campaigns: 200, arrival: { leads: leadsCurve } },
      ],
    })
    // Each of 14 days read a minute before it ends (still today: its partial numbers carry the end-of-day share),
    // then 10, 34, 58 and 100 hours after, and when complete.
    const HOURS = [-1 / 60, 10, 34, 58, 100]
    const days = Array.from({ length: 14 }, (_, i) => addDays('2026-11-10', i))
    const sums = HOURS.map(() => ({ leads: 0, purchases: 0 }))
    const final = { leads: 0, purchases: 0 }
    for (const day of days) {
      const { end } = dayBounds(day, TZ)
      let previous = { leads: 0, purchases: 0, value: 0 }
      for (const [i, hours] of HOURS.entries()) {
        now = new Date(end + hours * HOUR)
        const r = await dayResults(day, 'account')
        sums[i]!.leads += r.leads
        sums[i]!.purchases += r.purchases
        // Never fewer later than earlier.
        expect(r.leads).toBeGreaterThanOrEqual(previous.leads)
        expect(r.purchases).toBeGreaterThanOrEqual(previous.purchases)
        previous = r
        // account = Σ campaigns = Σ ads at every instant, results and their value.
        if (day === days[0]) {
          expect(await dayResults(day, 'ad'), `${hours} h`).toEqual(r)
          expect(await dayResults(day, 'campaign'), `${hours} h`).toEqual(r)
        }
      }
      now = new Date(end + 7 * 24 * HOUR)
      const complete = await dayResults(day, 'account')
      now = new Date(end + 30 * 24 * HOUR)
      expect(await dayResults(day, 'account')).toEqual(complete)
      final.leads += complete.leads
      final.purchases += complete.purchases
    }
    // Each result arrives on its own (binomial): with n final results the share seen has a standard deviation of at
    // most √(0.25 / n), under 0.012 here; 0.04 is over three of them.
    expect(final.leads).toBeGreaterThan(2000)
    expect(final.purchases).toBeGreaterThan(2000)
    for (const [i, hours] of HOURS.entries()) {
      expect(Math.abs(sums[i]!.leads / final.leads - arrivedShare(leadsCurve, hours)), `leads ${hours} h`).toBeLessThan(0.04)
      const purchases = sums[i]!.purchases / final.purchases
      expect(Math.abs(purchases - arrivedShare(DEFAULT_SIM_ARRIVAL.purchases, hours)), `purchases ${hours} h`).toBeLessThan(0.04)
    }
  })
})
