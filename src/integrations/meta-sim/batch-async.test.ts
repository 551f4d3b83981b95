import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadFixture } from '../../../test/support/meta-fixtures.ts'
import { fixedNow, graphGet, graphPost, LEADS_FIELDS, US } from '../../../test/support/meta-sim.ts'
import { startMetaSimulator } from './index.ts'
import type { MetaSimulator } from './types.ts'

describe('meta-sim batch requests', () => {
  let sim: MetaSimulator
  beforeEach(async () => {
    sim = await startMetaSimulator({ now: fixedNow })
  })
  afterEach(async () => {
    await sim.close()
  })

  it('answers like the batch fixture: 200 with per-item codes and JSON-string bodies', async () => {
    const fixture = loadFixture('batch.response.json')
    const [a, b] = sim.state.campaigns(US).filter((c) => c.status === 'ACTIVE' && c.dailyBudget !== undefined)
    // Four budget changes exhaust b's hourly allowance, so the batch's second item fails like the fixture.
    for (let i = 0; i < 4; i++) expect((await graphPost(sim, `/${b!.id}`, { daily_budget: 7000 + i })).status).toBe(200)
    const res = await graphPost(sim, '/', {
      include_headers: 'false',
      batch: JSON.stringify([
        { method: 'POST', relative_url: a!.id, body: 'status=PAUSED' },
        { method: 'POST', relative_url: b!.id, body: 'daily_budget=6000' },
      ]),
    })
    expect(res.status).toBe(fixture.status)
    const items = res.json as Array<{ code: number; body: string }>
    const expected = fixture.body as Array<{ code: number; body: string }>
    expect(items.map((i) => Object.keys(i))).toEqual(expected.map((i) => Object.keys(i)))
    expect(items[0]).toEqual(expected[0])
    expect(items[1]!.code).toBe(400)
    const err = JSON.parse(items[1]!.body).error
    expect({ ...err, fbtrace_id: 'x' }).toEqual({ ...JSON.parse(expected[1]!.body).error, is_transient: false, fbtrace_id: 'x' })
    expect(sim.stats().byRoute['POST / (batch)']).toBe(1)
    expect(sim.stats().byRoute['POST /{campaign_id}']).toBe(6)
  })

  it('resolves {result=name:$.path} references and includes headers by default', async () => {
    const res = await graphPost(sim, '/', {
      batch: JSON.stringify([
        {
          method: 'POST',
          name: 'create',
          relative_url: `act_${US}/campaigns`,
          body: 'name=Batch+made&objective=OUTCOME_LEADS&status=PAUSED&special_ad_categories=%5B%5D&is_adset_budget_sharing_enabled=false',
        },
        { method: 'GET', relative_url: '{result=create:$.id}?fields=name,status' },
        { method: 'GET', relative_url: 'v26.0/me' },
      ]),
    })
    expect(res.status).toBe(200)
    const [first, second, third] = res.json
    expect(first).toBeNull()
    expect(second.code).toBe(200)
    expect(JSON.parse(second.body)).toMatchObject({ name: 'Batch made', status: 'PAUSED' })
    expect(second.headers).toContainEqual({ name: 'content-type', value: 'application/json; charset=UTF-8' })
    expect(JSON.parse(third.body).id).toBe('100089000000042')
    const tooMany = await graphPost(sim, '/', {
      batch: JSON.stringify(Array.from({ length: 51 }, () => ({ method: 'GET', relative_url: 'me' }))),
    })
    expect(tooMany.json.error.code).toBe(100)
  })
})

describe('meta-sim async insights report runs', () => {
  let sim: MetaSimulator
  beforeEach(async () => {
    sim = await startMetaSimulator({ now: fixedNow })
  })
  afterEach(async () => {
    await sim.close()
  })

  const params = { level: 'campaign', time_increment: 1, date_preset: 'last_30d', fields: LEADS_FIELDS }

  it('creates, polls and pages a report like the async fixtures', async () => {
    const created = await graphPost(sim, `/act_${US}/insights`, params)
    expect(Object.keys(created.json)).toEqual(Object.keys(loadFixture('insights-async-create.response.json').body as object))
    const runId: string = created.json.report_run_id
    expect(runId).toMatch(/^\d+$/)

    const running = await graphGet(sim, `/${runId}`)
    expect(Object.keys(running.json)).toEqual(Object.keys(loadFixture('insights-async-status.running.json').body as object))
    expect(running.json).toMatchObject({ id: runId, account_id: US, async_status: 'Job Started' })
    expect((await graphGet(sim, `/${runId}/insights`)).status).toBe(400)
    expect((await graphGet(sim, `/${runId}`)).json.async_status).toBe('Job Running')
    const done = await graphGet(sim, `/${runId}`)
    expect(Object.keys(done.json)).toEqual(Object.keys(loadFixture('insights-async-status.completed.verbatim.json').body as object))
    expect(done.json).toMatchObject({ async_status: 'Job Completed', async_percent_completion: 100 })

    const fromReport = await graphGet(sim, `/${runId}/insights`, { limit: 500 })
    const sync = await graphGet(sim, `/act_${US}/insights`, { ...params, limit: 500 })
    expect(fromReport.json.data).toEqual(sync.json.data)
  })

  it('fails a report on demand with the v25 failure fields', async () => {
    sim.faults.reportFailure({ times: 1 })
    const created = await graphPost(sim, `/act_${US}/insights`, params)
    const status = await graphGet(sim, `/${created.json.report_run_id}`)
    const fixture = loadFixture('insights-async-status.failed-v25.json').body as Record<string, unknown>
    expect(Object.keys(status.json)).toEqual(Object.keys(fixture))
    expect(status.json).toMatchObject({
      async_status: 'Job Failed',
      error_code: fixture.error_code,
      error_subcode: fixture.error_subcode,
      error_message: fixture.error_message,
      error_user_title: fixture.error_user_title,
    })
    const second = await graphPost(sim, `/act_${US}/insights`, params)
    expect((await graphGet(sim, `/${second.json.report_run_id}`)).json.async_status).not.toBe('Job Failed')
  })

  it('validates report parameters up front', async () => {
    const bad = await graphPost(sim, `/act_${US}/insights`, { ...params, date_preset: 'forever' })
    expect(bad.status).toBe(400)
    expect(bad.json.error.code).toBe(100)
  })
})
