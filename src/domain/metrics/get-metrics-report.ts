import type { AdAccount, PrismaClient } from '../../generated/prisma/client.ts'
import { fromDbDate } from '../../lib/dates.ts'
import { type FoundObject, goneWord } from '../campaigns/find-object.ts'
import { findObjectOrAccount } from '../campaigns/find-object-or-account.ts'
import type { ClientScope } from '../clients/client-scope.ts'
import { partlySyncedNote, readSyncGaps } from '../sync/sync-gaps.ts'
import { type DailyPoint, loadDailySeries } from './load-daily-series.ts'
import { type DaysOf, loadObjectiveTotals, loadTotals } from './load-totals.ts'
import { loadPeriodReach, type PeriodReachFigures } from './period-reach.ts'
import { type DateRange, type Period, type PeriodKey, resolvePeriod } from './periods.ts'
import { deriveMixMetrics, type ObjectiveMetrics, resultBreakdown } from './result-breakdown.ts'
import { type DerivedMetrics, deriveMetrics, type MetricTotals, type ResultKind, resultKind } from './vocabulary.ts'

/** What a campaign, ad set or ad report is about, beside its own name and id. */
interface ObjectFacts {
  name: string
  objective: string
  status: string
  accountName: string
  /** Deleted or archived on Meta: its figures are kept and shown, labelled. */
  gone?: 'deleted' | 'archived' | null
}

export type MetricsScope =
  | ({ kind: 'campaign'; metaCampaignId: string } & ObjectFacts)
  | ({ kind: 'adset'; metaAdSetId: string; campaign: { name: string; metaCampaignId: string } } & ObjectFacts)
  | ({
      kind: 'ad'
      metaAdId: string
      creativeName: string | null
      adSet: { name: string; metaAdSetId: string }
      campaign: { name: string; metaCampaignId: string }
    } & ObjectFacts)
  | { kind: 'account'; name: string; metaAccountId: string }

export interface MetricsReport {
  scope: MetricsScope
  currency: string
  timeZone: string
  period: Period
  current: { totals: MetricTotals; derived: DerivedMetrics }
  previous: { totals: MetricTotals; derived: DerivedMetrics }
  /**
   * The current period's true reach and frequency, when a sync cached exactly this range; null: unavailable (always
   * for ad sets and ads: their days' reach does not add up to people, and no period reach is kept for them).
   */
  reach: PeriodReachFigures | null
  lastSyncedAt: Date | null
  /** "partly synced: … missing" when the last sync could not fetch some days (AdAccount.syncGaps); null otherwise. */
  partlySynced: string | null
  /**
   * The first day Promoly has metrics for (an ad set or ad: the account's first day with ad-level figures); days
   * before it are unknown, not zero.
   */
  historyFrom: string | null
  /** Each day of the current period: spend, and results of `chart.resultKind` (0 without one), for the chart. */
  daily: DailyPoint[]
  chart: ChartResult
}

/** What the chart's line counts, in words; no line (spend only) when nothing in the period seeks a result. */
export interface ChartResult {
  resultKind: ResultKind | null
  /** "leads", or "leads from lead campaigns" when other campaigns spent too; null: spend only. */
  resultsLabel: string | null
  /** Why the chart shows what it shows, when that needs saying (a mixed account, spend only). */
  note: string | null
}

const SEEKING: Record<ResultKind, string> = {
  leads: 'lead campaigns',
  purchases: 'sales campaigns',
  'link clicks': 'traffic campaigns',
}

/**
 * The chart's result type: a campaign's own; for an account the only one, or — mixing objectives — the one most of
 * the money sought (as the digests chart it), counted over the campaigns seeking it only and labelled so.
 */
function chartResult(objectiveTotals: ObjectiveMetrics, objective?: string): ChartResult {
  if (objective !== undefined) {
    const kind = resultKind(objective)
    return kind
      ? { resultKind: kind, resultsLabel: kind, note: null }
      : { resultKind: null, resultsLabel: null, note: 'Spend only: this campaign’s objective has no result to count.' }
  }
  const rows = [...objectiveTotals]
  const lines = resultBreakdown(rows).lines
  const top = [...lines].sort((a, b) => b.spend - a.spend)[0]
  if (!top) {
    return { resultKind: null, resultsLabel: null, note: 'Spend only: no campaign in this period seeks leads, purchases or link clicks.' }
  }
  let total = 0
  for (const [, m] of rows) total += m.spend
  if (top.spend >= total && lines.length === 1) return { resultKind: top.kind, resultsLabel: top.kind, note: null }
  const label = `${top.kind} from ${SEEKING[top.kind]}`
  const others = lines.filter((l) => l !== top).map((l) => l.kind)
  return {
    resultKind: top.kind,
    resultsLabel: label,
    note: `The line counts ${label} only${others.length ? ` (the most spend sought them; ${others.join(' and ')} are not charted)` : ''}; the bars are the whole account’s spend.`,
  }
}

function scopeOf(object: FoundObject | undefined, account: AdAccount): MetricsScope {
  if (!object) return { kind: 'account', name: account.name, metaAccountId: account.metaAccountId }
  const { campaign, adSet, ad } = object
  const facts = (o: { name: string; status: string; effectiveStatus: string }): ObjectFacts => ({
    name: o.name,
    objective: campaign.objective,
    status: o.status,
    accountName: account.name,
    gone: goneWord(o),
  })
  const parent = { name: campaign.name, metaCampaignId: campaign.metaCampaignId }
  if (ad && adSet) {
    const set = { name: adSet.name, metaAdSetId: adSet.metaAdSetId }
    return { kind: 'ad', metaAdId: ad.metaAdId, creativeName: ad.creativeName, adSet: set, campaign: parent, ...facts(ad) }
  }
  if (adSet) return { kind: 'adset', metaAdSetId: adSet.metaAdSetId, campaign: parent, ...facts(adSet) }
  return { kind: 'campaign', metaCampaignId: campaign.metaCampaignId, ...facts(campaign) }
}

/** Whose days a report sums: an ad's or ad set's ad-days, a campaign's or account's campaign-days. */
function daysOf(object: FoundObject | undefined, account: AdAccount): DaysOf {
  if (object?.ad) return { adId: object.ad.id }
  if (object?.adSet) return { adSetId: object.adSet.id }
  return object ? { campaignId: object.campaign.id } : { adAccountId: account.id }
}

/** The first day with figures: the account's first campaign-day, or (ad sets and ads) its first ad-level day. */
async function historyFrom(prisma: PrismaClient, account: AdAccount, adLevel: boolean): Promise<string | null> {
  if (adLevel && account.adLevelSince) return fromDbDate(account.adLevelSince)
  const where = { adAccountId: account.id }
  const first = adLevel
    ? await prisma.adDailyMetric.aggregate({ where, _min: { date: true } })
    : await prisma.campaignDailyMetric.aggregate({ where, _min: { date: true } })
  return first._min.date ? fromDbDate(first._min.date) : null
}

/**
 * Metrics of an ad account, campaign, ad set or ad (found by id or name) over a period, against the previous one.
 * Ad sets and ads are summed from their ad-days, campaigns and accounts from campaign-days (the same figures where
 * both exist: a campaign-day is the sum of its ads).
 */
export async function getMetricsReport(
  prisma: PrismaClient,
  options: { scope: ClientScope; target: string; period: PeriodKey; now: Date },
): Promise<MetricsReport> {
  const { object, account } = await findObjectOrAccount(prisma, options.scope, options.target)
  const period = resolvePeriod(options.period, options.now, account.timezoneName)
  const scope = daysOf(object, account)
  const objective = object?.campaign.objective
  const adLevel = object?.level === 'adset' || object?.level === 'ad'
  // An account mixes objectives: its results are counted per objective (result-breakdown.ts).
  const objectives = (range: DateRange) => (object ? Promise.resolve([]) : loadObjectiveTotals(prisma, [account.id], range))
  // Reach is kept per period for accounts and campaigns only (it does not add up over days).
  const reachOf = () =>
    adLevel
      ? Promise.resolve(null)
      : loadPeriodReach(prisma, { adAccountId: account.id, campaignId: object?.campaign.id ?? null }, period.current)
  const [cur, prev, first, reach, curObjectives, prevObjectives] = await Promise.all([
    loadTotals(prisma, scope, period.current, account.currency),
    loadTotals(prisma, scope, period.previous, account.currency),
    historyFrom(prisma, account, adLevel),
    reachOf(),
    objectives(period.current),
    objectives(period.previous),
  ])
  const derive = (t: MetricTotals, o: ObjectiveMetrics): DerivedMetrics =>
    objective !== undefined ? deriveMetrics(t, objective) : deriveMixMetrics(t, o)
  const [curDerived, prevDerived] = [derive(cur, curObjectives), derive(prev, prevObjectives)]
  const chart = chartResult(curObjectives, objective)
  const daily = await loadDailySeries(prisma, scope, period.current, chart.resultKind)
  return {
    scope: scopeOf(object, account),
    currency: account.currency,
    timeZone: account.timezoneName,
    period,
    current: { totals: cur, derived: curDerived },
    previous: { totals: prev, derived: prevDerived },
    reach,
    daily,
    chart,
    lastSyncedAt: account.lastSyncedAt,
    partlySynced: partlySyncedNote(readSyncGaps(account.syncGaps)),
    historyFrom: first,
  }
}
