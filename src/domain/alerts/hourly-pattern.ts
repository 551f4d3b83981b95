/**
 * An ad account's hourly delivery pattern: by the end of each account-local hour, the share of a day's spend usually
 * spent already. Read from Meta's hourly breakdown of the last 14 complete days (at most once every ~20 hours), it
 * turns today's spend so far into a projection of the whole day. Two curves are kept: the median day, for what is
 * expected by now, and a "fast day" (the 80th percentile of the share spent by each hour), so a projection divides by
 * the larger share and errs low: an overspend alert needs the campaign to be far ahead even of a fast day.
 */

/** What is stored in AdAccount.hourlyPattern. */
export interface HourlyPattern {
  /** Median cumulative share (0–1) of a day's spend by the end of each account-local hour 0–23 (the last is 1). */
  median: number[]
  /** The same at the 80th percentile: a day that spends early. Never below `median`. */
  fast: number[]
  /** Days with spend behind it; 0 = Promoly's default pattern (Meta gave no hourly figures yet). */
  days: number
}

/** One row of Meta's hourly breakdown, already parsed: the day, the hour (0–23) and the spend in minor units. */
export interface HourlySpend {
  date: string
  hour: number
  spendMinor: number
}

/** Days with spend needed before the account's own pattern replaces the default. */
export const MIN_PATTERN_DAYS = 5
const FAST_QUANTILE = 0.8

/**
 * A typical day on Meta (share of the day's spend per account-local hour): little at night, rising through the
 * morning, highest in the evening. Used until the account has hourly history of its own.
 */
const DEFAULT_HOURLY_WEIGHTS = [
  2.2, 1.6, 1.2, 1.0, 1.0, 1.3, 2.2, 3.3, 4.2, 4.8, 5.1, 5.3, 5.4, 5.3, 5.2, 5.2, 5.3, 5.5, 5.9, 6.3, 6.4, 5.9, 4.6, 3.3,
]

function cumulative(weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0)
  let run = 0
  return weights.map((w, h) => {
    run += w
    return h === weights.length - 1 ? 1 : run / total
  })
}

/**
 * The default: the typical day, and as its fast day the same curve two hours ahead (with no history of its own the
 * account may run earlier than usual, so the projection stays on the low side).
 */
export function defaultHourlyPattern(): HourlyPattern {
  const median = cumulative(DEFAULT_HOURLY_WEIGHTS)
  const fast = median.map((_, h) => median[Math.min(23, h + 2)] ?? 1)
  return { median, fast, days: 0 }
}

/** Meta's hour bucket "13:00:00 - 13:59:59" → 13; null for anything else. */
export function parseHourBucket(bucket: string): number | null {
  const m = /^(\d{2}):00:00\s*-\s*\d{2}:59:59$/.exec(bucket.trim())
  if (!m) return null
  const hour = Number(m[1])
  return hour >= 0 && hour <= 23 ? hour : null
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0
  const pos = (sorted.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  const a = sorted[lo] ?? 0
  const b = sorted[hi] ?? a
  return a + (b - a) * (pos - lo)
}

/**
 * The pattern of the days in `rows` (each day's spend by hour → its cumulative shares; per hour the median and the
 * 80th percentile across days). Days without spend say nothing about timing and are left out; with fewer than
 * MIN_PATTERN_DAYS days left, the default pattern.
 */
export function hourlyPatternOf(rows: readonly HourlySpend[]): HourlyPattern {
  const byDay = new Map<string, number[]>()
  for (const r of rows) {
    if (r.hour < 0 || r.hour > 23 || !(r.spendMinor > 0)) continue
    let day = byDay.get(r.date)
    if (!day) {
      day = new Array<number>(24).fill(0)
      byDay.set(r.date, day)
    }
    day[r.hour] = (day[r.hour] ?? 0) + r.spendMinor
  }
  const curves = [...byDay.values()].filter((d) => d.reduce((a, b) => a + b, 0) > 0).map(cumulative)
  if (curves.length < MIN_PATTERN_DAYS) return defaultHourlyPattern()
  const median: number[] = []
  const fast: number[] = []
  for (let h = 0; h < 24; h++) {
    const at = curves.map((c) => c[h] ?? 1).sort((a, b) => a - b)
    median.push(h === 23 ? 1 : quantile(at, 0.5))
    fast.push(h === 23 ? 1 : quantile(at, FAST_QUANTILE))
  }
  return { median, fast, days: curves.length }
}

/** The stored pattern, or null when absent or malformed (then the caller reads it again or uses the default). */
export function storedHourlyPattern(json: unknown): HourlyPattern | null {
  if (!json || typeof json !== 'object') return null
  const p = json as Partial<HourlyPattern>
  const ok = (a: unknown): a is number[] => Array.isArray(a) && a.length === 24 && a.every((v) => typeof v === 'number' && v >= 0 && v <= 1)
  if (!ok(p.median) || !ok(p.fast) || typeof p.days !== 'number') return null
  return { median: p.median, fast: p.fast, days: p.days }
}

/**
 * The share of a day done by an account-local instant (`hour` 0–23 and `minute`), interpolated within the hour:
 * `curve` is a cumulative pattern (median or fast).
 */
export function shareByNow(curve: readonly number[], hour: number, minute: number): number {
  const before = hour <= 0 ? 0 : (curve[hour - 1] ?? 1)
  const end = curve[hour] ?? 1
  return Math.min(1, before + ((end - before) * Math.max(0, Math.min(60, minute))) / 60)
}
