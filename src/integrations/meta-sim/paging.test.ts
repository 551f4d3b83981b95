import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fetchUrl, fixedNow, graphGet, graphPost, LEADS_FIELDS, US, walkPages } from '../../../test/support/meta-sim.ts'
import { startMetaSimulator } from './index.ts'
import type { MetaSimulator } from './types.ts'

describe('meta-sim paging', () => {
  let sim: MetaSimulator
  beforeAll(async () => {
    sim = await startMetaSimulator({ now: fixedNow })
  })
  afterAll(async () => {
    await sim.close()
  })

  const insightsParams = { fields: LEADS_FIELDS, level: 'campaign', time_increment: 1, date_preset: 'last_28d' }

  it('walks every insights row exactly once, ordered by date then campaign', async () => {
    const all = await graphGet(sim, `/act_${US}/insights`, { ...insightsParams, limit: 500 })
    expect(all.json.paging.next).toBeUndefined()
    const expected = all.json.data as Array<Record<string, string>>
    expect(expected.length).toBeGreaterThan(150)

    const walked = await walkPages(sim, `/act_${US}/insights`, { ...insightsParams, limit: 7 })
    expect(walked.pages).toBe(Math.ceil(expected.length / 7))
    expect(walked.rows).toEqual(expected)
    const keys = walked.rows.map((r) => `${r.date_start}|${r.campaign_id}`)
    expect(new Set(keys).size).toBe(keys.length)
    expect([...keys].sort()).toEqual(keys)
    // 28 complete days, none of them today.
    const dates = new Set(walked.rows.map((r) => r.date_start))
    expect(dates.size).toBe(28)
    expect([...dates].sort().at(-1)).toBe('2026-11-24')
    expect([...dates].sort()[0]).toBe('2026-10-28')
  })

  it('pages backwards with paging.previous and ends without paging.next', async () => {
    const first = await graphGet(sim, `/act_${US}/insights`, { ...insightsParams, limit: 10 })
    expect(first.json.paging.previous).toBeUndefined()
    const second = await fetchUrl(first.json.paging.next)
    expect(second.json.paging.cursors.before).toBe('MTAZD')
    const back = await fetchUrl(second.json.paging.previous)
    expect(back.json.data).toEqual(first.json.data)
  })

  it('uses the default page size (25), the pageSize option and caps limit at 500', async () => {
    const res = await graphGet(sim, `/act_${US}/insights`, insightsParams)
    expect(res.json.data).toHaveLength(25)
    expect(res.json.paging.next).toContain('limit=25')
    const small = await startMetaSimulator({ now: fixedNow, pageSize: 4 })
    try {
      expect((await graphGet(small, `/act_${US}/insights`, insightsParams)).json.data).toHaveLength(4)
      expect((await graphGet(small, `/act_${US}/insights`, { ...insightsParams, limit: 9 })).json.data).toHaveLength(9)
    } finally {
      await small.close()
    }
    const big = await startMetaSimulator({
      now: fixedNow,
      accounts: [{ id: '77', name: 'Many', currency: 'USD', timezoneName: 'UTC', campaigns: 60 }],
    })
    try {
      const capped = await graphGet(big, '/act_77/insights', { ...insightsParams, limit: 5000 })
      expect(capped.json.data).toHaveLength(500)
      expect(capped.json.paging.next).toContain('limit=500')
    } finally {
      await big.close()
    }
  })

  it('rejects cursors it did not issue', async () => {
    const res = await graphGet(sim, `/act_${US}/insights`, { ...insightsParams, after: 'not-a-cursor' })
    expect(res.status).toBe(400)
    expect(res.json.error.code).toBe(100)
  })

  it('walks campaigns exactly once even when a campaign is created mid-walk', async () => {
    const local = await startMetaSimulator({ now: fixedNow })
    const everyStatus = JSON.stringify(['ACTIVE', 'PAUSED', 'ARCHIVED', 'DELETED'])
    try {
      const first = await graphGet(local, `/act_${US}/campaigns`, { fields: 'id,name', effective_status: everyStatus, limit: 3 })
      const created = await graphPost(local, `/act_${US}/campaigns`, {
        name: 'Mid-walk',
        objective: 'OUTCOME_TRAFFIC',
        status: 'PAUSED',
        special_ad_categories: '[]',
        is_adset_budget_sharing_enabled: 'false',
      })
      expect(created.status).toBe(200)
      const ids: string[] = first.json.data.map((c: { id: string }) => c.id)
      let next: string | undefined = first.json.paging.next
      while (next) {
        const page = await fetchUrl(next)
        ids.push(...page.json.data.map((c: { id: string }) => c.id))
        next = page.json.paging?.next
      }
      expect(ids).toHaveLength(10)
      expect(new Set(ids).size).toBe(10)
      expect(ids).not.toContain(created.json.id)
      const summary = await graphGet(local, `/act_${US}/campaigns`, { summary: 'total_count', effective_status: everyStatus, limit: 1 })
      expect(summary.json.summary).toEqual({ total_count: 11 })
    } finally {
      await local.close()
    }
  })

  it('filters campaigns by effective_status', async () => {
    const active = await graphGet(sim, `/act_${US}/campaigns`, { fields: 'effective_status', effective_status: '["ACTIVE"]', limit: 100 })
    expect(active.json.data.length).toBeGreaterThan(3)
    for (const c of active.json.data) expect(c.effective_status).toBe('ACTIVE')
  })
})
