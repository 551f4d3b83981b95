/**
 * The built-in world: default ad accounts and a seeded generator of realistic campaigns
 * (names, objectives, statuses, budgets in the account currency, delivery profiles).
 */

import { arrivalFor } from './arrival.ts'
import { generateStructure, type IdAllocator, objectIdFor, type StructureCounts } from './catalog-structure.ts'
import { budgetMinorFromUsd, currencyInfo } from './currency.ts'
import { type Rng, rngFor } from './prng.ts'
import type { AccountRecord, AdRecord, AdSetRecord, CampaignRecord, DeliveryProfile, Kind } from './records.ts'
import type { CampaignStatus, Objective, SimAccountSpec } from './types.ts'
import { addDays, zonedTimeToUtc } from './tz.ts'

export const DEFAULT_SIM_ACCOUNTS: readonly SimAccountSpec[] = Object.freeze([
  {
    id: '1234567890123456',
    name: 'Acme Home Services (US)',
    currency: 'USD',
    timezoneName: 'America/New_York',
    campaigns: 10,
    businessCountryCode: 'US',
  },
  {
    id: '2345678901234567',
    name: 'Nordlicht Möbel GmbH',
    currency: 'EUR',
    timezoneName: 'Europe/Berlin',
    businessCountryCode: 'DE',
    campaigns: 8,
  },
  {
    id: '3456789012345678',
    name: 'Sakura Cosmetics K.K.',
    currency: 'JPY',
    timezoneName: 'Asia/Tokyo',
    businessCountryCode: 'JP',
    campaigns: 7,
  },
  {
    id: '4567890123456789',
    name: 'Thames Fitness Ltd',
    currency: 'GBP',
    timezoneName: 'Europe/London',
    businessCountryCode: 'GB',
    campaigns: 9,
  },
  {
    id: '5678901234567890',
    name: 'Chai & Co. India',
    currency: 'INR',
    timezoneName: 'Asia/Kolkata',
    businessCountryCode: 'IN',
    campaigns: 6,
  },
])

/**
 * The benchmark's large account: 200 campaigns × 5 ad sets × 4 ads = 4,000 ads (level=ad insights over 28 days
 * exceed the synchronous limit, so a sync has to use async report runs). `promoly meta-sim --preset scale`.
 */
export const SCALE_SIM_ACCOUNT: Readonly<SimAccountSpec> = Object.freeze({
  id: '200500400',
  name: 'Scale test (4,000 ads)',
  currency: 'USD',
  timezoneName: 'America/New_York',
  businessCountryCode: 'US',
  campaigns: 200,
  adSetsPerCampaign: 5,
  adsPerAdSet: 4,
})

export const DEFAULT_CAMPAIGNS_PER_ACCOUNT = 8

interface Plan {
  kind: Kind
  status: CampaignStatus
  /** Days before today the campaign started. */
  startDaysAgo: number
  /** Days before today delivery stopped (pause / archive). */
  stopDaysAgo?: number
  /** Budgets on the ad sets instead of the campaign. */
  adSetBudgets?: boolean
  lifetimeFlightDays?: number
  fatigue?: { days: number; decay: number; gain: number }
}

/**
 * The first campaigns of every account follow this plan so each account shows every situation
 * Promoly must handle; later ones are drawn at random.
 */
const PLAN: readonly Plan[] = [
  { kind: 'leads_form', status: 'ACTIVE', startDaysAgo: 70, fatigue: { days: 24, decay: 0.5, gain: 1.3 } },
  { kind: 'sales', status: 'ACTIVE', startDaysAgo: 88, fatigue: { days: 45, decay: 0.35, gain: 1.0 } },
  { kind: 'traffic', status: 'ACTIVE', startDaysAgo: 40, fatigue: { days: 120, decay: 0.2, gain: 0.5 } },
  { kind: 'leads_web', status: 'PAUSED', startDaysAgo: 80, stopDaysAgo: 18, adSetBudgets: true },
  { kind: 'sales', status: 'ARCHIVED', startDaysAgo: 130, stopDaysAgo: 75 },
  { kind: 'leads_form', status: 'ACTIVE', startDaysAgo: 4, fatigue: { days: 60, decay: 0.35, gain: 0.9 }, adSetBudgets: true },
  { kind: 'awareness', status: 'ACTIVE', startDaysAgo: 30, lifetimeFlightDays: 60 },
  { kind: 'engagement', status: 'DELETED', startDaysAgo: 60, stopDaysAgo: 9 },
]

const OBJECTIVE: Record<Kind, Objective> = {
  leads_form: 'OUTCOME_LEADS',
  leads_web: 'OUTCOME_LEADS',
  sales: 'OUTCOME_SALES',
  traffic: 'OUTCOME_TRAFFIC',
  awareness: 'OUTCOME_AWARENESS',
  engagement: 'OUTCOME_ENGAGEMENT',
}

const NAME_PARTS: Record<Kind, { label: string; angles: string[]; audiences: string[] }> = {
  leads_form: {
    label: 'Leads | Instant Form',
    angles: ['Free Quote', 'Free Consultation', 'Spring Offer', 'Book a Demo', 'Newsletter', 'Price Guide', 'Webinar'],
    audiences: ['Broad 25-54', 'Lookalike 1%', 'Interests', 'Retargeting 30d', 'Advantage+ Audience'],
  },
  leads_web: {
    label: 'Leads | Website',
    angles: ['Contact Form', 'Quote Calculator', 'Whitepaper', 'Free Trial', 'Event Signup'],
    audiences: ['Broad 25-54', 'Lookalike 2%', 'Site Visitors 60d', 'Interests'],
  },
  sales: {
    label: 'Sales',
    angles: ['Advantage+ Shopping', 'Catalog', 'Black Friday', 'New Collection', 'Best Sellers', 'Bundle Deal'],
    audiences: ['Prospecting', 'Cart Abandoners 14d', 'Past Buyers 180d', 'Lookalike 1%', 'Broad'],
  },
  traffic: {
    label: 'Traffic',
    angles: ['Blog Content', 'Landing Page', 'Product Pages', 'Guide', 'Seasonal Lookbook'],
    audiences: ['Broad 18-65', 'Interests', 'Engagers 90d', 'Lookalike 3%'],
  },
  awareness: {
    label: 'Awareness',
    angles: ['Brand Video', 'Reach', 'Store Opening', 'Launch Teaser', 'Sponsorship'],
    audiences: ['Broad', 'Local 10km', 'Core Audience'],
  },
  engagement: {
    label: 'Engagement',
    angles: ['Reels', 'Post Boost', 'Giveaway', 'Community Q&A', 'UGC'],
    audiences: ['Followers', 'Broad', 'Engagers 365d'],
  },
}

/** Base economics per kind, in USD for a US-level market; scaled by the account currency. */
const BASE: Record<
  Kind,
  {
    cpm: [number, number]
    ctr: [number, number]
    link: [number, number]
    lpv: [number, number]
    cvr: [number, number]
    budgetUsd: [number, number]
  }
> = {
  leads_form: { cpm: [8.5, 13], ctr: [0.013, 0.021], link: [0.62, 0.74], lpv: [0, 0], cvr: [0.06, 0.11], budgetUsd: [30, 120] },
  leads_web: { cpm: [9, 14], ctr: [0.012, 0.019], link: [0.7, 0.8], lpv: [0.75, 0.85], cvr: [0.035, 0.07], budgetUsd: [30, 100] },
  sales: { cpm: [10, 17], ctr: [0.01, 0.017], link: [0.7, 0.8], lpv: [0.72, 0.85], cvr: [0.03, 0.06], budgetUsd: [50, 250] },
  traffic: { cpm: [5, 9], ctr: [0.016, 0.028], link: [0.8, 0.9], lpv: [0.6, 0.8], cvr: [0, 0], budgetUsd: [20, 60] },
  awareness: { cpm: [2.5, 5], ctr: [0.003, 0.007], link: [0.5, 0.6], lpv: [0, 0], cvr: [0, 0], budgetUsd: [25, 80] },
  engagement: { cpm: [4, 8], ctr: [0.01, 0.02], link: [0.3, 0.4], lpv: [0, 0], cvr: [0, 0], budgetUsd: [15, 50] },
}

function randomPlan(rng: Rng): Plan {
  const kind = rng.pick<Kind>(['leads_form', 'leads_form', 'leads_web', 'sales', 'sales', 'sales', 'traffic', 'awareness', 'engagement'])
  const startDaysAgo = rng.int(6, 120)
  const roll = rng.next()
  const status: CampaignStatus = roll < 0.75 ? 'ACTIVE' : roll < 0.95 ? 'PAUSED' : roll < 0.975 ? 'ARCHIVED' : 'DELETED'
  const plan: Plan = {
    kind,
    status,
    startDaysAgo,
    fatigue: { days: Math.round(rng.range(25, 200)), decay: rng.range(0.15, 0.5), gain: rng.range(0.4, 1.4) },
  }
  if (status !== 'ACTIVE') plan.stopDaysAgo = rng.int(0, Math.max(0, startDaysAgo - 3))
  // Drawn (and unused since campaigns never show CAMPAIGN_PAUSED) to keep later draws, and so the numbers, as they were.
  if (status === 'PAUSED') rng.chance(0.25)
  return plan
}

function profileFor(plan: Plan, rng: Rng, costLevel: number, perUsd: number): DeliveryProfile {
  const b = BASE[plan.kind]
  const fatigue = plan.fatigue ?? { days: Math.round(rng.range(60, 200)), decay: rng.range(0.1, 0.3), gain: rng.range(0.3, 0.8) }
  return {
    cpm: rng.range(b.cpm[0], b.cpm[1]) * costLevel * perUsd,
    ctr: rng.range(b.ctr[0], b.ctr[1]),
    linkShare: rng.range(b.link[0], b.link[1]),
    lpvRate: rng.range(b.lpv[0], b.lpv[1]),
    cvr: rng.range(b.cvr[0], b.cvr[1]),
    atcRate: plan.kind === 'sales' ? rng.range(0.06, 0.11) : 0,
    aov: plan.kind === 'sales' ? rng.range(60, 160) * perUsd : 0,
    reactionRate: plan.kind === 'engagement' ? rng.range(0.02, 0.045) : rng.range(0.0015, 0.004),
    videoRate: plan.kind === 'awareness' ? rng.range(0.15, 0.3) : plan.kind === 'engagement' ? rng.range(0.05, 0.12) : 0,
    pacing: rng.range(0.88, 0.99),
    underdeliveryChance: rng.range(0.03, 0.1),
    noise: rng.range(0.07, 0.13),
    baseFrequency: plan.kind === 'awareness' ? rng.range(1.25, 1.45) : rng.range(1.04, 1.14),
    fatigueDays: fatigue.days,
    ctrDecay: fatigue.decay,
    freqGain: fatigue.gain,
    learningDays: 7,
  }
}

function campaignName(plan: Plan, rng: Rng, geo: string, used: Set<string>): string {
  const parts = NAME_PARTS[plan.kind]
  for (let attempt = 0; attempt < 6; attempt++) {
    const name = `${parts.label} | ${rng.pick(parts.angles)} | ${rng.pick(parts.audiences)} | ${geo}`
    if (!used.has(name)) {
      used.add(name)
      return name
    }
  }
  let n = 2
  const base = `${parts.label} | ${rng.pick(parts.angles)} | ${rng.pick(parts.audiences)} | ${geo}`
  while (used.has(`${base} | v${n}`)) n++
  const name = `${base} | v${n}`
  used.add(name)
  return name
}

/** Allocates 18-digit campaign ids: 12021 + seed part + account index + sequence. */
export function campaignIdFor(seed: number, accountIndex: number, sequence: number): string {
  return objectIdFor('12021', seed, accountIndex, sequence)
}

export function accountRecordFromSpec(spec: SimAccountSpec, seed: number): AccountRecord {
  return {
    id: spec.id,
    name: spec.name,
    currency: currencyInfo(spec.currency).code,
    timezoneName: spec.timezoneName,
    businessCountryCode: spec.businessCountryCode ?? null,
    offset: currencyInfo(spec.currency).offset,
    seed: spec.seed ?? seed,
    accountStatus: 1,
    arrival: arrivalFor(spec.arrival),
    campaignIds: [],
  }
}

export interface GeneratedWorld {
  campaigns: CampaignRecord[]
  adSets: AdSetRecord[]
  ads: AdRecord[]
}

/**
 * Generates an account's campaigns, ad sets and ads relative to `today` (the account-local date at start-up).
 * Everything is drawn from generators keyed by (seed, account, index), so two simulators with the
 * same seed and clock build the same world.
 */
export function generateCampaigns(
  account: AccountRecord,
  accountIndex: number,
  count: number,
  today: string,
  historyDays: number,
  structure: { counts: StructureCounts; ids: IdAllocator },
): GeneratedWorld {
  const currency = currencyInfo(account.currency)
  const tz = account.timezoneName
  const used = new Set<string>()
  const out: CampaignRecord[] = []
  const adSets: AdSetRecord[] = []
  const ads: AdRecord[] = []
  const scale = historyDays / 90
  for (let i = 0; i < count; i++) {
    const rng = rngFor(account.seed, account.id, 'campaign', i)
    const basePlan = i < PLAN.length ? PLAN[i] : undefined
    const plan: Plan = basePlan ? { ...basePlan } : randomPlan(rng)
    plan.startDaysAgo = Math.max(1, Math.round(plan.startDaysAgo * scale))
    if (plan.stopDaysAgo !== undefined) plan.stopDaysAgo = Math.min(plan.startDaysAgo - 1, Math.round(plan.stopDaysAgo * scale))
    const objective = OBJECTIVE[plan.kind]
    const startDate = addDays(today, -plan.startDaysAgo)
    const startMs = zonedTimeToUtc(startDate, tz, rng.int(7, 16), rng.int(0, 59), rng.int(0, 59))
    const createdMs = startMs - rng.int(20, 36 * 60) * 60_000
    const profile = profileFor(plan, rng, currency.costLevel, currency.perUsd)
    const budgetUsd = rng.range(BASE[plan.kind].budgetUsd[0], BASE[plan.kind].budgetUsd[1])
    const record: CampaignRecord = {
      id: campaignIdFor(account.seed, accountIndex, i + 1),
      accountId: account.id,
      name: campaignName(plan, rng, currency.geo, used),
      objective,
      status: plan.status,
      buyingType: 'AUCTION',
      bidStrategy: 'LOWEST_COST_WITHOUT_CAP',
      specialAdCategories: [],
      budgets: [],
      activity: [],
      createdMs,
      updatedMs: createdMs,
      startMs,
      profile,
      createdViaApi: false,
      budgetChangeTimes: [],
      budgetLevel: 'campaign',
      adSetIds: [],
    }
    if (plan.kind === 'leads_form') record.leadSource = 'instant_form'
    if (plan.kind === 'leads_web') record.leadSource = 'website'
    if (plan.lifetimeFlightDays !== undefined) {
      const flight = Math.max(2, Math.round(plan.lifetimeFlightDays * scale))
      record.stopMs = zonedTimeToUtc(addDays(startDate, flight), tz, 23, 59, 0)
      record.budgets.push({ at: createdMs, lifetime: budgetMinorFromUsd(budgetUsd * flight, account.currency) })
    } else {
      record.budgets.push({ at: createdMs, daily: budgetMinorFromUsd(budgetUsd, account.currency) })
    }
    let stopActivity: number | null = record.stopMs ?? null
    if (plan.stopDaysAgo !== undefined) {
      const stopDate = addDays(today, -plan.stopDaysAgo)
      // Stopped during working hours of that day (a "today" stop happens one minute after midnight
      // so the world does not depend on the time of day the simulator started).
      stopActivity =
        plan.stopDaysAgo === 0 ? zonedTimeToUtc(stopDate, tz, 0, 1, 0) : zonedTimeToUtc(stopDate, tz, rng.int(9, 17), rng.int(0, 59), 0)
      record.updatedMs = stopActivity
      if (plan.status === 'ARCHIVED' || plan.status === 'DELETED') record.stopMs = stopActivity
    }
    record.activity.push({ from: startMs, to: stopActivity })
    out.push(record)
    const adSetBudgets =
      plan.lifetimeFlightDays === undefined &&
      (plan.adSetBudgets ?? (i >= PLAN.length && rngFor(account.seed, account.id, 'budget-level', i).chance(0.35)))
    const children = generateStructure({
      account,
      campaign: record,
      kind: plan.kind,
      index: i,
      today,
      scale,
      adSetBudgets,
      counts: structure.counts,
      ids: structure.ids,
    })
    adSets.push(...children.adSets)
    ads.push(...children.ads)
  }
  return { campaigns: out, adSets, ads }
}
