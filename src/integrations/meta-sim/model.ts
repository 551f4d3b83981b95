/**
 * The daily delivery model. A campaign-day's full-day numbers depend only on
 * (seed, account, campaign, date, budget in effect): weekly seasonality per objective, log-normal
 * noise, a learning phase after the start (lower volume, higher costs), creative fatigue (frequency
 * creeping up while CTR decays) and spend near — not always at — the daily budget. Full days are
 * cached; partial days (today, the day of a pause) are the cached day scaled by the share of the day
 * the campaign was on.
 */
import { rngFor } from './prng.ts'
import type { AccountRecord, BudgetEntry, CampaignRecord, DeliveryProfile } from './records.ts'
import type { Objective } from './types.ts'
import { daysBetween, localDate, weekday } from './tz.ts'

/** Integer counts for one campaign and period; money in the account's MINOR units. */
export interface Counts {
  impressions: number
  reach: number
  clicks: number
  linkClicks: number
  landingPageViews: number
  reactions: number
  videoViews: number
  leads: number
  addToCarts: number
  purchases: number
  purchaseValueMinor: number
  spendMinor: number
}

export const ZERO_COUNTS: Readonly<Counts> = Object.freeze({
  impressions: 0,
  reach: 0,
  clicks: 0,
  linkClicks: 0,
  landingPageViews: 0,
  reactions: 0,
  videoViews: 0,
  leads: 0,
  addToCarts: 0,
  purchases: 0,
  purchaseValueMinor: 0,
  spendMinor: 0,
})

interface Seasonality {
  pacing: readonly number[]
  cpm: readonly number[]
  ctr: readonly number[]
  cvr: readonly number[]
  engage: readonly number[]
}

const FLAT = [1, 1, 1, 1, 1, 1, 1] as const

/** Indexed by weekday, 0 = Sunday. */
const SEASONALITY: Record<Objective, Seasonality> = {
  // B2B-style lead gen: weekend dip in intent and volume.
  OUTCOME_LEADS: {
    pacing: [0.9, 1, 1, 1, 1, 0.97, 0.9],
    cpm: [0.95, 1.02, 1.03, 1.02, 1.01, 0.99, 0.95],
    ctr: [0.88, 1.03, 1.04, 1.03, 1.01, 0.96, 0.88],
    cvr: [0.68, 1.06, 1.08, 1.06, 1.03, 0.94, 0.7],
    engage: FLAT,
  },
  // E-commerce: weekend peak in conversion rate and a pricier auction.
  OUTCOME_SALES: {
    pacing: FLAT,
    cpm: [1.08, 0.97, 0.96, 0.97, 0.99, 1.02, 1.07],
    ctr: [1.07, 0.97, 0.97, 0.98, 0.99, 1.02, 1.07],
    cvr: [1.24, 0.93, 0.92, 0.94, 0.98, 1.06, 1.2],
    engage: FLAT,
  },
  OUTCOME_TRAFFIC: {
    pacing: FLAT,
    cpm: [0.96, 1.01, 1.01, 1.01, 1.01, 1, 0.96],
    ctr: [1.13, 0.95, 0.95, 0.96, 0.98, 1.04, 1.12],
    cvr: FLAT,
    engage: FLAT,
  },
  OUTCOME_AWARENESS: {
    pacing: FLAT,
    cpm: [0.9, 1.03, 1.04, 1.03, 1.02, 0.99, 0.9],
    ctr: FLAT,
    cvr: FLAT,
    engage: [1.08, 0.97, 0.97, 0.98, 0.99, 1.02, 1.08],
  },
  OUTCOME_ENGAGEMENT: {
    pacing: FLAT,
    cpm: [0.97, 1.01, 1.01, 1.01, 1.01, 1, 0.97],
    ctr: [1.15, 0.94, 0.93, 0.94, 0.97, 1.05, 1.16],
    cvr: FLAT,
    engage: [1.25, 0.92, 0.9, 0.92, 0.95, 1.05, 1.22],
  },
  OUTCOME_APP_PROMOTION: { pacing: FLAT, cpm: FLAT, ctr: FLAT, cvr: FLAT, engage: FLAT },
}

function at(values: readonly number[], index: number): number {
  return values[index] ?? 1
}

/**
 * Daily budget equivalent (minor units) in effect at an instant; lifetime budgets are spread over the flight
 * (`startMs` to `stopMs`, 30 days when open-ended).
 */
export function dailyBudgetAt(budgets: readonly BudgetEntry[], startMs: number, stopMs: number | undefined, instant: number): number {
  let entry = budgets[0]
  for (const b of budgets) if (b.at <= instant) entry = b
  if (!entry) return 0
  if (entry.daily !== undefined) return entry.daily
  if (entry.lifetime !== undefined) {
    const end = stopMs ?? startMs + 30 * 86_400_000
    const flightDays = Math.max(1, (end - startMs) / 86_400_000)
    return Math.round(entry.lifetime / flightDays)
  }
  return 0
}

function fullDay(
  account: AccountRecord,
  campaign: CampaignRecord,
  p: DeliveryProfile,
  date: string,
  startDate: string,
  budgetMinor: number,
): Counts {
  const rng = rngFor(account.seed, account.id, campaign.id, date)
  const season = SEASONALITY[campaign.objective]
  const wd = weekday(date)
  const age = Math.max(0, daysBetween(startDate, date))

  const learning = age < p.learningDays ? age / p.learningDays : 1
  const learnPacing = 0.45 + 0.55 * learning
  const learnCpm = 1.35 - 0.35 * learning
  const learnCvr = 0.55 + 0.45 * learning

  const saturation = 1 - Math.exp(-age / p.fatigueDays)
  const fatigueCtr = 1 - p.ctrDecay * saturation

  const budgetMajor = budgetMinor / account.offset
  let pacing = p.pacing * at(season.pacing, wd) * learnPacing * rng.noise(p.noise * 0.5)
  if (rng.chance(p.underdeliveryChance)) pacing *= rng.range(0.4, 0.8)
  const spendMajor = budgetMajor * Math.min(1.2, pacing)
  const spendMinor = Math.max(0, Math.round(spendMajor * account.offset))
  if (spendMinor === 0) return { ...ZERO_COUNTS }

  const cpm = p.cpm * at(season.cpm, wd) * learnCpm * (1 + 0.15 * saturation) * rng.noise(p.noise)
  const impressions = Math.max(0, Math.round((spendMajor / cpm) * 1000))
  if (impressions === 0) return { ...ZERO_COUNTS }
  const frequency = Math.max(1.01, p.baseFrequency * (1 + p.freqGain * saturation) * rng.noise(0.03))
  const reach = Math.max(1, Math.min(impressions, Math.round(impressions / frequency)))
  const ctr = p.ctr * at(season.ctr, wd) * fatigueCtr * rng.noise(p.noise)
  const clicks = rng.binomial(impressions, ctr)
  const linkClicks = Math.min(clicks, Math.round(clicks * p.linkShare * rng.noise(0.05)))
  const landingPageViews = p.lpvRate > 0 ? Math.min(linkClicks, rng.binomial(linkClicks, p.lpvRate)) : 0
  const reactions = rng.poisson(impressions * p.reactionRate * at(season.engage, wd))
  const videoViews = p.videoRate > 0 ? rng.binomial(impressions, p.videoRate * at(season.engage, wd)) : 0

  const cvr = p.cvr * at(season.cvr, wd) * learnCvr * (1 - 0.3 * p.ctrDecay * saturation) * rng.noise(p.noise)
  let leads = 0
  let addToCarts = 0
  let purchases = 0
  let purchaseValueMinor = 0
  if (campaign.objective === 'OUTCOME_LEADS') {
    leads = campaign.leadSource === 'website' ? rng.binomial(landingPageViews, cvr) : rng.binomial(clicks, cvr)
  } else if (campaign.objective === 'OUTCOME_SALES') {
    addToCarts = rng.binomial(landingPageViews, p.atcRate * at(season.cvr, wd))
    purchases = Math.min(landingPageViews, rng.binomial(landingPageViews, cvr))
    for (let i = 0; i < purchases; i++) purchaseValueMinor += Math.round(p.aov * rng.noise(0.35) * account.offset)
  }
  return {
    impressions,
    reach,
    clicks,
    linkClicks,
    landingPageViews,
    reactions,
    videoViews,
    leads,
    addToCarts,
    purchases,
    purchaseValueMinor,
    spendMinor,
  }
}

/** A day's counts scaled to the share of the day an object was on (each count rounded; above 1 for a pacing surge). */
export function scaleCounts(c: Counts, share: number): Counts {
  if (share === 1) return c
  const s = (v: number): number => Math.round(v * share)
  const impressions = s(c.impressions)
  if (impressions === 0) return { ...ZERO_COUNTS }
  return {
    impressions,
    reach: Math.max(1, Math.min(impressions, s(c.reach))),
    clicks: s(c.clicks),
    linkClicks: s(c.linkClicks),
    landingPageViews: s(c.landingPageViews),
    reactions: s(c.reactions),
    videoViews: s(c.videoViews),
    leads: s(c.leads),
    addToCarts: s(c.addToCarts),
    purchases: s(c.purchases),
    purchaseValueMinor: s(c.purchaseValueMinor),
    spendMinor: s(c.spendMinor),
  }
}

/** Generates and caches full campaign-days (the campaign on all day with the given daily budget). */
export class DeliveryModel {
  private readonly cache = new Map<string, Counts>()
  private readonly startDates = new Map<string, string>()

  /** Counts for one campaign switched on for the whole local `date` with `budgetMinor` to spend. */
  full(account: AccountRecord, campaign: CampaignRecord, date: string, budgetMinor: number): Counts {
    const p = campaign.profile
    if (!p || budgetMinor <= 0) return ZERO_COUNTS
    const key = `${campaign.id}|${date}|${budgetMinor}`
    let full = this.cache.get(key)
    if (!full) {
      let startDate = this.startDates.get(campaign.id)
      if (startDate === undefined) {
        startDate = localDate(campaign.startMs, account.timezoneName)
        this.startDates.set(campaign.id, startDate)
      }
      full = fullDay(account, campaign, p, date, startDate, budgetMinor)
      if (this.cache.size > 200_000) this.cache.clear()
      this.cache.set(key, full)
    }
    return full
  }
}

export function addCounts(into: Counts, c: Counts): void {
  into.impressions += c.impressions
  into.reach += c.reach
  into.clicks += c.clicks
  into.linkClicks += c.linkClicks
  into.landingPageViews += c.landingPageViews
  into.reactions += c.reactions
  into.videoViews += c.videoViews
  into.leads += c.leads
  into.addToCarts += c.addToCarts
  into.purchases += c.purchases
  into.purchaseValueMinor += c.purchaseValueMinor
  into.spendMinor += c.spendMinor
}

/**
 * Reach over several days or campaigns is not additive: people overlap. Deduplicate with a
 * deterministic overlap curve, keeping max(part) ≤ reach ≤ impressions.
 */
export function combineReach(parts: number[], impressions: number): number {
  if (parts.length === 0) return 0
  if (parts.length === 1) return Math.min(impressions, parts[0] ?? 0)
  let sum = 0
  let max = 0
  for (const r of parts) {
    sum += r
    if (r > max) max = r
  }
  const dedup = Math.round(sum / (1 + 0.35 * Math.log(parts.length)))
  return Math.max(1, Math.min(impressions, Math.max(max, dedup)))
}
