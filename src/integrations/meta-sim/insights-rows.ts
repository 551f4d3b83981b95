/**
 * Insights rows at level account, campaign, adset or ad, built from the campaign-day breakdowns (so a campaign's row
 * is exactly the sum of its ad sets' rows and of its ads' rows, reach deduplicated). Rows come ordered by period, then
 * campaign, ad set and ad in creation order; rows without impressions are omitted, and so are rows of DELETED objects
 * (or of objects under a deleted parent) unless an effective_status filter lists DELETED. Filters on campaign, ad set
 * and ad attributes select which ads are counted. Row lists are cached per query, clock minute and world version so
 * paging through one query does not rebuild it per page.
 */
import type { DayBreakdown } from './day-breakdown.ts'
import { adEffectiveStatus, adSetEffectiveStatus, campaignEffectiveStatus } from './effective-status.ts'
import { buckets, type InsightsQuery, insightsClock } from './insights.ts'
import type { FilterableObject } from './insights-filtering.ts'
import { addCounts, type Counts, combineReach, ZERO_COUNTS } from './model.ts'
import type { AccountRecord, AdRecord, AdSetRecord, CampaignRecord, InsightsScope } from './records.ts'
import type { SimState } from './state.ts'
import { dateRange, dayBounds, daysBetween } from './tz.ts'

const HOUR = 3_600_000

export interface InsightsRow {
  start: string
  stop: string
  campaign?: CampaignRecord
  adSet?: AdSetRecord
  ad?: AdRecord
  counts: Counts
  /** The account-local hour (0–23) of an hourly-breakdown row. */
  hour?: number
  /** Account rows only: action stats merged across campaigns (other rows derive theirs from counts). */
  campaigns?: Array<{ campaign: CampaignRecord; counts: Counts }>
}

/** One object at the query's level (or a campaign feeding an account row), and how to read its counts off a day. */
interface Unit {
  campaign: CampaignRecord
  adSet?: AdSetRecord
  ad?: AdRecord
  read(day: DayBreakdown): Counts
}

/** Ads selected by the filters, per campaign: `all` when every ad of the campaign is counted. */
interface CampaignSelection {
  campaign: CampaignRecord
  all: boolean
  adSets: Array<{ index: number; adSet: AdSetRecord; all: boolean; ads: Array<{ index: number; ad: AdRecord }> }>
}

function filterable(o: { id: string; name: string }, effectiveStatus: string, objective?: string): FilterableObject {
  return objective === undefined ? { id: o.id, name: o.name, effectiveStatus } : { id: o.id, name: o.name, objective, effectiveStatus }
}

function sumCounts(parts: Counts[]): Counts {
  if (parts.length === 1) return parts[0] ?? ZERO_COUNTS
  const out: Counts = { ...ZERO_COUNTS }
  const reach: number[] = []
  for (const p of parts) {
    if (p.impressions === 0) continue
    addCounts(out, p)
    reach.push(p.reach)
  }
  out.reach = combineReach(reach, out.impressions)
  return out
}

function select(state: SimState, account: AccountRecord, q: InsightsQuery, scope: InsightsScope): CampaignSelection[] {
  const f = q.filters.objects
  const out: CampaignSelection[] = []
  for (const c of state.campaignsOf(account.id)) {
    if (scope.campaignId !== undefined && c.id !== scope.campaignId) continue
    if (!c.profile) continue
    const cStatus = campaignEffectiveStatus(c)
    if (f.campaign.length > 0) {
      const o = filterable(c, cStatus, c.objective)
      if (!f.campaign.every((t) => t(o))) continue
    }
    const sel: CampaignSelection = { campaign: c, all: scope.adSetId === undefined && scope.adId === undefined, adSets: [] }
    state.adSetsOf(c).forEach((s, index) => {
      let keep = scope.adSetId === undefined || s.id === scope.adSetId
      if (keep && f.adset.length > 0) {
        const o = filterable(s, adSetEffectiveStatus(s, c))
        keep = f.adset.every((t) => t(o))
      }
      if (!keep) {
        sel.all = false
        return
      }
      const ads: Array<{ index: number; ad: AdRecord }> = []
      let all = scope.adId === undefined
      state.adsOf(s).forEach((a, j) => {
        let keepAd = scope.adId === undefined || a.id === scope.adId
        if (keepAd && f.ad.length > 0) {
          const o = filterable(a, adEffectiveStatus(a, s, c))
          keepAd = f.ad.every((t) => t(o))
        }
        if (keepAd) ads.push({ index: j, ad: a })
        else all = false
      })
      if (!all) sel.all = false
      if (ads.length > 0) sel.adSets.push({ index, adSet: s, all, ads })
      else sel.all = false
    })
    if (sel.adSets.length > 0) out.push(sel)
  }
  return out
}

/** The objects the query reports on (campaigns for the account level), deleted ones left out unless asked for. */
function unitsOf(selection: CampaignSelection[], q: InsightsQuery): Unit[] {
  const keepDeleted = q.filters.includeDeleted
  const units: Unit[] = []
  for (const sel of selection) {
    const c = sel.campaign
    if (q.level === 'campaign' || q.level === 'account') {
      if (q.level === 'campaign' && !keepDeleted && campaignEffectiveStatus(c) === 'DELETED') continue
      units.push({
        campaign: c,
        read: sel.all
          ? (day) => day.campaign
          : (day) =>
              sumCounts(
                sel.adSets.map(
                  (s) =>
                    (s.all ? day.adSets[s.index] : sumCounts(s.ads.map((a) => day.ads[s.index]?.[a.index] ?? ZERO_COUNTS))) ?? ZERO_COUNTS,
                ),
              ),
      })
      continue
    }
    for (const s of sel.adSets) {
      if (q.level === 'adset') {
        if (!keepDeleted && adSetEffectiveStatus(s.adSet, c) === 'DELETED') continue
        units.push({
          campaign: c,
          adSet: s.adSet,
          read: s.all
            ? (day) => day.adSets[s.index] ?? ZERO_COUNTS
            : (day) => sumCounts(s.ads.map((a) => day.ads[s.index]?.[a.index] ?? ZERO_COUNTS)),
        })
        continue
      }
      for (const a of s.ads) {
        if (!keepDeleted && adEffectiveStatus(a.ad, s.adSet, c) === 'DELETED') continue
        units.push({ campaign: c, adSet: s.adSet, ad: a.ad, read: (day) => day.ads[s.index]?.[a.index] ?? ZERO_COUNTS })
      }
    }
  }
  return units
}

/** Objects at the query's level × days of the query: the size Meta's synchronous insights time out on. */
export function querySize(state: SimState, account: AccountRecord, q: InsightsQuery, scope: InsightsScope = {}): number {
  const days = Math.max(0, daysBetween(q.since, q.until) + 1)
  if (q.level === 'account') return days
  return unitsOf(select(state, account, q, scope), q).length * days
}

/** Every row of the query (before paging). */
export function buildRows(
  state: SimState,
  account: AccountRecord,
  q: InsightsQuery,
  nowMs: number,
  scope: InsightsScope = {},
): InsightsRow[] {
  const clock = insightsClock(nowMs)
  const scopeKey = `${scope.campaignId ?? ''}/${scope.adSetId ?? ''}/${scope.adId ?? ''}`
  return state.cached(
    `rows|${account.id}|${scopeKey}|${q.key}|${clock}|${state.version}`,
    () => computeRows(state, account, q, clock, scope),
    (rows) => rows.length,
  )
}

/** `a − b` per count, never below 0 (a budget lowered during the day can make the cumulative day shrink). */
function minusCounts(a: Counts, b: Counts): Counts {
  const out = { ...ZERO_COUNTS }
  for (const k of Object.keys(out) as Array<keyof Counts>) out[k] = Math.max(0, a[k] - b[k])
  return out
}

/**
 * Rows of the hourly breakdown (level campaign or account): each hour is the day as known at the hour's end minus the
 * day as known at its start, so the hours of a day add up to the day, and today stops at the clock. Reach and
 * frequency are 0 in hourly rows, as Meta reports them.
 */
function computeHourlyRows(state: SimState, account: AccountRecord, q: InsightsQuery, nowMs: number, units: Unit[]): InsightsRow[] {
  const rows: InsightsRow[] = []
  for (const b of buckets(q)) {
    const days = dateRange(b.start, b.stop)
    const perHour: Array<Array<{ unit: Unit; counts: Counts }>> = Array.from({ length: 24 }, () => [])
    for (const u of units) {
      const hours = Array.from({ length: 24 }, () => ({ ...ZERO_COUNTS }))
      for (const d of days) {
        const { start, end } = dayBounds(d, account.timezoneName)
        let before = ZERO_COUNTS
        for (let h = 0; start + h * HOUR < Math.min(end, nowMs); h++) {
          const at = Math.min(start + (h + 1) * HOUR, end, nowMs)
          const upTo = u.read(state.day(account, u.campaign, d, at))
          addCounts(hours[Math.min(23, h)] as Counts, minusCounts(upTo, before))
          before = upTo
        }
      }
      hours.forEach((counts, h) => {
        if (counts.impressions > 0) perHour[h]?.push({ unit: u, counts: { ...counts, reach: 0 } })
      })
    }
    perHour.forEach((list, hour) => {
      if (q.level === 'account') {
        if (list.length === 0) return
        const counts = { ...ZERO_COUNTS }
        for (const p of list) addCounts(counts, p.counts)
        rows.push({
          start: b.start,
          stop: b.stop,
          hour,
          counts,
          campaigns: list.map((p) => ({ campaign: p.unit.campaign, counts: p.counts })),
        })
      } else for (const p of list) rows.push({ ...rowOf(b, p.unit, p.counts), hour })
    })
  }
  return rows
}

function computeRows(state: SimState, account: AccountRecord, q: InsightsQuery, nowMs: number, scope: InsightsScope): InsightsRow[] {
  const units = unitsOf(select(state, account, q, scope), q)
  if (q.hourly) return computeHourlyRows(state, account, q, nowMs, units)
  const byCampaign = new Map<CampaignRecord, Unit[]>()
  for (const u of units) {
    const list = byCampaign.get(u.campaign)
    if (list) list.push(u)
    else byCampaign.set(u.campaign, [u])
  }
  const rows: InsightsRow[] = []
  for (const b of buckets(q)) {
    const days = q.increment === 1 ? [b.start] : dateRange(b.start, b.stop)
    const bucketRows: InsightsRow[] = []
    for (const [campaign, list] of byCampaign) {
      if (days.length === 1) {
        const day = state.day(account, campaign, days[0] ?? b.start, nowMs)
        if (day.campaign.impressions === 0) continue
        for (const u of list) {
          const counts = u.read(day)
          if (counts.impressions > 0) bucketRows.push(rowOf(b, u, counts))
        }
        continue
      }
      const perUnit = list.map(() => [] as Counts[])
      for (const d of days) {
        const day = state.day(account, campaign, d, nowMs)
        if (day.campaign.impressions === 0) continue
        list.forEach((u, i) => {
          const counts = u.read(day)
          if (counts.impressions > 0) perUnit[i]?.push(counts)
        })
      }
      list.forEach((u, i) => {
        const parts = perUnit[i] ?? []
        if (parts.length > 0) bucketRows.push(rowOf(b, u, sumCounts(parts)))
      })
    }
    if (q.level !== 'account') rows.push(...bucketRows)
    else if (bucketRows.length > 0) {
      rows.push({
        start: b.start,
        stop: b.stop,
        counts: sumCounts(bucketRows.map((r) => r.counts)),
        campaigns: bucketRows.map((r) => ({ campaign: r.campaign as CampaignRecord, counts: r.counts })),
      })
    }
  }
  const rowFilters = q.filters.rows
  if (rowFilters.length === 0) return rows
  return rows.filter((r) => rowFilters.every((f) => f({ counts: r.counts, spendMajor: r.counts.spendMinor / account.offset })))
}

function rowOf(b: { start: string; stop: string }, u: Unit, counts: Counts): InsightsRow {
  const row: InsightsRow = { start: b.start, stop: b.stop, campaign: u.campaign, counts }
  if (u.adSet) row.adSet = u.adSet
  if (u.ad) row.ad = u.ad
  return row
}
