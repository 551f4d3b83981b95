/**
 * The ad sets and ads under a generated campaign: names, budgets (campaign budget or ad set budgets that add up to
 * the campaign's former budget, so campaign figures stay what they were), bid strategies, optimisation goals,
 * creatives, start dates (later ads are fresh creatives) and a few historical pauses, archives and deletions.
 * Everything is drawn from generators keyed by (seed, account, campaign), like the campaigns themselves.
 */
import { budgetMinorFromUsd, currencyInfo } from './currency.ts'
import { hashString, type Rng, rngFor } from './prng.ts'
import type { AccountRecord, AdRecord, AdSetRecord, CampaignRecord, CreativeRecord, Kind, ObjectStatus } from './records.ts'
import { addDays, daysBetween, earlierDate, localDate, zonedTimeToUtc } from './tz.ts'

/** Fixed ad set and ad counts (benchmark presets); random 1–5 ad sets × 1–6 ads when absent. */
export interface StructureCounts {
  adSets?: number
  adsPerAdSet?: number
}

interface Extra {
  object: 'ad' | 'adset'
  status: Exclude<ObjectStatus, 'ACTIVE'>
  stopDaysAgo: number
}

/** Historical changes in the first, planned campaigns of every account (indexes into catalog.ts's PLAN). */
const PLAN_EXTRAS: Record<number, readonly Extra[]> = {
  0: [{ object: 'ad', status: 'DELETED', stopDaysAgo: 21 }],
  1: [{ object: 'adset', status: 'ARCHIVED', stopDaysAgo: 30 }],
  2: [
    { object: 'adset', status: 'DELETED', stopDaysAgo: 2 },
    { object: 'ad', status: 'PAUSED', stopDaysAgo: 10 },
  ],
  5: [{ object: 'adset', status: 'PAUSED', stopDaysAgo: 1 }],
}

const AUDIENCES: Record<Kind, readonly string[]> = {
  leads_form: ['Broad 25-54', 'Lookalike 1%', 'Homeowners', 'Retargeting 30d', 'Advantage+ Audience', 'Interests: DIY'],
  leads_web: ['Broad 25-54', 'Lookalike 2%', 'Site Visitors 60d', 'Interests: Business', 'Job Titles'],
  sales: ['Prospecting Broad', 'Cart Abandoners 14d', 'Past Buyers 180d', 'Lookalike 1% Purchasers', 'Interests: Shopping'],
  traffic: ['Broad 18-65', 'Interests: Blogs', 'Engagers 90d', 'Lookalike 3%', 'Newsletter Subscribers'],
  awareness: ['Broad', 'Local 10km', 'Core Audience', 'Video Viewers 30d'],
  engagement: ['Followers', 'Broad', 'Engagers 365d', 'Friends of Followers'],
}

const PLACEMENTS = ['Advantage+ placements', 'Feeds & Reels', 'Stories', 'Instagram only', 'Facebook Feed']

const FORMATS = ['Static 1:1', 'Video 15s', 'Carousel', 'Reel 9:16', 'UGC Video', 'Static 4:5']

const HOOKS: Record<Kind, readonly string[]> = {
  leads_form: ['Free Quote', 'Before & After', 'Customer Review', 'Limited Slots', 'Price Guide', 'Meet the Team'],
  leads_web: ['Free Trial', 'Whitepaper', 'Case Study', 'ROI Calculator', 'Webinar Invite'],
  sales: ['Best Sellers', 'New Arrivals', 'Bundle Deal', 'Free Shipping', 'Founder Story', 'Gift Guide'],
  traffic: ['How-To Guide', 'Top 10 List', 'Behind the Scenes', 'Seasonal Lookbook', 'Blog Teaser'],
  awareness: ['Brand Film', 'Store Opening', 'Launch Teaser', 'Sponsorship', 'Mission'],
  engagement: ['Poll', 'Giveaway', 'Community Q&A', 'Meme', 'UGC Repost'],
}

const TITLES: Record<Kind, readonly string[]> = {
  leads_form: ['Get your free quote today', 'Book a free consultation', 'See what it would cost you'],
  leads_web: ['Start your free trial', 'Download the free guide', 'See how teams save 10 hours a week'],
  sales: ['Shop the collection', 'Free shipping this week', 'Our best sellers are back'],
  traffic: ['Read the full guide', 'Discover more on our blog', 'Everything you need to know'],
  awareness: ['Now open near you', 'Meet the brand', 'Something new is coming'],
  engagement: ['Tell us what you think', 'Win it before Friday', 'Your questions, answered'],
}

const BODIES: Record<Kind, readonly string[]> = {
  leads_form: [
    'Tell us about your project in 60 seconds and get a quote within a day. No obligation.',
    'Thousands of homeowners trust us. Request your free estimate now.',
  ],
  leads_web: ['Join 4,000+ teams already using it. No credit card needed.', 'A practical guide with real numbers from 120 customers.'],
  sales: ['Made to last, priced to be fair. Order today, delivered this week.', 'Loved by 20,000 customers. Free returns for 30 days.'],
  traffic: ['Our most-read article this month: practical tips you can use today.', 'Ideas, checklists and examples in one place.'],
  awareness: ['Come and say hello: doors open this weekend.', 'Ten years of craft, one simple promise.'],
  engagement: ['Comment below and tag a friend who needs to see this.', 'We read every answer. Which one would you pick?'],
}

const GOALS: Record<Kind, { goal: string; billing: string }> = {
  leads_form: { goal: 'LEAD_GENERATION', billing: 'IMPRESSIONS' },
  leads_web: { goal: 'OFFSITE_CONVERSIONS', billing: 'IMPRESSIONS' },
  sales: { goal: 'OFFSITE_CONVERSIONS', billing: 'IMPRESSIONS' },
  traffic: { goal: 'LANDING_PAGE_VIEWS', billing: 'IMPRESSIONS' },
  awareness: { goal: 'REACH', billing: 'IMPRESSIONS' },
  engagement: { goal: 'POST_ENGAGEMENT', billing: 'IMPRESSIONS' },
}

/** Typical cost-cap targets per result, in USD. */
const COST_CAP_USD: Record<Kind, [number, number]> = {
  leads_form: [12, 35],
  leads_web: [25, 60],
  sales: [20, 60],
  traffic: [0.4, 1.2],
  awareness: [3, 6],
  engagement: [0.05, 0.2],
}

/** 18-digit ids in Meta's style; the prefix tells the object type apart (12021 campaigns, 12022 ad sets, 12023 ads, 12024 creatives). */
export function objectIdFor(prefix: '12021' | '12022' | '12023' | '12024', seed: number, accountIndex: number, sequence: number): string {
  const seedPart = String(hashString(`ids|${seed}`) % 100_000).padStart(5, '0')
  return `${prefix}${seedPart}${String(accountIndex % 1000).padStart(3, '0')}${String(sequence).padStart(5, '0')}`
}

export interface IdAllocator {
  adSet(): string
  ad(): string
  creative(): string
}

export interface StructureInput {
  account: AccountRecord
  campaign: CampaignRecord
  kind: Kind
  /** Index of the campaign in its account (PLAN index for the first ones). */
  index: number
  today: string
  /** History scale (historyDays / 90) applied to planned dates. */
  scale: number
  adSetBudgets: boolean
  counts: StructureCounts
  ids: IdAllocator
}

function uniqueName(base: string, used: Set<string>): string {
  let name = base
  for (let n = 2; used.has(name); n++) name = `${base} | ${n}`
  used.add(name)
  return name
}

/** An instant on `daysAgo` days before today: during working hours, or one minute after midnight for today. */
function stopInstant(rng: Rng, today: string, daysAgo: number, tz: string): number {
  const date = addDays(today, -daysAgo)
  return daysAgo === 0 ? zonedTimeToUtc(date, tz, 0, 1, 0) : zonedTimeToUtc(date, tz, rng.int(9, 17), rng.int(0, 59), 0)
}

/** Integer shares of `total` in whole major units (the first part takes the remainder), proportional to `weights`. */
function splitBudget(total: number, weights: number[], offset: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0)
  const parts = weights.map((w) => Math.max(offset, Math.round((total * w) / sum / offset) * offset))
  const rest = total - parts.reduce((a, b) => a + b, 0)
  parts[0] = Math.max(1, (parts[0] ?? 0) + rest)
  return parts
}

function creativeFor(input: StructureInput, rng: Rng, id: string, ordinal: number): CreativeRecord {
  const format = rng.pick(FORMATS)
  const hook = rng.pick(HOOKS[input.kind])
  return {
    id,
    name: `${hook} | ${format} | v${ordinal}`,
    thumbnailUrl: `https://creatives.meta-sim.example/${id}/thumbnail.jpg`,
    title: rng.pick(TITLES[input.kind]),
    body: rng.pick(BODIES[input.kind]),
  }
}

/** Generates a campaign's ad sets and ads and attaches their ids to the campaign. */
export function generateStructure(input: StructureInput): { adSets: AdSetRecord[]; ads: AdRecord[] } {
  const { account, campaign, kind, today, ids } = input
  const tz = account.timezoneName
  const rng = rngFor(account.seed, account.id, campaign.id, 'structure')
  const startDate = localDate(campaign.startMs, tz)
  const dates = new Map<number, string>([[campaign.startMs, startDate]])
  /** Local date of an instant (most children start with the campaign or their ad set: memoised). */
  const dateOf = (ms: number): string => {
    let d = dates.get(ms)
    if (d === undefined) {
      d = localDate(ms, tz)
      dates.set(ms, d)
    }
    return d
  }
  const campaignStop = campaign.activity[0]?.to ?? null
  const stopDate = campaignStop === null ? today : localDate(campaignStop, tz)
  /** The campaign's last day of delivery (today while it runs). */
  const lastDay = earlierDate(stopDate, today)
  const age = Math.max(0, daysBetween(startDate, lastDay))
  const daysSinceStop = daysBetween(lastDay, today)
  const totalAge = daysBetween(startDate, today)
  const fixed = input.counts.adSets !== undefined || input.counts.adsPerAdSet !== undefined
  const adSetCount = Math.max(1, input.counts.adSets ?? rng.pick([1, 2, 2, 3, 3, 3, 4, 5]))
  const goal = GOALS[kind]
  const offset = currencyInfo(account.currency).offset
  const usedAdSetNames = new Set<string>()
  const adSets: AdSetRecord[] = []
  const ads: AdRecord[] = []
  let adOrdinal = 0

  const makeAd = (adSet: AdSetRecord, startMs: number, opts: { fresh?: boolean } = {}): AdRecord => {
    adOrdinal++
    const creative = creativeFor(input, rng, ids.creative(), adOrdinal)
    const profile = campaign.profile
    const ad: AdRecord = {
      id: ids.ad(),
      accountId: account.id,
      campaignId: campaign.id,
      adSetId: adSet.id,
      name: `${creative.name.split(' | ').slice(0, 2).join(' | ')} | ${opts.fresh ? 'Refresh' : adSet.name.split(' | ')[0]}`,
      status: 'ACTIVE',
      activity: [{ from: startMs, to: null }],
      createdMs: startMs - rng.int(5, 120) * 60_000,
      updatedMs: startMs,
      startMs,
      startDate: dateOf(startMs),
      weight: rng.range(0.6, 1.4),
      ctrLift: rng.range(0.88, 1.12),
      fatigueDays: Math.max(5, (profile?.fatigueDays ?? 60) * rng.range(0.7, 1.3)),
      creative,
    }
    adSet.adIds.push(ad.id)
    ads.push(ad)
    return ad
  }

  const makeAdSet = (startMs: number, first: boolean): AdSetRecord => {
    const audience = rng.pick(AUDIENCES[kind])
    const placement = rng.pick(PLACEMENTS)
    const costCap = input.adSetBudgets && !first && rng.chance(0.25)
    const adSet: AdSetRecord = {
      id: ids.adSet(),
      accountId: account.id,
      campaignId: campaign.id,
      name: uniqueName(`${audience} | ${placement}`, usedAdSetNames),
      status: 'ACTIVE',
      budgets: [],
      bidStrategy: costCap ? 'COST_CAP' : (campaign.bidStrategy ?? 'LOWEST_COST_WITHOUT_CAP'),
      optimizationGoal: goal.goal,
      billingEvent: goal.billing,
      activity: [{ from: startMs, to: null }],
      createdMs: first
        ? campaign.createdMs + rng.int(1, 15) * 60_000
        : Math.max(campaign.createdMs + 60_000, startMs - rng.int(10, 600) * 60_000),
      updatedMs: startMs,
      startMs,
      startDate: dateOf(startMs),
      weight: first ? rng.range(1.2, 1.8) : rng.range(0.5, 1.3),
      significantEdits: [],
      budgetChangeTimes: [],
      adIds: [],
    }
    if (costCap) {
      const [lo, hi] = COST_CAP_USD[kind]
      adSet.bidAmount = Math.max(1, Math.round(rng.range(lo, hi) * currencyInfo(account.currency).perUsd * offset))
    }
    if (campaign.stopMs !== undefined && campaign.budgets[0]?.lifetime !== undefined) adSet.endMs = campaign.stopMs
    adSets.push(adSet)
    campaign.adSetIds.push(adSet.id)
    return adSet
  }

  for (let s = 0; s < adSetCount; s++) {
    const first = s === 0
    // Ad set budgets all run from the campaign start, so the campaign spends what its former campaign budget did.
    const lateDays = first || input.adSetBudgets || age < 4 || rng.chance(0.6) ? 0 : rng.int(1, Math.max(1, Math.floor(age * 0.5)))
    const startMs = lateDays === 0 ? campaign.startMs : zonedTimeToUtc(addDays(startDate, lateDays), tz, rng.int(8, 18), rng.int(0, 59), 0)
    const adSet = makeAdSet(startMs, first)
    const adSetAge = Math.max(0, age - lateDays)
    let adCount = Math.max(1, input.counts.adsPerAdSet ?? rng.pick([1, 2, 2, 3, 3, 4, 5, 6]))
    const wantsFresh = first && age >= 21
    if (wantsFresh && !fixed && adCount < 2) adCount = 2
    for (let j = 0; j < adCount; j++) {
      if (j === 0) {
        makeAd(adSet, startMs)
      } else if (wantsFresh && j === adCount - 1) {
        // A fresh creative added a few days ago: it takes over delivery from the tired ones.
        const daysAgo = rng.int(3, 8)
        makeAd(adSet, zonedTimeToUtc(addDays(lastDay, -daysAgo), tz, rng.int(8, 18), rng.int(0, 59), 0), { fresh: true })
      } else {
        const late = adSetAge < 3 || rng.chance(0.55) ? 0 : rng.int(1, Math.max(1, Math.floor(adSetAge * 0.7)))
        makeAd(adSet, late === 0 ? startMs : zonedTimeToUtc(addDays(adSet.startDate, late), tz, rng.int(8, 18), rng.int(0, 59), 0))
      }
    }
  }

  // Historical pauses, archives and deletions (default catalog only; fixed-count presets stay regular).
  const extras: Extra[] = []
  if (!fixed) {
    const planned = PLAN_EXTRAS[input.index]
    if (input.index < 8 && planned) extras.push(...planned.map((e) => ({ ...e, stopDaysAgo: Math.round(e.stopDaysAgo * input.scale) })))
    else if (input.index >= 8 && age >= 6) {
      if (rng.chance(0.12)) extras.push({ object: 'ad', status: 'DELETED', stopDaysAgo: daysSinceStop + rng.int(1, age - 2) })
      if (rng.chance(0.08)) extras.push({ object: 'adset', status: 'ARCHIVED', stopDaysAgo: daysSinceStop + rng.int(1, age - 2) })
    }
  }
  const baseAdSets = adSets.length
  for (const extra of extras) {
    // Only while the campaign itself was running, and after at least two days of delivery.
    if (extra.stopDaysAgo < daysSinceStop || extra.stopDaysAgo > totalAge - 2) continue
    const stopMs = stopInstant(rng, today, extra.stopDaysAgo, tz)
    if (extra.object === 'ad') {
      const adSet = adSets[0]
      if (!adSet) continue
      const ad = makeAd(adSet, adSet.startMs)
      stopObject(ad, extra.status, stopMs)
    } else {
      const adSet = makeAdSet(campaign.startMs, false)
      makeAd(adSet, campaign.startMs)
      if (rng.chance(0.5)) makeAd(adSet, campaign.startMs)
      stopObject(adSet, extra.status, stopMs)
    }
  }

  if (input.adSetBudgets) {
    const current = campaign.budgets[campaign.budgets.length - 1]
    const total = current?.daily ?? 0
    const regular = adSets.slice(0, baseAdSets)
    const split = splitBudget(
      total,
      regular.map((a) => a.weight),
      offset,
    )
    regular.forEach((a, i) => {
      a.budgets.push({ at: a.createdMs, daily: split[i] ?? offset })
    })
    for (const a of adSets.slice(baseAdSets))
      a.budgets.push({
        at: a.createdMs,
        daily: budgetMinorFromUsd((total / offset / currencyInfo(account.currency).perUsd) * 0.3, account.currency),
      })
    campaign.budgets = []
    campaign.budgetLevel = 'adset'
    delete campaign.bidStrategy
  }
  return { adSets, ads }
}

/** Switches an object off at `stopMs` with the given status. */
function stopObject(o: AdRecord | AdSetRecord, status: Exclude<ObjectStatus, 'ACTIVE'>, stopMs: number): void {
  o.status = status
  o.updatedMs = stopMs
  const last = o.activity[o.activity.length - 1]
  if (last && (last.to === null || last.to > stopMs)) last.to = stopMs
}
