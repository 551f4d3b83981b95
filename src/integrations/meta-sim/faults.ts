/**
 * Fault injection: throttles, expired tokens, 5xx answers, slow answers, arbitrary Graph errors and
 * failing async reports — each for the next N matching requests or until cleared.
 */
import * as z from 'zod'
import type { ActiveFault, FaultController, FaultMatch, FaultSpec, ThrottleCode } from './types.ts'

const match = {
  method: z.string().min(1).optional(),
  path: z.string().min(1).optional(),
  times: z.number().int().positive().optional(),
}

const when = z.union([z.string(), z.number(), z.date()])

/** Validates fault specs arriving over the control API. */
export const faultSpecSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('throttle'),
    code: z.union([z.literal(4), z.literal(17), z.literal(613), z.literal(80000), z.literal(80004)]),
    subcode: z.number().int().nullable().optional(),
    regainMinutes: z.number().nonnegative().optional(),
    ...match,
  }),
  z.object({ kind: z.literal('expired_token'), token: z.string().min(1), expiredAt: when.optional(), ...match }),
  z.object({ kind: z.literal('http_error'), status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]), ...match }),
  z.object({ kind: z.literal('delay'), ms: z.number().nonnegative(), ...match }),
  z.object({
    kind: z.literal('graph_error'),
    status: z.number().int().min(200).max(599).optional(),
    error: z.record(z.string(), z.unknown()),
    headers: z.record(z.string(), z.string()).optional(),
    ...match,
  }),
  z.object({ kind: z.literal('report_failure'), longerThanDays: z.number().int().nonnegative().optional(), ...match }),
  z.object({ kind: z.literal('report_stuck'), ...match }),
  z.object({ kind: z.literal('insights_timeout'), code: z.union([z.literal(100), z.literal(2)]).optional(), ...match }),
])

export type FaultKind = FaultSpec['kind']

function copySpec(spec: FaultSpec): FaultSpec {
  return { ...spec }
}

export class FaultRegistry implements FaultController {
  private faults: ActiveFault[] = []
  private seq = 0

  add(spec: FaultSpec): string {
    const parsed = faultSpecSchema.safeParse(spec)
    if (!parsed.success)
      throw new Error(`Invalid fault spec: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
    const id = `fault-${++this.seq}`
    this.faults.push({ id, spec: copySpec(spec), remaining: spec.times ?? null, hits: 0 })
    return id
  }

  throttle(code: ThrottleCode, options: FaultMatch & { subcode?: number | null; regainMinutes?: number } = {}): string {
    return this.add({ ...options, kind: 'throttle', code })
  }

  expireToken(token: string, options: FaultMatch & { expiredAt?: string | number | Date } = {}): string {
    return this.add({ ...options, kind: 'expired_token', token })
  }

  httpError(status: 500 | 502 | 503 | 504, m: FaultMatch = {}): string {
    return this.add({ ...m, kind: 'http_error', status })
  }

  delay(ms: number, m: FaultMatch = {}): string {
    return this.add({ ...m, kind: 'delay', ms })
  }

  reportFailure(m: FaultMatch & { longerThanDays?: number } = {}): string {
    return this.add({ ...m, kind: 'report_failure' })
  }

  reportStuck(m: FaultMatch = {}): string {
    return this.add({ ...m, kind: 'report_stuck' })
  }

  insightsTimeout(options: FaultMatch & { code?: 100 | 2 } = {}): string {
    return this.add({ path: '/insights', ...options, kind: 'insights_timeout' })
  }

  remove(id: string): boolean {
    const before = this.faults.length
    this.faults = this.faults.filter((f) => f.id !== id)
    return this.faults.length !== before
  }

  clear(): void {
    this.faults = []
  }

  list(): ActiveFault[] {
    return this.faults.map((f) => ({ ...f, spec: copySpec(f.spec) }))
  }

  /**
   * Finds the first active fault of one of `kinds` matching the request and consumes one use.
   * `token` is required for expired_token faults to match.
   */
  take(
    kinds: readonly FaultKind[],
    method: string,
    path: string,
    token?: string,
    accepts: (spec: FaultSpec) => boolean = () => true,
  ): FaultSpec | undefined {
    for (const f of this.faults) {
      const s = f.spec
      if (!kinds.includes(s.kind)) continue
      if (!accepts(s)) continue
      if (s.method && s.method.toUpperCase() !== method.toUpperCase()) continue
      if (s.path && !path.includes(s.path)) continue
      if (s.kind === 'expired_token' && s.token !== token) continue
      f.hits++
      if (f.remaining !== null) {
        f.remaining--
        if (f.remaining <= 0) this.faults = this.faults.filter((x) => x !== f)
      }
      return s
    }
    return undefined
  }

  /** The expired_token fault registered for this token, without consuming it. */
  peekExpired(token: string): Extract<FaultSpec, { kind: 'expired_token' }> | undefined {
    for (const f of this.faults) if (f.spec.kind === 'expired_token' && f.spec.token === token) return f.spec
    return undefined
  }
}
