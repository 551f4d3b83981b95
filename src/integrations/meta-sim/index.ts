/**
 * Promoly's Meta Graph API simulator.
 *
 * A Graph-compatible HTTP server with deterministic, seeded ad accounts, campaigns, ad sets, ads and daily
 * insights. It is Promoly's embedded default when no Meta token is configured, runs standalone as
 * `promoly meta-sim` (see cli.ts), and backs tests and benchmarks.
 *
 *   const sim = await startMetaSimulator({ port: 0, now: () => new Date('2026-11-25T12:00:00Z') })
 *   await fetch(`${sim.url}/v26.0/act_1234567890123456/insights?level=campaign&time_increment=1&date_preset=last_7d&access_token=${sim.accessToken}`)
 *
 * Routes: see router.ts. Faults: `sim.faults.throttle(17, { path: '/insights', times: 2 })`,
 * `sim.faults.expireToken('EAAsimulatorAccessToken0001')`, `sim.faults.httpError(503)`, `sim.faults.delay(2000)`,
 * `sim.faults.add({ kind: 'graph_error', error: {...} })`, `sim.faults.reportFailure({ times: 2 })`,
 * `sim.faults.reportFailure({ longerThanDays: 7 })`, `sim.faults.reportStuck()`, `sim.faults.insightsTimeout({ code: 2 })`,
 * or the HTTP control API under /__sim/ (see control.ts). Changes "in Ads Manager" (outside the API):
 * `sim.adsManager.setStatus(id, 'DELETED')`, `sim.adsManager.setBudget(id, { daily: 5000 })`, or POST /__sim/objects/{id}.
 *
 * Like Meta: every campaign has ad sets and ads (budgets on the campaign or on its ad sets, learning_stage_info,
 * creatives that fatigue ad by ad); lists (/campaigns, /adsets, /ads) leave ARCHIVED and DELETED objects out unless
 * filtered on effective_status; insights at level account, campaign, adset or ad leave rows of DELETED objects out
 * unless an `<level>.effective_status` filter lists DELETED; a campaign's row is exactly the sum of its ad sets' and
 * of its ads' rows; synchronous insights larger than `syncInsightsLimit` (objects × days, default 20,000) answer
 * 100/1504018 "use async jobs"; async report runs go Job Not Started/Started/Running → Completed or Failed by poll count
 * (never by wall time); writes: POST /{campaign|adset|ad id} (status incl. ARCHIVED/DELETED, budgets: 1885621 for an
 * ad set under a campaign budget, 613/1487632 past 4 budget changes per hour), DELETE /{id}.
 *
 * Differences from graph.facebook.com worth knowing: no breakdowns/sort/time_ranges, and field expansion only for
 * an ad's `creative{…}` (others answer a clear #100 error); `paging.next` carries access_token but not
 * appsecret_proof (as Meta); account-level insights rows count deleted objects too (Meta's documentation does not
 * say); campaigns created through the API have no ad sets or ads and so never deliver (no POST /adsets or /ads);
 * effective statuses never show IN_PROCESS, WITH_ISSUES or the review statuses (PENDING_REVIEW, DISAPPROVED…),
 * though filters accept them; reach below the campaign level is apportioned, not measured.
 */

export { DEFAULT_SIM_ACCOUNTS, SCALE_SIM_ACCOUNT } from './catalog.ts'
export { runMetaSimCli } from './cli.ts'
export { startMetaSimulator } from './server.ts'
export type { MetaSimulator } from './types.ts'
