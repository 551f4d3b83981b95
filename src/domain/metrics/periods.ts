import { addDays, type IsoDate, localDate } from '../../lib/dates.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'

export const PERIODS = ['yesterday', 'last_7d', 'last_14d', 'last_30d'] as const
export type PeriodName = (typeof PERIODS)[number]

const LENGTH: Record<PeriodName, number> = { yesterday: 1, last_7d: 7, last_14d: 14, last_30d: 30 }
const LABEL: Record<PeriodName, string> = {
  yesterday: 'Yesterday',
  last_7d: 'Last 7 days',
  last_14d: 'Last 14 days',
  last_30d: 'Last 30 days',
}

export interface DateRange {
  since: IsoDate
  until: IsoDate
}

export interface Period {
  name: PeriodName
  label: string
  current: DateRange
  /** The same number of days immediately before. */
  previous: DateRange
}

export function parsePeriod(text: string | undefined): PeriodName {
  if (text === undefined) return 'last_7d'
  const t = text.toLowerCase().replace(/-/g, '_')
  const aliases: Record<string, PeriodName> = { '7d': 'last_7d', '14d': 'last_14d', '30d': 'last_30d', week: 'last_7d', month: 'last_30d' }
  const name = (PERIODS as readonly string[]).includes(t) ? (t as PeriodName) : aliases[t]
  if (!name) throw new AppError(AppErrorCode.BAD_INPUT, `Unknown period "${text}". Use one of: ${PERIODS.join(', ')}.`)
  return name
}

/** Complete days only (today is excluded, as in Meta's presets), in the account's time zone. */
export function resolvePeriod(name: PeriodName, now: Date, timeZone: string): Period {
  const today = localDate(now, timeZone)
  const n = LENGTH[name]
  const until = addDays(today, -1)
  const since = addDays(until, -(n - 1))
  return {
    name,
    label: LABEL[name],
    current: { since, until },
    previous: { since: addDays(since, -n), until: addDays(since, -1) },
  }
}
