/**
 * Intraday alerts (issue 14): after each fast-loop sync, today's partial numbers against the account's usual day —
 * spend running far ahead of the daily budget (projected from the account's hourly pattern), a campaign that stopped
 * delivering, results at zero where a usual day has some by now (counting on the share of today's results already
 * reported that the account's arrival curve implies). Each object raises each kind at most once per
 * account-local day: the alert's row is keyed `<object>|<kind>|<day>` and inserted or skipped on that unique key, so
 * two workers checking at once never raise it twice. Every check then claims the day's alerts never posted, the new
 * ones and any whose post failed or was cut short (alert-claims.ts): each is posted by exactly one worker, and retried
 * until it is. Nothing is raised or posted during the workspace's quiet hours (the first check after them raises what
 * still holds) or with `monitoring.alerts` off. Overspend proposes a pause through the normal approval (by the worker
 * that claims the alert, so once); nothing is ever applied without it.
 */
import type { AdAccount, MetaConnection, Prisma, Suggestion as SuggestionRow } from '../../generated/prisma/client.ts'
import { addDays, daysBetween, fromDbDate, type IsoDate, localDate, toDbDate, wallClockTime, withinHours } from '../../lib/dates.ts'
import type { ChangeWithContext } from '../changes/change-include.ts'
import { expireProposalsOf } from '../changes/decide-change.ts'
import { proposeChange } from '../changes/propose-change.ts'
import type { DomainDeps } from '../deps.ts'
import { resultMetricFor } from '../optimizer/results.ts'
import { loadSettings } from '../settings/workspace-settings.ts'
import { loadCompleteness } from '../sync/arrival-curve.ts'
import { type AlertClaim, claimUnpostedAlerts } from './alert-claims.ts'
import { type AlertCandidate, type CampaignToday, type DayFigures, intradayAlerts } from './alert-rules.ts'
import { accountHourlyPattern } from './refresh-hourly-pattern.ts'

export interface IntradayAlertsResult {
  /** How many alerts were raised now. */
  created: number
  /**
   * The alerts this check must post to the client's alerts channel (raised now, or earlier today and never posted),
   * claimed for it: what is still unposted after posting goes back with releaseUnpostedAlerts(claim.marker).
   */
  claim: AlertClaim | null
  /** Proposals of yesterday's alerts expired now: their cards should lose their buttons. */
  expired: ChangeWithContext[]
}

const RECENT_DAYS = 7

/** The alert's once-a-day key: the object (ad set, else campaign), the kind and the account-local day. */
function alertKey(a: Pick<AlertCandidate, 'campaignId' | 'adSetId' | 'kind'>, day: IsoDate): string {
  return `${a.adSetId ?? a.campaignId}|${a.kind}|${day}`
}

export async function checkIntradayAlerts(deps: DomainDeps, options: { adAccountId: string }): Promise<IntradayAlertsResult> {
  const account = await deps.prisma.adAccount.findUnique({ where: { id: options.adAccountId }, include: { connection: true } })
  if (!account) return { created: 0, claim: null, expired: [] }
  const { monitoring } = await loadSettings(deps.prisma, account.workspaceId)
  const now = deps.now()
  const today = localDate(now, account.timezoneName)
  const expired = await closeEarlierAlerts(deps, account.id, today)
  const nothing = { created: 0, claim: null, expired }
  if (!monitoring.alerts) return nothing
  if (withinHours(wallClockTime(now, account.timezoneName).hour, monitoring.quietFromHour, monitoring.quietUntilHour)) return nothing
  const created = await raiseAlerts(deps, account, today)
  const claim = await claimUnpostedAlerts(deps, account.id, today)
  for (const [i, row] of claim.alerts.entries())
    if (row.kind === 'overspend_today' && !row.changeRequestId) claim.alerts[i] = await proposePause(deps, row)
  return { created, claim, expired }
}

/** Inserts today's alerts that hold as of the last sync (each object and kind once a day); returns how many are new. */
async function raiseAlerts(deps: DomainDeps, account: AdAccount & { connection: MetaConnection }, today: IsoDate): Promise<number> {
  // The figures are as of the last sync: judged at that hour, and only when it was today.
  const syncedAt = [account.fastSyncedAt, account.lastSyncedAt]
    .filter((d): d is Date => d !== null)
    .sort((a, b) => b.getTime() - a.getTime())[0]
  if (!syncedAt || localDate(syncedAt, account.timezoneName) !== today) return 0
  const at = wallClockTime(syncedAt, account.timezoneName)

  const campaigns = await loadCampaignsToday(deps, account.id, today)
  if (campaigns.length === 0) return 0
  const pattern = await accountHourlyPattern(deps, account)
  let created = 0
  for (const a of intradayAlerts(campaigns, pattern, at, account.currency)) {
    const key = alertKey(a, today)
    // Insert or skip on the unique key: whoever inserts first raises the alert, once (posting it is claimed apart).
    const inserted = await deps.prisma.suggestion.createMany({
      data: [
        {
          workspaceId: account.workspaceId,
          adAccountId: account.id,
          campaignId: a.campaignId,
          adSetId: a.adSetId,
          level: a.level,
          kind: a.kind,
          title: a.title,
          notice: a.notice,
          evidence: a.evidence as unknown as Prisma.InputJsonValue,
          confidence: 1,
          metricName: a.metricName,
          metricValue: a.metricValue,
          metricBaseline: a.metricBaseline,
          alertKey: key,
        },
      ],
      skipDuplicates: true,
    })
    created += inserted.count
  }
  return created
}

/**
 * Yesterday's alerts are over: closed, and their undecided proposals expired (today's figures judge today). Returns the
 * proposals expired (their cards need updating).
 */
async function closeEarlierAlerts(deps: DomainDeps, adAccountId: string, today: IsoDate): Promise<ChangeWithContext[]> {
  const open = await deps.prisma.suggestion.findMany({
    where: { adAccountId, status: 'OPEN', alertKey: { not: null } },
    select: { id: true, alertKey: true },
  })
  const stale = open.filter((s) => !s.alertKey?.endsWith(`|${today}`)).map((s) => s.id)
  if (stale.length === 0) return []
  await deps.prisma.suggestion.updateMany({ where: { id: { in: stale } }, data: { status: 'RESOLVED' } })
  return expireProposalsOf(deps, stale)
}

/** The overspend alert's pause, proposed through the normal approval; returns the alert with its proposal linked. */
async function proposePause(deps: DomainDeps, alert: SuggestionRow): Promise<SuggestionRow> {
  const change = await proposeChange(deps, {
    workspaceId: alert.workspaceId,
    type: 'PAUSE',
    source: 'OPTIMIZER',
    ...(alert.adSetId ? { adSetId: alert.adSetId } : alert.campaignId ? { campaignId: alert.campaignId } : {}),
    reason: [alert.title, alert.notice].filter(Boolean).join('\n'),
    evidence: alert.evidence as Prisma.InputJsonValue,
    suggestionId: alert.id,
  }).catch((err) => {
    deps.logger.warn({ err: { message: (err as Error).message }, suggestion: alert.id }, 'the alert has no applicable pause')
    return null
  })
  if (!change) return alert
  return deps.prisma.suggestion.update({ where: { id: alert.id }, data: { changeRequestId: change.id } })
}

const ZERO_DAY: DayFigures = { spendMinor: 0, impressions: 0, results: 0 }

/** Active campaigns with today's partial figures, their last 7 complete days and their active ad set budgets. */
async function loadCampaignsToday(deps: DomainDeps, adAccountId: string, today: IsoDate): Promise<CampaignToday[]> {
  const campaigns = await deps.prisma.campaign.findMany({
    where: { adAccountId, status: 'ACTIVE', effectiveStatus: 'ACTIVE' },
    select: {
      id: true,
      objective: true,
      dailyBudget: true,
      adSets: {
        where: { status: 'ACTIVE', effectiveStatus: 'ACTIVE' },
        select: { id: true, dailyBudget: true },
      },
    },
    orderBy: { metaCampaignId: 'asc' },
  })
  if (campaigns.length === 0) return []
  const days = await deps.prisma.campaignDailyMetric.findMany({
    where: {
      adAccountId,
      campaignId: { in: campaigns.map((c) => c.id) },
      date: { gte: toDbDate(addDays(today, -RECENT_DAYS)), lte: toDbDate(today) },
    },
    select: { campaignId: true, date: true, spend: true, impressions: true, leads: true, purchases: true },
  })
  const adSetSpend = await deps.prisma.adDailyMetric.groupBy({
    by: ['adSetId'],
    where: {
      adAccountId,
      date: toDbDate(today),
      adSetId: { in: campaigns.flatMap((c) => c.adSets.flatMap((s) => (s.dailyBudget === null ? [] : [s.id]))) },
    },
    _sum: { spend: true },
  })
  const spentByAdSet = new Map(adSetSpend.map((r) => [r.adSetId, Number(r._sum.spend ?? 0n)]))
  // How fast this account's results come in (the share of today's already reported follows from it).
  const completeness = await loadCompleteness(deps.prisma, adAccountId, today)
  return campaigns.map((c) => {
    const result = resultMetricFor(c.objective)
    const byAge = new Map<number, DayFigures>()
    for (const d of days) {
      if (d.campaignId !== c.id) continue
      byAge.set(daysBetween(fromDbDate(d.date), today), {
        spendMinor: Number(d.spend),
        impressions: Number(d.impressions),
        results: result?.kind === 'leads' ? Number(d.leads) : result?.kind === 'purchases' ? Number(d.purchases) : 0,
      })
    }
    return {
      campaignId: c.id,
      dailyBudgetMinor: c.dailyBudget === null ? null : Number(c.dailyBudget),
      hasActiveAdSet: c.adSets.length > 0,
      adSets: c.adSets.flatMap((s) =>
        s.dailyBudget === null
          ? []
          : [{ adSetId: s.id, dailyBudgetMinor: Number(s.dailyBudget), spentTodayMinor: spentByAdSet.get(s.id) ?? 0 }],
      ),
      result,
      completeness,
      today: byAge.get(0) ?? ZERO_DAY,
      recentDays: Array.from({ length: RECENT_DAYS }, (_, i) => byAge.get(i + 1) ?? ZERO_DAY),
    }
  })
}
