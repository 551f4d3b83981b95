/**
 * Insights routes: sync GET on accounts, campaigns, ad sets and ads (which time out above a size, as Meta's do),
 * async report runs (POST, status polling, results) that never time out.
 */
import type { Ctx } from './context.ts'
import { insightsTimeout, invalidParameter } from './errors.ts'
import { parseInsightsQuery } from './insights.ts'
import { formatRow } from './insights-format.ts'
import { buildRows, querySize } from './insights-rows.ts'
import type { AccountRecord, InsightsScope, Level } from './records.ts'
import { type HandlerResult, Params, paginate } from './request.ts'
import type { ReportRun } from './state.ts'
import { daysBetween } from './tz.ts'

/** The node an insights call was made on, and the level it reports at by default. */
export interface InsightsNode {
  scope: InsightsScope
  defaultLevel: Level
}

export const ACCOUNT_NODE: InsightsNode = { scope: {}, defaultLevel: 'account' }

export function syncInsightsHandler(ctx: Ctx, account: AccountRecord, node: InsightsNode): HandlerResult {
  const q = parseInsightsQuery(ctx.req.params, account, ctx.state, ctx.nowMs, node.defaultLevel)
  const timeout = ctx.faults.take(['insights_timeout'], ctx.req.method, ctx.req.rawPath)
  if (timeout?.kind === 'insights_timeout') throw insightsTimeout(timeout.code ?? 100)
  if (querySize(ctx.state, account, q, node.scope) > ctx.config.syncInsightsLimit) throw insightsTimeout(100)
  const rows = buildRows(ctx.state, account, q, ctx.nowMs, node.scope)
  const page = paginate(rows, ctx)
  const body: Record<string, unknown> = { data: page.data.map((r) => formatRow(r, q, account)) }
  if (page.paging) body.paging = page.paging
  return { body, accountId: account.id, bucType: 'ads_insights' }
}

const PAGING_KEYS = new Set(['access_token', 'appsecret_proof', 'limit', 'after', 'before'])

export function createReportHandler(ctx: Ctx, account: AccountRecord, node: InsightsNode): HandlerResult {
  // Validate now, like Meta does, so bad parameters fail the POST rather than the job.
  const q = parseInsightsQuery(ctx.req.params, account, ctx.state, ctx.nowMs, node.defaultLevel)
  const stored: Record<string, string> = {}
  for (const [k, v] of ctx.req.params.entries()) if (!PAGING_KEYS.has(k)) stored[k] = v
  const windowDays = daysBetween(q.since, q.until) + 1
  const failed =
    ctx.faults.take(['report_failure'], ctx.req.method, ctx.req.rawPath, undefined, (spec) =>
      spec.kind === 'report_failure' && spec.longerThanDays !== undefined ? windowDays > spec.longerThanDays : true,
    ) !== undefined
  const stuck = !failed && ctx.faults.take(['report_stuck'], ctx.req.method, ctx.req.rawPath) !== undefined
  const run = ctx.state.createReport(account.id, stored, node.scope, node.defaultLevel, ctx.config.asyncReportPolls, { failed, stuck })
  return { body: { report_run_id: run.id }, accountId: account.id, bucType: 'ads_insights' }
}

/**
 * Progress by poll count: with N polls to complete, polls 1…N answer Job Not Started (first poll, when N ≥ 3),
 * Job Started, then Job Running; poll N+1 answers Job Completed (100%). Failed runs answer Job Failed with the v25
 * error fields; stuck runs stay Job Running.
 */
export function reportStatusHandler(ctx: Ctx, run: ReportRun): HandlerResult {
  run.polls++
  const base = { id: run.id, account_id: run.accountId, time_ref: Math.floor(run.createdMs / 1000) }
  const meta = { accountId: run.accountId, bucType: 'ads_insights' as const }
  if (run.failed) {
    run.completedMs ??= ctx.nowMs
    return {
      body: {
        ...base,
        time_completed: Math.floor(run.completedMs / 1000),
        async_status: 'Job Failed',
        async_percent_completion: 0,
        error_code: -2,
        error_subcode: 2490547,
        error_message: 'Generating the report failed. Please try again later.',
        error_user_title: 'Report Failed',
        error_user_msg: 'Generating the report failed. Please try again later.',
      },
      ...meta,
    }
  }
  if (run.stuck) return { body: { ...base, async_status: 'Job Running', async_percent_completion: 50 }, ...meta }
  if (run.polls > run.pollsToComplete) {
    run.completedMs ??= ctx.nowMs
    return {
      body: { ...base, time_completed: Math.floor(run.completedMs / 1000), async_status: 'Job Completed', async_percent_completion: 100 },
      ...meta,
    }
  }
  const notStarted = run.pollsToComplete >= 3 && run.polls === 1
  const started = run.pollsToComplete >= 3 ? run.polls === 2 : run.polls === 1
  const pct = notStarted ? 0 : Math.round((100 * run.polls) / (run.pollsToComplete + 1))
  return {
    body: {
      ...base,
      async_status: notStarted ? 'Job Not Started' : started ? 'Job Started' : 'Job Running',
      async_percent_completion: pct,
    },
    ...meta,
  }
}

export function reportResultsHandler(ctx: Ctx, run: ReportRun): HandlerResult {
  const account = ctx.state.accountMap.get(run.accountId)
  if (!account) throw invalidParameter('The report run belongs to an unknown ad account')
  if (run.failed) throw invalidParameter('The report run failed; create a new report run')
  if (run.completedMs === undefined)
    throw invalidParameter('The report run is not complete yet; poll it until async_status is "Job Completed"')
  const params = Params.from(Object.entries(run.params))
  const q = parseInsightsQuery(params, account, ctx.state, run.completedMs, run.defaultLevel)
  const rows = buildRows(ctx.state, account, q, run.completedMs, run.scope)
  const page = paginate(rows, ctx)
  const body: Record<string, unknown> = { data: page.data.map((r) => formatRow(r, q, account)) }
  if (page.paging) body.paging = page.paging
  return { body, accountId: account.id, bucType: 'ads_insights' }
}
