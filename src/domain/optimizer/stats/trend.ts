import { studentTCdf } from './distributions.ts'

export interface Trend {
  slope: number
  se: number
  t: number
  df: number
  /** One-sided confidence that the slope is > 0. */
  confidenceRising: number
}

/** Ordinary least squares of y on x with a t-test on the slope (df = n − 2). */
export function linearTrend(points: ReadonlyArray<{ x: number; y: number }>): Trend | null {
  const n = points.length
  if (n < 3) return null
  let sx = 0
  let sy = 0
  for (const p of points) {
    sx += p.x
    sy += p.y
  }
  const mx = sx / n
  const my = sy / n
  let sxx = 0
  let sxy = 0
  for (const p of points) {
    sxx += (p.x - mx) ** 2
    sxy += (p.x - mx) * (p.y - my)
  }
  if (sxx === 0) return null
  const slope = sxy / sxx
  let sse = 0
  for (const p of points) sse += (p.y - my - slope * (p.x - mx)) ** 2
  const df = n - 2
  const se = Math.sqrt(sse / df / sxx)
  const t = se > 0 ? slope / se : slope > 0 ? Infinity : slope < 0 ? -Infinity : 0
  const confidenceRising = Number.isFinite(t) ? studentTCdf(t, df) : t > 0 ? 1 : 0
  return { slope, se, t, df, confidenceRising }
}
