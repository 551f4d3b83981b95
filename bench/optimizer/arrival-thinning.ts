/**
 * Late results, as the sync sees them. A day's final results arrive over days (instant-form leads almost at once,
 * pixel purchases over 2–4 days): seen 1, 2 and 3 days after the day, an account shows about `fractions` of them.
 * The counts present at each age are drawn once per day and NESTED (a result present at age 1 is still there at age
 * 2), by binomial thinning from the final count backwards: present at 3 ~ Bin(final, f3), at 2 ~ Bin(at 3, f2/f3),
 * at 1 ~ Bin(at 2, f1/f2). Each is then Bin(final, f_age) on its own, as the curve says.
 */
import type { ArrivalCurve, DailyPoint } from '../../src/domain/optimizer/index.ts'
import type { Rng } from './rng.ts'

/** Results present 1, 2 and 3 days after the day (later: the final count). */
export type Arrived = readonly [number, number, number]

export function drawArrivals(rng: Rng, final: number, fractions: ArrivalCurve['fractions']): Arrived {
  const [f1, f2, f3] = fractions
  const at3 = rng.binomial(final, f3)
  const at2 = rng.binomial(at3, f3 > 0 ? Math.min(1, f2 / f3) : 0)
  const at1 = rng.binomial(at2, f2 > 0 ? Math.min(1, f1 / f2) : 0)
  return [at1, at2, at3]
}

/**
 * Day `d` as seen `age` days after it (1 = yesterday seen this morning): results thinned to what had arrived, the
 * purchase value in proportion; spend, impressions and clicks are reported complete (Meta's are, within hours).
 */
export function seenAtAge(d: DailyPoint, arrived: { leads: Arrived; purchases: Arrived }, age: number): DailyPoint {
  if (age > 3) return d
  const i = Math.max(0, age - 1)
  const leads = arrived.leads[i] ?? d.leads
  const purchases = arrived.purchases[i] ?? d.purchases
  const purchaseValue = d.purchases > 0 ? Math.round((d.purchaseValue * purchases) / d.purchases) : 0
  return { ...d, leads, purchases, purchaseValue }
}
