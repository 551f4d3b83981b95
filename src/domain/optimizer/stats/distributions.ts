/**
 * Distribution functions the rules need (normal, gamma, beta, Student t), in plain TypeScript.
 * Accuracy is ~1e-9 relative for the CDFs (continued fractions as in Numerical Recipes), ample for decisions at
 * the 90–99 % level. Counts may be non-integer: the rules pass over-dispersion-scaled ("effective") counts.
 */

const EPS = 1e-14
const FPMIN = 1e-300

/** Complementary error function (Numerical Recipes' Chebyshev fit erfcc, relative error < 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x)
  const t = 1 / (1 + 0.5 * z)
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    )
  return x >= 0 ? r : 2 - r
}

export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2)
}

// Acklam's coefficients: central region a/b, tails c/d (tuples, so every index below is known to exist).
const ACKLAM_A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239,
] as const
const ACKLAM_B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1] as const
const ACKLAM_C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783,
] as const
const ACKLAM_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416] as const

/** Inverse of the standard normal CDF (Acklam's algorithm, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity
  if (p >= 1) return Infinity
  const a = ACKLAM_A
  const b = ACKLAM_B
  const c = ACKLAM_C
  const d = ACKLAM_D
  const lo = 0.02425
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p))
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
  }
  if (p > 1 - lo) return -normalQuantile(1 - p)
  const q = p - 0.5
  const r = q * q
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  )
}

// Lanczos coefficients (g = 7).
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
] as const

/** ln Γ(x) for x > 0 (Lanczos, g = 7). */
function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x)
  const xx = x - 1
  const g = LANCZOS
  const s =
    g[0] +
    g[1] / (xx + 1) +
    g[2] / (xx + 2) +
    g[3] / (xx + 3) +
    g[4] / (xx + 4) +
    g[5] / (xx + 5) +
    g[6] / (xx + 6) +
    g[7] / (xx + 7) +
    g[8] / (xx + 8)
  const t = xx + 7.5
  return 0.5 * Math.log(2 * Math.PI) + (xx + 0.5) * Math.log(t) - t + Math.log(s)
}

/** Regularized lower incomplete gamma P(a, x) = Pr[Gamma(a, 1) ≤ x]. */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0
  if (a <= 0) return 1
  const lnPre = -x + a * Math.log(x) - logGamma(a)
  if (x < a + 1) {
    let ap = a
    let sum = 1 / a
    let del = sum
    for (let n = 0; n < 1000; n++) {
      ap += 1
      del *= x / ap
      sum += del
      if (Math.abs(del) < Math.abs(sum) * EPS) break
    }
    return Math.min(1, sum * Math.exp(lnPre))
  }
  return 1 - gammaQcf(a, x, lnPre)
}

/** Regularized upper incomplete gamma Q(a, x) = 1 − P(a, x). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1
  if (a <= 0) return 0
  if (x < a + 1) return 1 - gammaP(a, x)
  return gammaQcf(a, x, -x + a * Math.log(x) - logGamma(a))
}

function gammaQcf(a: number, x: number, lnPre: number): number {
  let b = x + 1 - a
  let c = 1 / FPMIN
  let d = 1 / b
  let h = d
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a)
    b += 2
    d = an * d + b
    if (Math.abs(d) < FPMIN) d = FPMIN
    c = b + an / c
    if (Math.abs(c) < FPMIN) c = FPMIN
    d = 1 / d
    const del = d * c
    h *= del
    if (Math.abs(del - 1) < EPS) break
  }
  return Math.max(0, Math.exp(lnPre) * h)
}

/** x such that P(a, x) = p (bisection on a bracket that is widened as needed; ~1e-10 relative). */
export function gammaQuantile(p: number, a: number): number {
  if (p <= 0 || a <= 0) return 0
  if (p >= 1) return Infinity
  let lo = 0
  let hi = Math.max(1, a + 10 * Math.sqrt(a) + 10)
  while (gammaP(a, hi) < p) hi *= 2
  for (let i = 0; i < 100 && hi - lo > 1e-10 * Math.max(1, hi); i++) {
    const mid = (lo + hi) / 2
    if (gammaP(a, mid) < p) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}

/** Regularized incomplete beta I_x(a, b) = Pr[Beta(a, b) ≤ x]. */
export function betaI(x: number, a: number, b: number): number {
  if (x <= 0) return 0
  if (x >= 1) return 1
  const lnBt = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x)
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lnBt) * betacf(x, a, b)) / a
  return 1 - (Math.exp(lnBt) * betacf(1 - x, b, a)) / b
}

function betacf(x: number, a: number, b: number): number {
  const qab = a + b
  const qap = a + 1
  const qam = a - 1
  let c = 1
  let d = 1 - (qab * x) / qap
  if (Math.abs(d) < FPMIN) d = FPMIN
  d = 1 / d
  let h = d
  for (let m = 1; m < 1000; m++) {
    const m2 = 2 * m
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2))
    d = 1 + aa * d
    if (Math.abs(d) < FPMIN) d = FPMIN
    c = 1 + aa / c
    if (Math.abs(c) < FPMIN) c = FPMIN
    d = 1 / d
    h *= d * c
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2))
    d = 1 + aa * d
    if (Math.abs(d) < FPMIN) d = FPMIN
    c = 1 + aa / c
    if (Math.abs(c) < FPMIN) c = FPMIN
    d = 1 / d
    const del = d * c
    h *= del
    if (Math.abs(del - 1) < EPS) break
  }
  return h
}

/** x such that I_x(a, b) = p (bisection, ~1e-12 absolute). */
export function betaQuantile(p: number, a: number, b: number): number {
  if (p <= 0) return 0
  if (p >= 1) return 1
  let lo = 0
  let hi = 1
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2
    if (betaI(mid, a, b) < p) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}

/** Pr[T ≤ t] for Student's t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const x = df / (df + t * t)
  const tail = 0.5 * betaI(x, df / 2, 0.5)
  return t >= 0 ? 1 - tail : tail
}

const tQuantiles = new Map<string, number>()

/** t such that Pr[T ≤ t] = p (memoised: the rules ask for the same few levels and df over and over). */
export function studentTQuantile(p: number, df: number): number {
  if (p === 0.5) return 0
  if (p < 0.5) return -studentTQuantile(1 - p, df)
  const key = `${p}:${df}`
  const known = tQuantiles.get(key)
  if (known !== undefined) return known
  const t = solveStudentT(p, df)
  if (tQuantiles.size < 10_000) tQuantiles.set(key, t)
  return t
}

function solveStudentT(p: number, df: number): number {
  let lo = 0
  let hi = Math.max(10, normalQuantile(p) * 4)
  while (studentTCdf(hi, df) < p) hi *= 2
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2
    if (studentTCdf(mid, df) < p) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}
