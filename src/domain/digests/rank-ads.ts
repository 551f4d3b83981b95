/**
 * The digest's best and most expensive ads of one account over its 7-day window, per result type. The rule, as the
 * digest words it ("Best cost per lead", "Most expensive per lead (min. $35.00 spent)"):
 *
 * - An ad is judged on the cost per result of its campaign's objective (leads, purchases or link clicks); ads whose
 *   campaign seeks no counted result (awareness, engagement) are not judged. Ads seeking different results are never
 *   compared with each other.
 * - Its yardstick is the pooled cost per result of every ad of the account seeking the same result that spent in the
 *   window (spend ÷ results), whatever their status: an archived or deleted ad's spend was real.
 * - Best: at least MIN_AD_RESULTS results (with fewer a cost per result is mostly noise) and cheaper than the pooled
 *   cost; the lowest cost first.
 * - Most expensive: spent at least MIN_AD_RESULTS × the pooled cost (the money that usually buys that many results,
 *   so having few or none is evidence, not bad luck) and dearer than the pooled cost; an ad without a single result
 *   counts as the dearest (the most spent first), then the highest cost per result.
 * - Nothing is said of a result type with fewer than MIN_PEERS_FOR_RANKING ads that spent, or whose ads have no
 *   result at all (no price to compare with), or where no ad passes either bar.
 */
import { formatMoney } from '../../lib/money.ts'
import type { LevelTotals } from '../metrics/load-level-totals.ts'
import { resultCount } from '../metrics/result-breakdown.ts'
import { RESULT_METRICS, type ResultKind, resultKind, resultsOf } from '../metrics/vocabulary.ts'
import { ADS_PER_LIST, type AdEfficiency, type AdRanking, type AdState, MIN_AD_RESULTS, MIN_PEERS_FOR_RANKING } from './digest-types.ts'

export function rankAds(ads: readonly LevelTotals[], currency: string): AdRanking[] {
  const byKind = new Map<ResultKind, LevelTotals[]>()
  for (const ad of ads) {
    const kind = resultKind(ad.objective)
    if (!kind || ad.spend <= 0) continue
    byKind.set(kind, [...(byKind.get(kind) ?? []), ad])
  }
  const rankings: Array<AdRanking & { spend: number }> = []
  for (const [kind, group] of byKind) {
    if (group.length < MIN_PEERS_FOR_RANKING) continue
    const spend = group.reduce((n, a) => n + a.spend, 0)
    const results = group.reduce((n, a) => n + resultsOf(a, kind), 0)
    if (results === 0) continue
    const pooled = spend / results
    const minSpend = Math.ceil(MIN_AD_RESULTS * pooled)
    const judged = group.map((a) => efficiency(a, kind, currency))
    const best = judged
      .filter((e) => e.results >= MIN_AD_RESULTS && e.costPerResultMinor !== null && e.costPerResultMinor < pooled)
      .sort((x, y) => (x.costPerResultMinor ?? 0) - (y.costPerResultMinor ?? 0) || y.results - x.results || byName(x, y))
      .slice(0, ADS_PER_LIST)
    const worst = judged
      .filter((e) => e.spendMinor >= minSpend && (e.costPerResultMinor === null || e.costPerResultMinor > pooled))
      .sort(
        (x, y) =>
          Number(y.costPerResultMinor === null) - Number(x.costPerResultMinor === null) ||
          (x.costPerResultMinor === null ? y.spendMinor - x.spendMinor : (y.costPerResultMinor ?? 0) - (x.costPerResultMinor ?? 0)) ||
          byName(x, y),
      )
      .slice(0, ADS_PER_LIST)
    if (best.length + worst.length === 0) continue
    rankings.push({
      resultKind: kind,
      pooledCostPerResultMinor: pooled,
      minSpendMinor: minSpend,
      best,
      worst,
      adsWithSpend: group.length,
      spend,
    })
  }
  return rankings.sort((x, y) => y.spend - x.spend).map(({ spend: _spend, ...r }) => r)
}

function byName(x: AdEfficiency, y: AdEfficiency): number {
  return x.name.localeCompare(y.name) || x.id.localeCompare(y.id)
}

/** Deleted or archived (on the ad or as Meta serves it), paused (itself, its ad set or its campaign), else active. */
function adState(a: { status: string; effectiveStatus: string }): AdState {
  const statuses = [a.status, a.effectiveStatus]
  if (statuses.includes('DELETED')) return 'deleted'
  if (statuses.includes('ARCHIVED')) return 'archived'
  if (statuses.some((s) => s.endsWith('PAUSED'))) return 'paused'
  return 'active'
}

function efficiency(a: LevelTotals, kind: ResultKind, currency: string): AdEfficiency {
  const results = resultsOf(a, kind)
  const cost = results > 0 ? a.spend / results : null
  const money = (v: number) => formatMoney(Math.round(v), currency)
  return {
    id: a.id,
    metaAdId: a.metaId,
    name: a.name,
    creativeName: a.creativeName,
    adSet: a.adSet ?? { id: '', name: '' },
    campaign: a.campaign,
    state: adState(a),
    spendMinor: a.spend,
    results,
    costPerResultMinor: cost,
    reason:
      cost === null
        ? `${money(a.spend)} spent without a ${RESULT_METRICS[kind].singular}`
        : `${money(cost)} per ${RESULT_METRICS[kind].singular} (${resultCount(results, kind, currency)}, ${money(a.spend)} spent)`,
  }
}
