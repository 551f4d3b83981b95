/**
 * Promoly's Meta Graph API simulator.
 *
 * A Graph-compatible HTTP server with deterministic, seeded ad accounts, campaigns and daily
 * insights. It is Promoly's embedded default when no Meta token is configured, runs standalone as
 * `promoly meta-sim` (see cli.ts), and backs tests and benchmarks.
 *
 *   const sim = await startMetaSimulator({ port: 0, now: () => new Date('2026-11-25T12:00:00Z') })
 *   await fetch(`${sim.url}/v26.0/act_1234567890123456/insights?level=campaign&time_increment=1&date_preset=last_7d&access_token=${sim.accessToken}`)
 *
 * Routes: see router.ts. Faults: `sim.faults.throttle(17, { path: '/insights', times: 2 })`,
 * `sim.faults.expireToken('EAAsimulatorAccessToken0001')`, `sim.faults.httpError(503)`, `sim.faults.delay(2000)`,
 * `sim.faults.add({ kind: 'graph_error', error: {...} })`, `sim.faults.reportFailure()`, or the
 * HTTP control API under /__sim/ (see control.ts).
 *
 * Differences from graph.facebook.com worth knowing: no ad sets or ads (insights level=campaign
 * or account only), no breakdowns/sort/time_ranges/field expansion (they answer a clear #100
 * error), `paging.next` carries access_token but not appsecret_proof (as Meta), campaigns created
 * through the API have no ads and so never deliver.
 */

export { DEFAULT_SIM_ACCOUNTS } from './catalog.ts'
export { runMetaSimCli } from './cli.ts'
export { startMetaSimulator } from './server.ts'
export type { MetaSimulator } from './types.ts'
