/**
 * What a daily digest says, per ad account and in that account's own time zone and currency: the last complete
 * day against the previous 7 days' daily average, month-to-date budget pacing, the most and least efficient
 * campaigns of the last 7 days, a 14-day series for the chart, and the open suggestions.
 *
 * The number of database queries is fixed (7, whatever the number of accounts or campaigns): the accounts, their
 * campaigns, one grouped sum per (account, day), one grouped sum per campaign over each account's 7-day window,
 * and three small suggestion/change look-ups. `countingQueries` wraps a client to count them (tests, bench).
 */
import type { PrismaClient } from '../../generated/prisma/client.ts'
import { addDays, daysBetween, fromDbDate, localDate, toDbDate, type IsoDate } from '../../lib/dates.ts'
import { formatMoney } from '../../lib/money.ts'
import { resultKind } from '../metrics/metric-totals.ts'

/** Meta revises the figures of the last few days (late conversions, invalid-traffic filtering). */
export const META_REVISION_DAYS = 3
/** An account whose last successful sync is older than this is reported as not refreshed. */
export const STALE_SYNC_MS = 6 * 60 * 60 * 1000
/** Days in the chart series. */
export const SERIES_DAYS = 14
/** A campaign needs this many results in 7 days before its cost per result is ranked. */
export const MIN_RESULTS_FOR_RANKING = 5
/** How many open suggestions are carried (most confident first). */
export const TOP_SUGGESTIONS = 3

export type ResultKind = 'leads' | 'purchases' | 'link clicks'

/** One period's account figures. Money in minor units; cpm and cost per result may be fractional minor units. */
export interface KeyFigures {
  spendMinor: number
  impressions: number
  clicks: number
  leads: number
  purchases: number
  purchaseValueMinor: number
  /** Results of the account's main kind (see AccountDigest.resultKind). */
  results: number
  costPerResultMinor: number | null
  costPerLeadMinor: number | null
  costPerPurchaseMinor: number | null
  /** Percent. */
  ctr: number | null
  cpmMinor: number | null
  /** Purchase value ÷ spend; null where there is no revenue. */
  roas: number | null
}

export interface CampaignEfficiency {
  id: string
  metaCampaignId: string
  name: string
  resultKind: ResultKind
  spendMinor: number
  results: number
  /** Null when the campaign spent without a single result. */
  costPerResultMinor: number | null
  /** The account's cost per result of the same kind over the same 7 days (all campaigns of that kind). */
  accountCostPerResultMinor: number | null
  /** The reason in words, e.g. "$8.20 per lead, 41% below the account's $13.90 (24 leads in 7 days)". */
  reason: string
}

export interface Pacing {
  /** YYYY-MM of the last complete day. */
  month: string
  daysElapsed: number
  daysInMonth: number
  spendMinor: number
  /** Sum of the active campaigns' daily budgets. Null when no active campaign has a daily budget. */
  dailyBudgetMinor: number | null
  /** dailyBudget × daysElapsed. */
  plannedMinor: number | null
  /** Spend so far ÷ days elapsed × days in month. */
  projectedMinor: number
  /** Spend so far ÷ planned, in percent. */
  pacePercent: number | null
}

export interface SeriesPoint {
  date: IsoDate
  spendMinor: number
  results: number
}

export interface AccountDigest {
  id: string
  metaAccountId: string
  name: string
  currency: string
  timeZone: string
  /** The last complete day, account-local. */
  day: IsoDate
  /** Days averaged for the baseline (7, fewer for a newer account; 0 = no baseline). */
  baselineDays: number
  /** Meta may still revise the day's figures (or they were fetched before the day ended). */
  preliminary: boolean
  preliminaryReason: string | null
  /** The last refresh failed or is older than STALE_SYNC_MS: the figures are the last ones Promoly has. */
  refreshFailed: boolean
  refreshProblem: string | null
  lastSyncError: string | null
  lastSyncedAt: Date | null
  /** leads if the account had any in the 14 days, else purchases if any, else null. */
  resultKind: 'leads' | 'purchases' | null
  yesterday: KeyFigures
  /** Daily average of the 7 days before `day`. */
  baseline: KeyFigures | null
  pacing: Pacing
  top: CampaignEfficiency[]
  bottom: CampaignEfficiency[]
  /** Campaigns considered for the ranking (enough results, or spend without results). */
  rankedCampaigns: number
  campaignCount: number
  activeCampaignCount: number
  series: SeriesPoint[]
}

export interface DigestSuggestion {
  id: string
  adAccountId: string
  accountName: string
  campaignId: string
  campaignName: string | null
  kind: string
  title: string
  confidence: number
  /** The change request waiting for a decision, when the suggestion has one that is still PROPOSED. */
  proposedChangeId: string | null
}

export interface DigestData {
  workspaceId: string
  generatedAt: Date
  accounts: AccountDigest[]
  suggestions: { openCount: number; top: DigestSuggestion[] }
}

export interface BuildDigestOptions {
  workspaceId: string
  /** Internal AdAccount ids; empty or undefined = every syncing account of the workspace. */
  adAccountIds?: string[]
  now: Date
}

interface Sums {
  impressions: number
  clicks: number
  linkClicks: number
  spend: number
  leads: number
  purchases: number
  purchaseValue: number
}

const zeroSums = (): Sums => ({ impressions: 0, clicks: 0, linkClicks: 0, spend: 0, leads: 0, purchases: 0, purchaseValue: 0 })
const n = (v: bigint | null | undefined) => Number(v ?? 0n)
const ratio = (a: number, b: number) => (b > 0 ? a / b : null)

function addSums(into: Sums, s: Sums): void {
  into.impressions += s.impressions
  into.clicks += s.clicks
  into.linkClicks += s.linkClicks
  into.spend += s.spend
  into.leads += s.leads
  into.purchases += s.purchases
  into.purchaseValue += s.purchaseValue
}

function scale(s: Sums, by: number): Sums {
  return { impressions: s.impressions * by, clicks: s.clicks * by, linkClicks: s.linkClicks * by, spend: s.spend * by, leads: s.leads * by, purchases: s.purchases * by, purchaseValue: s.purchaseValue * by }
}

function resultsOf(s: Sums, kind: ResultKind | null): number {
  return kind === 'leads' ? s.leads : kind === 'purchases' ? s.purchases : kind === 'link clicks' ? s.linkClicks : 0
}

function figures(s: Sums, kind: 'leads' | 'purchases' | null): KeyFigures {
  const results = resultsOf(s, kind)
  return {
    spendMinor: s.spend,
    impressions: s.impressions,
    clicks: s.clicks,
    leads: s.leads,
    purchases: s.purchases,
    purchaseValueMinor: s.purchaseValue,
    results,
    costPerResultMinor: kind ? ratio(s.spend, results) : null,
    costPerLeadMinor: ratio(s.spend, s.leads),
    costPerPurchaseMinor: ratio(s.spend, s.purchases),
    ctr: ratio(s.clicks * 100, s.impressions),
    cpmMinor: ratio(s.spend * 1000, s.impressions),
    roas: s.purchaseValue > 0 ? ratio(s.purchaseValue, s.spend) : null,
  }
}

/** The UTC instant at which `date` begins in `timeZone`. */
export function startOfLocalDay(date: IsoDate, timeZone: string): Date {
  const wall = Date.parse(`${date}T00:00:00Z`)
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
  const offsetAt = (t: number) => {
    const p = Object.fromEntries(parts.formatToParts(new Date(t)).map((x) => [x.type, x.value]))
    return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) - t
  }
  let guess = wall - offsetAt(wall)
  guess = wall - offsetAt(guess)
  return new Date(guess)
}

function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number]
  return new Date(Date.UTC(y, m, 0)).getUTCDate()
}

const singular: Record<ResultKind, string> = { leads: 'lead', purchases: 'purchase', 'link clicks': 'link click' }

function pct(a: number, b: number): number {
  return Math.round((Math.abs(a - b) / b) * 100)
}

function describeEfficiency(c: Omit<CampaignEfficiency, 'reason'>, currency: string): string {
  const money = (v: number) => formatMoney(Math.round(v), currency)
  const per = singular[c.resultKind]
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

/**
 * The digest's figures for the workspace's syncing accounts (or the listed ones), as of `now`.
 * Seven queries whatever the number of campaigns.
 */
export async function buildDigestData(prisma: PrismaClient, options: BuildDigestOptions): Promise<DigestData> {
  const { workspaceId, now } = options
  const ids = options.adAccountIds?.length ? options.adAccountIds : undefined
  const accounts = await prisma.adAccount.findMany({
    where: { workspaceId, ...(ids ? { id: { in: ids } } : { syncEnabled: true }) },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
  })
  if (accounts.length === 0) return { workspaceId, generatedAt: now, accounts: [], suggestions: { openCount: 0, top: [] } }
  const accountIds = accounts.map((a) => a.id)

  // Per-account calendar: "yesterday" depends on the account's time zone.
  const windows = new Map(
    accounts.map((a) => {
      const today = localDate(now, a.timezoneName)
      const day = addDays(today, -1)
      const monthStart = `${day.slice(0, 7)}-01`
      const seriesStart = addDays(today, -SERIES_DAYS)
      return [a.id, { today, day, monthStart, seriesStart, since7: addDays(day, -7), weekStart: addDays(today, -7), from: monthStart < seriesStart ? monthStart : seriesStart }]
    }),
  )
  const all = [...windows.values()]
  const earliest = all.map((w) => w.from).sort()[0]!
  const latest = all.map((w) => w.day).sort().at(-1)!

  // The campaigns' 7-day window differs between accounts only through their time zones: one OR branch per distinct window.
  const byWeek = new Map<string, string[]>()
  for (const a of accounts) {
    const w = windows.get(a.id)!
    const key = `${w.weekStart}|${w.day}`
    byWeek.set(key, [...(byWeek.get(key) ?? []), a.id])
  }
  const sumFields = { impressions: true, clicks: true, linkClicks: true, spend: true, leads: true, purchases: true, purchaseValue: true } as const

  const [campaigns, accountDays, campaignWeeks, openCount, openSuggestions] = await Promise.all([
    prisma.campaign.findMany({
      where: { adAccountId: { in: accountIds } },
      select: { id: true, adAccountId: true, metaCampaignId: true, name: true, objective: true, status: true, dailyBudget: true },
    }),
    prisma.campaignDailyMetric.groupBy({
      by: ['adAccountId', 'date'],
      where: { adAccountId: { in: accountIds }, date: { gte: toDbDate(earliest), lte: toDbDate(latest) } },
      _sum: sumFields,
      _max: { syncedAt: true },
    }),
    prisma.campaignDailyMetric.groupBy({
      by: ['campaignId'],
      where: { OR: [...byWeek].map(([key, ids]) => {
        const [since, until] = key.split('|') as [string, string]
        return { adAccountId: { in: ids }, date: { gte: toDbDate(since), lte: toDbDate(until) } }
      }) },
      _sum: sumFields,
    }),
    prisma.suggestion.count({ where: { workspaceId, adAccountId: { in: accountIds }, status: 'OPEN' } }),
    prisma.suggestion.findMany({
      where: { workspaceId, adAccountId: { in: accountIds }, status: 'OPEN' },
      orderBy: [{ confidence: 'desc' }, { updatedAt: 'desc' }],
      take: TOP_SUGGESTIONS,
      select: { id: true, adAccountId: true, campaignId: true, kind: true, title: true, confidence: true, changeRequestId: true },
    }),
  ])
  const changeIds = openSuggestions.map((s) => s.changeRequestId).filter((id): id is string => id !== null)
  const proposed = changeIds.length
    ? new Set((await prisma.changeRequest.findMany({ where: { id: { in: changeIds }, status: 'PROPOSED' }, select: { id: true } })).map((c) => c.id))
    : new Set<string>()

  const daysByAccount = new Map<string, Map<IsoDate, { sums: Sums; syncedAt: Date | null }>>(accountIds.map((id) => [id, new Map()]))
  for (const r of accountDays) {
    const s = r._sum
    daysByAccount.get(r.adAccountId)!.set(fromDbDate(r.date), {
      sums: { impressions: n(s.impressions), clicks: n(s.clicks), linkClicks: n(s.linkClicks), spend: n(s.spend), leads: n(s.leads), purchases: n(s.purchases), purchaseValue: n(s.purchaseValue) },
      syncedAt: r._max.syncedAt,
    })
  }
  const weekByCampaign = new Map<string, Sums>()
  for (const r of campaignWeeks) {
    const s = r._sum
    weekByCampaign.set(r.campaignId, { impressions: n(s.impressions), clicks: n(s.clicks), linkClicks: n(s.linkClicks), spend: n(s.spend), leads: n(s.leads), purchases: n(s.purchases), purchaseValue: n(s.purchaseValue) })
  }
  const campaignsByAccount = new Map<string, typeof campaigns>(accountIds.map((id) => [id, []]))
  for (const c of campaigns) campaignsByAccount.get(c.adAccountId)!.push(c)

  const digests = accounts.map((a): AccountDigest => {
    const w = windows.get(a.id)!
    const days = daysByAccount.get(a.id)!
    const sumRange = (from: IsoDate, to: IsoDate) => {
      const total = zeroSums()
      for (const [d, v] of days) if (d >= from && d <= to) addSums(total, v.sums)
      return total
    }
    const fourteen = sumRange(w.seriesStart, w.day)
    const kind: AccountDigest['resultKind'] = fourteen.leads > 0 ? 'leads' : fourteen.purchases > 0 ? 'purchases' : null

    // Baseline: the 7 days before `day`, averaged over the days the account existed in that window.
    const firstDataDay = [...days.keys()].sort()[0]
    const baselineFrom = w.since7
    const baselineTo = addDays(w.day, -1)
    const baselineDays = firstDataDay === undefined || firstDataDay > baselineTo ? 0 : firstDataDay <= baselineFrom ? 7 : daysBetween(firstDataDay, baselineTo) + 1
    const baseline = baselineDays > 0 ? figures(scale(sumRange(baselineFrom, baselineTo), 1 / baselineDays), kind) : null

    const yesterdayRow = days.get(w.day)
    const yesterday = figures(yesterdayRow?.sums ?? zeroSums(), kind)

    // Preliminary: fetched before the day ended, or less than META_REVISION_DAYS after it.
    let preliminaryReason: string | null = null
    const fetchedAt = yesterdayRow?.syncedAt ?? null
    if (fetchedAt === null) preliminaryReason = a.lastSyncedAt ? 'no figures for the day yet' : 'the account has not been synced yet'
    else if (fetchedAt < startOfLocalDay(w.today, a.timezoneName)) preliminaryReason = 'the day was still running at the last refresh'
    else if (daysBetween(w.day, localDate(fetchedAt, a.timezoneName)) < META_REVISION_DAYS) preliminaryReason = `Meta may still revise the last ${META_REVISION_DAYS} days`

    // Refresh problems: an error from the last sync, or no successful sync for a while.
    let refreshProblem: string | null = null
    if (a.lastSyncError) refreshProblem = `last refresh failed: ${a.lastSyncError}`
    else if (!a.lastSyncedAt) refreshProblem = 'never refreshed'
    else if (now.getTime() - a.lastSyncedAt.getTime() > STALE_SYNC_MS) {
      const hours = Math.floor((now.getTime() - a.lastSyncedAt.getTime()) / 3_600_000)
      refreshProblem = `last refreshed ${hours >= 48 ? `${Math.floor(hours / 24)} days` : `${hours} hours`} ago`
    }

    // Pacing for the month of `day`.
    const accountCampaigns = campaignsByAccount.get(a.id)!
    const active = accountCampaigns.filter((c) => c.status === 'ACTIVE')
    const budgets = active.filter((c) => c.dailyBudget !== null && c.dailyBudget > 0n)
    const dailyBudgetMinor = budgets.length ? budgets.reduce((s, c) => s + Number(c.dailyBudget), 0) : null
    const daysElapsed = Number(w.day.slice(8, 10))
    const monthDays = daysInMonth(w.day.slice(0, 7))
    const monthSpend = sumRange(w.monthStart, w.day).spend
    const plannedMinor = dailyBudgetMinor === null ? null : dailyBudgetMinor * daysElapsed
    const pacing: Pacing = {
      month: w.day.slice(0, 7),
      daysElapsed,
      daysInMonth: monthDays,
      spendMinor: monthSpend,
      dailyBudgetMinor,
      plannedMinor,
      projectedMinor: Math.round((monthSpend / daysElapsed) * monthDays),
      pacePercent: plannedMinor ? (monthSpend / plannedMinor) * 100 : null,
    }

    // Efficiency over the last 7 complete days, relative to the account's cost per result of the same kind.
    const byKind = new Map<ResultKind, Sums>()
    const candidates: Array<{ c: (typeof campaigns)[number]; kind: ResultKind; s: Sums }> = []
    for (const c of accountCampaigns) {
      const k = resultKind(c.objective)
      const s = weekByCampaign.get(c.id)
      if (!k || !s) continue
      const total = byKind.get(k) ?? zeroSums()
      addSums(total, s)
      byKind.set(k, total)
      candidates.push({ c, kind: k, s })
    }
    const ranked: Array<Omit<CampaignEfficiency, 'reason'> & { index: number }> = []
    for (const { c, kind: k, s } of candidates) {
      const total = byKind.get(k)!
      const accountCost = ratio(total.spend, resultsOf(total, k))
      const results = resultsOf(s, k)
      const base = { id: c.id, metaCampaignId: c.metaCampaignId, name: c.name, resultKind: k, spendMinor: s.spend, results, accountCostPerResultMinor: accountCost }
      if (results >= MIN_RESULTS_FOR_RANKING && s.spend > 0) {
        const cost = s.spend / results
        ranked.push({ ...base, costPerResultMinor: cost, index: accountCost ? cost / accountCost : 1 })
      } else if (results === 0 && accountCost !== null && s.spend >= 2 * accountCost) {
        // Spent twice what a result usually costs, without one: as inefficient as it gets.
        ranked.push({ ...base, costPerResultMinor: null, index: Number.POSITIVE_INFINITY })
      }
    }
    ranked.sort((x, y) => x.index - y.index || y.results - x.results || x.name.localeCompare(y.name))
    const withReason = ({ index: _index, ...e }: (typeof ranked)[number]): CampaignEfficiency => ({ ...e, reason: describeEfficiency(e, a.currency) })
    const scorable = ranked.filter((r) => r.costPerResultMinor !== null)
    const topCount = Math.min(3, Math.ceil(scorable.length / 2))
    const top = scorable.slice(0, topCount).map(withReason)
    const topIds = new Set(top.map((t) => t.id))
    const bottom = ranked.filter((r) => !topIds.has(r.id)).slice(-3).reverse().map(withReason)

    const series: SeriesPoint[] = []
    for (let d = w.seriesStart; d <= w.day; d = addDays(d, 1)) {
      const s = days.get(d)?.sums
      series.push({ date: d, spendMinor: s?.spend ?? 0, results: s ? resultsOf(s, kind) : 0 })
    }

    return {
      id: a.id,
      metaAccountId: a.metaAccountId,
      name: a.name,
      currency: a.currency,
      timeZone: a.timezoneName,
      day: w.day,
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
      pacing,
      top,
      bottom,
      rankedCampaigns: ranked.length,
      campaignCount: accountCampaigns.length,
      activeCampaignCount: active.length,
      series,
    }
  })

  const accountById = new Map(accounts.map((a) => [a.id, a]))
  const campaignName = new Map(campaigns.map((c) => [c.id, c.name]))
  return {
    workspaceId,
    generatedAt: now,
    accounts: digests,
    suggestions: {
      openCount,
      top: openSuggestions.map((s) => ({
        id: s.id,
        adAccountId: s.adAccountId,
        accountName: accountById.get(s.adAccountId)?.name ?? s.adAccountId,
        campaignId: s.campaignId,
        campaignName: campaignName.get(s.campaignId) ?? null,
        kind: s.kind,
        title: s.title,
        confidence: s.confidence,
        proposedChangeId: s.changeRequestId && proposed.has(s.changeRequestId) ? s.changeRequestId : null,
      })),
    },
  }
}

/**
 * Wraps a Prisma client so every model operation (findMany, groupBy, count, …) and raw query is counted.
 * `queries()` returns the count since the last `reset()`.
 */
export function countingQueries(prisma: PrismaClient): { prisma: PrismaClient; queries(): number; reset(): void } {
  let count = 0
  const delegates = new Map<PropertyKey, unknown>()
  const wrapDelegate = (delegate: object) =>
    new Proxy(delegate, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown
        if (typeof value !== 'function') return value
        return (...args: unknown[]) => {
          count++
          return (value as (...a: unknown[]) => unknown).apply(target, args)
        }
      },
    })
  const client = new Proxy(prisma, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown
      if (typeof prop === 'string' && /^\$(queryRaw|executeRaw|queryRawUnsafe|executeRawUnsafe)$/.test(prop) && typeof value === 'function') {
        return (...args: unknown[]) => {
          count++
          return (value as (...a: unknown[]) => unknown).apply(target, args)
        }
      }
      if (typeof prop === 'string' && !prop.startsWith('$') && value !== null && typeof value === 'object') {
        if (!delegates.has(prop)) delegates.set(prop, wrapDelegate(value))
        return delegates.get(prop)
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
    },
  })
  return { prisma: client, queries: () => count, reset: () => { count = 0 } }
}
