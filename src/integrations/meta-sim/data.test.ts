import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Json } from '../../../test/support/json.ts'
import { fixedNow, graphGet, JP, LEADS_FIELDS, mean, num, US, walkPages } from '../../../test/support/meta-sim.ts'
import { startMetaSimulator } from './index.ts'
import type { MetaSimulator, SimCampaignView } from './types.ts'
import { addDays, daysBetween, weekday } from './tz.ts'

const FIELDS = `${LEADS_FIELDS},action_values`

function actionValue(row: Json, type: string): number {
  return num(row.actions?.find((a: Json) => a.action_type === type)?.value ?? 0)
}

describe('meta-sim data', () => {
  let sim: MetaSimulator
  beforeAll(async () => {
    sim = await startMetaSimulator({ now: fixedNow })
  })
  afterAll(async () => {
    await sim.close()
  })

  async function campaignDaily(c: SimCampaignView, since: string, until: string): Promise<Json[]> {
    const { rows } = await walkPages(sim, `/${c.id}/insights`, {
      fields: FIELDS,
      time_increment: 1,
      time_range: JSON.stringify({ since, until }),
      limit: 500,
    })
    return rows
  }

  it('answers a period without time_increment with its unique reach: at most the sum of daily reach, at least the best day', async () => {
    const range = JSON.stringify({ since: '2026-11-17', until: '2026-11-23' })
    const daily = await walkPages(sim, `/act_${US}/insights`, {
      fields: 'campaign_id,reach,impressions',
      level: 'campaign',
      time_increment: 1,
      time_range: range,
      limit: 500,
    })
    const period = await walkPages(sim, `/act_${US}/insights`, {
      fields: 'campaign_id,reach,impressions,frequency',
      level: 'campaign',
      time_range: range,
      limit: 500,
    })
    expect(period.rows.length).toBeGreaterThan(0)
    let below = 0
    for (const row of period.rows) {
      const days = daily.rows.filter((d) => d.campaign_id === row.campaign_id).map((d) => num(d.reach))
      const sum = days.reduce((a, b) => a + b, 0)
      expect(num(row.reach)).toBeLessThanOrEqual(sum)
      expect(num(row.reach)).toBeGreaterThanOrEqual(Math.max(...days))
      if (num(row.reach) < sum) below++
      expect(num(row.frequency)).toBeCloseTo(num(row.impressions) / num(row.reach), 2)
    }
    expect(below).toBe(period.rows.filter((r) => daily.rows.filter((d) => d.campaign_id === r.campaign_id).length > 1).length)
    // The account total deduplicates across campaigns as well, and is the same on every request.
    const account = await graphGet(sim, `/act_${US}/insights`, { fields: 'reach', level: 'account', time_range: range })
    const again = await graphGet(sim, `/act_${US}/insights`, { fields: 'reach', level: 'account', time_range: range })
    expect(num(account.json.data[0].reach)).toBeLessThan(period.rows.reduce((a, r) => a + num(r.reach), 0))
    expect(again.text).toBe(account.text)
  })

  it('is deterministic: same seed and clock give byte-identical responses', async () => {
    const a = await startMetaSimulator({ now: fixedNow, seed: 7 })
    const b = await startMetaSimulator({ now: fixedNow, seed: 7 })
    const c = await startMetaSimulator({ now: fixedNow, seed: 8 })
    try {
      const params = { fields: FIELDS, level: 'campaign', time_increment: 1, date_preset: 'last_30d', limit: 500 }
      const ra = await graphGet(a, `/act_${US}/insights`, params)
      const rb = await graphGet(b, `/act_${US}/insights`, params)
      const rc = await graphGet(c, `/act_${US}/insights`, params)
      expect(ra.text.replaceAll(a.url.replaceAll('/', '\\/'), 'URL')).toBe(rb.text.replaceAll(b.url.replaceAll('/', '\\/'), 'URL'))
      expect(rc.json.data).not.toEqual(ra.json.data)
      const ca = await graphGet(a, `/act_${JP}/campaigns`, { fields: 'id,name,objective,status,daily_budget,created_time', limit: 50 })
      const cb = await graphGet(b, `/act_${JP}/campaigns`, { fields: 'id,name,objective,status,daily_budget,created_time', limit: 50 })
      expect(ca.text).toBe(cb.text)
    } finally {
      await Promise.all([a.close(), b.close(), c.close()])
    }
  })

  it('gives the same numbers for a day whichever range asked for it', async () => {
    const fresh = await startMetaSimulator({ now: fixedNow })
    try {
      const base = { fields: FIELDS, level: 'campaign', time_increment: 1, limit: 500 }
      const wide = await walkPages(fresh, `/act_${US}/insights`, {
        ...base,
        time_range: JSON.stringify({ since: '2026-09-01', until: '2026-11-24' }),
      })
      const narrow = await graphGet(sim, `/act_${US}/insights`, { ...base, date_preset: 'yesterday' })
      const fromWide = wide.rows.filter((r) => r.date_start === '2026-11-24')
      expect(narrow.json.data.length).toBeGreaterThan(3)
      expect(fromWide).toEqual(narrow.json.data)
    } finally {
      await fresh.close()
    }
  })

  it('has weekly seasonality: weekend lead rate dips and weekend purchase rate peaks', async () => {
    const { rows } = await walkPages(sim, `/act_${US}/insights`, {
      fields: FIELDS,
      level: 'campaign',
      time_increment: 1,
      date_preset: 'last_90d',
      limit: 500,
    })
    const isWeekend = (r: Json): boolean => [0, 6].includes(weekday(r.date_start))
    const rate = (list: Json[], num: (r: Json) => number, den: (r: Json) => number): number =>
      list.reduce((s, r) => s + num(r), 0) / list.reduce((s, r) => s + den(r), 0)
    const leads = rows.filter((r) => r.objective === 'OUTCOME_LEADS')
    const leadRate = (list: Json[]) =>
      rate(
        list,
        (r) => actionValue(r, 'lead'),
        (r) => num(r.clicks),
      )
    expect(leadRate(leads.filter(isWeekend))).toBeLessThan(0.85 * leadRate(leads.filter((r) => !isWeekend(r))))
    const sales = rows.filter((r) => r.objective === 'OUTCOME_SALES')
    const buyRate = (list: Json[]) =>
      rate(
        list,
        (r) => actionValue(r, 'purchase'),
        (r) => actionValue(r, 'landing_page_view'),
      )
    expect(buyRate(sales.filter(isWeekend))).toBeGreaterThan(1.1 * buyRate(sales.filter((r) => !isWeekend(r))))
  })

  it('shows creative fatigue: CTR decays while frequency rises', async () => {
    const fatiguing = sim.state
      .campaigns(US)
      .filter(
        (c) =>
          c.status === 'ACTIVE' && c.delivers && c.fatigue && c.fatigue.halfLifeDays <= 30 && daysBetween(c.startDate, '2026-11-25') >= 42,
      )
    expect(fatiguing.length).toBeGreaterThan(0)
    const c = fatiguing[0]!
    const rows = await campaignDaily(c, c.startDate, '2026-11-24')
    const byAge = (from: number, to: number) =>
      rows.filter((r) => {
        const age = daysBetween(c.startDate, r.date_start)
        return age >= from && age <= to
      })
    const ctr = (list: Json[]) => list.reduce((s, r) => s + num(r.clicks), 0) / list.reduce((s, r) => s + num(r.impressions), 0)
    const weeks23 = byAge(7, 20)
    const lastAge = daysBetween(c.startDate, '2026-11-24')
    const lastWeek = byAge(lastAge - 6, lastAge)
    expect(lastWeek).toHaveLength(7)
    expect(ctr(lastWeek)).toBeLessThan(0.85 * ctr(weeks23))
    expect(mean(lastWeek.map((r) => num(r.frequency)))).toBeGreaterThan(1.15 * mean(weeks23.map((r) => num(r.frequency))))
  })

  it('has a learning phase: lower spend and pricier impressions in the first week', async () => {
    const c = sim.state
      .campaigns(US)
      .find((x) => x.status === 'ACTIVE' && x.delivers && daysBetween(x.startDate, '2026-11-25') > 40 && x.dailyBudget !== undefined)!
    const rows = await campaignDaily(c, c.startDate, addDays(c.startDate, 20))
    const learning = rows.filter((r) => daysBetween(c.startDate, r.date_start) < 7)
    const settled = rows.filter((r) => daysBetween(c.startDate, r.date_start) >= 7 && daysBetween(c.startDate, r.date_start) < 14)
    expect(mean(learning.map((r) => num(r.spend)))).toBeLessThan(0.85 * mean(settled.map((r) => num(r.spend))))
    expect(mean(learning.map((r) => num(r.cpm)))).toBeGreaterThan(1.08 * mean(settled.map((r) => num(r.cpm))))
  })

  it('spends near, but not always at, the daily budget, and never before the start date', async () => {
    const actives = sim.state
      .campaigns(US)
      .filter((c) => c.status === 'ACTIVE' && c.dailyBudget !== undefined && daysBetween(c.startDate, '2026-11-25') > 20)
    const ratios: number[] = []
    for (const c of actives) {
      const rows = await campaignDaily(c, addDays(c.startDate, -5), '2026-11-24')
      expect(rows[0].date_start >= c.startDate).toBe(true)
      for (const r of rows.filter((x) => daysBetween(c.startDate, x.date_start) >= 7)) ratios.push((num(r.spend) * 100) / c.dailyBudget!)
    }
    ratios.sort((a, b) => a - b)
    const median = ratios[Math.floor(ratios.length / 2)]!
    expect(median).toBeGreaterThan(0.8)
    expect(median).toBeLessThan(1.02)
    expect(ratios.filter((r) => r < 0.8).length).toBeGreaterThan(0)
    expect(Math.max(...ratios)).toBeLessThanOrEqual(1.2)
  })

  it('delivers nothing for paused or archived campaigns after they stopped', async () => {
    const stopped = sim.state.campaigns().filter((c) => c.status !== 'ACTIVE' && c.delivers && c.stoppedDate)
    expect(stopped.length).toBeGreaterThan(5)
    for (const c of stopped.slice(0, 6)) {
      const account = sim.state.account(c.accountId)!
      const today = sim.state.today(account.id)
      const { rows } = await walkPages(sim, `/${c.id}/insights`, {
        fields: 'spend',
        time_increment: 1,
        time_range: JSON.stringify({ since: addDays(today, -60), until: today }),
        limit: 500,
      })
      for (const r of rows) expect(r.date_start <= c.stoppedDate!).toBe(true)
    }
  })

  it('resolves date presets in the account time zone', async () => {
    // 03:00 UTC: still the 24th in New York, already the 25th in Tokyo.
    const early = await startMetaSimulator({ now: () => new Date('2026-11-25T03:00:00Z') })
    try {
      const us = await graphGet(early, `/act_${US}/insights`, { date_preset: 'yesterday', level: 'account' })
      const jp = await graphGet(early, `/act_${JP}/insights`, { date_preset: 'yesterday', level: 'account' })
      expect(us.json.data[0].date_start).toBe('2026-11-23')
      expect(jp.json.data[0].date_start).toBe('2026-11-24')
      const last7 = await graphGet(early, `/act_${US}/insights`, { date_preset: 'last_7d', level: 'account' })
      expect(last7.json.data[0]).toMatchObject({ date_start: '2026-11-17', date_stop: '2026-11-23' })
      const today = await graphGet(early, `/act_${JP}/insights`, { date_preset: 'today', level: 'account', fields: 'spend' })
      const yesterday = await graphGet(early, `/act_${JP}/insights`, { date_preset: 'yesterday', level: 'account', fields: 'spend' })
      // 12:00 in Tokyo: today is about half delivered.
      expect(num(today.json.data[0].spend)).toBeLessThan(0.75 * num(yesterday.json.data[0].spend))
      expect(num(today.json.data[0].spend)).toBeGreaterThan(0.25 * num(yesterday.json.data[0].spend))
    } finally {
      await early.close()
    }
  })

  it('aggregates account-level and multi-day rows consistently', async () => {
    // The account row counts every campaign; campaign rows leave deleted campaigns out unless filtered on them.
    const daily = await walkPages(sim, `/act_${US}/insights`, {
      fields: 'impressions,spend,reach,actions',
      level: 'campaign',
      time_increment: 1,
      date_preset: 'last_7d',
      filtering: JSON.stringify([
        { field: 'campaign.effective_status', operator: 'IN', value: ['ACTIVE', 'PAUSED', 'ARCHIVED', 'DELETED'] },
      ]),
      limit: 500,
    })
    const total = await graphGet(sim, `/act_${US}/insights`, {
      fields: 'impressions,spend,reach,actions',
      level: 'account',
      date_preset: 'last_7d',
    })
    expect(total.json.data).toHaveLength(1)
    const row = total.json.data[0]
    expect(num(row.impressions)).toBe(daily.rows.reduce((s, r) => s + num(r.impressions), 0))
    expect(num(row.spend)).toBeCloseTo(
      daily.rows.reduce((s, r) => s + num(r.spend), 0),
      2,
    )
    expect(actionValue(row, 'lead')).toBe(daily.rows.reduce((s, r) => s + actionValue(r, 'lead'), 0))
    expect(num(row.reach)).toBeLessThanOrEqual(daily.rows.reduce((s, r) => s + num(r.reach), 0))
    const weekly = await graphGet(sim, `/act_${US}/insights`, {
      fields: 'impressions',
      level: 'account',
      time_increment: 7,
      date_preset: 'last_28d',
    })
    expect(weekly.json.data.map((r: Json) => r.date_start)).toEqual(['2026-10-28', '2026-11-04', '2026-11-11', '2026-11-18'])
  })

  it('validates insights parameters', async () => {
    const bad = [
      { date_preset: 'last_2d' },
      { time_range: '{"since":"2026-11-10"}' },
      { time_range: JSON.stringify({ since: '2026-11-10', until: '2026-11-01' }) },
      { level: 'creative' },
      { breakdowns: 'age' },
      { time_increment: '91' },
    ]
    for (const params of bad) {
      const res = await graphGet(sim, `/act_${US}/insights`, params)
      expect(res.status, JSON.stringify(params)).toBe(400)
      expect(res.json.error.code).toBe(100)
    }
    const tooOld = await graphGet(sim, `/act_${US}/insights`, { time_range: JSON.stringify({ since: '2023-01-01', until: '2023-01-31' }) })
    expect(tooOld.json.error.code).toBe(3018)
  })
})
