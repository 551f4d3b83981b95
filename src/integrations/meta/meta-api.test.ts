import { createHmac } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import {
  type GraphServer,
  type Handler,
  inOrder,
  loadFixture,
  ok,
  replay,
  rewritePagingUrl,
  startGraphServer,
} from '../../../test/support/meta-fixtures.ts'
import { toAppError } from '../../domain/meta-errors.ts'
import { AppError } from '../../lib/errors.ts'
import { formatMoney } from '../../lib/money.ts'
import { MetaApiError } from './errors.ts'
import { createGraphClient, type GraphClient } from './graph-client.ts'
import { createMetaApi, type InsightRow, type MetaApi } from './meta-api.ts'

const TOKEN = 'EAAGm0PX4ZCpsBAKZBtestSystemUserToken1234567890'
const SECRET = 'app-secret-for-tests'
const PROOF = createHmac('sha256', SECRET).update(TOKEN).digest('hex')
const ACT = 'act_1234567890123456'

let server: GraphServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

async function setup(
  handler: Handler = () => ({ status: 500 }),
): Promise<{ api: MetaApi; client: GraphClient; srv: GraphServer; sleeps: number[] }> {
  server = await startGraphServer(handler)
  const sleeps: number[] = []
  const client = createGraphClient({
    baseUrl: server.baseUrl,
    version: 'v26.0',
    appSecret: SECRET,
    sleep: async (ms) => {
      sleeps.push(ms)
    },
    random: () => 0.5,
    maxWaitMs: 10 * 60_000,
  })
  return { api: createMetaApi(client), client, srv: server, sleeps }
}

async function collect(pages: AsyncIterable<InsightRow[]>): Promise<InsightRow[][]> {
  const out: InsightRow[][] = []
  for await (const p of pages) out.push(p)
  return out
}

function insightsFixturePages(baseUrl: string) {
  const p1 = loadFixture('insights-campaign-daily-leads.page1.json')
  const p2 = loadFixture('insights-campaign-daily-leads.page2.json')
  const paging = (p1.body as { paging: { next: string } }).paging
  paging.next = rewritePagingUrl(paging.next, baseUrl)
  return { p1, p2 }
}

describe('fetchDailyCampaignInsights', () => {
  it('reads both fixture pages with one request per page, converting spend and picking leads without summing', async () => {
    const { api, client, srv } = await setup()
    const { p1, p2 } = insightsFixturePages(srv.baseUrl)
    srv.handler = inOrder(replay(p1), replay(p2))

    const pages = await collect(api.fetchDailyCampaignInsights(TOKEN, ACT, { since: '2026-11-17', until: '2026-11-23', currency: 'USD' }))
    expect(pages.map((p) => p.length)).toEqual([7, 7])
    expect(client.stats.requests).toBe(2)

    const [r1, r2] = srv.requests
    expect(r1?.method).toBe('GET')
    expect(r1?.path).toBe(`/v26.0/${ACT}/insights`)
    expect(Object.fromEntries([...(r1?.query ?? [])].filter(([k]) => k !== 'access_token' && k !== 'appsecret_proof'))).toEqual({
      level: 'campaign',
      time_increment: '1',
      time_range: '{"since":"2026-11-17","until":"2026-11-23"}',
      fields:
        'campaign_id,campaign_name,objective,date_start,date_stop,impressions,reach,frequency,clicks,inline_link_clicks,spend,actions,action_values',
      limit: '500',
    })
    expect(r1?.query.get('appsecret_proof')).toBe(PROOF)
    expect(r2?.query.get('after')).toBe('NgZDZD')
    expect(r2?.query.get('appsecret_proof')).toBe(PROOF)
    expect(r2?.query.has('access_token')).toBe(false)
    expect(r2?.headers.authorization).toBe(`Bearer ${TOKEN}`)

    const rows = pages.flat()
    // Instant-form row: lead = onsite_conversion.lead_grouped = leadgen_grouped = 6 → 6, not 18.
    expect(rows[0]).toEqual({
      campaignId: '120214350987650123',
      campaignName: 'Promoly | Leads | Instant Form | US',
      objective: 'OUTCOME_LEADS',
      date: '2026-11-17',
      impressions: 4210,
      reach: 3561,
      frequency: 1.182252,
      clicks: 71,
      linkClicks: 48,
      spendMinor: 4137,
      leads: 6,
      purchases: 0,
      purchaseValueMinor: 0,
    })
    // Website row: lead = offsite_conversion.fb_pixel_lead = 3 → 3, not 6.
    expect(rows[1]).toMatchObject({ campaignName: 'Promoly | Leads | Website | US', spendMinor: 5284, leads: 3, linkClicks: 71 })
    // A day without leads has no lead entries at all → 0.
    expect(rows[7]).toMatchObject({ campaignId: '120214350987650456', date: '2026-11-20', leads: 0, spendMinor: 5047 })

    // Every row's leads equal the fixture's single aggregate `lead` entry (or 0), and spend matches exactly.
    const rawRows = [...(p1.body as { data: RawRow[] }).data, ...(p2.body as { data: RawRow[] }).data]
    expect(rows).toHaveLength(rawRows.length)
    rows.forEach((row, i) => {
      const raw = rawRows[i]!
      expect(row.leads).toBe(Number(raw.actions.find((a) => a.action_type === 'lead')?.value ?? 0))
      expect(row.spendMinor).toBe(Math.round(Number(raw.spend) * 100))
      expect(Number.isInteger(row.spendMinor)).toBe(true)
    })
    expect(rows.reduce((s, r) => s + r.leads, 0)).toBe(47) // summing every lead type would give 129
  })

  it('applies the fallback order for leads and purchases, missing keys as 0, purchase value in minor units', async () => {
    const { api } = await setup(
      inOrder(
        ok({
          data: [
            {
              campaign_id: '1',
              campaign_name: 'Sales',
              date_start: '2026-11-20',
              date_stop: '2026-11-20',
              spend: '10.005',
              actions: [
                { action_type: 'offsite_conversion.fb_pixel_lead', value: '2' },
                { action_type: 'leadgen_grouped', value: '5' },
                { action_type: 'offsite_conversion.fb_pixel_purchase', value: '3' },
                { action_type: 'omni_purchase', value: '4' },
              ],
              action_values: [
                { action_type: 'offsite_conversion.fb_pixel_purchase', value: '99.99' },
                { action_type: 'omni_purchase', value: '120.5' },
              ],
            },
            {
              campaign_id: '2',
              date_start: '2026-11-20',
              actions: [
                { action_type: 'leadgen_grouped', value: '5' },
                { action_type: 'onsite_conversion.lead_grouped', value: '5' },
                { action_type: 'purchase', value: '1' },
                { action_type: 'omni_purchase', value: '1' },
              ],
              action_values: [{ action_type: 'purchase', value: '15' }],
            },
          ],
        }),
      ),
    )
    const [rows] = await collect(
      api.fetchDailyCampaignInsights(TOKEN, '1234567890123456', { since: '2026-11-20', until: '2026-11-20', currency: 'usd' }),
    )
    expect(rows?.[0]).toMatchObject({
      leads: 2,
      purchases: 4,
      purchaseValueMinor: 12050,
      spendMinor: 1001,
      impressions: 0,
      reach: 0,
      clicks: 0,
    })
    expect(rows?.[1]).toMatchObject({ campaignName: '', leads: 5, purchases: 1, purchaseValueMinor: 1500, spendMinor: 0, frequency: 0 })
  })

  it('converts spend of a zero-decimal (JPY) account without the ×100', async () => {
    const { api } = await setup(
      inOrder(
        ok({
          data: [
            {
              campaign_id: '9',
              campaign_name: '東京 Leads',
              date_start: '2026-11-20',
              impressions: '12000',
              spend: '5234',
              actions: [{ action_type: 'lead', value: '4' }],
            },
            { campaign_id: '9', campaign_name: '東京 Leads', date_start: '2026-11-21', impressions: '9000', spend: '4100.5' },
          ],
        }),
      ),
    )
    const [rows] = await collect(api.fetchDailyCampaignInsights(TOKEN, ACT, { since: '2026-11-20', until: '2026-11-21', currency: 'JPY' }))
    expect(rows?.map((r) => r.spendMinor)).toEqual([5234, 4101])
    expect(formatMoney(rows?.[0]?.spendMinor ?? 0, 'JPY')).toBe('¥5,234')
    expect(rows?.[0]?.leads).toBe(4)
  })

  it('rejects a row that does not match the schema with a readable error', async () => {
    const { api } = await setup(inOrder(ok({ data: [{ campaign_id: '1', date_start: '2026-11-20', spend: 'n/a' }] })))
    const e = await collect(
      api.fetchDailyCampaignInsights(TOKEN, ACT, { since: '2026-11-20', until: '2026-11-20', currency: 'USD' }),
    ).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(MetaApiError)
    expect((e as MetaApiError).message).toBe(
      `Unexpected response from Meta for GET /${ACT}/insights: data.0.spend: expected a decimal amount, got "n/a"`,
    )
  })

  it('rejects bad dates and account ids before calling Meta', async () => {
    const { api, srv } = await setup()
    expect(() => api.fetchDailyCampaignInsights(TOKEN, ACT, { since: '2026/11/20', until: '2026-11-21', currency: 'USD' })).toThrow(
      AppError,
    )
    expect(() => api.fetchDailyCampaignInsights(TOKEN, ACT, { since: '2026-11-22', until: '2026-11-21', currency: 'USD' })).toThrow(
      /after the end date/,
    )
    expect(() =>
      api.fetchDailyCampaignInsights(TOKEN, 'act_12/../me', { since: '2026-11-20', until: '2026-11-21', currency: 'USD' }),
    ).toThrow(AppError)
    expect(srv.requests).toHaveLength(0)
  })

  it('waits out a BUC throttle on a page, then continues', async () => {
    const { api, srv, sleeps } = await setup()
    const { p1, p2 } = insightsFixturePages(srv.baseUrl)
    srv.handler = inOrder(replay(p1), replay(loadFixture('error-80004-ads-management-buc.json')), replay(p2))
    const pages = await collect(api.fetchDailyCampaignInsights(TOKEN, ACT, { since: '2026-11-17', until: '2026-11-23', currency: 'USD' }))
    expect(pages.flat()).toHaveLength(14)
    expect(sleeps).toEqual([420_000])
  })
})

interface RawRow {
  spend: string
  actions: { action_type: string; value: string }[]
}

describe('accounts and campaigns', () => {
  it('getMe validates a token', async () => {
    const { api, srv } = await setup(inOrder(ok({ id: '61550000000001', name: 'Promoly System User' })))
    await expect(api.getMe(TOKEN)).resolves.toEqual({ id: '61550000000001', name: 'Promoly System User' })
    expect(srv.requests[0]?.path).toBe('/v26.0/me')
    expect(srv.requests[0]?.query.get('fields')).toBe('id,name')
  })

  it('getMe with an expired token → META_AUTH', async () => {
    const { api, srv } = await setup(inOrder(replay(loadFixture('error-190-463-expired-token.json'))))
    const e = await api.getMe(TOKEN).catch((x: unknown) => x)
    expect(toAppError(e).code).toBe('META_AUTH')
    expect(srv.requests).toHaveLength(1)
  })

  it('listAdAccounts follows all pages and maps fields (USD and JPY accounts)', async () => {
    const { api, srv } = await setup()
    srv.handler = inOrder(
      ok({
        data: [
          {
            id: 'act_111',
            account_id: '111',
            name: 'US Store',
            currency: 'USD',
            timezone_name: 'America/Los_Angeles',
            business_country_code: 'us',
            account_status: 1,
          },
        ],
        paging: {
          cursors: { after: 'QVFI' },
          next: `https://graph.facebook.com/v26.0/me/adaccounts?access_token=EAAB...REDACTED&fields=id&limit=100&after=QVFI`,
        },
      }),
      ok({
        data: [{ id: 'act_222', account_id: '222', name: '東京ストア', currency: 'JPY', timezone_name: 'Asia/Tokyo', account_status: 1 }],
        paging: { cursors: { before: 'QVFI' } },
      }),
    )
    const accounts = await api.listAdAccounts(TOKEN)
    expect(accounts).toEqual([
      {
        id: 'act_111',
        accountId: '111',
        name: 'US Store',
        currency: 'USD',
        timezoneName: 'America/Los_Angeles',
        countryCode: 'US',
        accountStatus: 1,
      },
      // No business_country_code: null (a special ad category then asks for the countries).
      {
        id: 'act_222',
        accountId: '222',
        name: '東京ストア',
        currency: 'JPY',
        timezoneName: 'Asia/Tokyo',
        countryCode: null,
        accountStatus: 1,
      },
    ])
    expect(srv.requests[0]?.query.get('fields')).toBe('id,account_id,name,currency,timezone_name,business_country_code,account_status')
    expect(srv.requests[1]?.query.get('after')).toBe('QVFI')
  })

  it('getAdAccount accepts bare digits', async () => {
    const { api, srv } = await setup(inOrder(ok({ id: 'act_222', account_id: '222', name: 'JP', currency: 'JPY', account_status: 1 })))
    await expect(api.getAdAccount(TOKEN, '222')).resolves.toMatchObject({ id: 'act_222', currency: 'JPY', timezoneName: null })
    expect(srv.requests[0]?.path).toBe('/v26.0/act_222')
  })

  it('listCampaigns converts budget strings to minor-unit numbers (JPY: offset 1)', async () => {
    const { api, srv } = await setup()
    srv.handler = inOrder(
      ok({
        data: [
          {
            id: '1201',
            name: 'CBO',
            objective: 'OUTCOME_LEADS',
            status: 'ACTIVE',
            effective_status: 'ACTIVE',
            daily_budget: '5000',
            lifetime_budget: '0',
            created_time: '2026-11-01T10:00:00+0900',
          },
        ],
        paging: { next: `${srv.baseUrl}/v26.0/act_222/campaigns?limit=200&after=MQ` },
      }),
      ok({ data: [{ id: '1202', name: 'ABO', objective: 'OUTCOME_SALES', status: 'PAUSED', effective_status: 'CAMPAIGN_PAUSED' }] }),
    )
    const campaigns = await api.listCampaigns(TOKEN, 'act_222')
    expect(campaigns).toEqual([
      {
        id: '1201',
        name: 'CBO',
        objective: 'OUTCOME_LEADS',
        status: 'ACTIVE',
        effectiveStatus: 'ACTIVE',
        dailyBudgetMinor: 5000,
        lifetimeBudgetMinor: null,
        createdTime: '2026-11-01T10:00:00+0900',
      },
      {
        id: '1202',
        name: 'ABO',
        objective: 'OUTCOME_SALES',
        status: 'PAUSED',
        effectiveStatus: 'CAMPAIGN_PAUSED',
        dailyBudgetMinor: null,
        lifetimeBudgetMinor: null,
        createdTime: null,
      },
    ])
    expect(formatMoney(campaigns[0]?.dailyBudgetMinor ?? 0, 'JPY')).toBe('¥5,000')
    expect(srv.requests[0]?.query.get('fields')).toBe('id,name,objective,status,effective_status,daily_budget,lifetime_budget,created_time')
    expect(srv.requests).toHaveLength(2)
  })

  it('getCampaign reads one campaign; a bad budget string is a schema error', async () => {
    const { api } = await setup(
      inOrder(ok({ id: '1201', name: 'CBO', daily_budget: '2550' }), ok({ id: '1201', name: 'CBO', daily_budget: '25.50' })),
    )
    await expect(api.getCampaign(TOKEN, '1201')).resolves.toMatchObject({ dailyBudgetMinor: 2550 })
    const e = await api.getCampaign(TOKEN, '1201').catch((x: unknown) => x)
    expect((e as MetaApiError).message).toContain('daily_budget: expected an integer amount in minor units')
  })

  it('getMinimumBudgets maps the per-currency minimums', async () => {
    const { api, srv } = await setup(
      inOrder(
        ok({
          data: [
            {
              currency: 'USD',
              min_daily_budget_imp: 100,
              min_daily_budget_high_freq: 500,
              min_daily_budget_low_freq: 4000,
              min_daily_budget_video_views: 500,
            },
          ],
        }),
      ),
    )
    await expect(api.getMinimumBudgets(TOKEN, ACT)).resolves.toEqual([
      {
        currency: 'USD',
        minDailyImpressionsMinor: 100,
        minDailyHighFreqMinor: 500,
        minDailyLowFreqMinor: 4000,
        minDailyVideoViewsMinor: 500,
      },
    ])
    expect(srv.requests[0]?.path).toBe(`/v26.0/${ACT}/minimum_budgets`)
  })
})

describe('writes', () => {
  it('createCampaign without a campaign budget sends is_adset_budget_sharing_enabled=false and no bid strategy', async () => {
    const { api, srv } = await setup(inOrder(replay(loadFixture('campaign-create.response.json'))))
    const res = await api.createCampaign(TOKEN, ACT, {
      name: 'Promoly | Leads | Instant Form | US',
      objective: 'OUTCOME_LEADS',
      status: 'PAUSED',
      specialAdCategories: [],
    })
    expect(res).toEqual({ id: '120214350987650123' })
    const req = srv.requests[0]
    expect(req?.rawUrl).toBe(`/v26.0/${ACT}/campaigns`)
    const form = Object.fromEntries([...(req?.form ?? [])])
    // Matches the fixture's documented request form, plus the proof in the body (the token is in the header).
    expect(form).toEqual({
      ...loadFixture('campaign-create.response.json').request?.form,
      appsecret_proof: PROOF,
    })
    expect(req?.headers.authorization).toBe(`Bearer ${TOKEN}`)
  })

  it('createCampaign with a campaign budget sends daily_budget and LOWEST_COST_WITHOUT_CAP', async () => {
    const { api, srv } = await setup(inOrder(replay(loadFixture('campaign-create.response.json'))))
    await api.createCampaign(TOKEN, ACT, {
      name: 'Housing',
      objective: 'OUTCOME_TRAFFIC',
      status: 'PAUSED',
      specialAdCategories: ['HOUSING'],
      dailyBudgetMinor: 5000,
    })
    const form = srv.requests[0]?.form
    expect(form?.get('daily_budget')).toBe('5000')
    expect(form?.get('bid_strategy')).toBe('LOWEST_COST_WITHOUT_CAP')
    expect(form?.get('special_ad_categories')).toBe('["HOUSING"]')
    expect(form?.has('is_adset_budget_sharing_enabled')).toBe(false)
  })

  it('createCampaign sends special_ad_category_country with a category, never without one', async () => {
    const { api, srv } = await setup(
      inOrder(replay(loadFixture('campaign-create.response.json')), replay(loadFixture('campaign-create.response.json'))),
    )
    const base = { name: 'Homes', objective: 'OUTCOME_LEADS', status: 'PAUSED', dailyBudgetMinor: 5000 } as const
    await api.createCampaign(TOKEN, ACT, { ...base, specialAdCategories: ['HOUSING'], specialAdCategoryCountries: ['US', 'CA'] })
    expect(srv.requests[0]?.form.get('special_ad_category_country')).toBe('["US","CA"]')
    await api.createCampaign(TOKEN, ACT, { ...base, specialAdCategories: [], specialAdCategoryCountries: ['US'] })
    expect(srv.requests[1]?.form.has('special_ad_category_country')).toBe(false)
    await expect(
      api.createCampaign(TOKEN, ACT, { ...base, specialAdCategories: ['HOUSING'], specialAdCategoryCountries: ['usa'] }),
    ).rejects.toThrow(/two-letter ISO codes/)
    expect(srv.requests).toHaveLength(2)
  })

  it('createCampaign validates input before calling Meta', async () => {
    const { api, srv } = await setup()
    const base = { name: 'x', objective: 'OUTCOME_LEADS', status: 'PAUSED', specialAdCategories: [] } as const
    await expect(api.createCampaign(TOKEN, ACT, { ...base, specialAdCategories: [], dailyBudgetMinor: 12.5 })).rejects.toThrow(
      /positive whole number/,
    )
    await expect(api.createCampaign(TOKEN, ACT, { ...base, specialAdCategories: [], bidStrategy: 'COST_CAP' })).rejects.toThrow(
      /needs a campaign budget/,
    )
    await expect(api.createCampaign(TOKEN, ACT, { ...base, specialAdCategories: [], name: '  ' })).rejects.toThrow(/needs a name/)
    expect(srv.requests).toHaveLength(0)
  })

  it('createCampaign with a too-low budget → META_VALIDATION with Meta’s message, attempted once', async () => {
    const { api, srv } = await setup(inOrder(replay(loadFixture('error-100-budget-too-low.json'))))
    const e = await api
      .createCampaign(TOKEN, ACT, {
        name: 'x',
        objective: 'OUTCOME_LEADS',
        status: 'PAUSED',
        specialAdCategories: [],
        dailyBudgetMinor: 10,
      })
      .catch((x: unknown) => x)
    const app = toAppError(e)
    expect(app.code).toBe('META_VALIDATION')
    expect(app.userMessage).toContain('must be at least ₹40.00')
    expect(srv.requests).toHaveLength(1)
  })

  it('updateCampaign posts to the campaign node with the token only in the body', async () => {
    const { api, srv } = await setup(inOrder(replay(loadFixture('object-update.success.json'))))
    await expect(api.updateCampaign(TOKEN, '120214350987651111', { dailyBudgetMinor: 5000, status: 'ACTIVE' })).resolves.toEqual({
      success: true,
    })
    const req = srv.requests[0]
    expect(req?.method).toBe('POST')
    expect(req?.rawUrl).toBe('/v26.0/120214350987651111')
    expect(req?.form.get('daily_budget')).toBe('5000')
    expect(req?.form.get('status')).toBe('ACTIVE')
    expect(req?.headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(req?.form.has('access_token')).toBe(false)
    expect(req?.form.get('appsecret_proof')).toBe(PROOF)
  })

  it('updateCampaign: budget-change limit surfaces at once with retryAfterMs 1 h; bad input never reaches Meta', async () => {
    const { api, srv, sleeps } = await setup(inOrder(replay(loadFixture('error-613-adset-budget-change-limit.json'))))
    const e = await api.updateCampaign(TOKEN, '120214350987651111', { dailyBudgetMinor: 6000 }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(MetaApiError)
    expect((e as MetaApiError).retryAfterMs).toBe(3_600_000)
    expect(sleeps).toEqual([])
    await expect(api.updateCampaign(TOKEN, '120214350987651111', {})).rejects.toThrow(/Nothing to change/)
    await expect(api.updateCampaign(TOKEN, '1201', { dailyBudgetMinor: 1, lifetimeBudgetMinor: 2 })).rejects.toThrow(/not both/)
    await expect(api.updateCampaign(TOKEN, 'abc', { status: 'PAUSED' })).rejects.toThrow(AppError)
    expect(srv.requests).toHaveLength(1)
  })
})

describe('fetchPeriodReach', () => {
  it("asks for the whole period without time_increment, so Meta deduplicates the period's reach", async () => {
    const { api, srv } = await setup()
    srv.handler = inOrder(
      ok({
        data: [
          {
            campaign_id: '120',
            impressions: '9000',
            reach: '4100',
            frequency: '2.195122',
            date_start: '2026-11-17',
            date_stop: '2026-11-23',
          },
          { campaign_id: '121', impressions: '3000', reach: '2000', frequency: '1.5', date_start: '2026-11-17', date_stop: '2026-11-23' },
        ],
      }),
      ok({ data: [{ impressions: '12000', reach: '5300', frequency: '2.264151', date_start: '2026-11-17', date_stop: '2026-11-23' }] }),
    )
    const campaigns = await api.fetchPeriodReach(TOKEN, ACT, { since: '2026-11-17', until: '2026-11-23', level: 'campaign' })
    const account = await api.fetchPeriodReach(TOKEN, ACT, { since: '2026-11-17', until: '2026-11-23', level: 'account' })
    expect(campaigns).toEqual([
      { campaignId: '120', reach: 4100, impressions: 9000, frequency: 2.195122 },
      { campaignId: '121', reach: 2000, impressions: 3000, frequency: 1.5 },
    ])
    expect(account).toEqual([{ campaignId: null, reach: 5300, impressions: 12000, frequency: 2.264151 }])
    const [q1, q2] = srv.requests.map((r) => Object.fromEntries(r.query))
    expect(q1).toMatchObject({ level: 'campaign', time_range: '{"since":"2026-11-17","until":"2026-11-23"}' })
    expect(JSON.parse(q1?.filtering ?? '[]')).toEqual([
      {
        field: 'campaign.effective_status',
        operator: 'IN',
        value: ['ACTIVE', 'PAUSED', 'DELETED', 'ARCHIVED', 'IN_PROCESS', 'WITH_ISSUES'],
      },
    ])
    expect(q2).toMatchObject({ level: 'account' })
    expect(q1).not.toHaveProperty('time_increment')
    expect(q2).not.toHaveProperty('time_increment')
  })
})
