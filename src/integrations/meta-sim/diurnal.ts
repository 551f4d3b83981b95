/**
 * When in the day delivery happens. Meta spends a day's budget unevenly: little at night, most in the daytime and the
 * evening. Each account has its own deterministic curve (a shared shape, nudged per hour by the account's seed), so a
 * partial day (today so far, the day of a pause) holds the share of the day's delivery its hours carry, and the
 * hourly breakdown adds up to the day. Hours are counted from the start of the account-local day (on a daylight-
 * saving day the 24th hour, when there is one, runs at the last hour's rate).
 */
import { rngFor } from './prng.ts'
import type { AccountRecord } from './records.ts'

const HOUR = 3_600_000

/** The shared shape: relative delivery per account-local hour 0–23. */
const BASE_SHAPE = [1.8, 1.3, 1.0, 0.8, 0.8, 1.1, 2.0, 3.2, 4.3, 4.9, 5.2, 5.4, 5.5, 5.4, 5.3, 5.3, 5.4, 5.7, 6.1, 6.6, 6.7, 6.1, 4.7, 3.0]

const curves = new Map<string, number[]>()

/** The account's delivery rate per hour (relative weights, 24 of them). */
export function hourlyWeights(account: Pick<AccountRecord, 'id' | 'seed'>): number[] {
  const key = `${account.seed}|${account.id}`
  let w = curves.get(key)
  if (!w) {
    const rng = rngFor(account.seed, account.id, 'diurnal')
    w = BASE_SHAPE.map((v) => v * rng.noise(0.12))
    curves.set(key, w)
  }
  return w
}

/** The weight of `[from, to)` inside a day starting at `dayStart`, each hour at its rate (ms × weight). */
export function weightedSpan(weights: readonly number[], dayStart: number, from: number, to: number): number {
  let total = 0
  let t = Math.max(from, dayStart)
  while (t < to) {
    const index = Math.floor((t - dayStart) / HOUR)
    const hourEnd = dayStart + (index + 1) * HOUR
    const until = Math.min(to, hourEnd)
    total += (until - t) * (weights[Math.min(23, index)] ?? 1)
    t = until
  }
  return total
}
