/**
 * Expected completeness of recent days' results. Yesterday and the days before it are judged against what they are
 * expected to show by now, not discarded: a day seen `age` days after it ended is expected to hold `fraction(age)`
 * of its final results. Until an account has re-synced history, a conservative default applies (it assumes fewer
 * results are in than usually are, so a recent day can only look better than it is, never worse: no false alarm
 * from late conversions), and the card says so.
 */
import type { ArrivalCurve, Completeness, OptimizerContext } from './types.ts'

/**
 * The fallbacks, at or below the slowest arrival an account of the result type usually shows at the first sync of
 * the morning, so a recent day can only look better than it is. Leads: 65 %, 85 %, 93 % after 1, 2 and 3 days, below
 * website (pixel) leads, the slow kind (≈ 70 %, 88 %, 95 %; instant-form leads are ≈ 92 %, 98 %, 99.5 %). Pixel
 * purchases: 40 %, 65 %, 85 % (a simulated day read at 08:00 holds 47 %, 68 % and 88 %; the optimizer also runs after
 * the night's syncs, when a purchase day holds less, so these stay lower). Higher would be faster on a new account but
 * could make a slow account's recent days look worse than they are (the detection bench's default column).
 */
const DEFAULT_ARRIVAL_CURVES: Required<Completeness> = {
  leads: { fractions: [0.65, 0.85, 0.93], learnedFromDays: 0 },
  purchases: { fractions: [0.4, 0.65, 0.85], learnedFromDays: 0 },
}

/** The curve for a result type: the account's, else the default. */
export function arrivalCurveFor(ctx: Pick<OptimizerContext, 'completeness'>, kind: keyof Completeness): ArrivalCurve {
  return ctx.completeness?.[kind] ?? DEFAULT_ARRIVAL_CURVES[kind]
}

/** Expected fraction of its final results a day holds `age` days after it ended (1 = yesterday seen today). */
export function expectedFraction(curve: ArrivalCurve, age: number): number {
  if (age <= 0) return 0
  if (age > curve.fractions.length) return 1
  return curve.fractions[age - 1] ?? 1
}

const AGE_NAMES = ['yesterday', 'the day before', '3 days ago'] as const

/**
 * The card's line on completeness for a window whose newest days are `ages` days old (1 = yesterday): which fraction
 * each counted at, and where the fractions come from (this account's history or the default).
 */
export function completenessText(curve: ArrivalCurve, ages: readonly number[], resultPlural: string): string {
  const parts = ages
    .filter((age) => age >= 1 && age <= curve.fractions.length)
    .sort((a, b) => a - b)
    .map(
      (age, i) =>
        `${AGE_NAMES[age - 1] ?? `${age} days ago`} ${percent(expectedFraction(curve, age))}${i === 0 ? ` of final ${resultPlural}` : ''}`,
    )
  const source =
    curve.learnedFromDays > 0
      ? `learned from this account's last ${curve.learnedFromDays} re-synced days`
      : `Promoly's conservative default — ${curve.fractions.map(percent).join(', ')} — until this account has enough re-synced days`
  return `Recent days counted at their expected completeness: ${parts.join(', ')} (${source})`
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`
}
