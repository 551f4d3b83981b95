/**
 * Interval estimates and one-sided tests on counts. "tail" is the one-sided error rate of a bound, i.e. a two-sided
 * interval at level 1 − 2·tail. Counts may be non-integer (over-dispersion-scaled effective counts).
 */
import {
  betaI,
  betaQuantile,
  gammaP,
  gammaQ,
  gammaQuantile,
  normalCdf,
  normalQuantile,
  studentTCdf,
  studentTQuantile,
} from './distributions.ts'

export interface Interval {
  estimate: number
  lower: number
  upper: number
}

/** Wilson score interval for a binomial proportion x/n. */
export function wilsonInterval(x: number, n: number, tail: number): Interval {
  if (n <= 0) return { estimate: 0, lower: 0, upper: 1 }
  const z = normalQuantile(1 - tail)
  const p = x / n
  const z2 = z * z
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n)
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n)
  return { estimate: p, lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) }
}

/**
 * Score-test confidence that the true proportion is below `threshold` (the test the Wilson bound inverts:
 * the Wilson upper bound is below the threshold exactly when this exceeds 1 − tail).
 */
export function confidenceProportionBelow(x: number, n: number, threshold: number): number {
  if (n <= 0 || threshold <= 0) return 0
  if (threshold >= 1) return 1
  return normalCdf((threshold - x / n) / Math.sqrt((threshold * (1 - threshold)) / n))
}

/** Exact (Garwood) interval for a Poisson rate: k events over `exposure`. */
export function poissonRateInterval(k: number, exposure: number, tail: number): Interval {
  if (exposure <= 0) return { estimate: 0, lower: 0, upper: Infinity }
  const lower = k > 0 ? gammaQuantile(tail, k) / exposure : 0
  const upper = gammaQuantile(1 - tail, k + 1) / exposure
  return { estimate: k / exposure, lower, upper }
}

/** Pr[X ≤ k] for X ~ Poisson(mean) (continuous in k through the incomplete gamma function). */
export function poissonAtMost(k: number, mean: number): number {
  if (k < 0) return 0
  return gammaQ(k + 1, mean)
}

/** Pr[X ≥ k] for X ~ Poisson(mean). */
export function poissonAtLeast(k: number, mean: number): number {
  if (k <= 0) return 1
  return gammaP(k, mean)
}

/** Pr[X ≤ k] for X ~ Binomial(n, p). */
function binomialAtMost(k: number, n: number, p: number): number {
  if (k < 0) return 0
  if (k >= n) return 1
  return betaI(1 - p, n - k, k + 1)
}

/** Pr[X ≥ k] for X ~ Binomial(n, p). */
function binomialAtLeast(k: number, n: number, p: number): number {
  if (k <= 0) return 1
  if (k > n) return 0
  return betaI(p, k, n - k + 1)
}

/**
 * Ratio of two Poisson rates λ1/λ2 (k1 events over exposure e1 vs k2 over e2), by conditioning on k1 + k2:
 * k1 ~ Binomial(k1 + k2, λ1e1 / (λ1e1 + λ2e2)); a Clopper–Pearson interval on that proportion maps to the ratio.
 * Both samples' uncertainty is accounted for.
 */
export function rateRatioInterval(k1: number, e1: number, k2: number, e2: number, tail: number): Interval {
  const n = k1 + k2
  const toRatio = (p: number) => (p >= 1 ? Infinity : (p * e2) / ((1 - p) * e1))
  if (n <= 0 || e1 <= 0 || e2 <= 0) return { estimate: Number.NaN, lower: 0, upper: Infinity }
  const pLow = k1 > 0 ? betaQuantile(tail, k1, n - k1 + 1) : 0
  const pHigh = k1 < n ? betaQuantile(1 - tail, k1 + 1, n - k1) : 1
  return { estimate: k2 > 0 ? k1 / e1 / (k2 / e2) : Infinity, lower: toRatio(pLow), upper: toRatio(pHigh) }
}

/** Confidence that λ1/λ2 < `ratio` (one-sided conditional binomial test). */
export function confidenceRateRatioBelow(k1: number, e1: number, k2: number, e2: number, ratio: number): number {
  const n = k1 + k2
  if (n <= 0) return 0
  const p0 = (ratio * e1) / (ratio * e1 + e2)
  // evidence for p < p0: small k1 is unlikely under p0
  return 1 - binomialAtMost(k1, n, p0)
}

/**
 * p-value of "λ1/λ2 ≥ `ratio`" (1 − confidenceRateRatioBelow, computed directly so that very small values keep
 * their precision and strong evidence can still be ranked).
 */
export function pRateRatioNotBelow(k1: number, e1: number, k2: number, e2: number, ratio: number): number {
  const n = k1 + k2
  if (n <= 0) return 1
  return binomialAtMost(k1, n, (ratio * e1) / (ratio * e1 + e2))
}

/** Confidence that λ1/λ2 > `ratio`. */
export function confidenceRateRatioAbove(k1: number, e1: number, k2: number, e2: number, ratio: number): number {
  const n = k1 + k2
  if (n <= 0) return 0
  const p0 = (ratio * e1) / (ratio * e1 + e2)
  return 1 - binomialAtLeast(k1, n, p0)
}

export interface MeanInterval extends Interval {
  se: number
  df: number
}

/** Student-t interval for the mean of daily values (days treated as independent draws). */
export function meanInterval(xs: readonly number[], tail: number): MeanInterval {
  const n = xs.length
  const mean = n > 0 ? xs.reduce((a, b) => a + b, 0) / n : 0
  if (n < 2) return { estimate: mean, lower: -Infinity, upper: Infinity, se: Infinity, df: 0 }
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)
  const se = Math.sqrt(variance / n)
  const t = studentTQuantile(1 - tail, n - 1)
  return { estimate: mean, lower: mean - t * se, upper: mean + t * se, se, df: n - 1 }
}

/** Confidence that the mean is below `threshold` (one-sided t-test); 1 or 0 when the days don't vary at all. */
export function confidenceMeanBelow(m: MeanInterval, threshold: number): number {
  if (m.df <= 0) return 0
  if (m.se === 0) return m.estimate < threshold ? 1 : 0
  return studentTCdf((threshold - m.estimate) / m.se, m.df)
}

export function confidenceMeanAbove(m: MeanInterval, threshold: number): number {
  if (m.df <= 0) return 0
  if (m.se === 0) return m.estimate > threshold ? 1 : 0
  return studentTCdf((m.estimate - threshold) / m.se, m.df)
}
