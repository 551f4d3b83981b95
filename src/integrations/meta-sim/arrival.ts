/**
 * Late conversions: Meta keeps adding results to a day for days after it ended (a purchase is attributed when the
 * pixel reports it, often the next day or later; instant-form leads arrive almost at once). A day's results as known
 * at an instant are its final results × the share arrived by then, a deterministic curve per result type and account:
 * `atEndOfDay` when the day ends (today's partial numbers carry it too), `afterDays` 1, 2 and 3 days (24, 48, 72 hours)
 * after, linear in between, and everything 7 days after. Applied to the campaign-day before it is split into ad sets
 * and ads, so campaign = Σ ad sets = Σ ads holds at every instant; a purchase's value arrives with it.
 */
import type { Counts } from './model.ts'
import { rngFor } from './prng.ts'
import type { SimArrival, SimArrivalCurve } from './types.ts'

const HOUR = 3_600_000
/** Hours after the end of a day from which its results are complete. */
const COMPLETE_AFTER_HOURS = 7 * 24
export const COMPLETE_AFTER_MS = COMPLETE_AFTER_HOURS * HOUR

/** Instant-form leads: most are in by the end of the day. Pixel purchases: 60 % / 85 % / 93 % after 1 / 2 / 3 days. */
export const DEFAULT_SIM_ARRIVAL: Readonly<SimArrival> = Object.freeze({
  leads: Object.freeze({ atEndOfDay: 0.85, afterDays: [0.9, 0.96, 0.98] as const }),
  purchases: Object.freeze({ atEndOfDay: 0.4, afterDays: [0.6, 0.85, 0.93] as const }),
})

/** The account's curves: its own where given (shares in [0, 1], never falling), else the defaults. */
export function arrivalFor(spec: Partial<SimArrival> | undefined): SimArrival {
  const out = { leads: spec?.leads ?? DEFAULT_SIM_ARRIVAL.leads, purchases: spec?.purchases ?? DEFAULT_SIM_ARRIVAL.purchases }
  for (const [kind, c] of Object.entries(out)) {
    const shares = [c.atEndOfDay, ...c.afterDays, 1]
    if (shares.length !== 5 || shares.some((v, i) => !(v >= 0 && v <= 1) || v < (shares[i - 1] ?? 0)))
      throw new Error(`arrival.${kind}: shares must lie in [0, 1] and never fall (got ${JSON.stringify(c)})`)
  }
  return out
}

/** Share of a day's final results reported `hours` after the day ended (0 or less: during the day). */
export function arrivedShare(curve: SimArrivalCurve, hours: number): number {
  const points: ReadonlyArray<readonly [number, number]> = [
    [0, curve.atEndOfDay],
    [24, curve.afterDays[0]],
    [48, curve.afterDays[1]],
    [72, curve.afterDays[2]],
    [COMPLETE_AFTER_HOURS, 1],
  ]
  if (hours <= 0) return curve.atEndOfDay
  for (let i = 1; i < points.length; i++) {
    const [h1, f1] = points[i] ?? [COMPLETE_AFTER_HOURS, 1]
    if (hours > h1) continue
    const [h0, f0] = points[i - 1] ?? [0, curve.atEndOfDay]
    return f0 + ((f1 - f0) * (hours - h0)) / (h1 - h0)
  }
  return 1
}

/** The whole hours since the day ended (`endMs`) at `clockMs`: a day's reported results change once an hour. */
export function hoursSinceEnd(endMs: number, clockMs: number): number {
  return Math.max(0, Math.floor((clockMs - endMs) / HOUR))
}

/**
 * A day's counts with only the results arrived `hours` after the day ended. Each result has its own delay, drawn from
 * a generator keyed by `key` (seed, account, campaign, date): the same results are in at the same instant whatever
 * was asked before, a result once in stays in, and the count arrived is binomial around final × share, as real late
 * conversions are (rounding every campaign-day's share instead would keep small counts complete too early).
 */
export function withArrival(c: Counts, arrival: SimArrival, hours: number, key: ReadonlyArray<string | number>): Counts {
  if (hours >= COMPLETE_AFTER_HOURS || (c.leads === 0 && c.purchases === 0)) return c
  const leads = arrived(c.leads, arrivedShare(arrival.leads, hours), [...key, 'leads'])
  const purchases = arrived(c.purchases, arrivedShare(arrival.purchases, hours), [...key, 'purchases'])
  const purchaseValueMinor = c.purchases === 0 ? 0 : Math.round((c.purchaseValueMinor * purchases) / c.purchases)
  return { ...c, leads, purchases, purchaseValueMinor }
}

/** How many of `n` results are in when a share `share` of them is expected. */
function arrived(n: number, share: number, key: ReadonlyArray<string | number>): number {
  if (n === 0 || share >= 1) return n
  const rng = rngFor(...key)
  let k = 0
  for (let i = 0; i < n; i++) if (rng.next() < share) k++
  return k
}
