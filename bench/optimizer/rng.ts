/** A small seeded PRNG (sfc32, seeded through splitmix32) with the samplers the simulated accounts need. */
import { must } from '../must.ts'

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number
  uniform(min: number, max: number): number
  int(min: number, maxInclusive: number): number
  chance(p: number): boolean
  pick<T>(items: readonly T[]): T
  normal(): number
  /** exp(σ·N(0,1) − σ²/2): mean 1. */
  lognormal(sigma: number): number
  poisson(mean: number): number
  binomial(n: number, p: number): number
}

function splitmix32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x9e3779b9) >>> 0
    let z = a
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
    return (z ^ (z >>> 16)) >>> 0
  }
}

export function createRng(seed: number): Rng {
  const init = splitmix32(seed)
  let a = init()
  let b = init()
  let c = init()
  let d = init()
  const next = (): number => {
    a >>>= 0
    b >>>= 0
    c >>>= 0
    d >>>= 0
    const t = (a + b + d) >>> 0
    d = (d + 1) >>> 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) >>> 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) >>> 0
    return t / 4294967296
  }
  for (let i = 0; i < 12; i++) next()
  let spare: number | null = null
  const normal = (): number => {
    if (spare !== null) {
      const s = spare
      spare = null
      return s
    }
    let u = 0
    let v = 0
    let s = 0
    do {
      u = next() * 2 - 1
      v = next() * 2 - 1
      s = u * u + v * v
    } while (s >= 1 || s === 0)
    const f = Math.sqrt((-2 * Math.log(s)) / s)
    spare = v * f
    return u * f
  }
  const poisson = (mean: number): number => {
    if (!(mean > 0)) return 0
    if (mean < 30) {
      const l = Math.exp(-mean)
      let k = 0
      let p = next()
      while (p > l) {
        k++
        p *= next()
      }
      return k
    }
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal()))
  }
  const binomial = (n: number, p: number): number => {
    if (n <= 0 || p <= 0) return 0
    if (p >= 1) return n
    if (n < 40) {
      let k = 0
      for (let i = 0; i < n; i++) if (next() < p) k++
      return k
    }
    const mean = n * p
    if (mean < 30 && p < 0.05) return Math.min(n, poisson(mean))
    if (n * (1 - p) < 30 && p > 0.95) return n - Math.min(n, poisson(n * (1 - p)))
    return Math.min(n, Math.max(0, Math.round(mean + Math.sqrt(mean * (1 - p)) * normal())))
  }
  return {
    next,
    uniform: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => must(items[Math.floor(next() * items.length)], 'an item to pick (the list is empty)'),
    normal,
    lognormal: (sigma) => Math.exp(sigma * normal() - (sigma * sigma) / 2),
    poisson,
    binomial,
  }
}
