/** The simulated world: accounts, campaigns, async report runs, and read-only views for tests. */
import { accountRecordFromSpec, campaignIdFor, DEFAULT_CAMPAIGNS_PER_ACCOUNT, generateCampaigns } from './catalog.ts'
import { currencyInfo, isKnownCurrency } from './currency.ts'
import { DeliveryModel } from './model.ts'
import type { AccountRecord, CampaignRecord } from './records.ts'
import type { SimAccountSpec, SimAccountView, SimCampaignView, SimStateView } from './types.ts'
import { graphTime, isValidTimeZone, localDate } from './tz.ts'

export interface ReportRun {
  id: string
  accountId: string
  /** Insights parameters as posted. */
  params: Record<string, string>
  /** Set when the run was created on a campaign node. */
  campaignId?: string
  createdMs: number
  polls: number
  pollsToComplete: number
  failed: boolean
  completedMs?: number
}

export class SimState implements SimStateView {
  readonly accountMap = new Map<string, AccountRecord>()
  readonly campaignMap = new Map<string, CampaignRecord>()
  readonly model = new DeliveryModel()
  readonly reports = new Map<string, ReportRun>()
  private readonly accountIndex = new Map<string, number>()
  private readonly nextSequence = new Map<string, number>()
  private reportSeq = 0
  /** Bumped on every mutation; part of cache keys. */
  version = 0
  private readonly rowCache = new Map<string, unknown>()

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
      const campaigns = generateCampaigns(account, index, count, localDate(start, account.timezoneName), historyDays)
      for (const c of campaigns) {
        this.campaignMap.set(c.id, c)
        account.campaignIds.push(c.id)
      }
      this.nextSequence.set(account.id, count + 1)
    })
  }

  accountRecord(id: string): AccountRecord | undefined {
    return this.accountMap.get(id.startsWith('act_') ? id.slice(4) : id)
  }

  campaignRecord(id: string): CampaignRecord | undefined {
    return this.campaignMap.get(id)
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
  }

  /** Small LRU for computed insights row lists, so paging through one query does not rebuild it per page. */
  cached<T>(key: string, build: () => T): T {
    const hit = this.rowCache.get(key)
    if (hit !== undefined) {
      this.rowCache.delete(key)
      this.rowCache.set(key, hit)
      return hit as T
    }
    const value = build()
    this.rowCache.set(key, value)
    if (this.rowCache.size > 8) {
      const oldest = this.rowCache.keys().next().value
      if (oldest !== undefined) this.rowCache.delete(oldest)
    }
    return value
  }

  addCampaign(campaign: CampaignRecord): void {
    this.touch()
    this.campaignMap.set(campaign.id, campaign)
    this.accountMap.get(campaign.accountId)?.campaignIds.push(campaign.id)
  }

  /** Rough count of delivering ads (3 per active delivering campaign), for BUC limits. */
  activeAds(accountId: string): number {
    let n = 0
    for (const c of this.campaignsOf(accountId)) if (c.status === 'ACTIVE' && c.profile) n += 3
    return n
  }

  createReport(
    accountId: string,
    params: Record<string, string>,
    campaignId: string | undefined,
    pollsToComplete: number,
    failed: boolean,
  ): ReportRun {
    this.reportSeq++
    const run: ReportRun = {
      id: `60239${String(this.seed % 1000).padStart(3, '0')}${String(this.reportSeq).padStart(5, '0')}`,
      accountId,
      params,
      createdMs: this.nowMs(),
      polls: 0,
      pollsToComplete,
      failed,
    }
    if (campaignId !== undefined) run.campaignId = campaignId
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
      effectiveStatus: c.effectiveStatus,
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
}
