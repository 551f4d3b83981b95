/**
 * HTTP control API under /__sim/. Every call needs the simulator's control token as
 * `Authorization: Bearer <token>` (MetaSimulator.controlToken: the `controlToken` option, or a random one
 * per start, which `promoly meta-sim` prints); without it the answer is 401.
 *
 *   GET    /__sim/health            → {"ok":true}
 *   GET    /__sim/stats             → {"requests","byRoute","writes","writesByObject"}
 *   DELETE /__sim/stats             → resets the counters
 *   GET    /__sim/faults            → active faults with remaining counts
 *   POST   /__sim/faults            → body: one FaultSpec or an array; answers 201 {"ids":[…]}
 *                                     e.g. {"kind":"throttle","code":17,"path":"/insights","times":2}
 *                                          {"kind":"expired_token","token":"EAAsimulatorAccessToken0001"}
 *                                          {"kind":"http_error","status":503,"method":"POST"}
 *                                          {"kind":"delay","ms":1500,"times":1}
 *                                          {"kind":"graph_error","status":400,"error":{"message":"…","type":"OAuthException","code":368}}
 *                                          {"kind":"report_failure"}
 *   DELETE /__sim/faults            → clears every fault
 *   DELETE /__sim/faults/{id}       → clears one fault
 *   GET    /__sim/state             → accounts, campaigns, ad sets and ads as the simulator sees them
 *   POST   /__sim/objects/{id}      → an edit "in Ads Manager" (no API call counted, no rate limit), body one of
 *                                     {"status":"ACTIVE"|"PAUSED"|"ARCHIVED"|"DELETED"}, {"daily_budget":5000},
 *                                     {"lifetime_budget":90000}, or for a campaign {"pacing":3} (it overspends: 3× its
 *                                     usual rate from now to the end of its day, up to 175 % of its daily budget),
 *                                     or for a campaign {"cost_per_result":3,"since_days_ago":3} (from the start of
 *                                     the account-local day 3 days ago — from now when 0 — it converts 3× less for
 *                                     the same spend: leads, purchases and purchase value ÷ 3 at every level, spend,
 *                                     impressions and clicks unchanged, results still arriving late; factor 1–20,
 *                                     0–14 days; a later edit replaces it, factor 1 clears it);
 *                                     answers {"ok":true}
 */
import * as z from 'zod'
import type { Dispatcher } from './dispatcher.ts'
import { type FaultRegistry, faultSpecSchema } from './faults.ts'
import { adsManager } from './object-edits.ts'
import type { SimState } from './state.ts'
import type { FaultSpec } from './types.ts'

const objectEditSchema = z.union([
  z.object({ status: z.enum(['ACTIVE', 'PAUSED', 'ARCHIVED', 'DELETED']) }).strict(),
  z.object({ daily_budget: z.number().int().positive() }).strict(),
  z.object({ lifetime_budget: z.number().int().positive() }).strict(),
  z.object({ pacing: z.number().min(1).max(20) }).strict(),
  z.object({ cost_per_result: z.number().min(1).max(20), since_days_ago: z.number().int().min(0).max(14) }).strict(),
])

function editObject(id: string, rawBody: string, state: SimState): ControlResponse {
  let json: unknown
  try {
    json = JSON.parse(rawBody)
  } catch {
    return { status: 400, body: { error: 'Body must be JSON: {"status":…}, {"daily_budget":…} or {"lifetime_budget":…}' } }
  }
  const parsed = objectEditSchema.safeParse(json)
  if (!parsed.success)
    return {
      status: 400,
      body: {
        error:
          'Body must be one of {"status":…}, {"daily_budget":…}, {"lifetime_budget":…}, {"pacing":…}, {"cost_per_result":…,"since_days_ago":…}',
      },
    }
  const edits = adsManager(state)
  try {
    const edit = parsed.data
    if ('status' in edit) edits.setStatus(id, edit.status)
    else if ('daily_budget' in edit) edits.setBudget(id, { daily: edit.daily_budget })
    else if ('pacing' in edit) edits.surge(id, edit.pacing)
    else if ('cost_per_result' in edit) edits.raiseCostPerResult(id, edit.cost_per_result, edit.since_days_ago)
    else edits.setBudget(id, { lifetime: edit.lifetime_budget })
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e)
    return { status: message.startsWith('meta-sim: no ') ? 404 : 400, body: { error: message } }
  }
  return { status: 200, body: { ok: true } }
}

export interface ControlResponse {
  status: number
  body: unknown
}

export function handleControl(
  method: string,
  pathname: string,
  rawBody: string,
  deps: { dispatcher: Dispatcher; faults: FaultRegistry; state: SimState },
): ControlResponse {
  const path = pathname.replace(/\/+$/, '')
  const m = method.toUpperCase()
  if (path === '/__sim/health' && m === 'GET') return { status: 200, body: { ok: true } }
  if (path === '/__sim/stats') {
    if (m === 'GET') return { status: 200, body: deps.dispatcher.stats() }
    if (m === 'DELETE') {
      deps.dispatcher.resetStats()
      return { status: 200, body: { ok: true } }
    }
  }
  if (path === '/__sim/faults') {
    if (m === 'GET') return { status: 200, body: { faults: deps.faults.list() } }
    if (m === 'DELETE') {
      deps.faults.clear()
      return { status: 200, body: { ok: true } }
    }
    if (m === 'POST') {
      let json: unknown
      try {
        json = JSON.parse(rawBody)
      } catch {
        return { status: 400, body: { error: 'Body must be JSON: a fault spec or an array of fault specs' } }
      }
      const parsed = z.union([faultSpecSchema, z.array(faultSpecSchema)]).safeParse(json)
      if (!parsed.success) {
        return { status: 400, body: { error: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') } }
      }
      const specs = (Array.isArray(parsed.data) ? parsed.data : [parsed.data]) as FaultSpec[]
      return { status: 201, body: { ids: specs.map((s) => deps.faults.add(s)) } }
    }
  }
  const one = /^\/__sim\/faults\/([^/]+)$/.exec(path)
  if (one?.[1] && m === 'DELETE') {
    const removed = deps.faults.remove(decodeURIComponent(one[1]))
    return removed ? { status: 200, body: { ok: true } } : { status: 404, body: { error: `No fault ${one[1]}` } }
  }
  if (path === '/__sim/state' && m === 'GET')
    return {
      status: 200,
      body: { accounts: deps.state.accounts(), campaigns: deps.state.campaigns(), adSets: deps.state.adSets(), ads: deps.state.ads() },
    }
  const object = /^\/__sim\/objects\/([^/]+)$/.exec(path)
  if (object?.[1] && m === 'POST') return editObject(decodeURIComponent(object[1]), rawBody, deps.state)
  return { status: 404, body: { error: `Unknown control route ${m} ${path}` } }
}
