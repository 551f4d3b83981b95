import { studentTCdf } from './distributions.ts'

export interface WeightedTrend {
  slope: number
  /** Fitted value at x = `at` (the first point's x unless given). */
  intercept: number
  se: number
  df: number
  /** Residual variance factor Σw·r²/df (1 = the weights were exactly the inverse variances). */
  scale: number
  /** One-sided confidence that the slope is > 0 and < 0 (Student t with df = n − 2). */
  confidenceRising: number
  confidenceFalling: number
}

/**
 * Weighted least squares of y on x (weights = inverse variances up to a common factor), with a t-test on the slope.
 * The variance factor is estimated from the residuals and never taken below `minScale` (e.g. over-dispersion known
 * from earlier days), so a handful of days that happen to line up cannot claim more precision than the data allow.
 */
export function weightedTrend(points: ReadonlyArray<{ x: number; y: number; w: number }>, minScale = 1): WeightedTrend | null {
  const n = points.length
  if (n < 3) return null
  let sw = 0
  let swx = 0
  let swy = 0
  for (const p of points) {
    sw += p.w
    swx += p.w * p.x
    swy += p.w * p.y
  }
  if (sw <= 0) return null
  const mx = swx / sw
  const my = swy / sw
  let sxx = 0
  let sxy = 0
  for (const p of points) {
    sxx += p.w * (p.x - mx) ** 2
    sxy += p.w * (p.x - mx) * (p.y - my)
  }
  if (sxx <= 0) return null
  const slope = sxy / sxx
  let rss = 0
  for (const p of points) rss += p.w * (p.y - my - slope * (p.x - mx)) ** 2
  const df = n - 2
  const scale = Math.max(minScale, rss / df)
  const se = Math.sqrt(scale / sxx)
  const t = se > 0 ? slope / se : slope > 0 ? Infinity : slope < 0 ? -Infinity : 0
  const rising = Number.isFinite(t) ? studentTCdf(t, df) : t > 0 ? 1 : 0
  const first = points[0]?.x ?? mx
  return {
    slope,
    intercept: my + slope * (first - mx),
    se,
    df,
    scale,
    confidenceRising: rising,
    confidenceFalling: Number.isFinite(t) ? studentTCdf(-t, df) : t < 0 ? 1 : 0,
  }
}
