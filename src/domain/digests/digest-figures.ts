/**
 * The digest's figures for one account, from the rows load-digest-rows.ts read: pure functions of those rows, the
 * account and `now`. Sums, results and ratios come from the metrics vocabulary (domain/metrics/vocabulary.ts).
 */
import type { AdAccount } from '../../generated/prisma/client.ts'
import { addDays, daysBetween, type IsoDate, localDate, startOfLocalDay } from '../../lib/dates.ts'
import { formatMoney } from '../../lib/money.ts'
import type { LevelTotals } from '../metrics/load-level-totals.ts'
import { rangeText, resolvePeriodOn } from '../metrics/periods.ts'
import { metricsByResultKind, resultBreakdown, resultCount, singleResult } from '../metrics/result-breakdown.ts'
import {
  addMetrics,
  costPerResult,
  cpm,
  ctr,
  type Metrics,
  RESULT_METRICS,
  type ResultKind,
  resultKind,
  resultsOf,
  scaleMetrics,
  zeroMetrics,
} from '../metrics/vocabulary.ts'
import { partlySyncedNote, readSyncGaps } from '../sync/sync-gaps.ts'
import {
  type AccountDigest,
  type CampaignEfficiency,
  type KeyFigures,
  META_REVISION_DAYS,
  MIN_PEERS_FOR_RANKING,
  MIN_RESULTS_FOR_RANKING,
  type Pacing,
  SERIES_DAYS,
  type SeriesPoint,
  STALE_SYNC_MS,
  UNRANKED_STATUSES,
} from './digest-types.ts'
import type { DigestCampaign, DigestDay } from './load-digest-rows.ts'
import { rankAds } from './rank-ads.ts'

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
  /** "last 7 days (Sat 28 Nov – Fri 4 Dec)" */
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

/** A range's sums: the account total and per objective. */
interface RangeSums {
  total: Metrics
  byObjective: Map<string, Metrics>
}

/** One period's key figures: results per objective, each over the spend of the campaigns seeking it. */
function keyFigures({ total: s, byObjective }: RangeSums): KeyFigures {
  const b = resultBreakdown(byObjective)
  const single = singleResult(b)
  const line = (k: ResultKind) => b.lines.find((l) => l.kind === k)
  return {
    spendMinor: s.spend,
    impressions: s.impressions,
    clicks: s.clicks,
    leads: line('leads')?.results ?? 0,
    purchases: line('purchases')?.results ?? 0,
    purchaseValueMinor: s.purchaseValue,
    byResult: b.lines,
    multipleResults: single.kind === 'multiple',
    results: single.kind === 'single' ? single.line.results : 0,
    costPerResultMinor: single.kind === 'single' ? single.line.costPerResult : null,
    costPerLeadMinor: line('leads')?.costPerResult ?? null,
    costPerPurchaseMinor: line('purchases')?.costPerResult ?? null,
    ctr: ctr(s),
    cpmMinor: cpm(s),
    roas: b.roas,
  }
}

function scaleSums(r: RangeSums, by: number): RangeSums {
  return { total: scaleMetrics(r.total, by), byObjective: new Map([...r.byObjective].map(([o, m]) => [o, scaleMetrics(m, by)])) }
}

/**
 * The digest of one account. `campaigns` and `ads` (those that spent in the 7-day window) are the account's;
 * `weekByCampaign` may hold other accounts' too.
 */
export function accountDigest(
  a: AdAccount,
  w: DigestCalendar,
  days: Map<IsoDate, DigestDay>,
  campaigns: DigestCampaign[],
  weekByCampaign: Map<string, Metrics>,
  ads: readonly LevelTotals[],
  now: Date,
): AccountDigest {
  const sumRange = (from: IsoDate, to: IsoDate): RangeSums => {
    const total = zeroMetrics()
    const byObjective = new Map<string, Metrics>()
    for (const [d, v] of days) {
      if (d < from || d > to) continue
      addMetrics(total, v.sums)
      for (const [o, m] of v.byObjective) byObjective.set(o, addMetrics(byObjective.get(o) ?? zeroMetrics(), m))
    }
    return { total, byObjective }
  }
  const seriesSums = sumRange(w.seriesStart, w.day)
  const seriesLines = resultBreakdown(seriesSums.byObjective).lines
  const resultKinds = seriesLines.map((l) => l.kind)
  // The chart counts one result type: the only one, or the one most of the money sought.
  const kind = [...seriesLines].sort((x, y) => y.spend - x.spend)[0]?.kind ?? null

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
  const baseline = baselineDays > 0 ? keyFigures(scaleSums(sumRange(baselineFrom, baselineTo), 1 / baselineDays)) : null

  const yesterdayRow = days.get(w.day)
  const yesterday = keyFigures(sumRange(w.day, w.day))
  const preliminaryReason = preliminary(a, w, yesterdayRow?.syncedAt ?? null)
  const refreshProblem = refreshProblemOf(a, now)
  const active = campaigns.filter((c) => c.status === 'ACTIVE')
  const { ranked, top, bottom, alone } = rankEfficiency(campaigns, weekByCampaign, a.currency)

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
    resultKinds,
    resultKind: kind,
    yesterday,
    baseline,
    pacing: pacing(w, active, sumRange(w.monthStart, w.day).total.spend),
    top,
    bottom,
    alone,
    rankedCampaigns: ranked,
    ads: rankAds(ads, a.currency),
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

/** Refresh problems: an error from the last sync, days it could not fetch, or no successful sync for a while. */
function refreshProblemOf(a: AdAccount, now: Date): string | null {
  if (a.lastSyncError) return `last refresh failed: ${a.lastSyncError}`
  if (!a.lastSyncedAt) return 'never refreshed'
  const partly = partlySyncedNote(readSyncGaps(a.syncGaps))
  if (partly) return partly
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

/** Pacing for the month of `day`, against the active campaigns' daily budgets (campaign budgets, or their active ad sets'). */
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

/**
 * Efficiency over the last 7 complete days, each campaign against the pooled cost per result of its comparable peers:
 * the campaigns of the same result type (archived and deleted ones never count), ranked only when at least
 * MIN_PEERS_FOR_RANKING of them have MIN_RESULTS_FOR_RANKING results. A campaign alone of its result type this week
 * is described instead of ranked.
 */
export function rankEfficiency(
  campaigns: DigestCampaign[],
  weekByCampaign: Map<string, Metrics>,
  currency: string,
): { ranked: number; top: CampaignEfficiency[]; bottom: CampaignEfficiency[]; alone: CampaignEfficiency[] } {
  const byKind = new Map<ResultKind, Array<{ c: DigestCampaign; s: Metrics }>>()
  for (const c of campaigns) {
    if (UNRANKED_STATUSES.has(c.status) || UNRANKED_STATUSES.has(c.effectiveStatus)) continue
    const k = resultKind(c.objective)
    const s = weekByCampaign.get(c.id)
    if (!k || !s || (s.spend === 0 && resultsOf(s, k) === 0)) continue
    byKind.set(k, [...(byKind.get(k) ?? []), { c, s }])
  }
  const ranked: Array<Omit<CampaignEfficiency, 'reason'> & { index: number }> = []
  const alone: CampaignEfficiency[] = []
  for (const [k, group] of byKind) {
    const pooled = metricsByResultKind(group.map(({ c, s }) => [c.objective, s] as const)).get(k) ?? zeroMetrics()
    const accountCost = costPerResult(pooled, k)
    const base = ({ c, s }: { c: DigestCampaign; s: Metrics }) => ({
      id: c.id,
      metaCampaignId: c.metaCampaignId,
      name: c.name,
      resultKind: k,
      spendMinor: s.spend,
      results: resultsOf(s, k),
      accountCostPerResultMinor: accountCost,
    })
    const [only] = group
    if (group.length === 1 && only) {
      const e = { ...base(only), costPerResultMinor: costPerResult(only.s, k) }
      alone.push({ ...e, reason: describeAlone(e, currency) })
      continue
    }
    const scorable = group.filter(({ s }) => resultsOf(s, k) >= MIN_RESULTS_FOR_RANKING && s.spend > 0)
    if (scorable.length < MIN_PEERS_FOR_RANKING) continue
    for (const g of group) {
      const results = resultsOf(g.s, k)
      if (results >= MIN_RESULTS_FOR_RANKING && g.s.spend > 0) {
        const cost = g.s.spend / results
        ranked.push({ ...base(g), costPerResultMinor: cost, index: accountCost ? cost / accountCost : 1 })
      } else if (results === 0 && accountCost !== null && g.s.spend >= 2 * accountCost) {
        // Spent twice what a result usually costs, without one: as inefficient as it gets.
        ranked.push({ ...base(g), costPerResultMinor: null, index: Number.POSITIVE_INFINITY })
      }
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
  // Least efficient: worse than its peers' pooled cost, never "in line with" them.
  const bottom = ranked
    .filter((r) => !topIds.has(r.id) && r.index > 1)
    .slice(-3)
    .reverse()
    .map(withReason)
  alone.sort((x, y) => x.name.localeCompare(y.name))
  return { ranked: ranked.length, top, bottom, alone }
}

/** "lead", "sales", "traffic": the campaigns seeking a result kind. */
function campaignsWord(kind: ResultKind): string {
  return kind === 'leads' ? 'lead' : kind === 'purchases' ? 'sales' : 'traffic'
}

/** "the only lead campaign: 14 leads at €12.10 in 7 days". */
function describeAlone(c: Omit<CampaignEfficiency, 'reason'>, currency: string): string {
  const what = `the only ${campaignsWord(c.resultKind)} campaign`
  if (c.results === 0)
    return `${what}: ${formatMoney(Math.round(c.spendMinor), currency)} spent in 7 days without a single ${RESULT_METRICS[c.resultKind].singular}`
  const cost = c.costPerResultMinor === null ? '' : ` at ${formatMoney(Math.round(c.costPerResultMinor), currency)}`
  return `${what}: ${resultCount(c.results, c.resultKind, currency)}${cost} in 7 days`
}

function pct(a: number, b: number): number {
  return Math.round((Math.abs(a - b) / b) * 100)
}

function describeEfficiency(c: Omit<CampaignEfficiency, 'reason'>, currency: string): string {
  const money = (v: number) => formatMoney(Math.round(v), currency)
  const per = RESULT_METRICS[c.resultKind].singular
  const avg = c.accountCostPerResultMinor
  const peers = `the ${campaignsWord(c.resultKind)} campaigns'`
  if (c.costPerResultMinor === null) {
    return `spent ${money(c.spendMinor)} in 7 days without a single ${per}${avg !== null ? ` (the ${campaignsWord(c.resultKind)} campaigns pay ${money(avg)} per ${per})` : ''}`
  }
  const cost = `${money(c.costPerResultMinor)} per ${per}`
  const volume = `${resultCount(c.results, c.resultKind, currency)} in 7 days`
  if (avg === null || avg <= 0) return `${cost} (${volume})`
  const diff = pct(c.costPerResultMinor, avg)
  const relation = diff === 0 ? 'in line with' : c.costPerResultMinor < avg ? `${diff}% below` : `${diff}% above`
  return `${cost}, ${relation} ${peers} ${money(avg)} (${volume})`
}

/** Spend and results per day over the chart's SERIES_DAYS, missing days as zeros. */
function chartSeries(w: DigestCalendar, days: Map<IsoDate, DigestDay>, kind: ResultKind | null): SeriesPoint[] {
  const series: SeriesPoint[] = []
  for (let d = w.seriesStart; d <= w.day; d = addDays(d, 1)) {
    const day = days.get(d)
    // Results of `kind` from the campaigns seeking it only.
    const sought = day && kind ? metricsByResultKind(day.byObjective).get(kind) : undefined
    series.push({ date: d, spendMinor: day?.sums.spend ?? 0, results: sought ? resultsOf(sought, kind) : 0 })
  }
  return series
}
