/**
 * Integer apportionment (largest remainder): splits a whole number into parts proportional to weights so that the
 * parts add up to it exactly. Splitting a campaign-day's counts this way keeps campaign = Σ ad sets = Σ ads.
 */
import { type Counts, ZERO_COUNTS } from './model.ts'

/** Parts of `total` proportional to `weights`; undefined when every weight is zero (and total > 0). */
function apportion(total: number, weights: readonly number[]): number[] | undefined {
  const n = weights.length
  const out = new Array<number>(n).fill(0)
  if (total <= 0) return out
  let sum = 0
  for (const w of weights) if (w > 0) sum += w
  if (!(sum > 0)) return undefined
  let assigned = 0
  const rest: Array<[number, number]> = []
  for (let i = 0; i < n; i++) {
    const w = weights[i] ?? 0
    if (!(w > 0)) continue
    const exact = (total * w) / sum
    const whole = Math.floor(exact)
    out[i] = whole
    assigned += whole
    rest.push([exact - whole, i])
  }
  rest.sort((a, b) => b[0] - a[0] || a[1] - b[1])
  for (let k = 0; assigned < total && rest.length > 0; k = (k + 1) % rest.length) {
    const i = rest[k]?.[1] ?? 0
    out[i] = (out[i] ?? 0) + 1
    assigned++
  }
  return out
}

/** How one part (ad set or ad) shares its parent's delivery. */
export interface Share {
  /** Relative delivery (impressions and spend). */
  weight: number
  /** Relative click-through rate. */
  click: number
  /** Relative frequency (reach per impression falls as it rises). */
  frequency: number
}

/** Splits `total` by the first weights that are not all zero. */
function split(total: number, ...candidates: Array<readonly number[]>): number[] {
  for (const w of candidates) {
    const parts = apportion(total, w)
    if (parts) return parts
  }
  return new Array<number>(candidates[0]?.length ?? 0).fill(0)
}

/**
 * Splits one period's counts among parts. Each count is apportioned by the parts' share of the count it derives from
 * (clicks by impressions × CTR, link clicks by clicks, landing page views by link clicks, purchases by landing page
 * views…), so a part never gets more link clicks than clicks, and parts without impressions get nothing at all.
 * Reach is not additive: each part's reach is its share of the total's reach inflated by the usual overlap
 * (1 + 0.35·ln n), capped by its impressions and by the total's reach.
 */
export function splitCounts(total: Counts, shares: readonly Share[], leadsFromLandingPages: boolean): Counts[] {
  const n = shares.length
  if (total.impressions <= 0 || n === 0) return shares.map(() => ZERO_COUNTS)
  const impressions = split(
    total.impressions,
    shares.map((s) => s.weight),
  )
  const clicks = split(
    total.clicks,
    impressions.map((v, i) => v * (shares[i]?.click ?? 1)),
    impressions,
  )
  const spend = split(total.spendMinor, impressions)
  const linkClicks = split(total.linkClicks, clicks, impressions)
  const landingPageViews = split(total.landingPageViews, linkClicks, clicks, impressions)
  const reactions = split(total.reactions, impressions)
  const videoViews = split(total.videoViews, impressions)
  const leads = split(total.leads, leadsFromLandingPages ? landingPageViews : clicks, clicks, impressions)
  const addToCarts = split(total.addToCarts, landingPageViews, linkClicks, impressions)
  const purchases = split(total.purchases, landingPageViews, linkClicks, impressions)
  const purchaseValueMinor = split(total.purchaseValueMinor, purchases, landingPageViews, impressions)

  const delivering = impressions.filter((v) => v > 0).length
  const overlap = 1 + 0.35 * Math.log(Math.max(1, delivering))
  const people = impressions.map((v, i) => v / (shares[i]?.frequency ?? 1))
  const peopleSum = people.reduce((a, b) => a + b, 0)
  const out: Counts[] = []
  for (let i = 0; i < n; i++) {
    const imp = impressions[i] ?? 0
    if (imp === 0) {
      out.push(ZERO_COUNTS)
      continue
    }
    const target = Math.round((total.reach * overlap * (people[i] ?? 0)) / peopleSum)
    out.push({
      impressions: imp,
      reach: Math.max(1, Math.min(imp, total.reach, target)),
      clicks: clicks[i] ?? 0,
      linkClicks: linkClicks[i] ?? 0,
      landingPageViews: landingPageViews[i] ?? 0,
      reactions: reactions[i] ?? 0,
      videoViews: videoViews[i] ?? 0,
      leads: leads[i] ?? 0,
      addToCarts: addToCarts[i] ?? 0,
      purchases: purchases[i] ?? 0,
      purchaseValueMinor: purchaseValueMinor[i] ?? 0,
      spendMinor: spend[i] ?? 0,
    })
  }
  return out
}
