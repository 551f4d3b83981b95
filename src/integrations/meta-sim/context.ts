/** What a route handler gets to work with. */
import type { FaultRegistry } from './faults.ts'
import type { HandlerResult, PageContext, SimRequest } from './request.ts'
import type { SimState } from './state.ts'

export interface SimConfig {
  seed: number
  appId: string
  appSecret?: string
  accessTokens: ReadonlySet<string>
  pageSize: number
  asyncReportPolls: number
  /** Synchronous insights answer 100/1504018 when objects at the level × days exceed this. */
  syncInsightsLimit: number
  defaultApiVersion: string
}

export interface Ctx extends PageContext {
  req: SimRequest
  state: SimState
  faults: FaultRegistry
  config: SimConfig
  /** The caller's token (already validated). */
  token: string
  nowMs: number
}

export type Handler = (ctx: Ctx) => HandlerResult | Promise<HandlerResult>
