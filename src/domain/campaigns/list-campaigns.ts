import type { AdAccount, PrismaClient } from '../../generated/prisma/client.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { accountsInScope, type ClientScope } from '../clients/client-scope.ts'
import { accountRangeBranches } from '../metrics/account-ranges.ts'
import { statusWhere as objectStatusWhere } from '../metrics/load-level-totals.ts'
import { type DateRange, resolvePeriod } from '../metrics/periods.ts'
import { type DerivedMetrics, deriveMetrics, METRIC_SUMS, type MetricTotals, totalsFrom } from '../metrics/vocabulary.ts'
import { type BudgetLocation, budgetLocation } from './budget-location.ts'
import { findAdAccount } from './find-ad-account.ts'

export const CAMPAIGN_STATUS_FILTERS = ['active', 'paused', 'archived', 'all'] as const
export type CampaignStatusFilter = (typeof CAMPAIGN_STATUS_FILTERS)[number]

export interface CampaignListItem {
  id: string
  metaCampaignId: string
  name: string
  objective: string
  status: string
  effectiveStatus: string
  dailyBudget: number | null
  lifetimeBudget: number | null
  /** Where the budget lives: the campaign's own, its live ad sets', or none. */
  budget: BudgetLocation
  account: { id: string; name: string; currency: string; metaAccountId: string }
  yesterday: { totals: MetricTotals; derived: DerivedMetrics }
  last7d: { totals: MetricTotals; derived: DerivedMetrics }
}

export interface ListCampaignsOptions {
  /** The workspace, or one client's accounts only (a client's channel). */
  scope: ClientScope
  account?: string
  status?: CampaignStatusFilter
  now: Date
}

const num = (v: bigint | null): number | null => (v === null ? null : Number(v))

/**
 * Campaigns with yesterday's and the last 7 days' key figures, grouped by ad account (spend in
 * different currencies does not compare) and sorted by 7-day spend within each account.
 * The accounts first, then four queries at once whatever the number of campaigns: the campaigns, the database's
 * sums of their days over each account's last 7 days and over its yesterday, and the budgets of the live ad sets of
 * campaigns without a budget of their own (where each budget lives).
 */
export async function listCampaigns(
  prisma: PrismaClient,
  options: ListCampaignsOptions,
): Promise<{ items: CampaignListItem[]; accounts: AdAccount[] }> {
  const accounts = options.account
    ? [await findAdAccount(prisma, options.scope, options.account)]
    : await prisma.adAccount.findMany({ where: { ...accountsInScope(options.scope), syncEnabled: true } })
  if (accounts.length === 0)
    throw new AppError(
      AppErrorCode.NOT_CONNECTED,
      options.scope.client
        ? `${options.scope.client.name} has no syncing ad account yet.`
        : 'No Meta ad account is connected yet. Run `/promoly connect`.',
    )
  const status = options.status ?? 'active'
  const statusWhere =
    status === 'all'
      ? {}
      : status === 'active'
        ? { status: 'ACTIVE' }
        : status === 'paused'
          ? { status: 'PAUSED' }
          : { status: { in: ['ARCHIVED', 'DELETED'] } }

  // Each account has its own "yesterday" (its time zone): one OR branch per distinct window.
  const windows = new Map(
    accounts.map((a) => [
      a.id,
      {
        week: resolvePeriod('last_7d', options.now, a.timezoneName).current,
        yesterday: resolvePeriod('yesterday', options.now, a.timezoneName).current,
      },
    ]),
  )
  const sums = (range: (w: { week: DateRange; yesterday: DateRange }) => DateRange) =>
    prisma.campaignDailyMetric.groupBy({
      by: ['campaignId'],
      where: {
        OR: accountRangeBranches([...windows].map(([accountId, w]) => [accountId, range(w)] as const)),
        ...(status === 'all' ? {} : { campaign: statusWhere }),
      },
      _sum: METRIC_SUMS,
      _count: { _all: true },
    })
  const accountIds = accounts.map((a) => a.id)
  const [campaigns, week, yesterday, adSetBudgets] = await Promise.all([
    prisma.campaign.findMany({ where: { adAccountId: { in: accountIds }, ...statusWhere } }),
    sums((w) => w.week),
    sums((w) => w.yesterday),
    // The live ad sets holding a budget, for campaigns without one of their own.
    prisma.adSet.findMany({
      where: {
        adAccountId: { in: accountIds },
        campaign: { ...statusWhere, dailyBudget: null, lifetimeBudget: null },
        ...objectStatusWhere('live'),
        OR: [{ dailyBudget: { not: null } }, { lifetimeBudget: { not: null } }],
      },
      select: { campaignId: true, dailyBudget: true, lifetimeBudget: true },
      orderBy: { name: 'asc' },
    }),
  ])
  if (campaigns.length === 0) return { items: [], accounts }

  const byAccount = new Map(accounts.map((a) => [a.id, a]))
  const weekOf = new Map(week.map((r) => [r.campaignId, r]))
  const yesterdayOf = new Map(yesterday.map((r) => [r.campaignId, r]))
  const adSetsOf = new Map<string, Array<{ dailyBudget: number | null; lifetimeBudget: number | null }>>()
  for (const s of adSetBudgets) {
    const list = adSetsOf.get(s.campaignId) ?? []
    list.push({ dailyBudget: num(s.dailyBudget), lifetimeBudget: num(s.lifetimeBudget) })
    adSetsOf.set(s.campaignId, list)
  }
  const items = campaigns.map((c): CampaignListItem => {
    const a = byAccount.get(c.adAccountId)
    if (!a) throw new Error(`campaign ${c.id} belongs to ad account ${c.adAccountId}, which was not listed`)
    const y = totalsFrom(a.currency, yesterdayOf.get(c.id))
    const w = totalsFrom(a.currency, weekOf.get(c.id))
    return {
      id: c.id,
      metaCampaignId: c.metaCampaignId,
      name: c.name,
      objective: c.objective,
      status: c.status,
      effectiveStatus: c.effectiveStatus,
      dailyBudget: num(c.dailyBudget),
      lifetimeBudget: num(c.lifetimeBudget),
      budget: budgetLocation(
        { dailyBudget: num(c.dailyBudget), lifetimeBudget: num(c.lifetimeBudget) },
        adSetsOf.get(c.id) ?? [],
        a.adLevelSince !== null,
      ),
      account: { id: a.id, name: a.name, currency: a.currency, metaAccountId: a.metaAccountId },
      yesterday: { totals: y, derived: deriveMetrics(y, c.objective) },
      last7d: { totals: w, derived: deriveMetrics(w, c.objective) },
    }
  })
  items.sort(
    (x, y) =>
      x.account.name.localeCompare(y.account.name) ||
      x.account.id.localeCompare(y.account.id) ||
      y.last7d.totals.spend - x.last7d.totals.spend ||
      x.name.localeCompare(y.name),
  )
  return { items, accounts }
}
