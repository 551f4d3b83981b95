/** Insights date presets, resolved in the ad account's calendar. */
import { addDays, weekday } from './tz.ts'

export const DATE_PRESETS = [
  'today',
  'yesterday',
  'this_month',
  'last_month',
  'this_quarter',
  'maximum',
  'data_maximum',
  'last_3d',
  'last_7d',
  'last_14d',
  'last_28d',
  'last_30d',
  'last_90d',
  'last_week_mon_sun',
  'last_week_sun_sat',
  'last_quarter',
  'last_year',
  'this_week_mon_today',
  'this_week_sun_today',
  'this_year',
] as const

export function monthStart(date: string): string {
  return `${date.slice(0, 8)}01`
}

export function addMonths(date: string, months: number): string {
  const y = Number(date.slice(0, 4))
  const m = Number(date.slice(5, 7)) - 1 + months
  const yy = y + Math.floor(m / 12)
  const mm = ((m % 12) + 12) % 12
  const lastDay = new Date(Date.UTC(yy, mm + 1, 0)).getUTCDate()
  const d = Math.min(Number(date.slice(8, 10)), lastDay)
  return `${String(yy).padStart(4, '0')}-${String(mm + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

function quarterStart(date: string): string {
  const m = Number(date.slice(5, 7))
  const qm = Math.floor((m - 1) / 3) * 3 + 1
  return `${date.slice(0, 4)}-${String(qm).padStart(2, '0')}-01`
}

/** Resolves a date preset in the account's calendar. `last_Nd` presets exclude today. */
export function presetRange(preset: string, today: string, earliest: string): { since: string; until: string } | undefined {
  const lastN = /^last_(\d+)d$/.exec(preset)
  if (lastN && ['3', '7', '14', '28', '30', '90'].includes(lastN[1] ?? '')) {
    const n = Number(lastN[1])
    return { since: addDays(today, -n), until: addDays(today, -1) }
  }
  const wd = weekday(today)
  switch (preset) {
    case 'today':
      return { since: today, until: today }
    case 'yesterday':
      return { since: addDays(today, -1), until: addDays(today, -1) }
    case 'this_month':
      return { since: monthStart(today), until: today }
    case 'last_month': {
      const start = addMonths(monthStart(today), -1)
      return { since: start, until: addDays(monthStart(today), -1) }
    }
    case 'this_quarter':
      return { since: quarterStart(today), until: today }
    case 'last_quarter': {
      const start = addMonths(quarterStart(today), -3)
      return { since: start, until: addDays(quarterStart(today), -1) }
    }
    case 'this_year':
      return { since: `${today.slice(0, 4)}-01-01`, until: today }
    case 'last_year': {
      const y = String(Number(today.slice(0, 4)) - 1).padStart(4, '0')
      return { since: `${y}-01-01`, until: `${y}-12-31` }
    }
    case 'this_week_mon_today':
      return { since: addDays(today, -((wd + 6) % 7)), until: today }
    case 'this_week_sun_today':
      return { since: addDays(today, -wd), until: today }
    case 'last_week_mon_sun': {
      const monday = addDays(today, -((wd + 6) % 7) - 7)
      return { since: monday, until: addDays(monday, 6) }
    }
    case 'last_week_sun_sat': {
      const sunday = addDays(today, -wd - 7)
      return { since: sunday, until: addDays(sunday, 6) }
    }
    case 'maximum':
    case 'data_maximum':
      return { since: earliest < today ? earliest : today, until: today }
    default:
      return undefined
  }
}
