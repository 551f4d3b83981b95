import type { PrismaClient } from '../../generated/prisma/client.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { matchAdAccounts } from '../campaigns/find-ad-account.ts'
import { ambiguous, matchCampaigns } from '../campaigns/find-campaign.ts'
import { type DailyPoint, loadDailySeries } from './load-daily-series.ts'
import { loadTotals } from './load-totals.ts'
import { type Period, type PeriodName, resolvePeriod } from './periods.ts'
import { type DerivedMetrics, deriveMetrics, type MetricTotals } from './vocabulary.ts'

export interface MetricsReport {
  scope:
    | { kind: 'campaign'; name: string; metaCampaignId: string; objective: string; status: string; accountName: string }
    | { kind: 'account'; name: string; metaAccountId: string }
  currency: string
  timeZone: string
  period: Period
  current: { totals: MetricTotals; derived: DerivedMetrics }
  previous: { totals: MetricTotals; derived: DerivedMetrics }
  lastSyncedAt: Date | null
  /** The first day Promoly has metrics for in this account; days before it are unknown, not zero. */
  historyFrom: string | null
  /** Each day of the current period: spend and results (of the current period's result type), for the chart. */
  daily: DailyPoint[]
}

/** Metrics of a campaign or an ad account (found by id or name) over a period, against the previous one. */
export async function getMetricsReport(
  prisma: PrismaClient,
  options: { workspaceId: string; target: string; period: PeriodName; now: Date },
): Promise<MetricsReport> {
  const [campaigns, accounts] = await Promise.all([
    matchCampaigns(prisma, options.workspaceId, options.target),
    matchAdAccounts(prisma, options.workspaceId, options.target),
  ])
  if (campaigns.length + accounts.length === 0) {
    throw new AppError(
      AppErrorCode.NOT_FOUND,
      `No campaign or ad account matches "${options.target}". See \`/promoly campaigns\` and \`/promoly accounts\`.`,
    )
  }
  if (campaigns.length + accounts.length > 1) {
    throw ambiguous(options.target, [
      ...campaigns.map((c) => ({ name: `${c.name} — campaign in ${c.adAccount.name}`, metaCampaignId: c.metaCampaignId })),
      ...accounts.map((a) => ({ name: `${a.name} — ad account`, metaAccountId: a.metaAccountId })),
    ])
  }
  const campaign = campaigns[0]
  const account = campaign ? campaign.adAccount : accounts[0]
  if (!account) throw new Error('a single match that is neither a campaign nor an ad account')
  const period = resolvePeriod(options.period, options.now, account.timezoneName)
  const scope = campaign ? { campaignId: campaign.id } : { adAccountId: account.id }
  const objective = campaign ? campaign.objective : null
  const [cur, prev, first] = await Promise.all([
    loadTotals(prisma, scope, period.current, account.currency),
    loadTotals(prisma, scope, period.previous, account.currency),
    prisma.campaignDailyMetric.aggregate({ where: { adAccountId: account.id }, _min: { date: true } }),
  ])
  const current = deriveMetrics(cur, objective)
  const daily = await loadDailySeries(prisma, scope, period.current, current.resultLabel)
  return {
    scope: campaign
      ? {
          kind: 'campaign',
          name: campaign.name,
          metaCampaignId: campaign.metaCampaignId,
          objective: campaign.objective,
          status: campaign.status,
          accountName: account.name,
        }
      : { kind: 'account', name: account.name, metaAccountId: account.metaAccountId },
    currency: account.currency,
    timeZone: account.timezoneName,
    period,
    current: { totals: cur, derived: current },
    previous: { totals: prev, derived: deriveMetrics(prev, objective) },
    lastSyncedAt: account.lastSyncedAt,
    historyFrom: first._min.date ? first._min.date.toISOString().slice(0, 10) : null,
    daily,
  }
}
