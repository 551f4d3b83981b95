/**
 * The ad-level reads of the Meta client against small local Graph responses: the ad set and ad lists (every
 * effective status, paged), daily ad and campaign-reach Insights (with the deleted-objects filter), and async
 * report runs (create, poll, read), with the request shapes of the reference (§2, §3, §8).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { type GraphServer, type Handler, inOrder, loadFixture, ok, replay, startGraphServer } from '../../../test/support/meta-fixtures.ts'
import { MetaApiError } from './errors.ts'
import { createGraphClient, type GraphClient } from './graph-client.ts'
import { createMetaApi, type MetaApi } from './meta-api.ts'

const TOKEN = 'EAAGm0PX4ZCpsBAKZBtestSystemUserToken1234567890'
const ACT = 'act_1234567890123456'

const CAMPAIGN_STATUSES = ['ACTIVE', 'PAUSED', 'DELETED', 'ARCHIVED', 'IN_PROCESS', 'WITH_ISSUES']
const ADSET_STATUSES = [...CAMPAIGN_STATUSES, 'CAMPAIGN_PAUSED']
const AD_STATUSES = [...ADSET_STATUSES, 'ADSET_PAUSED', 'PENDING_REVIEW', 'DISAPPROVED', 'PREAPPROVED', 'PENDING_BILLING_INFO']

let server: GraphServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

async function setup(handler: Handler = () => ({ status: 500 })): Promise<{ api: MetaApi; client: GraphClient; srv: GraphServer }> {
  server = await startGraphServer(handler)
  const client = createGraphClient({ baseUrl: server.baseUrl, version: 'v26.0', sleep: async () => {}, random: () => 0.5 })
  return { api: createMetaApi(client), client, srv: server }
}

async function pagesOf<T>(it: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = []
  for await (const p of it) out.push(p)
  return out
}

/** The request's parameters without credentials. */
function paramsOf(q: URLSearchParams | undefined): Record<string, string> {
  return Object.fromEntries([...(q ?? [])].filter(([k]) => k !== 'access_token' && k !== 'appsecret_proof'))
}

describe('structure lists with every effective status', () => {
  it('listCampaigns asks for archived and deleted campaigns too, 500 a page', async () => {
    const { api, srv } = await setup(inOrder(ok({ data: [] })))
    await api.listCampaigns(TOKEN, ACT)
    expect(srv.requests[0]?.path).toBe(`/v26.0/${ACT}/campaigns`)
    expect(paramsOf(srv.requests[0]?.query)).toEqual({
      fields: 'id,name,objective,status,effective_status,daily_budget,lifetime_budget,created_time',
      effective_status: JSON.stringify(CAMPAIGN_STATUSES),
      limit: '500',
    })
  })

  it('listAdSets yields page by page, with budgets and bids in minor units and the learning stage', async () => {
    const { api, client, srv } = await setup()
    srv.handler = inOrder(
      ok({
        data: [
          {
            id: '2301',
            name: 'US 25-44',
            campaign_id: '1201',
            status: 'ACTIVE',
            effective_status: 'ACTIVE',
            daily_budget: '2500',
            lifetime_budget: '0',
            bid_strategy: 'COST_CAP',
            bid_amount: '450',
            optimization_goal: 'LEAD_GENERATION',
            billing_event: 'IMPRESSIONS',
            start_time: '2026-11-01T00:00:00-0800',
            created_time: '2026-11-01T09:00:00-0800',
            learning_stage_info: { status: 'LEARNING', conversions: 12, last_sig_edit_ts: 1795600000 },
          },
        ],
        paging: { cursors: { after: 'QVFI' }, next: `${srv.baseUrl}/v26.0/${ACT}/adsets?limit=500&after=QVFI` },
      }),
      ok({ data: [{ id: '2302', name: 'Old', campaign_id: '1202', status: 'DELETED', effective_status: 'DELETED' }] }),
    )
    const pages = await pagesOf(api.listAdSets(TOKEN, ACT))
    expect(pages.map((p) => p.length)).toEqual([1, 1])
    expect(client.stats.requests).toBe(2)
    expect(srv.requests[0]?.path).toBe(`/v26.0/${ACT}/adsets`)
    expect(paramsOf(srv.requests[0]?.query)).toEqual({
      fields:
        'id,name,campaign_id,status,effective_status,daily_budget,lifetime_budget,bid_strategy,bid_amount,optimization_goal,billing_event,start_time,end_time,created_time,learning_stage_info',
      effective_status: JSON.stringify(ADSET_STATUSES),
      limit: '500',
    })
    expect(srv.requests[1]?.query.get('after')).toBe('QVFI')
    expect(pages[0]?.[0]).toEqual({
      id: '2301',
      name: 'US 25-44',
      campaignId: '1201',
      status: 'ACTIVE',
      effectiveStatus: 'ACTIVE',
      dailyBudgetMinor: 2500,
      lifetimeBudgetMinor: null,
      bidStrategy: 'COST_CAP',
      bidAmountMinor: 450,
      optimizationGoal: 'LEAD_GENERATION',
      billingEvent: 'IMPRESSIONS',
      startTime: '2026-11-01T00:00:00-0800',
      endTime: null,
      createdTime: '2026-11-01T09:00:00-0800',
      learningStage: 'LEARNING',
    })
    expect(pages[1]?.[0]).toMatchObject({
      id: '2302',
      status: 'DELETED',
      dailyBudgetMinor: null,
      learningStage: null,
      bidAmountMinor: null,
    })
  })

  it('listAds expands the creative (name, thumbnail, headline, primary text)', async () => {
    const { api, srv } = await setup(
      inOrder(
        ok({
          data: [
            {
              id: '3401',
              name: 'Video A',
              adset_id: '2301',
              campaign_id: '1201',
              status: 'ACTIVE',
              effective_status: 'ADSET_PAUSED',
              created_time: '2026-11-02T10:00:00-0800',
              creative: {
                id: '4501',
                name: 'Spring video',
                thumbnail_url: 'https://scontent.example/t.jpg',
                title: 'Get a quote',
                body: 'Fast, free quotes.',
              },
            },
            { id: '3402', name: 'No creative', adset_id: '2301', campaign_id: '1201', status: 'ARCHIVED', effective_status: 'ARCHIVED' },
          ],
        }),
      ),
    )
    const [page] = await pagesOf(api.listAds(TOKEN, '1234567890123456'))
    expect(srv.requests[0]?.path).toBe(`/v26.0/${ACT}/ads`)
    expect(paramsOf(srv.requests[0]?.query)).toEqual({
      fields: 'id,name,adset_id,campaign_id,status,effective_status,created_time,creative{id,name,thumbnail_url,title,body}',
      effective_status: JSON.stringify(AD_STATUSES),
      limit: '500',
    })
    expect(page).toEqual([
      {
        id: '3401',
        name: 'Video A',
        adSetId: '2301',
        campaignId: '1201',
        status: 'ACTIVE',
        effectiveStatus: 'ADSET_PAUSED',
        createdTime: '2026-11-02T10:00:00-0800',
        creativeId: '4501',
        creativeName: 'Spring video',
        thumbnailUrl: 'https://scontent.example/t.jpg',
        headline: 'Get a quote',
        primaryText: 'Fast, free quotes.',
      },
      {
        id: '3402',
        name: 'No creative',
        adSetId: '2301',
        campaignId: '1201',
        status: 'ARCHIVED',
        effectiveStatus: 'ARCHIVED',
        createdTime: null,
        creativeId: null,
        creativeName: null,
        thumbnailUrl: null,
        headline: null,
        primaryText: null,
      },
    ])
  })
})

const AD_ROW = {
  campaign_id: '1201',
  campaign_name: 'Leads | US',
  adset_id: '2301',
  adset_name: 'US 25-44',
  ad_id: '3401',
  ad_name: 'Video A',
  objective: 'OUTCOME_LEADS',
  date_start: '2026-11-20',
  date_stop: '2026-11-20',
  impressions: '1200',
  reach: '1000',
  frequency: '1.2',
  clicks: '40',
  inline_link_clicks: '31',
  spend: '12.34',
  actions: [
    { action_type: 'lead', value: '3' },
    { action_type: 'onsite_conversion.lead_grouped', value: '3' },
  ],
}

describe('daily reports', () => {
  it('ad-level daily insights: level=ad with the ids of every level and the filter that keeps deleted ads', async () => {
    const { api, srv } = await setup(inOrder(ok({ data: [AD_ROW] })))
    const [page] = await pagesOf(api.fetchDailyReport(TOKEN, ACT, 'ad', { since: '2026-11-20', until: '2026-11-22', currency: 'USD' }))
    expect(srv.requests[0]?.method).toBe('GET')
    expect(srv.requests[0]?.path).toBe(`/v26.0/${ACT}/insights`)
    expect(paramsOf(srv.requests[0]?.query)).toEqual({
      level: 'ad',
      time_increment: '1',
      time_range: '{"since":"2026-11-20","until":"2026-11-22"}',
      fields:
        'campaign_id,campaign_name,adset_id,adset_name,ad_id,ad_name,objective,date_start,date_stop,impressions,reach,frequency,clicks,inline_link_clicks,spend,actions,action_values',
      filtering: JSON.stringify([{ field: 'ad.effective_status', operator: 'IN', value: AD_STATUSES }]),
      limit: '500',
    })
    expect(page).toEqual([
      {
        campaignId: '1201',
        campaignName: 'Leads | US',
        adSetId: '2301',
        adSetName: 'US 25-44',
        adId: '3401',
        adName: 'Video A',
        objective: 'OUTCOME_LEADS',
        date: '2026-11-20',
        impressions: 1200,
        reach: 1000,
        frequency: 1.2,
        clicks: 40,
        linkClicks: 31,
        spendMinor: 1234,
        leads: 3,
        purchases: 0,
        purchaseValueMinor: 0,
      },
    ])
  })

  it('campaign-day reach: level=campaign, reach fields only, filtered on campaign.effective_status', async () => {
    const { api, srv } = await setup(
      inOrder(
        ok({
          data: [
            {
              campaign_id: '1201',
              date_start: '2026-11-20',
              date_stop: '2026-11-20',
              impressions: '5000',
              reach: '3100',
              frequency: '1.6129',
            },
          ],
        }),
      ),
    )
    const [page] = await pagesOf(
      api.fetchDailyReport(TOKEN, ACT, 'campaign_reach', { since: '2026-11-20', until: '2026-11-20', currency: 'USD' }),
    )
    expect(paramsOf(srv.requests[0]?.query)).toEqual({
      level: 'campaign',
      time_increment: '1',
      time_range: '{"since":"2026-11-20","until":"2026-11-20"}',
      fields: 'campaign_id,date_start,date_stop,impressions,reach,frequency',
      filtering: JSON.stringify([{ field: 'campaign.effective_status', operator: 'IN', value: CAMPAIGN_STATUSES }]),
      limit: '500',
    })
    expect(page).toEqual([{ campaignId: '1201', date: '2026-11-20', impressions: 5000, reach: 3100, frequency: 1.6129 }])
  })

  it('a sync request Meta cannot answer in time (2/1504038) fails as too_large after one request', async () => {
    const { api, srv } = await setup(() => ({
      status: 400,
      body: { error: { message: 'Request Timed Out', code: 2, error_subcode: 1504038, is_transient: true, fbtrace_id: 'A1' } },
    }))
    const e = await pagesOf(api.fetchDailyReport(TOKEN, ACT, 'ad', { since: '2026-11-01', until: '2026-11-28', currency: 'USD' })).catch(
      (err: unknown) => err,
    )
    expect(e).toBeInstanceOf(MetaApiError)
    expect(e).toMatchObject({ kind: 'too_large', code: 2, subcode: 1504038 })
    expect(srv.requests).toHaveLength(1)
  })

  it('refuses bad ranges before calling Meta', async () => {
    const { api, srv } = await setup()
    expect(() => api.fetchDailyReport(TOKEN, ACT, 'ad', { since: '2026-11-22', until: '2026-11-21', currency: 'USD' })).toThrow(/after/)
    await expect(api.startDailyReport(TOKEN, ACT, 'ad', { since: '2026/11/01', until: '2026-11-21' })).rejects.toThrow(/YYYY-MM-DD/)
    expect(srv.requests).toHaveLength(0)
  })
})

describe('async report runs', () => {
  it('POST /act_x/insights with the same parameters (no paging) returns the run id, a string or a number', async () => {
    const { api, srv } = await setup(
      inOrder(replay(loadFixture('insights-async-create.response.json')), ok({ report_run_id: 6023920149050 })),
    )
    await expect(api.startDailyReport(TOKEN, ACT, 'ad', { since: '2026-11-01', until: '2026-11-28' })).resolves.toBe('6023920149050')
    const req = srv.requests[0]
    expect(req?.method).toBe('POST')
    expect(req?.path).toBe(`/v26.0/${ACT}/insights`)
    expect(Object.fromEntries([...(req?.form ?? [])].filter(([k]) => k !== 'appsecret_proof'))).toEqual({
      level: 'ad',
      time_increment: '1',
      time_range: '{"since":"2026-11-01","until":"2026-11-28"}',
      fields:
        'campaign_id,campaign_name,adset_id,adset_name,ad_id,ad_name,objective,date_start,date_stop,impressions,reach,frequency,clicks,inline_link_clicks,spend,actions,action_values',
      filtering: JSON.stringify([{ field: 'ad.effective_status', operator: 'IN', value: AD_STATUSES }]),
    })
    await expect(api.startDailyReport(TOKEN, ACT, 'campaign_reach', { since: '2026-11-01', until: '2026-11-28' })).resolves.toBe(
      '6023920149050',
    )
    expect(srv.requests[1]?.form.get('level')).toBe('campaign')
  })

  it('a run is complete only at "Job Completed" and 100%; a failed one carries the v25 error fields', async () => {
    const { api, srv } = await setup(
      inOrder(
        replay(loadFixture('insights-async-status.running.json')),
        ok({ id: '6023920149050', async_status: 'Job Completed', async_percent_completion: 99 }),
        replay(loadFixture('insights-async-status.completed.verbatim.json')),
        replay(loadFixture('insights-async-status.failed-v25.json')),
      ),
    )
    await expect(api.getReportRun(TOKEN, '6023920149050')).resolves.toEqual({
      id: '6023920149050',
      asyncStatus: 'Job Running',
      percentCompletion: 42,
      completed: false,
      failed: false,
      error: null,
    })
    await expect(api.getReportRun(TOKEN, '6023920149050')).resolves.toMatchObject({ completed: false, failed: false })
    await expect(api.getReportRun(TOKEN, '6044775548468')).resolves.toMatchObject({ asyncStatus: 'Job Completed', completed: true })
    await expect(api.getReportRun(TOKEN, '6023920149051')).resolves.toMatchObject({
      asyncStatus: 'Job Failed',
      completed: false,
      failed: true,
      error: { code: -2, subcode: 2490547, message: 'Generating the report failed. Please try again later.' },
    })
    expect(srv.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /v26.0/6023920149050',
      'GET /v26.0/6023920149050',
      'GET /v26.0/6044775548468',
      'GET /v26.0/6023920149051',
    ])
    await expect(api.getReportRun(TOKEN, '../me')).rejects.toThrow(/report run id/)
  })

  it("reads a completed run's rows page by page from /{run}/insights", async () => {
    const { api, srv } = await setup()
    srv.handler = inOrder(
      ok({ data: [AD_ROW], paging: { next: `${srv.baseUrl}/v26.0/6044775548468/insights?limit=500&after=MQ` } }),
      ok({ data: [{ ...AD_ROW, ad_id: '3402', date_start: '2026-11-21' }] }),
    )
    const pages = await pagesOf(api.readDailyReport(TOKEN, '6044775548468', 'ad', 'USD'))
    expect(pages.map((p) => p.map((r) => `${r.adId}@${r.date}`))).toEqual([['3401@2026-11-20'], ['3402@2026-11-21']])
    expect(srv.requests[0]?.path).toBe('/v26.0/6044775548468/insights')
    expect(paramsOf(srv.requests[0]?.query)).toEqual({ limit: '500' })
    expect(srv.requests[1]?.query.get('after')).toBe('MQ')
  })
})

describe('reading and writing one ad set or ad', () => {
  it('getAdSet and getAd read one object with the fields of the lists', async () => {
    const { api, srv } = await setup(
      inOrder(
        ok({
          id: '2301',
          name: 'Prospecting',
          campaign_id: '1201',
          status: 'DELETED',
          daily_budget: '4000',
          optimization_goal: 'LEAD_GENERATION',
        }),
        ok({ id: '3301', name: 'Blue shoes', adset_id: '2301', campaign_id: '1201', status: 'PAUSED' }),
      ),
    )
    await expect(api.getAdSet(TOKEN, '2301')).resolves.toMatchObject({ id: '2301', status: 'DELETED', dailyBudgetMinor: 4000 })
    await expect(api.getAd(TOKEN, '3301')).resolves.toMatchObject({ id: '3301', adSetId: '2301', status: 'PAUSED' })
    expect(srv.requests.map((r) => r.path)).toEqual(['/v26.0/2301', '/v26.0/3301'])
    expect(paramsOf(srv.requests[0]?.query).fields).toContain('optimization_goal')
  })

  it('updateAdSet posts a budget or a status; updateAd a status; bad input never reaches Meta', async () => {
    const { api, srv } = await setup(inOrder(ok({ success: true }), ok({ success: true })))
    await expect(api.updateAdSet(TOKEN, '2301', { dailyBudgetMinor: 4800 })).resolves.toEqual({ success: true })
    await expect(api.updateAd(TOKEN, '3301', { status: 'PAUSED' })).resolves.toEqual({ success: true })
    expect(srv.requests[0]?.form.get('daily_budget')).toBe('4800')
    expect(srv.requests[1]?.form.get('status')).toBe('PAUSED')
    await expect(api.updateAdSet(TOKEN, '2301', {})).rejects.toThrow(/Nothing to change/)
    await expect(api.updateAdSet(TOKEN, '2301', { dailyBudgetMinor: 1, lifetimeBudgetMinor: 2 })).rejects.toThrow(/not both/)
    expect(srv.requests).toHaveLength(2)
  })

  it('a budget write answered 17 is surfaced at once, never retried by the client', async () => {
    const limit = replay(loadFixture('error-17-user-request-limit.json'))
    const { api, srv } = await setup(inOrder(limit, ok({ success: true })))
    const e = await api.updateAdSet(TOKEN, '2301', { dailyBudgetMinor: 4800 }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(MetaApiError)
    expect((e as MetaApiError).code).toBe(17)
    expect(srv.requests).toHaveLength(1)
    // The queued success is still there for the next call: nothing was retried behind the caller's back.
    await expect(api.updateAdSet(TOKEN, '2301', { status: 'PAUSED' })).resolves.toEqual({ success: true })
    expect(srv.requests).toHaveLength(2)
  })
})
