/**
 * Route table. Every Graph route the simulator serves (paths after an optional /vN.M prefix):
 *
 *   GET  /me                          GET  /me/adaccounts
 *   GET  /act_{id}                    GET  /act_{id}/campaigns       POST /act_{id}/campaigns
 *   GET  /act_{id}/adsets             GET  /act_{id}/ads
 *   GET  /act_{id}/insights           POST /act_{id}/insights (async report run)
 *   GET  /act_{id}/minimum_budgets
 *   GET  /{campaign_id}               POST /{campaign_id}             GET /{campaign_id}/adsets, /{campaign_id}/ads
 *   GET  /{adset_id}                  POST /{adset_id}                GET /{adset_id}/ads
 *   GET  /{ad_id}                     POST /{ad_id}
 *   DELETE /{campaign|adset|ad id}
 *   GET  /{campaign|adset|ad id}/insights   POST /{campaign|adset|ad id}/insights (async report run)
 *   GET  /{report_run_id}             GET  /{report_run_id}/insights
 *   GET  /debug_token                 POST /  (batch)
 *
 * Anything else → Graph's "Unsupported get request" error (code 100, subcode 33).
 */
import type { Handler } from './context.ts'
import { unsupportedRequest } from './errors.ts'
import type { SimRequest } from './request.ts'
import { ACCOUNT_NODE, createReportHandler, reportResultsHandler, reportStatusHandler, syncInsightsHandler } from './routes-insights.ts'
import {
  accountHandler,
  adAccountsHandler,
  campaignHandler,
  campaignsListHandler,
  meHandler,
  minimumBudgetsHandler,
} from './routes-read.ts'
import { adHandler, adSetHandler, adSetsListHandler, adsListHandler } from './routes-structure.ts'
import { createCampaignHandler, updateCampaignHandler } from './routes-write.ts'
import { deleteObjectHandler, updateAdHandler, updateAdSetHandler } from './routes-write-children.ts'
import type { SimState } from './state.ts'
import type { BucType } from './usage.ts'

export interface RouteMatch {
  /** Stats key, e.g. "GET /act_{id}/insights". */
  name: string
  handler: Handler
  accountId?: string
  bucType: BucType
  isWrite?: boolean
  /** Special routes handled by the dispatcher itself. */
  special?: 'debug_token' | 'batch'
}

function fail(method: string, objectId: string): Handler {
  return () => {
    throw unsupportedRequest(method, objectId)
  }
}

export function matchRoute(req: SimRequest, state: SimState): RouteMatch {
  const method = req.method.toUpperCase()
  const [first, second, ...rest] = req.segments
  const unknown = (): RouteMatch => ({ name: 'unsupported', handler: fail(method, first ?? ''), bucType: 'ads_management' })

  if (first === undefined) {
    if (method === 'POST' && req.params.has('batch'))
      return { name: 'POST / (batch)', handler: fail(method, ''), bucType: 'ads_management', special: 'batch' }
    return unknown()
  }
  if (rest.length > 0) return unknown()

  if (first === 'me') {
    if (second === undefined && method === 'GET') return { name: 'GET /me', handler: meHandler, bucType: 'ads_management' }
    if (second === 'adaccounts' && method === 'GET')
      return { name: 'GET /me/adaccounts', handler: adAccountsHandler, bucType: 'ads_management' }
    return unknown()
  }

  if (first === 'debug_token' && second === undefined && method === 'GET') {
    return { name: 'GET /debug_token', handler: fail(method, first), bucType: 'ads_management', special: 'debug_token' }
  }

  if (first.startsWith('act_')) {
    const account = state.accountRecord(first)
    if (!account) return unknown()
    const accountId = account.id
    if (second === undefined && method === 'GET')
      return { name: 'GET /act_{id}', handler: (ctx) => accountHandler(ctx, account), accountId, bucType: 'ads_management' }
    if (second === 'campaigns' && method === 'GET') {
      return { name: 'GET /act_{id}/campaigns', handler: (ctx) => campaignsListHandler(ctx, account), accountId, bucType: 'ads_management' }
    }
    if (second === 'campaigns' && method === 'POST') {
      return {
        name: 'POST /act_{id}/campaigns',
        handler: (ctx) => createCampaignHandler(ctx, account),
        accountId,
        bucType: 'ads_management',
        isWrite: true,
      }
    }
    if (second === 'adsets' && method === 'GET') {
      return { name: 'GET /act_{id}/adsets', handler: (ctx) => adSetsListHandler(ctx, { account }), accountId, bucType: 'ads_management' }
    }
    if (second === 'ads' && method === 'GET') {
      return { name: 'GET /act_{id}/ads', handler: (ctx) => adsListHandler(ctx, { account }), accountId, bucType: 'ads_management' }
    }
    if (second === 'insights' && method === 'GET') {
      return {
        name: 'GET /act_{id}/insights',
        handler: (ctx) => syncInsightsHandler(ctx, account, ACCOUNT_NODE),
        accountId,
        bucType: 'ads_insights',
      }
    }
    if (second === 'insights' && method === 'POST') {
      return {
        name: 'POST /act_{id}/insights',
        handler: (ctx) => createReportHandler(ctx, account, ACCOUNT_NODE),
        accountId,
        bucType: 'ads_insights',
      }
    }
    if (second === 'minimum_budgets' && method === 'GET') {
      return {
        name: 'GET /act_{id}/minimum_budgets',
        handler: (ctx) => minimumBudgetsHandler(ctx, account),
        accountId,
        bucType: 'ads_management',
      }
    }
    return unknown()
  }

  const node = nodeRoute(method, first, second, state)
  if (node) return node

  const run = state.reports.get(first)
  if (run) {
    const accountId = run.accountId
    if (second === undefined && method === 'GET')
      return { name: 'GET /{report_run_id}', handler: (ctx) => reportStatusHandler(ctx, run), accountId, bucType: 'ads_insights' }
    if (second === 'insights' && method === 'GET') {
      return { name: 'GET /{report_run_id}/insights', handler: (ctx) => reportResultsHandler(ctx, run), accountId, bucType: 'ads_insights' }
    }
  }
  return unknown()
}

/** Routes on a campaign, ad set or ad id. */
function nodeRoute(method: string, id: string, edge: string | undefined, state: SimState): RouteMatch | undefined {
  const campaign = state.campaignRecord(id)
  const adSet = campaign ? undefined : state.adSetRecord(id)
  const ad = campaign || adSet ? undefined : state.adRecord(id)
  const accountId = campaign?.accountId ?? adSet?.accountId ?? ad?.accountId
  const account = accountId === undefined ? undefined : state.accountMap.get(accountId)
  if (!account) return undefined
  const kind = campaign ? 'campaign_id' : adSet ? 'adset_id' : 'ad_id'
  const route = (name: string, handler: Handler, extra: Partial<RouteMatch> = {}): RouteMatch => ({
    name: `${method} /{${kind}}${name}`,
    handler,
    accountId: account.id,
    bucType: 'ads_management',
    ...extra,
  })
  if (edge === 'insights') {
    const insightsNode = campaign
      ? { scope: { campaignId: campaign.id }, defaultLevel: 'campaign' as const }
      : adSet
        ? { scope: { campaignId: adSet.campaignId, adSetId: adSet.id }, defaultLevel: 'adset' as const }
        : { scope: { campaignId: ad?.campaignId ?? '', adSetId: ad?.adSetId ?? '', adId: ad?.id ?? '' }, defaultLevel: 'ad' as const }
    if (method === 'GET') return route('/insights', (ctx) => syncInsightsHandler(ctx, account, insightsNode), { bucType: 'ads_insights' })
    if (method === 'POST') return route('/insights', (ctx) => createReportHandler(ctx, account, insightsNode), { bucType: 'ads_insights' })
    return undefined
  }
  const target = campaign ?? adSet ?? ad
  if (edge === undefined && method === 'DELETE' && target)
    return route('', (ctx) => deleteObjectHandler(ctx, account, target), { isWrite: true })
  if (campaign) {
    if (edge === undefined && method === 'GET') return route('', (ctx) => campaignHandler(ctx, account, campaign))
    if (edge === undefined && method === 'POST') return route('', (ctx) => updateCampaignHandler(ctx, account, campaign), { isWrite: true })
    if (edge === 'adsets' && method === 'GET') return route('/adsets', (ctx) => adSetsListHandler(ctx, { account, campaign }))
    if (edge === 'ads' && method === 'GET') return route('/ads', (ctx) => adsListHandler(ctx, { account, campaign }))
    return undefined
  }
  if (adSet) {
    if (edge === undefined && method === 'GET') return route('', (ctx) => adSetHandler(ctx, account, adSet))
    if (edge === undefined && method === 'POST') return route('', (ctx) => updateAdSetHandler(ctx, account, adSet), { isWrite: true })
    if (edge === 'ads' && method === 'GET') return route('/ads', (ctx) => adsListHandler(ctx, { account, adSet }))
    return undefined
  }
  if (ad && edge === undefined && method === 'GET') return route('', (ctx) => adHandler(ctx, account, ad))
  if (ad && edge === undefined && method === 'POST') return route('', (ctx) => updateAdHandler(ctx, account, ad), { isWrite: true })
  return undefined
}
