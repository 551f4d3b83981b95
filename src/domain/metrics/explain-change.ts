/**
 * Why did cost per result move? Pure arithmetic over two periods' totals (no I/O).
 *
 * Cost per result = spend / results = CPM ÷ (1000 × CTR × conversion rate), where
 * CPM = 1000 × spend / impressions, CTR = clicks / impressions and conversion rate = results / clicks.
 * The change splits exactly in log space: ln(CPR₂/CPR₁) = ln(CPM₂/CPM₁) − ln(CTR₂/CTR₁) − ln(CVR₂/CVR₁),
 * so each driver's "alone" effect is what cost per result would have done had only that driver moved.
 * Across campaigns, an account's cost per result also moves when spend shifts between campaigns of
 * different efficiency (the mix effect), which is separated from the campaigns' own changes (the rate effect).
 */
import { cpm, type Metrics, percentChange, ratio } from './vocabulary.ts'

/** A period's funnel: spend, impressions, clicks and the results counted for it. */
export interface FunnelTotals extends Pick<Metrics, 'spend' | 'impressions' | 'clicks'> {
  results: number
}

export type DriverName = 'CPM' | 'CTR' | 'conversion rate'

export interface Driver {
  name: DriverName
  previous: number | null
  current: number | null
  /** Relative change of the driver itself, in percent. */
  changePct: number | null
  /** Relative change of cost per result had only this driver moved, in percent (positive = more expensive). */
  effectOnCostPct: number | null
}

export interface CostDecomposition {
  costPerResult: { previous: number | null; current: number | null; changePct: number | null }
  /** Largest effect first; drivers that cannot be computed (a zero in either period) come last. */
  drivers: Driver[]
  /** Why the decomposition is partial, when it is. */
  note: string | null
}

export function decomposeCostPerResult(previous: FunnelTotals, current: FunnelTotals): CostDecomposition {
  // CTR as a fraction here (the vocabulary's ctr() is in percent): the decomposition multiplies it back.
  const ctr = (t: FunnelTotals) => ratio(t.clicks, t.impressions)
  const cvr = (t: FunnelTotals) => ratio(t.results, t.clicks)
  const cpr = (t: FunnelTotals) => ratio(t.spend, t.results)
  // Cost rises with CPM and falls with CTR and conversion rate.
  const specs: Array<{ name: DriverName; f: (t: FunnelTotals) => number | null; sign: 1 | -1 }> = [
    { name: 'CPM', f: cpm, sign: 1 },
    { name: 'CTR', f: ctr, sign: -1 },
    { name: 'conversion rate', f: cvr, sign: -1 },
  ]
  const drivers = specs.map(({ name, f, sign }): Driver & { weight: number } => {
    const p = f(previous)
    const c = f(current)
    const logEffect = p !== null && c !== null && p > 0 && c > 0 ? sign * Math.log(c / p) : null
    return {
      name,
      previous: p,
      current: c,
      changePct: percentChange(c, p),
      effectOnCostPct: logEffect === null ? null : (Math.exp(logEffect) - 1) * 100,
      weight: logEffect === null ? -1 : Math.abs(logEffect),
    }
  })
  drivers.sort((a, b) => b.weight - a.weight)
  const before = cpr(previous)
  const after = cpr(current)
  let note: string | null = null
  if (previous.results === 0 || current.results === 0) {
    note = `No results in the ${previous.results === 0 ? 'earlier' : 'later'} period: cost per result cannot be compared, only the drivers that exist in both.`
  } else if (previous.impressions === 0 || current.impressions === 0) {
    note = 'No impressions in one of the periods: nothing to compare.'
  }
  return {
    costPerResult: { previous: before, current: after, changePct: percentChange(after, before) },
    drivers: drivers.map(({ weight: _weight, ...d }) => d),
    note,
  }
}

export interface CampaignPeriods {
  name: string
  previous: { spend: number; results: number }
  current: { spend: number; results: number }
}

export interface MixRow {
  name: string
  previousShare: number
  currentShare: number
  /** Percentage points. */
  shareChangePts: number
  previousCostPerResult: number | null
  currentCostPerResult: number | null
}

export interface MixDecomposition {
  /** Change of the account's cost per result had only the spend mix moved (each campaign keeping its earlier cost per result), in percent. */
  mixEffectPct: number | null
  /** The rest: the campaigns' own cost per result changes, in percent (compounds with the mix effect). */
  rateEffectPct: number | null
  /** Largest shift of spend share first. */
  campaigns: MixRow[]
}

export function decomposeSpendMix(rows: CampaignPeriods[]): MixDecomposition {
  const s1 = rows.reduce((n, r) => n + r.previous.spend, 0)
  const s2 = rows.reduce((n, r) => n + r.current.spend, 0)
  const r1 = rows.reduce((n, r) => n + r.previous.results, 0)
  const r2 = rows.reduce((n, r) => n + r.current.results, 0)
  // Results the current spend would have bought at each campaign's earlier efficiency (a new campaign keeps its own).
  const counterfactualResults = rows.reduce(
    (n, r) => n + (r.previous.spend > 0 ? (r.current.spend * r.previous.results) / r.previous.spend : r.current.results),
    0,
  )
  const cpr1 = ratio(s1, r1)
  const cpr2 = ratio(s2, r2)
  const cprMix = ratio(s2, counterfactualResults)
  const campaigns = rows
    .map((r): MixRow => {
      const previousShare = s1 > 0 ? (r.previous.spend / s1) * 100 : 0
      const currentShare = s2 > 0 ? (r.current.spend / s2) * 100 : 0
      return {
        name: r.name,
        previousShare,
        currentShare,
        shareChangePts: currentShare - previousShare,
        previousCostPerResult: ratio(r.previous.spend, r.previous.results),
        currentCostPerResult: ratio(r.current.spend, r.current.results),
      }
    })
    .sort((a, b) => Math.abs(b.shareChangePts) - Math.abs(a.shareChangePts) || a.name.localeCompare(b.name))
  return { mixEffectPct: percentChange(cprMix, cpr1), rateEffectPct: percentChange(cpr2, cprMix), campaigns }
}
