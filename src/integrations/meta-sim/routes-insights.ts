/** Insights routes: sync GET on accounts and campaigns, async report runs (POST, status polling, results). */
import type { Ctx } from './context.ts'
import { invalidParameter } from './errors.ts'
import { buildRows, formatRow, type Level, parseInsightsQuery } from './insights.ts'
import type { AccountRecord, CampaignRecord } from './records.ts'
import { type HandlerResult, Params, paginate } from './request.ts'
import type { ReportRun } from './state.ts'

function insightsPage(
  ctx: Ctx,
  account: AccountRecord,
  queryParams: Params,
  defaultLevel: Level,
  nowMs: number,
  campaign?: CampaignRecord,
): HandlerResult {
  const q = parseInsightsQuery(queryParams, account, ctx.state, nowMs, defaultLevel)
  const rows = buildRows(ctx.state, account, q, nowMs, campaign?.id)
  const page = paginate(rows, ctx)
  const body: Record<string, unknown> = { data: page.data.map((r) => formatRow(r, q, account)) }
  if (page.paging) body.paging = page.paging
  return { body, accountId: account.id, bucType: 'ads_insights' }
}

export function accountInsightsHandler(ctx: Ctx, account: AccountRecord): HandlerResult {
  return insightsPage(ctx, account, ctx.req.params, 'account', ctx.nowMs)
}

export function campaignInsightsHandler(ctx: Ctx, account: AccountRecord, campaign: CampaignRecord): HandlerResult {
  return insightsPage(ctx, account, ctx.req.params, 'campaign', ctx.nowMs, campaign)
}

const PAGING_KEYS = new Set(['access_token', 'appsecret_proof', 'limit', 'after', 'before'])

export function createReportHandler(ctx: Ctx, account: AccountRecord, campaign?: CampaignRecord): HandlerResult {
  // Validate now, like Meta does, so bad parameters fail the POST rather than the job.
  parseInsightsQuery(ctx.req.params, account, ctx.state, ctx.nowMs, campaign ? 'campaign' : 'account')
  const stored: Record<string, string> = {}
  for (const [k, v] of ctx.req.params.entries()) if (!PAGING_KEYS.has(k)) stored[k] = v
  const failed = ctx.faults.take(['report_failure'], ctx.req.method, ctx.req.rawPath) !== undefined
  const run = ctx.state.createReport(account.id, stored, campaign?.id, ctx.config.asyncReportPolls, failed)
  return { body: { report_run_id: run.id }, accountId: account.id, bucType: 'ads_insights' }
}

export function reportStatusHandler(ctx: Ctx, run: ReportRun): HandlerResult {
  run.polls++
  const timeRef = Math.floor(run.createdMs / 1000)
  if (run.failed) {
    run.completedMs ??= ctx.nowMs
    return {
      body: {
        id: run.id,
        account_id: run.accountId,
        time_ref: timeRef,
        time_completed: Math.floor(run.completedMs / 1000),
        async_status: 'Job Failed',
        async_percent_completion: 0,
        error_code: -2,
        error_subcode: 2490547,
        error_message: 'Generating the report failed. Please try again later.',
        error_user_title: 'Report Failed',
        error_user_msg: 'Generating the report failed. Please try again later.',
      },
      accountId: run.accountId,
      bucType: 'ads_insights',
    }
  }
  if (run.polls > run.pollsToComplete) {
    run.completedMs ??= ctx.nowMs
    return {
      body: {
        id: run.id,
        account_id: run.accountId,
        time_ref: timeRef,
        time_completed: Math.floor(run.completedMs / 1000),
        async_status: 'Job Completed',
        async_percent_completion: 100,
      },
      accountId: run.accountId,
      bucType: 'ads_insights',
    }
  }
  const pct = Math.round((100 * run.polls) / (run.pollsToComplete + 1))
  return {
    body: {
      id: run.id,
      account_id: run.accountId,
      time_ref: timeRef,
      async_status: run.polls === 1 ? 'Job Started' : 'Job Running',
      async_percent_completion: pct,
    },
    accountId: run.accountId,
    bucType: 'ads_insights',
  }
}

export function reportResultsHandler(ctx: Ctx, run: ReportRun): HandlerResult {
  const account = ctx.state.accountMap.get(run.accountId)
  if (!account) throw invalidParameter('The report run belongs to an unknown ad account')
  if (run.failed) throw invalidParameter('The report run failed; create a new report run')
  if (run.completedMs === undefined)
    throw invalidParameter('The report run is not complete yet; poll it until async_status is "Job Completed"')
  const params = Params.from(Object.entries(run.params))
  const campaign = run.campaignId !== undefined ? ctx.state.campaignRecord(run.campaignId) : undefined
  const q = parseInsightsQuery(params, account, ctx.state, run.completedMs, campaign ? 'campaign' : 'account')
  const rows = buildRows(ctx.state, account, q, run.completedMs, campaign?.id)
  const page = paginate(rows, ctx)
  const body: Record<string, unknown> = { data: page.data.map((r) => formatRow(r, q, account)) }
  if (page.paging) body.paging = page.paging
  return { body, accountId: account.id, bucType: 'ads_insights' }
}
