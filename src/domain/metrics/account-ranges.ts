import { toDbDate } from '../../lib/dates.ts'
import type { DateRange } from './periods.ts'

/** A Prisma `where` branch: daily rows of these ad accounts within these dates. */
export interface AccountRangeBranch {
  adAccountId: { in: string[] }
  date: { gte: Date; lte: Date }
}

/**
 * The same named period covers different days in accounts of different time zones: one OR branch per
 * distinct date range, each with the accounts that share it, so one grouped query reads them all.
 */
export function accountRangeBranches(ranges: Iterable<readonly [adAccountId: string, range: DateRange]>): AccountRangeBranch[] {
  const byRange = new Map<string, { range: DateRange; ids: string[] }>()
  for (const [adAccountId, range] of ranges) {
    const key = `${range.since}|${range.until}`
    const group = byRange.get(key)
    if (group) group.ids.push(adAccountId)
    else byRange.set(key, { range, ids: [adAccountId] })
  }
  return [...byRange.values()].map(({ range, ids }) => ({
    adAccountId: { in: ids },
    date: { gte: toDbDate(range.since), lte: toDbDate(range.until) },
  }))
}
