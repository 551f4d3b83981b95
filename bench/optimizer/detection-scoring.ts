/**
 * Time-to-detection figures from what a detector raised each morning. A campaign's problem counts as detected on the
 * first morning d ≥ 1 (d complete days since onset) on which the expected kind is among the detector's suggestions;
 * recall at d = the share of campaigns detected on some morning ≤ d. The median days to detection is taken over ALL
 * planted campaigns of the group, the ones never detected within 13 mornings counted as later than any detected
 * (so it reads "> 13" when fewer than half are found). An alarm on a stable campaign is a detection kind appearing on
 * a morning it was not there the morning before (morning 0 is the warm-up, never counted).
 */
import { must } from '../must.ts'
import { PROBLEM_MORNINGS } from './onset-problems.ts'

/** Bit of each detection kind in a morning's flags. */
export const KIND_BITS = { cost_spike: 1, creative_fatigue: 2 } as const
export type DetectionKind = keyof typeof KIND_BITS
export const DETECTION_KINDS = Object.keys(KIND_BITS) as DetectionKind[]
export const RECALL_DAYS = [1, 2, 3, 5, 8, 13] as const

/** A campaign's flags, one entry per morning (index = morning; bits of KIND_BITS). */
export type Flags = Uint8Array

/** First morning d in 1 … 13 on which `kind` was raised, or null. */
function firstDetection(flags: Flags, kind: DetectionKind): number | null {
  for (let d = 1; d <= PROBLEM_MORNINGS; d++) if ((must(flags[d], `morning ${d}`) & KIND_BITS[kind]) !== 0) return d
  return null
}

export interface DetectionFigures {
  n: number
  /** Recall at each of RECALL_DAYS (and at 7, for the fatigue goal). */
  recallBy: (d: number) => number
  /** Median days to detection; Infinity when half or more are never detected within 13 mornings. */
  median: number
}

export function detectionFigures(all: readonly Flags[], kind: DetectionKind): DetectionFigures {
  const first = all.map((f) => firstDetection(f, kind) ?? Infinity).sort((a, b) => a - b)
  const n = first.length
  return {
    n,
    recallBy: (d) => (n === 0 ? Number.NaN : first.filter((x) => x <= d).length / n),
    // the lower median: the day by which at least half were detected
    median: n === 0 ? Number.NaN : must(first[Math.ceil(n / 2) - 1], 'the median campaign'),
  }
}

/** Share of one-day blips with a cost alarm on morning 1, and on any morning 2 … 13. */
export function blipFigures(all: readonly Flags[]): { n: number; onDay1: number; later: number } {
  const n = all.length
  let onDay1 = 0
  let later = 0
  for (const f of all) {
    if ((must(f[1], 'morning 1') & KIND_BITS.cost_spike) !== 0) onDay1++
    for (let d = 2; d <= PROBLEM_MORNINGS; d++)
      if ((must(f[d], `morning ${d}`) & KIND_BITS.cost_spike) !== 0) {
        later++
        break
      }
  }
  return { n, onDay1: n ? onDay1 / n : Number.NaN, later: n ? later / n : Number.NaN }
}

/** Alarms (a detection kind appearing) on mornings 1 … `mornings`, per 100 campaign-weeks. */
export function falseAlarms(all: readonly Flags[], mornings: number): { alarms: number; campaignWeeks: number; per100: number } {
  let alarms = 0
  for (const f of all)
    for (let m = 1; m <= mornings; m++) {
      const appeared = must(f[m], `morning ${m}`) & ~must(f[m - 1], `morning ${m - 1}`)
      for (const kind of DETECTION_KINDS) if ((appeared & KIND_BITS[kind]) !== 0) alarms++
    }
  const campaignWeeks = (all.length * mornings) / 7
  return { alarms, campaignWeeks, per100: campaignWeeks > 0 ? (100 * alarms) / campaignWeeks : Number.NaN }
}
