/**
 * The one definition of every reporting period, for every surface (metrics, digests, suggestion cards, the agent).
 * A period is made of COMPLETE days in the account's time zone: "last 7 days" is the 7 days before today, yesterday
 * included. Periods travel as keys ("last_7d", "last_week", "2026-11-01..2026-11-15"): parsePeriod turns what a
 * person typed into a key, resolvePeriod turns a key into dates on a given day. The previous period, for
 * comparisons, is always the same number of days immediately before.
 */
import { addDays, daysBetween, formatDay, type IsoDate, localDate } from '../../lib/dates.ts'
import { editDistance } from '../../lib/edit-distance.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'

/** The named periods offered as buttons, in display order. */
export const PERIODS = ['yesterday', 'last_7d', 'last_14d', 'last_30d', 'last_week', 'this_month', 'last_month'] as const
export type PeriodName = (typeof PERIODS)[number]

/** A period as it travels: a PeriodName, `last_<n>d`, or a range `YYYY-MM-DD..YYYY-MM-DD`. */
export type PeriodKey = string

/** The longest period (and range) accepted. */
const MAX_PERIOD_DAYS = 93

export interface DateRange {
  since: IsoDate
  until: IsoDate
}

export interface Period {
  key: PeriodKey
  /** e.g. "Last 7 days", "Last week", "Nov 1 – Nov 15". */
  label: string
  /** Number of days in `current` (and in `previous`). */
  days: number
  current: DateRange
  /** The same number of days immediately before. */
  previous: DateRange
  /** The previous period in words: "the 7 days before", "the day before", "the week before". */
  previousLabel: string
}

/** How a person may write each period (shown in error messages and help). */
const PERIOD_WORDS =
  '`yesterday`, `last 7 days` (`7d`), `last 14 days`, `last 30 days`, `last week` (Monday to Sunday), `this month` (`month to date`), `last month`, or dates `2026-11-01..2026-11-15`'

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/
const RANGE = /^(\d{4}-\d{1,2}-\d{1,2})\s*(?:\.\.|–|—|\s+to\s+)\s*(\d{4}-\d{1,2}-\d{1,2})$/i
const SINGLE_DAY = /^\d{4}-\d{1,2}-\d{1,2}$/

const bad = (message: string) => new AppError(AppErrorCode.BAD_INPUT, message)

/** A calendar date in ISO form, or null when `text` is not one ("2026-02-30" is not). Accepts 2026-1-5. */
function isoDate(text: string): IsoDate | null {
  const parts = text.split('-')
  if (parts.length !== 3) return null
  const [y, m, d] = parts.map(Number) as [number, number, number]
  const iso = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
  const parsed = new Date(`${iso}T00:00:00Z`)
  return Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== iso ? null : iso
}

function rangeKey(sinceText: string, untilText: string): PeriodKey {
  const since = isoDate(sinceText)
  const until = isoDate(untilText)
  if (!since) throw bad(`"${sinceText}" is not a date: write dates as YYYY-MM-DD, e.g. 2026-11-01..2026-11-15.`)
  if (!until) throw bad(`"${untilText}" is not a date: write dates as YYYY-MM-DD, e.g. 2026-11-01..2026-11-15.`)
  if (since > until) throw bad(`${since}..${until} starts after it ends: put the earlier date first (${until}..${since}).`)
  const days = daysBetween(since, until) + 1
  if (days > MAX_PERIOD_DAYS) throw bad(`${since}..${until} is ${days} days long; at most ${MAX_PERIOD_DAYS} days fit in one period.`)
  return `${since}..${until}`
}

/**
 * What `text` names as a period key, or null when it does not look like a period at all (so a command can treat it
 * as part of a name). A text that is clearly meant as a period but is wrong (a reversed range, `today`) throws a
 * readable BAD_INPUT.
 */
export function periodKeyOf(text: string): PeriodKey | null {
  const raw = text.trim()
  const range = RANGE.exec(raw)
  if (range) return rangeKey(range[1] as string, range[2] as string)
  if (SINGLE_DAY.test(raw)) return rangeKey(raw, raw)
  const t = raw
    .toLowerCase()
    .replace(/[-_\s]+/g, ' ')
    .trim()
  switch (t) {
    case 'yesterday':
      return 'yesterday'
    case 'week':
      return 'last_7d'
    case 'month':
      return 'last_30d'
    case 'last week':
    case 'previous week':
      return 'last_week'
    case 'this month':
    case 'month to date':
    case 'mtd':
      return 'this_month'
    case 'last month':
    case 'previous month':
      return 'last_month'
    case 'today':
    case 'this week':
      throw bad(
        `Periods are made of complete days, and ${t === 'today' ? 'today is' : 'this week is'} not over yet. Try \`yesterday\` or \`last 7 days\`.`,
      )
  }
  const days = /^(?:last |past )?(\d{1,3}) ?(?:d|days?)$/.exec(t)
  if (days) {
    const n = Number(days[1])
    if (n < 1 || n > MAX_PERIOD_DAYS) throw bad(`"${raw}": a period is 1 to ${MAX_PERIOD_DAYS} days long.`)
    return n === 1 ? 'yesterday' : `last_${n}d`
  }
  return null
}

/** The key of a typed period; none typed is the last 7 days. Unknown words are refused with the accepted ones. */
export function parsePeriod(text: string | undefined): PeriodKey {
  if (text === undefined || text.trim() === '') return 'last_7d'
  const key = periodKeyOf(text)
  if (key === null) throw bad(`Unknown period "${text}". Use ${PERIOD_WORDS}.`)
  return key
}

/** Period spellings a near miss is compared with, and what to suggest for each. */
const PERIOD_SPELLINGS: ReadonlyArray<readonly [string, string]> = [
  ['yesterday', 'yesterday'],
  ['lastweek', 'last week'],
  ['last7days', 'last 7 days'],
  ['last14days', 'last 14 days'],
  ['last30days', 'last 30 days'],
  ['thismonth', 'this month'],
  ['lastmonth', 'last month'],
  ['monthtodate', 'month to date'],
]
/** Period words Meta or other tools know that Promoly does not take. */
const OTHER_PERIOD_WORDS = new Set(['tomorrow', 'maximum', 'lifetime', 'alltime', 'lastyear', 'thisyear', 'thisweek', 'today'])

/**
 * When the last word of a look-up that found nothing reads like a mistyped period (`lastweek`, `yesterdy`,
 * `maximum`), the refusal that says so, with the periods Promoly takes; null when it does not.
 */
export function unknownPeriodError(word: string): AppError | null {
  const w = word.toLowerCase().replace(/[-_\s]+/g, '')
  if (w.length < 5 || /^\d/.test(w)) return null
  const near = PERIOD_SPELLINGS.find(([spelling]) => editDistance(w, spelling, 2) <= 2)
  if (!near && !OTHER_PERIOD_WORDS.has(w)) return null
  const guess = near ? ` Did you mean \`${near[1]}\`?` : ''
  return bad(`"${word}" is not a period Promoly knows.${guess} Use ${PERIOD_WORDS}.`)
}

/** Words a period may span at the end of a command ("month to date", "last 7 days"). */
const MAX_PERIOD_WORDS = 3

/**
 * Splits a trailing period off a command's words (`Spring Sale last week` → `Spring Sale` + last_week), keeping at
 * least one word before it. The longest period phrase wins.
 */
export function splitTrailingPeriod(words: readonly string[]): { words: string[]; period: PeriodKey | undefined } {
  for (let n = Math.min(MAX_PERIOD_WORDS, words.length - 1); n >= 1; n--) {
    const key = periodKeyOf(words.slice(-n).join(' '))
    if (key !== null) return { words: words.slice(0, -n), period: key }
  }
  return { words: [...words], period: undefined }
}

function named(key: PeriodKey, today: IsoDate): { label: string; current: DateRange; previousLabel?: string } | null {
  const yesterday = addDays(today, -1)
  const lastN = /^last_(\d+)d$/.exec(key)
  if (lastN) {
    const n = Number(lastN[1])
    return { label: `Last ${n} days`, current: { since: addDays(yesterday, -(n - 1)), until: yesterday } }
  }
  switch (key) {
    case 'yesterday':
      return { label: 'Yesterday', current: { since: yesterday, until: yesterday } }
    case 'last_week': {
      // ISO week: Monday to Sunday, the one before the current week.
      const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7 // Monday 0 … Sunday 6
      const monday = addDays(today, -weekday)
      return { label: 'Last week', current: { since: addDays(monday, -7), until: addDays(monday, -1) }, previousLabel: 'the week before' }
    }
    case 'this_month': {
      const since = `${today.slice(0, 7)}-01`
      if (since === today) {
        throw bad(
          `It is the 1st of the month, so this month has no complete day yet (${formatDay(today)}). Try \`last month\` or \`yesterday\`.`,
        )
      }
      return { label: 'Month to date', current: { since, until: yesterday } }
    }
    case 'last_month': {
      const firstOfThisMonth = `${today.slice(0, 7)}-01`
      const until = addDays(firstOfThisMonth, -1)
      return { label: 'Last month', current: { since: `${until.slice(0, 7)}-01`, until } }
    }
  }
  return null
}

/** "Nov 28 – Dec 4", or one day when since = until. */
export function rangeText(r: DateRange): string {
  return r.since === r.until ? formatDay(r.since) : `${formatDay(r.since)} – ${formatDay(r.until)}`
}

/** The same number of days immediately before `r`. */
function previousRange(r: DateRange): DateRange {
  const days = daysBetween(r.since, r.until) + 1
  return { since: addDays(r.since, -days), until: addDays(r.since, -1) }
}

/** The previous period in words. */
function previousWords(days: number): string {
  return days === 1 ? 'the day before' : `the ${days} days before`
}

/**
 * The dates of a period on the account-local calendar day `today` (itself never included: it is not over). A range
 * that reaches today or later is refused, naming the last complete day.
 */
export function resolvePeriodOn(key: PeriodKey, today: IsoDate): Period {
  const fixed = named(key, today)
  let label: string
  let current: DateRange
  let previousLabel: string | undefined
  if (fixed) ({ label, current, previousLabel } = fixed)
  else {
    const range = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(key)
    if (!range || !ISO.test(range[1] as string)) throw bad(`Unknown period "${key}". Use ${PERIOD_WORDS}.`)
    const checked = rangeKey(range[1] as string, range[2] as string)
    const [since, until] = checked.split('..') as [IsoDate, IsoDate]
    if (until >= today) {
      throw bad(
        `${checked} reaches ${until === today ? 'today' : 'the future'}: periods are made of complete days, and the last complete day is ${formatDay(addDays(today, -1))} (${addDays(today, -1)}).`,
      )
    }
    current = { since, until }
    label = rangeText(current)
  }
  const days = daysBetween(current.since, current.until) + 1
  return { key, label, days, current, previous: previousRange(current), previousLabel: previousLabel ?? previousWords(days) }
}

/** The dates of a period as of `now` in the account's time zone. */
export function resolvePeriod(key: PeriodKey, now: Date, timeZone: string): Period {
  return resolvePeriodOn(key, localDate(now, timeZone))
}
