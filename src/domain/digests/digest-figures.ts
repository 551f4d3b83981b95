/**
 * The digest's figures for one account, from the rows load-digest-rows.ts read: pure functions of those rows, the
 * account and `now`. Sums, results and ratios come from the metrics vocabulary (domain/metrics/vocabulary.ts).
 */
import type { AdAccount } from '../../generated/prisma/client.ts'
import { addDays, daysBetween, type IsoDate, localDate, startOfLocalDay } from '../../lib/dates.ts'
import { formatMoney } from '../../lib/money.ts'
import { rangeText, resolvePeriodOn } from '../metrics/periods.ts'
import {
  accountResultKind,
  addMetrics,
  costPerResult,
  cpm,
  ctr,
  type Metrics,
  RESULT_METRICS,
  type ResultKind,
  resultKind,
  resultsOf,
  roas,
  scaleMetrics,
  zeroMetrics,
} from '../metrics/vocabulary.ts'
import {
  type AccountDigest,
  type CampaignEfficiency,
  type KeyFigures,
  META_REVISION_DAYS,
  MIN_RESULTS_FOR_RANKING,
  type Pacing,
  SERIES_DAYS,
  type SeriesPoint,
  STALE_SYNC_MS,
} from './digest-types.ts'
import type { DigestCampaign, DigestDay } from './load-digest-rows.ts'

/** An account's digest calendar: "yesterday" depends on the account's time zone. */
export interface DigestCalendar {
  today: IsoDate
  /** The last complete day. */
  day: IsoDate
  monthStart: IsoDate
  seriesStart: IsoDate
  /** First day of the baseline (the 7 days before `day`). */
  since7: IsoDate
  /** First day of the campaigns' 7-day window (ending `day`). */
  weekStart: IsoDate
  /** "last 7 days (Sat, Nov 28 – Fri, Dec 4)" */
  weekLabel: string
  /** The earliest day any figure needs. */
  from: IsoDate
}

export function digestCalendar(now: Date, timeZone: string): DigestCalendar {
  const today = localDate(now, timeZone)
  // The same periods as everywhere (domain/metrics/periods.ts): yesterday, and the last 7 days ending it.
  const yesterday = resolvePeriodOn('yesterday', today)
  const week = resolvePeriodOn('last_7d', today)
  const day = yesterday.current.until
  const monthStart = `${day.slice(0, 7)}-01`
  const seriesStart = addDays(today, -SERIES_DAYS)
  return {
    today,
    day,
    monthStart,
    seriesStart,
    since7: addDays(day, -7),
    weekStart: week.current.since,
    weekLabel: `${week.label.toLowerCase()} (${rangeText(week.current)})`,
    from: monthStart < seriesStart ? monthStart : seriesStart,
  }
}

/** One period's key figures; results of the account's main kind. */
function keyFigures(s: Metrics, kind: 'leads' | 'purchases' | null): KeyFigures {
  return {
    spendMinor: s.spend,
    impressions: s.impressions,
    clicks: s.clicks,
    leads: s.leads,
    purchases: s.purchases,
    purchaseValueMinor: s.purchaseValue,
    results: resultsOf(s, kind),
    costPerResultMinor: costPerResult(s, kind),
    costPerLeadMinor: costPerResult(s, 'leads'),
    costPerPurchaseMinor: costPerResult(s, 'purchases'),
    ctr: ctr(s),
    cpmMinor: cpm(s),
    roas: roas(s),
  }
}

/** The digest of one account. `campaigns` are the account's; `weekByCampaign` may hold other accounts' too. */
export function accountDigest(
  a: AdAccount,
  w: DigestCalendar,
  days: Map<IsoDate, DigestDay>,
  campaigns: DigestCampaign[],
  weekByCampaign: Map<string, Metrics>,
  now: Date,
): AccountDigest {
  const sumRange = (from: IsoDate, to: IsoDate) => {
    const total = zeroMetrics()
    for (const [d, v] of days) if (d >= from && d <= to) addMetrics(total, v.sums)
    return total
  }
  const kind = accountResultKind(sumRange(w.seriesStart, w.day))

  // Baseline: the 7 days before `day`, averaged over the days the account existed in that window.
  const firstDataDay = [...days.keys()].sort()[0]
  const baselineFrom = w.since7
  const baselineTo = addDays(w.day, -1)
  const baselineDays =
    firstDataDay === undefined || firstDataDay > baselineTo
      ? 0
      : firstDataDay <= baselineFrom
        ? 7
        : daysBetween(firstDataDay, baselineTo) + 1
  const baseline = baselineDays > 0 ? keyFigures(scaleMetrics(sumRange(baselineFrom, baselineTo), 1 / baselineDays), kind) : null

  const yesterdayRow = days.get(w.day)
  const yesterday = keyFigures(yesterdayRow?.sums ?? zeroMetrics(), kind)
  const preliminaryReason = preliminary(a, w, yesterdayRow?.syncedAt ?? null)
  const refreshProblem = refreshProblemOf(a, now)
  const active = campaigns.filter((c) => c.status === 'ACTIVE')
  const { ranked, top, bottom } = rankEfficiency(campaigns, weekByCampaign, a.currency)

  return {
    id: a.id,
    metaAccountId: a.metaAccountId,
    name: a.name,
    currency: a.currency,
    timeZone: a.timezoneName,
    day: w.day,
    weekLabel: w.weekLabel,
    baselineDays,
    preliminary: preliminaryReason !== null,
    preliminaryReason,
    refreshFailed: refreshProblem !== null,
    refreshProblem,
    lastSyncError: a.lastSyncError,
    lastSyncedAt: a.lastSyncedAt,
    resultKind: kind,
    yesterday,
    baseline,
    pacing: pacing(w, active, sumRange(w.monthStart, w.day).spend),
    top,
    bottom,
    rankedCampaigns: ranked,
    campaignCount: campaigns.length,
    activeCampaignCount: active.length,
    series: chartSeries(w, days, kind),
  }
}

/** Why the day's figures may still change: fetched before the day ended, or less than META_REVISION_DAYS after it. */
function preliminary(a: AdAccount, w: DigestCalendar, fetchedAt: Date | null): string | null {
  if (fetchedAt === null) return a.lastSyncedAt ? 'no figures for the day yet' : 'the account has not been synced yet'
  if (fetchedAt < startOfLocalDay(w.today, a.timezoneName)) return 'the day was still running at the last refresh'
  if (daysBetween(w.day, localDate(fetchedAt, a.timezoneName)) < META_REVISION_DAYS)
    return `Meta may still revise the last ${META_REVISION_DAYS} days`
  return null
}

/** Refresh problems: an error from the last sync, or no successful sync for a while. */
function refreshProblemOf(a: AdAccount, now: Date): string | null {
  if (a.lastSyncError) return `last refresh failed: ${a.lastSyncError}`
  if (!a.lastSyncedAt) return 'never refreshed'
  if (now.getTime() - a.lastSyncedAt.getTime() > STALE_SYNC_MS) {
    const hours = Math.floor((now.getTime() - a.lastSyncedAt.getTime()) / 3_600_000)
    return `last refreshed ${hours >= 48 ? `${Math.floor(hours / 24)} days` : `${hours} hours`} ago`
  }
  return null
}

function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number]
  return new Date(Date.UTC(y, m, 0)).getUTCDate()
}

/** Pacing for the month of `day`, against the active campaigns' daily budgets. */
function pacing(w: DigestCalendar, active: DigestCampaign[], monthSpend: number): Pacing {
  const budgets = active.filter((c) => c.dailyBudget !== null && c.dailyBudget > 0n)
  const dailyBudgetMinor = budgets.length ? budgets.reduce((s, c) => s + Number(c.dailyBudget), 0) : null
  const daysElapsed = Number(w.day.slice(8, 10))
  const monthDays = daysInMonth(w.day.slice(0, 7))
  const plannedMinor = dailyBudgetMinor === null ? null : dailyBudgetMinor * daysElapsed
  return {
    month: w.day.slice(0, 7),
    daysElapsed,
    daysInMonth: monthDays,
    spendMinor: monthSpend,
    dailyBudgetMinor,
    plannedMinor,
    projectedMinor: Math.round((monthSpend / daysElapsed) * monthDays),
    pacePercent: plannedMinor ? (monthSpend / plannedMinor) * 100 : null,
  }
}

/** Efficiency over the last 7 complete days, relative to the account's cost per result of the same kind. */
function rankEfficiency(
  campaigns: DigestCampaign[],
  weekByCampaign: Map<string, Metrics>,
  currency: string,
): { ranked: number; top: CampaignEfficiency[]; bottom: CampaignEfficiency[] } {
  const byKind = new Map<ResultKind, Metrics>()
  const candidates: Array<{ c: DigestCampaign; kind: ResultKind; s: Metrics }> = []
  for (const c of campaigns) {
    const k = resultKind(c.objective)
    const s = weekByCampaign.get(c.id)
    if (!k || !s) continue
    byKind.set(k, addMetrics(byKind.get(k) ?? zeroMetrics(), s))
    candidates.push({ c, kind: k, s })
  }
  const ranked: Array<Omit<CampaignEfficiency, 'reason'> & { index: number }> = []
  for (const { c, kind: k, s } of candidates) {
    const accountCost = costPerResult(byKind.get(k) ?? zeroMetrics(), k)
    const results = resultsOf(s, k)
    const base = {
      id: c.id,
      metaCampaignId: c.metaCampaignId,
      name: c.name,
      resultKind: k,
      spendMinor: s.spend,
      results,
      accountCostPerResultMinor: accountCost,
    }
    if (results >= MIN_RESULTS_FOR_RANKING && s.spend > 0) {
      const cost = s.spend / results
      ranked.push({ ...base, costPerResultMinor: cost, index: accountCost ? cost / accountCost : 1 })
    } else if (results === 0 && accountCost !== null && s.spend >= 2 * accountCost) {
      // Spent twice what a result usually costs, without one: as inefficient as it gets.
      ranked.push({ ...base, costPerResultMinor: null, index: Number.POSITIVE_INFINITY })
    }
  }
  ranked.sort((x, y) => x.index - y.index || y.results - x.results || x.name.localeCompare(y.name))
  const withReason = ({ index: _index, ...e }: (typeof ranked)[number]): CampaignEfficiency => ({
    ...e,
    reason: describeEfficiency(e, currency),
  })
  const scorable = ranked.filter((r) => r.costPerResultMinor !== null)
  const topCount = Math.min(3, Math.ceil(scorable.length / 2))
  const top = scorable.slice(0, topCount).map(withReason)
  const topIds = new Set(top.map((t) => t.id))
  const bottom = ranked
    .filter((r) => !topIds.has(r.id))
    .slice(-3)
    .reverse()
    .map(withReason)
  return { ranked: ranked.length, top, bottom }
}

function pct(a: number, b: number): number {
  return Math.round((Math.abs(a - b) / b) * 100)
}

function describeEfficiency(c: Omit<CampaignEfficiency, 'reason'>, currency: string): string {
  const money = (v: number) => formatMoney(Math.round(v), currency)
  const per = RESULT_METRICS[c.resultKind].singular
  const avg = c.accountCostPerResultMinor
  if (c.costPerResultMinor === null) {
    return `spent ${money(c.spendMinor)} in 7 days without a single ${per}${avg !== null ? ` (the account pays ${money(avg)} per ${per})` : ''}`
  }
  const cost = `${money(c.costPerResultMinor)} per ${per}`
  const volume = `${c.results.toLocaleString('en-US')} ${c.results === 1 ? per : c.resultKind} in 7 days`
  if (avg === null || avg <= 0) return `${cost} (${volume})`
  const diff = pct(c.costPerResultMinor, avg)
  const relation = diff === 0 ? 'in line with' : c.costPerResultMinor < avg ? `${diff}% below` : `${diff}% above`
  return `${cost}, ${relation} the account's ${money(avg)} (${volume})`
}

/** Spend and results per day over the chart's SERIES_DAYS, missing days as zeros. */
function chartSeries(w: DigestCalendar, days: Map<IsoDate, DigestDay>, kind: 'leads' | 'purchases' | null): SeriesPoint[] {
  const series: SeriesPoint[] = []
  for (let d = w.seriesStart; d <= w.day; d = addDays(d, 1)) {
    const s = days.get(d)?.sums
    series.push({ date: d, spendMinor: s?.spend ?? 0, results: s ? resultsOf(s, kind) : 0 })
  }
  return series
}
