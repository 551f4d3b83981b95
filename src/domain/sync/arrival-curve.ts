/**
 * Each account's arrival curve: how much of a day's final results Meta has reported 1, 2 and 3 days after the day.
 * Results keep arriving for days (pixel purchases over several; instant-form leads almost at once), and every
 * regular sync fetches the last 8 days again (sync-window.ts), so each day is seen at ages 1 … 7. The sync records
 * what the account's day showed the first time it was seen at ages 1, 2 and 3, and what it shows now
 * (ResultArrival); days last seen at age 7 count as final, and the curve is the share of their final results
 * present at each age. The optimizer judges recent days against it (optimizer/completeness.ts) instead of
 * discarding them; without enough history a result type has no curve and the conservative default applies.
 */
import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts'
import { addDays, type IsoDate, toDbDate } from '../../lib/dates.ts'
import type { DateRange } from '../metrics/periods.ts'
import type { ArrivalCurve, Completeness } from '../optimizer/types.ts'

/** Days seen at most this long after they ended are recorded; a day last seen at this age counts as final. */
export const FINAL_AGE = 7
/** The curve is learned from the final days among the last 42. */
export const LEARNING_DAYS = 42
/** Fewer final days, or fewer final results, than these and a result type keeps the default. */
const MIN_DAYS = 7
const MIN_RESULTS = 20
/** Rows older than this are deleted at each sync: only the last 42 days are ever read. */
const KEEP_DAYS = 90
/** A learned fraction is kept within these bounds (a day is never expected to hold nothing, nor more than all). */
const MIN_FRACTION = 0.05
const MAX_FRACTION = 1

type ResultType = keyof Completeness
const RESULT_TYPES: readonly ResultType[] = ['leads', 'purchases']

/**
 * Records the account's totals of leads and purchases for every day of the `covered` ranges seen 1 to 7 days after
 * it ended (today and older backfilled days are skipped), from the campaign-days just rolled up: the first value seen
 * at ages 1, 2 and 3 is kept, `latest` is overwritten. A result type the account has never had gets no rows (an
 * account without a pixel does not collect rows of zeros), but once it has rows, days with none are recorded too:
 * a day that showed 0 at age 1 and 5 at age 7 is exactly what the curve must learn. Two statements, whatever the
 * number of days: the upsert and the pruning of rows no estimate reads any more.
 */
export async function recordArrivals(
  tx: Prisma.TransactionClient,
  options: { adAccountId: string; today: IsoDate; covered: readonly DateRange[]; at: Date },
): Promise<void> {
  const dates = recordedDates(options.today, options.covered)
  if (dates.length === 0) return
  await tx.$executeRawUnsafe(
    `WITH days AS (
       SELECT d::date AS "date", ($2::date - d::date) AS age,
              COALESCE(SUM(m."leads"), 0)::bigint AS leads, COALESCE(SUM(m."purchases"), 0)::bigint AS purchases
         FROM unnest($3::date[]) AS d
         LEFT JOIN "CampaignDailyMetric" m ON m."adAccountId" = $1 AND m."date" = d::date
        GROUP BY d
     ), seen AS (
       SELECT days."date", days.age, k.kind, k.value, MAX(k.value) OVER (PARTITION BY k.kind) AS most
         FROM days CROSS JOIN LATERAL (VALUES ('leads', days.leads), ('purchases', days.purchases)) AS k(kind, value)
     )
     INSERT INTO "ResultArrival" ("adAccountId", "date", "kind", "atDay1", "atDay2", "atDay3", "latest", "latestAge", "updatedAt")
     SELECT $1, s."date", s.kind,
            CASE WHEN s.age = 1 THEN s.value END, CASE WHEN s.age = 2 THEN s.value END, CASE WHEN s.age = 3 THEN s.value END,
            s.value, s.age, $4::timestamp
       FROM seen s
      WHERE s.most > 0 OR EXISTS (SELECT 1 FROM "ResultArrival" r WHERE r."adAccountId" = $1 AND r."kind" = s.kind)
     ON CONFLICT ("adAccountId", "date", "kind") DO UPDATE SET
       "atDay1" = COALESCE("ResultArrival"."atDay1", EXCLUDED."atDay1"),
       "atDay2" = COALESCE("ResultArrival"."atDay2", EXCLUDED."atDay2"),
       "atDay3" = COALESCE("ResultArrival"."atDay3", EXCLUDED."atDay3"),
       "latest" = EXCLUDED."latest", "latestAge" = EXCLUDED."latestAge", "updatedAt" = EXCLUDED."updatedAt"`,
    options.adAccountId,
    options.today,
    dates,
    options.at.toISOString(),
  )
  await tx.$executeRawUnsafe(
    `DELETE FROM "ResultArrival" WHERE "adAccountId" = $1 AND "date" < $2::date`,
    options.adAccountId,
    addDays(options.today, -KEEP_DAYS),
  )
}

/** The days of `covered` seen 1 to 7 days after they ended (ascending). */
export function recordedDates(today: IsoDate, covered: readonly DateRange[]): IsoDate[] {
  const out = new Set<IsoDate>()
  for (let age = 1; age <= FINAL_AGE; age++) {
    const date = addDays(today, -age)
    if (covered.some((r) => r.since <= date && date <= r.until)) out.add(date)
  }
  return [...out].sort()
}

/** One final day of a result type: its total as first seen 1, 2 and 3 days after it (null: not seen then), and at the end. */
export interface ArrivalDay {
  atDay: readonly [number | null, number | null, number | null]
  final: number
}

/**
 * The arrival curve learned from final days: after n days, Σ first-seen-at-n / Σ final over the days seen at age n.
 * Undefined (the default applies) when, at any age, fewer than 7 days or fewer than 20 final results stand behind
 * it: a handful of conversions says nothing about how they arrive. Each fraction is kept within [0.05, 1] and the
 * curve never falls from one day to the next (results revised away must not make day 2 look less complete than day 1).
 */
export function estimateArrivalCurve(days: readonly ArrivalDay[]): ArrivalCurve | undefined {
  const fractions: number[] = []
  let used = 0
  for (let n = 0; n < 3; n++) {
    let seen = 0
    let final = 0
    let count = 0
    for (const d of days) {
      const v = d.atDay[n]
      if (v === null || v === undefined) continue
      seen += v
      final += d.final
      count++
    }
    if (count < MIN_DAYS || final < MIN_RESULTS) return undefined
    const raw = Math.min(MAX_FRACTION, Math.max(MIN_FRACTION, seen / final))
    fractions.push(Math.max(raw, fractions[n - 1] ?? 0))
    used = Math.max(used, count)
  }
  const [d1 = 1, d2 = 1, d3 = 1] = fractions
  return { fractions: [d1, d2, d3], learnedFromDays: used }
}

/**
 * The account's learned curves as of `today` (account-local), from its final days among the last 42. A result type
 * without enough history is absent: the optimizer then uses its conservative default and the card says so.
 */
export async function loadCompleteness(
  prisma: Pick<PrismaClient, 'resultArrival'>,
  adAccountId: string,
  today: IsoDate,
): Promise<Completeness> {
  const rows = await prisma.resultArrival.findMany({
    where: {
      adAccountId,
      latestAge: { gte: FINAL_AGE },
      date: { gte: toDbDate(addDays(today, -LEARNING_DAYS)), lt: toDbDate(today) },
    },
    select: { kind: true, date: true, atDay1: true, atDay2: true, atDay3: true, latest: true },
  })
  const out: Completeness = {}
  for (const kind of RESULT_TYPES) {
    const days: ArrivalDay[] = rows
      .filter((r) => r.kind === kind)
      .map((r) => ({ atDay: [num(r.atDay1), num(r.atDay2), num(r.atDay3)], final: Number(r.latest) }))
    const curve = estimateArrivalCurve(days)
    if (curve) out[kind] = curve
  }
  return out
}

function num(v: bigint | null): number | null {
  return v === null ? null : Number(v)
}
