/**
 * Keeps an ad account's hourly pattern (hourly-pattern.ts) fresh: read from Meta's hourly breakdown of the last 14
 * complete days at most once every ~20 hours (one paged account-level request), stored in AdAccount.hourlyPattern.
 * When Meta cannot be read, the stored pattern (or the default) serves: an alert is better late-informed than absent.
 */
import type { AdAccount, MetaConnection, Prisma } from '../../generated/prisma/client.ts'
import { addDays, localDate } from '../../lib/dates.ts'
import { connectionToken } from '../connections/connection-token.ts'
import type { DomainDeps } from '../deps.ts'
import { defaultHourlyPattern, type HourlyPattern, hourlyPatternOf, parseHourBucket, storedHourlyPattern } from './hourly-pattern.ts'

/** How long a read pattern serves before it is read again. */
const PATTERN_REFRESH_MS = 20 * 3_600_000
/** Complete days the pattern is learned from. */
const PATTERN_DAYS = 14

export async function accountHourlyPattern(deps: DomainDeps, account: AdAccount & { connection: MetaConnection }): Promise<HourlyPattern> {
  const stored = storedHourlyPattern(account.hourlyPattern)
  const now = deps.now()
  if (stored && account.hourlyPatternAt && now.getTime() - account.hourlyPatternAt.getTime() < PATTERN_REFRESH_MS) return stored
  const today = localDate(now, account.timezoneName)
  try {
    const rows = await deps.meta.fetchHourlySpend(connectionToken(deps, account.connection), account.metaAccountId, {
      since: addDays(today, -PATTERN_DAYS),
      until: addDays(today, -1),
      currency: account.currency,
    })
    const pattern = hourlyPatternOf(
      rows.flatMap((r) => {
        const hour = parseHourBucket(r.hourBucket)
        return hour === null ? [] : [{ date: r.date, hour, spendMinor: r.spendMinor }]
      }),
    )
    await deps.prisma.adAccount.update({
      where: { id: account.id },
      data: { hourlyPattern: pattern as unknown as Prisma.InputJsonValue, hourlyPatternAt: now },
    })
    return pattern
  } catch (err) {
    deps.logger.warn({ err: { message: (err as Error).message }, adAccountId: account.id }, 'could not read the hourly pattern from Meta')
    return stored ?? defaultHourlyPattern()
  }
}
