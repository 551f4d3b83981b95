/** The simulated world: accounts, campaigns, async report runs, and read-only views for tests. */
import { accountRecordFromSpec, campaignIdFor, DEFAULT_CAMPAIGNS_PER_ACCOUNT, generateCampaigns } from './catalog.ts'
import { objectIdFor } from './catalog-structure.ts'
import { currencyInfo, isKnownCurrency } from './currency.ts'
import { type DayBreakdown, Delivery } from './day-breakdown.ts'
import { adEffectiveStatus, adSetEffectiveStatus, campaignEffectiveStatus } from './effective-status.ts'
import { DeliveryModel } from './model.ts'
import type { AccountRecord, AdRecord, AdSetRecord, CampaignRecord, InsightsScope, Level } from './records.ts'
import type { SimAccountSpec, SimAccountView, SimAdSetView, SimAdView, SimCampaignView, SimStateView } from './types.ts'
import { graphTime, isValidTimeZone, localDate } from './tz.ts'

const MAX_CACHED_LISTS = 8
const MAX_CACHED_ROWS = 250_000

export interface ReportRun {
  id: string
  accountId: string
  /** Insights parameters as posted. */
  params: Record<string, string>
  /** The node the run was created on (empty for the account). */
  scope: InsightsScope
  defaultLevel: Level
  createdMs: number
  polls: number
  pollsToComplete: number
  failed: boolean
  /** Never completes (stays Job Running). */
  stuck: boolean
  completedMs?: number
}

export class SimState implements SimStateView {
  readonly accountMap = new Map<string, AccountRecord>()
  readonly campaignMap = new Map<string, CampaignRecord>()
  readonly adSetMap = new Map<string, AdSetRecord>()
  readonly adMap = new Map<string, AdRecord>()
  readonly model = new DeliveryModel()
  readonly delivery = new Delivery(this.model, this)
  readonly reports = new Map<string, ReportRun>()
  private readonly accountIndex = new Map<string, number>()
  private readonly nextSequence = new Map<string, number>()
  private readonly nextChildSequence = new Map<string, number>()
  private reportSeq = 0
  /** Bumped on every mutation; part of cache keys. */
  version = 0
  private readonly rowCache = new Map<string, { value: unknown; weight: number }>()
  private cachedWeight = 0
  private readonly activeAdCounts = new Map<string, number>()

  constructor(
    specs: readonly SimAccountSpec[],
    readonly seed: number,
    readonly nowMs: () => number,
    historyDays: number,
  ) {
    const start = nowMs()
    specs.forEach((spec, index) => {
      if (!/^\d{1,20}$/.test(spec.id)) throw new Error(`SimAccountSpec.id must be digits only (got "${spec.id}")`)
      if (this.accountMap.has(spec.id)) throw new Error(`Duplicate simulated account id ${spec.id}`)
      if (!isValidTimeZone(spec.timezoneName)) throw new Error(`Unknown time zone "${spec.timezoneName}" for account ${spec.id}`)
      if (!/^[A-Za-z]{3}$/.test(spec.currency)) throw new Error(`Invalid currency "${spec.currency}" for account ${spec.id}`)
      const account = accountRecordFromSpec(spec, seed)
      this.accountMap.set(account.id, account)
      this.accountIndex.set(account.id, index)
      const count = Math.max(0, Math.floor(spec.campaigns ?? DEFAULT_CAMPAIGNS_PER_ACCOUNT))
      const counts: { adSets?: number; adsPerAdSet?: number } = {}
      if (spec.adSetsPerCampaign !== undefined) counts.adSets = Math.max(1, Math.floor(spec.adSetsPerCampaign))
      if (spec.adsPerAdSet !== undefined) counts.adsPerAdSet = Math.max(1, Math.floor(spec.adsPerAdSet))
      const ids = {
        adSet: () => this.allocateChildId(account.id, '12022'),
        ad: () => this.allocateChildId(account.id, '12023'),
        creative: () => this.allocateChildId(account.id, '12024'),
      }
      const world = generateCampaigns(account, index, count, localDate(start, account.timezoneName), historyDays, { counts, ids })
      for (const c of world.campaigns) {
        this.campaignMap.set(c.id, c)
        account.campaignIds.push(c.id)
      }
      for (const a of world.adSets) this.adSetMap.set(a.id, a)
      for (const a of world.ads) this.adMap.set(a.id, a)
      this.nextSequence.set(account.id, count + 1)
    })
  }

  accountRecord(id: string): AccountRecord | undefined {
    return this.accountMap.get(id.startsWith('act_') ? id.slice(4) : id)
  }

  campaignRecord(id: string): CampaignRecord | undefined {
    return this.campaignMap.get(id)
  }

  adSetRecord(id: string): AdSetRecord | undefined {
    return this.adSetMap.get(id)
  }

  adRecord(id: string): AdRecord | undefined {
    return this.adMap.get(id)
  }

  /** A campaign's ad sets in creation order. */
  adSetsOf(campaign: CampaignRecord): AdSetRecord[] {
    const out: AdSetRecord[] = []
    for (const id of campaign.adSetIds) {
      const s = this.adSetMap.get(id)
      if (s) out.push(s)
    }
    return out
  }

  /** An ad set's ads in creation order. */
  adsOf(adSet: AdSetRecord): AdRecord[] {
    const out: AdRecord[] = []
    for (const id of adSet.adIds) {
      const a = this.adMap.get(id)
      if (a) out.push(a)
    }
    return out
  }

  /** One campaign-day split into ad sets and ads, as known at `nowMs`. */
  day(account: AccountRecord, campaign: CampaignRecord, date: string, nowMs: number): DayBreakdown {
    return this.delivery.day(account, campaign, date, nowMs)
  }

  private allocateChildId(accountId: string, prefix: '12022' | '12023' | '12024'): string {
    const key = `${accountId}|${prefix}`
    const seq = this.nextChildSequence.get(key) ?? 1
    this.nextChildSequence.set(key, seq + 1)
    const account = this.accountMap.get(accountId)
    return objectIdFor(prefix, account?.seed ?? this.seed, this.accountIndex.get(accountId) ?? 0, seq)
  }

  campaignsOf(accountId: string): CampaignRecord[] {
    const account = this.accountMap.get(accountId)
    if (!account) return []
    const out: CampaignRecord[] = []
    for (const id of account.campaignIds) {
      const c = this.campaignMap.get(id)
      if (c) out.push(c)
    }
    return out
  }

  allocateCampaignId(accountId: string): string {
    const seq = this.nextSequence.get(accountId) ?? 1
    this.nextSequence.set(accountId, seq + 1)
    const account = this.accountMap.get(accountId)
    return campaignIdFor(account?.seed ?? this.seed, this.accountIndex.get(accountId) ?? 0, seq)
  }

  /** Marks the world as changed (invalidates cached insights row lists). */
  touch(): void {
    this.version++
    this.rowCache.clear()
    this.cachedWeight = 0
    this.delivery.clear()
  }

  /**
   * Small LRU for computed insights row lists, so paging through one query does not rebuild it per page. Bounded by
   * entries and by total weight (rows), so a few 100,000-row ad-level lists do not pile up in memory.
   */
  cached<T>(key: string, build: () => T, weigh: (value: T) => number = () => 1): T {
    const hit = this.rowCache.get(key)
    if (hit !== undefined) {
      this.rowCache.delete(key)
      this.rowCache.set(key, hit)
      return hit.value as T
    }
    const value = build()
    const weight = Math.max(1, weigh(value))
    this.rowCache.set(key, { value, weight })
    this.cachedWeight += weight
    while (this.rowCache.size > 1 && (this.rowCache.size > MAX_CACHED_LISTS || this.cachedWeight > MAX_CACHED_ROWS)) {
      const oldest = this.rowCache.keys().next().value
      if (oldest === undefined) break
      this.cachedWeight -= this.rowCache.get(oldest)?.weight ?? 0
      this.rowCache.delete(oldest)
    }
    return value
  }

  addCampaign(campaign: CampaignRecord): void {
    this.touch()
    this.campaignMap.set(campaign.id, campaign)
    this.accountMap.get(campaign.accountId)?.campaignIds.push(campaign.id)
  }

  /** Ads whose effective status is ACTIVE in delivering campaigns, for BUC limits (cached per world version). */
  activeAds(accountId: string): number {
    const key = `${accountId}|${this.version}`
    const hit = this.activeAdCounts.get(key)
    if (hit !== undefined) return hit
    if (this.activeAdCounts.size > 100) this.activeAdCounts.clear()
    let n = 0
    for (const c of this.campaignsOf(accountId)) {
      if (c.status !== 'ACTIVE' || !c.profile) continue
      for (const s of this.adSetsOf(c)) for (const a of this.adsOf(s)) if (adEffectiveStatus(a, s, c) === 'ACTIVE') n++
    }
    this.activeAdCounts.set(key, n)
    return n
  }

  createReport(
    accountId: string,
    params: Record<string, string>,
    scope: InsightsScope,
    defaultLevel: Level,
    pollsToComplete: number,
    outcome: { failed: boolean; stuck: boolean },
  ): ReportRun {
    this.reportSeq++
    const run: ReportRun = {
      id: `60239${String(this.seed % 1000).padStart(3, '0')}${String(this.reportSeq).padStart(5, '0')}`,
      accountId,
      params,
      scope,
      defaultLevel,
      createdMs: this.nowMs(),
      polls: 0,
      pollsToComplete,
      failed: outcome.failed,
      stuck: outcome.stuck,
    }
    this.reports.set(run.id, run)
    return run
  }

  // ---- read-only views (SimStateView) ----

  accounts(): SimAccountView[] {
    return [...this.accountMap.values()].map((a) => this.accountView(a))
  }

  account(id: string): SimAccountView | undefined {
    const a = this.accountRecord(id)
    return a ? this.accountView(a) : undefined
  }

  campaigns(accountId?: string): SimCampaignView[] {
    const list = accountId === undefined ? [...this.campaignMap.values()] : this.campaignsOf(accountId.replace(/^act_/, ''))
    return list.map((c) => this.campaignView(c))
  }

  campaign(id: string): SimCampaignView | undefined {
    const c = this.campaignMap.get(id)
    return c ? this.campaignView(c) : undefined
  }

  adSets(parentId?: string): SimAdSetView[] {
    return this.adSetList(parentId).map((s) => this.adSetView(s))
  }

  adSet(id: string): SimAdSetView | undefined {
    const s = this.adSetMap.get(id)
    return s ? this.adSetView(s) : undefined
  }

  ads(parentId?: string): SimAdView[] {
    let list: AdRecord[]
    const adSet = parentId === undefined ? undefined : this.adSetMap.get(parentId)
    if (adSet) list = this.adsOf(adSet)
    else list = this.adSetList(parentId).flatMap((s) => this.adsOf(s))
    return list.map((a) => this.adView(a))
  }

  ad(id: string): SimAdView | undefined {
    const a = this.adMap.get(id)
    return a ? this.adView(a) : undefined
  }

  /** Ad sets of an account, of a campaign, or all of them. */
  private adSetList(parentId?: string): AdSetRecord[] {
    if (parentId === undefined) return [...this.adSetMap.values()]
    const campaign = this.campaignMap.get(parentId)
    if (campaign) return this.adSetsOf(campaign)
    return this.campaignsOf(parentId.replace(/^act_/, '')).flatMap((c) => this.adSetsOf(c))
  }

  today(accountId: string): string {
    const a = this.accountRecord(accountId)
    if (!a) throw new Error(`Unknown simulated account ${accountId}`)
    return localDate(this.nowMs(), a.timezoneName)
  }

  private accountView(a: AccountRecord): SimAccountView {
    return {
      id: a.id,
      actId: `act_${a.id}`,
      name: a.name,
      currency: a.currency,
      timezoneName: a.timezoneName,
      offset: isKnownCurrency(a.currency) ? currencyInfo(a.currency).offset : a.offset,
      campaignIds: [...a.campaignIds],
    }
  }

  private campaignView(c: CampaignRecord): SimCampaignView {
    const a = this.accountMap.get(c.accountId)
    const tz = a?.timezoneName ?? 'UTC'
    const budget = c.budgets[c.budgets.length - 1]
    const lastSpan = c.activity[c.activity.length - 1]
    const view: SimCampaignView = {
      id: c.id,
      accountId: c.accountId,
      name: c.name,
      objective: c.objective,
      status: c.status,
      effectiveStatus: campaignEffectiveStatus(c),
      budgetLevel: c.budgetLevel,
      adSetIds: [...c.adSetIds],
      createdTime: graphTime(c.createdMs, tz),
      startTime: graphTime(c.startMs, tz),
      startDate: localDate(c.startMs, tz),
      delivers: c.profile !== null,
      learningDays: c.profile?.learningDays ?? 0,
      createdViaApi: c.createdViaApi,
      budgetChangeTimes: [...c.budgetChangeTimes],
    }
    if (budget?.daily !== undefined) view.dailyBudget = budget.daily
    if (budget?.lifetime !== undefined) view.lifetimeBudget = budget.lifetime
    if (c.stopMs !== undefined) view.stopTime = graphTime(c.stopMs, tz)
    if (lastSpan?.to != null && lastSpan.to <= this.nowMs()) view.stoppedDate = localDate(lastSpan.to, tz)
    if (c.leadSource) view.leadSource = c.leadSource
    if (c.profile) view.fatigue = { halfLifeDays: c.profile.fatigueDays, ctrDecay: c.profile.ctrDecay, freqGain: c.profile.freqGain }
    return view
  }

  private adSetView(s: AdSetRecord): SimAdSetView {
    const c = this.campaignMap.get(s.campaignId)
    const tz = this.accountMap.get(s.accountId)?.timezoneName ?? 'UTC'
    const budget = s.budgets[s.budgets.length - 1]
    const view: SimAdSetView = {
      id: s.id,
      accountId: s.accountId,
      campaignId: s.campaignId,
      name: s.name,
      status: s.status,
      effectiveStatus: c ? adSetEffectiveStatus(s, c) : s.status,
      bidStrategy: s.bidStrategy,
      optimizationGoal: s.optimizationGoal,
      startTime: graphTime(s.startMs, tz),
      startDate: s.startDate,
      adIds: [...s.adIds],
    }
    if (budget?.daily !== undefined) view.dailyBudget = budget.daily
    if (budget?.lifetime !== undefined) view.lifetimeBudget = budget.lifetime
    if (s.bidAmount !== undefined) view.bidAmount = s.bidAmount
    const last = s.activity[s.activity.length - 1]
    if (last?.to != null && last.to <= this.nowMs()) view.stoppedDate = localDate(last.to, tz)
    return view
  }

  private adView(a: AdRecord): SimAdView {
    const s = this.adSetMap.get(a.adSetId)
    const c = this.campaignMap.get(a.campaignId)
    const tz = this.accountMap.get(a.accountId)?.timezoneName ?? 'UTC'
    const view: SimAdView = {
      id: a.id,
      accountId: a.accountId,
      campaignId: a.campaignId,
      adSetId: a.adSetId,
      name: a.name,
      status: a.status,
      effectiveStatus: s && c ? adEffectiveStatus(a, s, c) : a.status,
      startDate: a.startDate,
      creative: { ...a.creative },
    }
    const last = a.activity[a.activity.length - 1]
    if (last?.to != null && last.to <= this.nowMs()) view.stoppedDate = localDate(last.to, tz)
    return view
  }
}
