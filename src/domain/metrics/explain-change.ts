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

// ---- Drill-down: which children moved the number ------------------------------------------------------------------

/** One child (a campaign of an account, an ad set of a campaign, an ad of an ad set…) over the two periods. */
export interface ChildPeriods {
  id: string
  name: string
  previous: { spend: number; results: number }
  current: { spend: number; results: number }
}

/** `new`: nothing in the earlier period; `stopped`: nothing in the later one. */
export type ChildChange = 'new' | 'stopped' | 'continuing'

export interface ChildContribution {
  id: string
  name: string
  change: ChildChange
  previous: { spend: number; results: number; costPerResult: number | null }
  current: { spend: number; results: number; costPerResult: number | null }
  spendChange: number
  resultsChange: number
  /**
   * Its part of the change in cost per result (minor units, positive = made it dearer); the parts of all children sum
   * exactly to the total change. Null when cost per result cannot be compared (no result in one period).
   */
  costContribution: number | null
  /** costContribution ÷ the total change, in percent (the shares sum to 100); null when the total did not move. */
  costSharePct: number | null
}

export interface ChildDecomposition {
  spend: { previous: number; current: number; change: number }
  results: { previous: number; current: number; change: number }
  costPerResult: { previous: number | null; current: number | null; change: number | null; changePct: number | null }
  /** Largest part of the change first (by cost contribution when there is one, else by spend change). */
  children: ChildContribution[]
  /** Why the cost per result is not split, when it is not. */
  note: string | null
}

/**
 * Splits the change of a parent's cost per result (spend S ÷ results R, summed over its children) into one additive
 * part per child. With ΔS = Σ Δsᵢ and ΔR = Σ Δrᵢ, two exact identities hold:
 *   S₂/R₂ − S₁/R₁ = (ΔS − CPR₁·ΔR) / R₂ = (ΔS − CPR₂·ΔR) / R₁
 * so each child's part is the mean of its terms in both, ½[(Δsᵢ − CPR₁·Δrᵢ)/R₂ + (Δsᵢ − CPR₂·Δrᵢ)/R₁]: the money it
 * added, less its added results valued at the parent's cost per result, spread over the parent's results. A child
 * that spent more at the parent's unchanged cost per result adds nothing; one that lost results for the same spend adds; a new
 * child dearer than the parent adds, a stopped child cheaper than the parent adds too (its cheap results are gone).
 * The parts sum exactly to the change, and the symmetric mean treats both periods alike.
 */
export function decomposeByChild(rows: readonly ChildPeriods[]): ChildDecomposition {
  const sum = (f: (r: ChildPeriods) => number) => rows.reduce((n, r) => n + f(r), 0)
  const s1 = sum((r) => r.previous.spend)
  const s2 = sum((r) => r.current.spend)
  const r1 = sum((r) => r.previous.results)
  const r2 = sum((r) => r.current.results)
  const cpr1 = ratio(s1, r1)
  const cpr2 = ratio(s2, r2)
  const total = cpr1 !== null && cpr2 !== null ? cpr2 - cpr1 : null
  const children = rows.map((r): ChildContribution => {
    const ds = r.current.spend - r.previous.spend
    const dr = r.current.results - r.previous.results
    const part = cpr1 !== null && cpr2 !== null ? ((ds - cpr1 * dr) / r2 + (ds - cpr2 * dr) / r1) / 2 : null
    const had = (p: { spend: number; results: number }) => p.spend !== 0 || p.results !== 0
    return {
      id: r.id,
      name: r.name,
      change: !had(r.previous) && had(r.current) ? 'new' : had(r.previous) && !had(r.current) ? 'stopped' : 'continuing',
      previous: { ...r.previous, costPerResult: ratio(r.previous.spend, r.previous.results) },
      current: { ...r.current, costPerResult: ratio(r.current.spend, r.current.results) },
      spendChange: ds,
      resultsChange: dr,
      costContribution: part,
      costSharePct: part !== null && total !== null && total !== 0 ? (part / total) * 100 : null,
    }
  })
  children.sort(
    (a, b) =>
      Math.abs(b.costContribution ?? 0) - Math.abs(a.costContribution ?? 0) ||
      Math.abs(b.spendChange) - Math.abs(a.spendChange) ||
      a.name.localeCompare(b.name),
  )
  let note: string | null = null
  if (r1 === 0 || r2 === 0)
    note = `No results in the ${r1 === 0 ? 'earlier' : 'later'} period: cost per result cannot be compared, so only the changes in spend and results are split.`
  return {
    spend: { previous: s1, current: s2, change: s2 - s1 },
    results: { previous: r1, current: r2, change: r2 - r1 },
    costPerResult: { previous: cpr1, current: cpr2, change: total, changePct: percentChange(cpr2, cpr1) },
    children,
    note,
  }
}
