/**
 * One campaign-day split into its ad sets and ads. The campaign's day comes from the delivery model as before (budget
 * in effect: the campaign's, or the sum of its delivering ad sets' budgets); it is then apportioned to ad sets (by
 * ad set budget, or by a campaign budget's preference for some ad sets, lower while an ad set learns) and to ads (by
 * each creative's appeal, which fatigues with the ad's own age while fresh ads take over), with integer
 * apportionment so that campaign = Σ ad sets = Σ ads for every count. An object switched off for part of the day
 * delivers for the part it was on.
 */
import { type Share, splitCounts } from './apportion.ts'
import { COMPLETE_AFTER_MS, hoursSinceEnd, withArrival } from './arrival.ts'
import { hourlyWeights, weightedSpan } from './diurnal.ts'
import { type Counts, type DeliveryModel, dailyBudgetAt, scaleCounts, ZERO_COUNTS } from './model.ts'
import { noiseFor } from './prng.ts'
import type { AccountRecord, ActivitySpan, AdRecord, AdSetRecord, CampaignRecord } from './records.ts'
import { dayBounds, daysBetween } from './tz.ts'

export interface DayBreakdown {
  readonly campaign: Counts
  /** Parallel to campaign.adSetIds (empty when the campaign did not deliver). */
  readonly adSets: Counts[]
  /** Per ad set, parallel to its adIds. */
  readonly ads: Counts[][]
}

/** The campaign's day right away; the split into ad sets and ads only when first read (campaign-level queries skip it). */
class LazyBreakdown implements DayBreakdown {
  private parts: { adSets: Counts[]; ads: Counts[][] } | undefined

  constructor(
    readonly campaign: Counts,
    private split: (() => { adSets: Counts[]; ads: Counts[][] }) | undefined,
  ) {}

  private get done(): { adSets: Counts[]; ads: Counts[][] } {
    if (!this.parts) {
      this.parts = this.split?.() ?? { adSets: [], ads: [] }
      this.split = undefined
    }
    return this.parts
  }

  get adSets(): Counts[] {
    return this.done.adSets
  }

  get ads(): Counts[][] {
    return this.done.ads
  }
}

export interface StructureLookup {
  adSetRecord(id: string): AdSetRecord | undefined
  adRecord(id: string): AdRecord | undefined
}

const EMPTY: DayBreakdown = Object.freeze({ campaign: ZERO_COUNTS, adSets: [], ads: [] })
const MINUTE = 60_000
/** Meta may spend up to 75 % over a daily budget on one day. */
const MAX_DAY_OVERSPEND = 1.75
const MAX_CACHED_DAYS = 30_000

type Interval = [number, number]

function clip(spans: readonly ActivitySpan[], from: number, to: number): Interval[] {
  const out: Interval[] = []
  for (const s of spans) {
    const a = Math.max(s.from, from)
    const b = Math.min(s.to ?? Number.POSITIVE_INFINITY, to)
    if (b > a) out.push([a, b])
  }
  return out
}

function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = []
  for (const [a0, a1] of a)
    for (const [b0, b1] of b) {
      const from = Math.max(a0, b0)
      const to = Math.min(a1, b1)
      if (to > from) out.push([from, to])
    }
  return out
}

/** Fatigue of a creative `age` days old: its CTR falls and its frequency rises as its audience saturates. */
function creativeFatigue(ad: AdRecord, campaign: CampaignRecord, date: string): { ctr: number; frequency: number } {
  const p = campaign.profile
  if (!p) return { ctr: 1, frequency: 1 }
  const age = Math.max(0, daysBetween(ad.startDate, date))
  const saturation = 1 - Math.exp(-age / ad.fatigueDays)
  return { ctr: 1 - p.ctrDecay * saturation, frequency: 1 + p.freqGain * saturation }
}

/**
 * The share of a campaign-day's usual results it still gets under a cost-per-result edit (control API): 1 before the
 * edit, 1 / factor for delivery after it, in between for the day the edit starts in mid-day (by delivered hours).
 */
function resultsKept(campaign: CampaignRecord, campaignOn: readonly Interval[], weighted: (spans: readonly Interval[]) => number): number {
  const dearer = campaign.costPerResult
  if (!dearer) return 1
  const on = weighted(campaignOn)
  if (on <= 0) return 1
  const after = weighted(intersect(campaignOn, [[dearer.fromMs, Number.POSITIVE_INFINITY]]))
  return 1 - ((1 - 1 / dearer.factor) * after) / on
}

/** Leads, purchases and purchase value cut to `kept` of themselves; what was spent and shown stays as it was. */
function dearerResults(c: Counts, kept: number): Counts {
  if (kept === 1 || (c.leads === 0 && c.purchases === 0)) return c
  const purchases = Math.round(c.purchases * kept)
  return {
    ...c,
    leads: Math.round(c.leads * kept),
    purchases,
    purchaseValueMinor: c.purchases === 0 ? 0 : Math.round((c.purchaseValueMinor * purchases) / c.purchases),
  }
}

export class Delivery {
  private readonly cache = new Map<string, DayBreakdown>()

  constructor(
    private readonly model: DeliveryModel,
    private readonly lookup: StructureLookup,
  ) {}

  /** Forgets cached days (after a change to the world). */
  clear(): void {
    this.cache.clear()
  }

  /** The campaign's day as known at `nowMs` (minute resolution), split into ad sets and ads. */
  day(account: AccountRecord, campaign: CampaignRecord, date: string, nowMs: number): DayBreakdown {
    if (!campaign.profile || campaign.adSetIds.length === 0) return EMPTY
    const { start, end } = dayBounds(date, account.timezoneName)
    const clock = Math.floor(nowMs / MINUTE) * MINUTE
    if (clock <= start) return EMPTY
    // Today changes by the minute; a recent day while its late results arrive (hourly); an older day never.
    const key =
      end > clock
        ? `${campaign.id}|${date}|${clock}`
        : clock - end < COMPLETE_AFTER_MS
          ? `${campaign.id}|${date}|h${hoursSinceEnd(end, clock)}`
          : `${campaign.id}|${date}`
    let hit = this.cache.get(key)
    if (!hit) {
      hit = this.compute(account, campaign, date, start, end, clock)
      if (this.cache.size >= MAX_CACHED_DAYS) this.cache.clear()
      this.cache.set(key, hit)
    }
    return hit
  }

  private compute(account: AccountRecord, campaign: CampaignRecord, date: string, start: number, end: number, clock: number): DayBreakdown {
    const until = Math.min(end, clock)
    // Delivery follows the account's diurnal curve: a share of the day is the share of its weighted hours.
    const weights = hourlyWeights(account)
    const dayWeight = weightedSpan(weights, start, start, end)
    const weighted = (spans: readonly Interval[]) => spans.reduce((sum, [a, b]) => sum + weightedSpan(weights, start, a, b), 0) / dayWeight
    const campaignOn = clip(campaign.activity, start, until)
    if (campaignOn.length === 0) return EMPTY
    const adSets: AdSetRecord[] = []
    const ads: AdRecord[][] = []
    const adShares: number[][] = []
    const adSetShares: number[] = []
    let campaignShare = 0
    for (const id of campaign.adSetIds) {
      const s = this.lookup.adSetRecord(id)
      if (!s) throw new Error(`meta-sim: campaign ${campaign.id} lists unknown ad set ${id}`)
      const adSetOn = intersect(campaignOn, clip(s.activity, start, until))
      const list: AdRecord[] = []
      const shares: number[] = []
      let best = 0
      for (const adId of s.adIds) {
        const a = this.lookup.adRecord(adId)
        if (!a) throw new Error(`meta-sim: ad set ${s.id} lists unknown ad ${adId}`)
        const share = adSetOn.length === 0 ? 0 : Math.min(1, weighted(intersect(adSetOn, clip(a.activity, start, until))))
        list.push(a)
        shares.push(share)
        if (share > best) best = share
      }
      adSets.push(s)
      ads.push(list)
      adShares.push(shares)
      adSetShares.push(best)
      if (best > campaignShare) campaignShare = best
    }
    if (campaignShare <= 0) return EMPTY

    const instant = Math.min(end - 1, clock)
    const adSetBudgets = adSets.map((s) => (campaign.budgetLevel === 'adset' ? dailyBudgetAt(s.budgets, s.startMs, s.endMs, instant) : 0))
    let budget: number
    if (campaign.budgetLevel === 'adset') {
      let sum = 0
      adSets.forEach((_, i) => {
        sum += (adSetBudgets[i] ?? 0) * (adSetShares[i] ?? 0)
      })
      budget = Math.round(sum / campaignShare)
    } else {
      budget = dailyBudgetAt(campaign.budgets, campaign.startMs, campaign.stopMs, instant)
    }
    if (budget <= 0) return EMPTY
    const full = this.model.full(account, campaign, date, budget)
    const share = campaignShare + this.surgeShare(campaign, campaignOn, start, end, until, weighted, full, budget)
    const delivered = dearerResults(scaleCounts(full, share), resultsKept(campaign, campaignOn, weighted))
    // Only the results arrived by now, before the split: every level reports the same late conversions.
    const total = withArrival(delivered, account.arrival, hoursSinceEnd(end, clock), [account.seed, account.id, campaign.id, date])
    if (total.impressions === 0) return EMPTY
    return new LazyBreakdown(total, () => this.split(account, campaign, date, total, { adSets, ads, adShares, adSetShares, adSetBudgets }))
  }

  /**
   * The extra share of the day a pacing surge adds (the control API's "overspend today": from an instant to the end of
   * its day the campaign delivers `factor` times faster), never past what Meta allows: 175 % of the daily budget.
   */
  private surgeShare(
    campaign: CampaignRecord,
    campaignOn: readonly Interval[],
    start: number,
    end: number,
    until: number,
    weighted: (spans: readonly Interval[]) => number,
    full: Counts,
    budget: number,
  ): number {
    const surge = campaign.surge
    if (!surge || surge.fromMs >= end || surge.fromMs < start || surge.fromMs >= until || full.spendMinor <= 0) return 0
    const base = weighted(campaignOn)
    const extra = (surge.factor - 1) * weighted(intersect(campaignOn, [[surge.fromMs, until]]))
    return Math.max(0, Math.min(extra, (MAX_DAY_OVERSPEND * budget) / full.spendMinor - base))
  }

  private split(
    account: AccountRecord,
    campaign: CampaignRecord,
    date: string,
    total: Counts,
    parts: { adSets: AdSetRecord[]; ads: AdRecord[][]; adShares: number[][]; adSetShares: number[]; adSetBudgets: number[] },
  ): { adSets: Counts[]; ads: Counts[][] } {
    const { adSets, ads, adShares, adSetShares, adSetBudgets } = parts

    const website = campaign.leadSource === 'website'
    const seed = account.seed
    const adSetShareList: Share[] = []
    const adShareLists: Share[][] = []
    adSets.forEach((s, i) => {
      const list: Share[] = []
      let weightSum = 0
      let clickSum = 0
      let freqSum = 0
      ads[i]?.forEach((a, j) => {
        const share = adShares[i]?.[j] ?? 0
        if (share <= 0) {
          list.push({ weight: 0, click: 1, frequency: 1 })
          return
        }
        const f = creativeFatigue(a, campaign, date)
        const weight = share * a.weight * f.ctr * f.ctr * noiseFor(0.2, seed, a.id, date)
        const click = f.ctr * a.ctrLift
        list.push({ weight, click, frequency: f.frequency })
        weightSum += weight
        clickSum += weight * click
        freqSum += weight * f.frequency
      })
      adShareLists.push(list)
      const share = adSetShares[i] ?? 0
      if (share <= 0 || weightSum <= 0) {
        adSetShareList.push({ weight: 0, click: 1, frequency: 1 })
        return
      }
      let base: number
      if (campaign.budgetLevel === 'adset') {
        base = (adSetBudgets[i] ?? 0) * noiseFor(0.06, seed, s.id, date)
      } else {
        const age = Math.max(0, daysBetween(s.startDate, date))
        const learning = age < 7 ? 0.5 + (0.5 * age) / 7 : 1
        base = s.weight * learning * noiseFor(0.15, seed, s.id, date)
      }
      adSetShareList.push({ weight: share * base, click: clickSum / weightSum, frequency: freqSum / weightSum })
    })
    const adSetCounts = splitCounts(total, adSetShareList, website)
    const adCounts = adSets.map((_, i) => splitCounts(adSetCounts[i] ?? ZERO_COUNTS, adShareLists[i] ?? [], website))
    return { adSets: adSetCounts, ads: adCounts }
  }
}
