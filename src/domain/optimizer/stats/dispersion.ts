/**
 * Over-dispersion. Daily clicks and conversions vary more than binomial/Poisson sampling alone explains (auction
 * and audience changes day to day); with 50,000 impressions a day a bare binomial test calls every wobble
 * significant. The Pearson χ²/df of the daily counts around their expected values estimates the variance factor φ
 * (quasi-binomial / quasi-Poisson); dividing counts by φ gives "effective" counts with honest intervals.
 * Expected values come from each block's own rate (blocks of a week), so a slow trend is not mistaken for noise.
 * With few days the ratio is itself noisy, so it is shrunk towards 1 as if PRIOR_DF more days had shown none
 * (a scaled-inverse-χ² prior centred on the plain binomial/Poisson model).
 */

const PRIOR_DF = 10

function shrink(chi2: number, df: number): number {
  return Math.max(1, (chi2 + PRIOR_DF) / (df + PRIOR_DF))
}

export interface BinomialDay {
  successes: number
  trials: number
}

export interface PoissonDay {
  events: number
  exposure: number
}

/** φ ≥ 1 for daily successes/trials, around each block's pooled proportion. */
export function binomialDispersion(days: readonly BinomialDay[], blockSize = 7): number {
  let chi2 = 0
  let df = 0
  for (let start = 0; start < days.length; start += blockSize) {
    const block = days.slice(start, start + blockSize).filter((d) => d.trials > 0)
    if (block.length < 2) continue
    const x = block.reduce((a, d) => a + d.successes, 0)
    const n = block.reduce((a, d) => a + d.trials, 0)
    const p = x / n
    if (p <= 0 || p >= 1) continue
    for (const d of block) chi2 += (d.successes - d.trials * p) ** 2 / (d.trials * p * (1 - p))
    df += block.length - 1
  }
  return shrink(chi2, df)
}

/** φ ≥ 1 for daily events given exposure (e.g. leads given spend), around each block's pooled rate. */
export function poissonDispersion(days: readonly PoissonDay[], blockSize = 7): number {
  let chi2 = 0
  let df = 0
  for (let start = 0; start < days.length; start += blockSize) {
    const block = days.slice(start, start + blockSize).filter((d) => d.exposure > 0)
    if (block.length < 2) continue
    const k = block.reduce((a, d) => a + d.events, 0)
    const e = block.reduce((a, d) => a + d.exposure, 0)
    if (k <= 0) continue
    const rate = k / e
    for (const d of block) {
      const m = d.exposure * rate
      chi2 += (d.events - m) ** 2 / m
    }
    df += block.length - 1
  }
  return shrink(chi2, df)
}
