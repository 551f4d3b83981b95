/**
 * Route table. Every Graph route the simulator serves (paths after an optional /vN.M prefix):
 *
 *   GET  /me                          GET  /me/adaccounts
 *   GET  /act_{id}                    GET  /act_{id}/campaigns       POST /act_{id}/campaigns
 *   GET  /act_{id}/insights           POST /act_{id}/insights (async report run)
 *   GET  /act_{id}/minimum_budgets
 *   GET  /{campaign_id}               POST /{campaign_id}
 *   GET  /{campaign_id}/insights      POST /{campaign_id}/insights (async report run)
 *   GET  /{report_run_id}             GET  /{report_run_id}/insights
 *   GET  /debug_token                 POST /  (batch)
 *
 * Anything else → Graph's "Unsupported get request" error (code 100, subcode 33).
 */
import type { Handler } from './context.ts'
import { unsupportedRequest } from './errors.ts'
import type { SimRequest } from './request.ts'
import {
  accountInsightsHandler,
  campaignInsightsHandler,
  createReportHandler,
  reportResultsHandler,
  reportStatusHandler,
} from './routes-insights.ts'
import {
  accountHandler,
  adAccountsHandler,
  campaignHandler,
  campaignsListHandler,
  meHandler,
  minimumBudgetsHandler,
} from './routes-read.ts'
import { createCampaignHandler, updateCampaignHandler } from './routes-write.ts'
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
    if (second === 'insights' && method === 'GET') {
      return { name: 'GET /act_{id}/insights', handler: (ctx) => accountInsightsHandler(ctx, account), accountId, bucType: 'ads_insights' }
    }
    if (second === 'insights' && method === 'POST') {
      return { name: 'POST /act_{id}/insights', handler: (ctx) => createReportHandler(ctx, account), accountId, bucType: 'ads_insights' }
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

  const campaign = state.campaignRecord(first)
  if (campaign) {
    const account = state.accountMap.get(campaign.accountId)
    if (!account) return unknown()
    const accountId = account.id
    if (second === undefined && method === 'GET')
      return { name: 'GET /{campaign_id}', handler: (ctx) => campaignHandler(ctx, account, campaign), accountId, bucType: 'ads_management' }
    if (second === undefined && method === 'POST') {
      return {
        name: 'POST /{campaign_id}',
        handler: (ctx) => updateCampaignHandler(ctx, account, campaign),
        accountId,
        bucType: 'ads_management',
        isWrite: true,
      }
    }
    if (second === 'insights' && method === 'GET') {
      return {
        name: 'GET /{campaign_id}/insights',
        handler: (ctx) => campaignInsightsHandler(ctx, account, campaign),
        accountId,
        bucType: 'ads_insights',
      }
    }
    if (second === 'insights' && method === 'POST') {
      return {
        name: 'POST /{campaign_id}/insights',
        handler: (ctx) => createReportHandler(ctx, account, campaign),
        accountId,
        bucType: 'ads_insights',
      }
    }
    return unknown()
  }

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
