import type { AdAccount, PrismaClient } from '../../generated/prisma/client.ts'
import { addDays, localDate, toDbDate } from '../../lib/dates.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { addMetrics, deriveMetrics, emptyTotals, metricsFrom, type DerivedMetrics, type MetricTotals } from '../metrics/vocabulary.ts'
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
  account: { id: string; name: string; currency: string; metaAccountId: string }
  yesterday: { totals: MetricTotals; derived: DerivedMetrics }
  last7d: { totals: MetricTotals; derived: DerivedMetrics }
}

export interface ListCampaignsOptions {
  workspaceId: string
  account?: string
  status?: CampaignStatusFilter
  now: Date
}

/**
 * Campaigns with yesterday's and the last 7 days' key figures, grouped by ad account (spend in
 * different currencies does not compare) and sorted by 7-day spend within each account.
 * Two queries whatever the number of campaigns: the campaigns, and one grouped sum over their days.
 */
export async function listCampaigns(prisma: PrismaClient, options: ListCampaignsOptions): Promise<{ items: CampaignListItem[]; accounts: AdAccount[] }> {
  const accounts = options.account
    ? [await findAdAccount(prisma, options.workspaceId, options.account)]
    : await prisma.adAccount.findMany({ where: { workspaceId: options.workspaceId, syncEnabled: true } })
  if (accounts.length === 0) throw new AppError(AppErrorCode.NOT_CONNECTED, 'No Meta ad account is connected yet. Run `/promoly connect`.')
  const status = options.status ?? 'active'
  const statusWhere =
    status === 'all' ? {} : status === 'active' ? { status: 'ACTIVE' } : status === 'paused' ? { status: 'PAUSED' } : { status: { in: ['ARCHIVED', 'DELETED'] } }
  const campaigns = await prisma.campaign.findMany({ where: { adAccountId: { in: accounts.map((a) => a.id) }, ...statusWhere } })
  if (campaigns.length === 0) return { items: [], accounts }

  // Each account has its own "yesterday": compute per-account windows, then one grouped query.
  const windows = new Map(accounts.map((a) => {
    const today = localDate(options.now, a.timezoneName)
    return [a.id, { yesterday: addDays(today, -1), since7: addDays(today, -7) }]
  }))
  const earliest = [...windows.values()].map((w) => w.since7).sort()[0]!
  const latest = [...windows.values()].map((w) => w.yesterday).sort().at(-1)!
  const rows = await prisma.campaignDailyMetric.findMany({
    where: { campaignId: { in: campaigns.map((c) => c.id) }, date: { gte: toDbDate(earliest), lte: toDbDate(latest) } },
  })
  const byAccount = new Map(accounts.map((a) => [a.id, a]))
  const sums = new Map<string, { y: MetricTotals; w: MetricTotals }>()
  for (const c of campaigns) {
    const cur = byAccount.get(c.adAccountId)!.currency
    sums.set(c.id, { y: emptyTotals(cur), w: emptyTotals(cur) })
  }
  for (const r of rows) {
    const s = sums.get(r.campaignId)!
    const win = windows.get(r.adAccountId)!
    const d = r.date.toISOString().slice(0, 10)
    if (d < win.since7 || d > win.yesterday) continue
    add(s.w, r)
    if (d === win.yesterday) add(s.y, r)
  }
  const items = campaigns.map((c): CampaignListItem => {
    const a = byAccount.get(c.adAccountId)!
    const s = sums.get(c.id)!
    return {
      id: c.id,
      metaCampaignId: c.metaCampaignId,
      name: c.name,
      objective: c.objective,
      status: c.status,
      effectiveStatus: c.effectiveStatus,
      dailyBudget: c.dailyBudget === null ? null : Number(c.dailyBudget),
      lifetimeBudget: c.lifetimeBudget === null ? null : Number(c.lifetimeBudget),
      account: { id: a.id, name: a.name, currency: a.currency, metaAccountId: a.metaAccountId },
      yesterday: { totals: s.y, derived: deriveMetrics(s.y, c.objective) },
      last7d: { totals: s.w, derived: deriveMetrics(s.w, c.objective) },
    }
  })
  items.sort((x, y) => x.account.name.localeCompare(y.account.name) || x.account.id.localeCompare(y.account.id) || y.last7d.totals.spend - x.last7d.totals.spend || x.name.localeCompare(y.name))
  return { items, accounts }
}

function add(t: MetricTotals, row: Parameters<typeof metricsFrom>[0]) {
  addMetrics(t, metricsFrom(row))
  t.days += 1
}
