import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Json } from '../../../test/support/json.ts'
import { fetchUrl, fixedNow, graphGet, graphPost, US, walkPages } from '../../../test/support/meta-sim.ts'
import { startMetaSimulator } from './index.ts'
import type { MetaSimulator } from './types.ts'

const EVERY_AD_STATUS = ['ACTIVE', 'PAUSED', 'CAMPAIGN_PAUSED', 'ADSET_PAUSED', 'ARCHIVED', 'DELETED']
const AD_PARAMS = {
  level: 'ad',
  fields:
    'campaign_id,campaign_name,adset_id,adset_name,ad_id,ad_name,objective,impressions,reach,frequency,clicks,inline_link_clicks,spend,actions,action_values',
  time_increment: 1,
  filtering: JSON.stringify([{ field: 'ad.effective_status', operator: 'IN', value: EVERY_AD_STATUS }]),
}
const window = (since: string, until: string) => JSON.stringify({ since, until })

describe('meta-sim insights size limit and async report runs', () => {
  let sim: MetaSimulator
  beforeEach(async () => {
    sim = await startMetaSimulator({ now: fixedNow, syncInsightsLimit: 1_000, asyncReportPolls: 3 })
  })
  afterEach(async () => {
    await sim.close()
  })

  async function pollUntilDone(runId: string, max = 10): Promise<Json[]> {
    const seen: Json[] = []
    for (let i = 0; i < max; i++) {
      const status = (await graphGet(sim, `/${runId}`)).json
      seen.push(status)
      if (status.async_status === 'Job Completed' || status.async_status === 'Job Failed') break
    }
    return seen
  }

  async function reportRows(runId: string, limit = 50): Promise<Json[]> {
    const rows: Json[] = []
    let page = await graphGet(sim, `/${runId}/insights`, { limit })
    for (;;) {
      expect(page.status).toBe(200)
      rows.push(...page.json.data)
      if (!page.json.paging?.next) return rows
      page = await fetchUrl(page.json.paging.next)
    }
  }

  it('times synchronous insights out above objects × days, with 100/1504018, and never async runs', async () => {
    const big = { ...AD_PARAMS, time_range: window('2026-10-26', '2026-11-24'), limit: 500 }
    const res = await graphGet(sim, `/act_${US}/insights`, big)
    expect(res.status).toBe(400)
    expect(res.json.error).toMatchObject({
      message: 'Request Timed Out. Try a smaller date range, fetch less data, or use async jobs',
      type: 'OAuthException',
      code: 100,
      error_subcode: 1504018,
      is_transient: false,
    })
    // The same account at campaign level, or over two days, stays under the limit.
    expect((await graphGet(sim, `/act_${US}/insights`, { ...big, level: 'campaign', filtering: '[]' })).status).toBe(200)
    expect((await graphGet(sim, `/act_${US}/insights`, { ...big, time_range: window('2026-11-23', '2026-11-24') })).status).toBe(200)

    const run = await graphPost(sim, `/act_${US}/insights`, big)
    const statuses = await pollUntilDone(run.json.report_run_id)
    expect(statuses.at(-1)).toMatchObject({ async_status: 'Job Completed', async_percent_completion: 100 })
    expect((await reportRows(run.json.report_run_id, 500)).length).toBeGreaterThan(1_000)
  })

  it('answers 2/1504038 when that fault is set, on synchronous insights only', async () => {
    sim.faults.insightsTimeout({ code: 2, times: 1 })
    const small = { level: 'campaign', date_preset: 'yesterday' }
    const res = await graphGet(sim, `/act_${US}/insights`, small)
    expect(res.json.error).toMatchObject({ code: 2, error_subcode: 1504038 })
    expect((await graphGet(sim, `/act_${US}/insights`, small)).status).toBe(200)
  })

  it('runs a level=ad report Not Started → Started → Running → Completed whose pages equal the sync rows', async () => {
    const params = { ...AD_PARAMS, time_range: window('2026-11-20', '2026-11-24') }
    const created = await graphPost(sim, `/act_${US}/insights`, params)
    const runId: string = created.json.report_run_id
    const statuses = await pollUntilDone(runId)
    expect(statuses.map((s) => s.async_status)).toEqual(['Job Not Started', 'Job Started', 'Job Running', 'Job Completed'])
    expect(statuses.map((s) => s.async_percent_completion)).toEqual([0, 50, 75, 100])
    const fromRun = await reportRows(runId, 40)
    const sync = await walkPages(sim, `/act_${US}/insights`, { ...params, limit: 500 })
    expect(sync.rows.length).toBeGreaterThan(40)
    expect(fromRun).toEqual(sync.rows)
    expect(fromRun.every((r) => r.ad_id && r.adset_id && r.campaign_id)).toBe(true)
  })

  it('fails the next N runs, then completes', async () => {
    sim.faults.reportFailure({ times: 2 })
    const params = { ...AD_PARAMS, time_range: window('2026-11-23', '2026-11-24') }
    const outcomes: string[] = []
    for (let i = 0; i < 3; i++) {
      const run = await graphPost(sim, `/act_${US}/insights`, params)
      const last = (await pollUntilDone(run.json.report_run_id)).at(-1)
      outcomes.push(last.async_status)
      if (last.async_status === 'Job Failed') {
        expect(last).toMatchObject({ error_code: -2, error_subcode: 2490547, error_user_title: 'Report Failed' })
        expect(typeof last.error_message).toBe('string')
        expect(typeof last.error_user_msg).toBe('string')
        expect((await graphGet(sim, `/${run.json.report_run_id}/insights`)).status).toBe(400)
      }
    }
    expect(outcomes).toEqual(['Job Failed', 'Job Failed', 'Job Completed'])
  })

  it('fails runs over windows longer than N days, so a client splits the window', async () => {
    sim.faults.reportFailure({ longerThanDays: 7 })
    const run = async (since: string, until: string) => {
      const created = await graphPost(sim, `/act_${US}/insights`, { ...AD_PARAMS, time_range: window(since, until) })
      return { id: created.json.report_run_id as string, status: (await pollUntilDone(created.json.report_run_id)).at(-1).async_status }
    }
    expect((await run('2026-11-01', '2026-11-14')).status).toBe('Job Failed')
    const first = await run('2026-11-01', '2026-11-07')
    const second = await run('2026-11-08', '2026-11-14')
    expect([first.status, second.status]).toEqual(['Job Completed', 'Job Completed'])
    const halves = [...(await reportRows(first.id, 500)), ...(await reportRows(second.id, 500))]
    expect(new Set(halves.map((r) => r.date_start)).size).toBe(14)
    // The fault stays until cleared.
    expect((await run('2026-11-01', '2026-11-30')).status).toBe('Job Failed')
  })

  it('keeps a stuck run in Job Running however often it is polled', async () => {
    sim.faults.reportStuck({ times: 1 })
    const created = await graphPost(sim, `/act_${US}/insights`, { ...AD_PARAMS, date_preset: 'yesterday' })
    const statuses = await pollUntilDone(created.json.report_run_id, 12)
    expect(statuses).toHaveLength(12)
    expect(new Set(statuses.map((s) => s.async_status))).toEqual(new Set(['Job Running']))
    expect((await graphGet(sim, `/${created.json.report_run_id}/insights`)).status).toBe(400)
    const next = await graphPost(sim, `/act_${US}/insights`, { ...AD_PARAMS, date_preset: 'yesterday' })
    expect((await pollUntilDone(next.json.report_run_id)).at(-1).async_status).toBe('Job Completed')
  })

  it('accepts the async faults over the control API', async () => {
    const res = await fetch(`${sim.url}/__sim/faults`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sim.controlToken}`, 'content-type': 'application/json' },
      body: JSON.stringify([
        { kind: 'report_failure', longerThanDays: 3 },
        { kind: 'report_stuck', times: 1 },
        { kind: 'insights_timeout', code: 100, times: 1 },
      ]),
    })
    expect(res.status).toBe(201)
    expect(sim.faults.list().map((f) => f.spec.kind)).toEqual(['report_failure', 'report_stuck', 'insights_timeout'])
    expect((await graphGet(sim, `/act_${US}/insights`, { date_preset: 'yesterday' })).json.error.error_subcode).toBe(1504018)
  })
})
