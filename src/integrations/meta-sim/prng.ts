/**
 * Small seeded PRNG helpers. Every random draw in the simulator comes from a generator keyed by
 * (seed, account, campaign, date, …), so one day's data never depends on which range was asked for
 * or in which order requests arrived.
 */

/** 32-bit string hash (murmur-style mixing); stable across runs and platforms. */
export function hashString(str: string): number {
  let h = 1779033703 ^ str.length
  for (let i = 0; i < str.length; i++) {
    h = Math.imul(h ^ str.charCodeAt(i), 3432918353)
    h = (h << 13) | (h >>> 19)
  }
  h = Math.imul(h ^ (h >>> 16), 2246822507)
  h = Math.imul(h ^ (h >>> 13), 3266489909)
  return (h ^ (h >>> 16)) >>> 0
}

/** mulberry32: fast, decent-quality 32-bit generator returning floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number
  /** Uniform float in [min, max). */
  range(min: number, max: number): number
  /** Uniform integer in [min, max] (inclusive). */
  int(min: number, max: number): number
  /** Picks one element. */
  pick<T>(items: readonly T[]): T
  /** Standard normal draw (Box–Muller). */
  normal(): number
  /** Multiplicative noise exp(sigma·N(0,1)), median 1. */
  noise(sigma: number): number
  /** Poisson-distributed integer (Knuth for small means, normal approximation above 40). */
  poisson(mean: number): number
  /** Binomial-ish integer count of successes out of n trials with probability p. */
  binomial(n: number, p: number): number
  chance(p: number): boolean
}

function createRng(next: () => number): Rng {
  const rng: Rng = {
    next,
    range: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor((max - min + 1) * next()),
    pick: <T>(items: readonly T[]): T => {
      const item = items[Math.floor(next() * items.length)]
      if (item === undefined) throw new Error('pick() from an empty list')
      return item
    },
    normal: () => {
      const u = Math.max(next(), 1e-12)
      const v = next()
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
    },
    noise: (sigma) => Math.exp(sigma * rng.normal()),
    poisson: (mean) => {
      if (!(mean > 0)) return 0
      if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.normal()))
      const limit = Math.exp(-mean)
      let k = 0
      let p = next()
      while (p > limit) {
        k++
        p *= next()
      }
      return k
    },
    binomial: (n, p) => {
      if (n <= 0 || p <= 0) return 0
      if (p >= 1) return n
      const mean = n * p
      if (mean < 40) return Math.min(n, rng.poisson(mean))
      const sd = Math.sqrt(mean * (1 - p))
      return Math.min(n, Math.max(0, Math.round(mean + sd * rng.normal())))
    },
    chance: (p) => next() < p,
  }
  return rng
}

/** A generator keyed by the given parts, e.g. `rngFor(seed, accountId, campaignId, '2026-11-20')`. */
export function rngFor(...parts: Array<string | number>): Rng {
  return createRng(mulberry32(hashString(parts.join('|'))))
}

/**
 * Multiplicative log-normal noise exp(sigma·N(0,1)) keyed by the given parts: the same value as
 * `rngFor(...parts).noise(sigma)`, without building a generator (hot paths draw one value per ad per day).
 */
export function noiseFor(sigma: number, ...parts: Array<string | number>): number {
  const next = mulberry32(hashString(parts.join('|')))
  const u = Math.max(next(), 1e-12)
  const v = next()
  return Math.exp(sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v))
}
