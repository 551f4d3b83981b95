import type { Prisma } from '../../generated/prisma/client.ts'
import { addDays, localDate } from '../../lib/dates.ts'
import { formatMoney } from '../../lib/money.ts'
import type { DomainDeps } from '../deps.ts'
import { type DaysOf, loadTotals } from '../metrics/load-totals.ts'
import { deriveMetrics, type MetricTotals, percentChange, RESULT_METRICS } from '../metrics/vocabulary.ts'
import { loadSettings } from '../settings/workspace-settings.ts'

export interface OutcomeVerdict {
  metric: string
  before: number | null
  after: number | null
  verdict: 'improved' | 'worse' | 'no clear change' | 'not enough data'
  summary: string
}

const NEUTRAL_PCT = 10

/**
 * "Did it work?": N days after a change was applied, compare the target metric of what it changed (the campaign,
 * the ad set or the ad) over
 * the N complete days before the change with the N complete days after it (account time zone).
 * Cost per result where the objective has results (lower is better), else results-free delivery
 * (spend per day) for pauses and resumes.
 */
function judgeOutcome(type: string, objective: string, before: MetricTotals, after: MetricTotals, days: number): OutcomeVerdict {
  const cur = before.currency
  if (type === 'PAUSE' || type === 'RESUME') {
    const b = before.spend / days
    const a = after.spend / days
    const worked = type === 'PAUSE' ? a <= b * 0.05 : a > 0
    return {
      metric: 'spend per day',
      before: b,
      after: a,
      verdict: worked ? 'improved' : 'worse',
      summary: `Spend per day ${formatMoney(Math.round(b), cur)} → ${formatMoney(Math.round(a), cur)}: ${type === 'PAUSE' ? (worked ? 'delivery stopped as intended' : 'it still spends') : worked ? 'delivery resumed' : 'no delivery since'}.`,
    }
  }
  const db = deriveMetrics(before, objective)
  const da = deriveMetrics(after, objective)
  if (!db.resultLabel || db.costPerResult === null || da.costPerResult === null || db.results < 5 || da.results < 5) {
    return {
      metric: 'cost per result',
      before: db.costPerResult,
      after: da.costPerResult,
      verdict: 'not enough data',
      summary: `Too few ${db.resultLabel ?? 'results'} to judge (${db.results} before, ${da.results} after).`,
    }
  }
  const change = percentChange(da.costPerResult, db.costPerResult)
  if (change === null) {
    // Results but no spend before the change: there is no cost to compare with.
    return {
      metric: 'cost per result',
      before: db.costPerResult,
      after: da.costPerResult,
      verdict: 'not enough data',
      summary: `Nothing was spent before the change: no cost per ${RESULT_METRICS[db.resultLabel].singular} to compare with.`,
    }
  }
  const verdict = Math.abs(change) < NEUTRAL_PCT ? 'no clear change' : change < 0 ? 'improved' : 'worse'
  const perDay = (n: number) => (n / days).toFixed(1)
  return {
    metric: 'cost per result',
    before: db.costPerResult,
    after: da.costPerResult,
    verdict,
    summary: `Cost per ${RESULT_METRICS[db.resultLabel].singular} ${formatMoney(Math.round(db.costPerResult), cur)} → ${formatMoney(Math.round(da.costPerResult), cur)} (${change >= 0 ? '+' : ''}${change.toFixed(0)}%); ${db.resultLabel} per day ${perDay(db.results)} → ${perDay(da.results)}.`,
  }
}

/** Evaluates every applied change whose "after" window is complete. Returns how many were judged. */
export async function evaluateOutcomes(deps: DomainDeps): Promise<number> {
  const now = deps.now()
  const due = await deps.prisma.changeRequest.findMany({
    where: {
      status: 'APPLIED',
      result: null,
      campaignId: { not: null },
      type: { not: 'CREATE_CAMPAIGN' },
      appliedAt: { lte: new Date(now.getTime() - 86_400_000) },
    },
    include: { campaign: true, adAccount: true },
    orderBy: { appliedAt: 'asc' },
    take: 200,
  })
  let judged = 0
  for (const c of due) {
    const settings = await loadSettings(deps.prisma, c.workspaceId)
    const days = settings.outcomeDays
    // The query asks for applied changes to a campaign: both are set.
    const { appliedAt, campaign } = c
    if (!appliedAt || !campaign) throw new Error(`applied change ${c.id} has no appliedAt or no campaign`)
    const appliedDay = localDate(appliedAt, c.adAccount.timezoneName)
    const today = localDate(now, c.adAccount.timezoneName)
    const afterUntil = addDays(appliedDay, days)
    if (afterUntil >= today) continue // the "after" window is not complete yet
    // …and its days must have been synced (a paused connection would judge on missing data).
    if (!c.adAccount.lastSyncedDate || c.adAccount.lastSyncedDate.toISOString().slice(0, 10) <= afterUntil) continue
    // Judged where the change acted: the ad set's or the ad's own days (AdDailyMetric), else the campaign's.
    const scope: DaysOf =
      c.level === 'ad' && c.adId
        ? { adId: c.adId }
        : c.level === 'adset' && c.adSetId
          ? { adSetId: c.adSetId }
          : { campaignId: campaign.id }
    const [before, after] = await Promise.all([
      loadTotals(deps.prisma, scope, { since: addDays(appliedDay, -days), until: addDays(appliedDay, -1) }, c.adAccount.currency),
      loadTotals(deps.prisma, scope, { since: addDays(appliedDay, 1), until: afterUntil }, c.adAccount.currency),
    ])
    const v = judgeOutcome(c.type, campaign.objective, before, after, days)
    await deps.prisma.changeResult.create({
      data: { changeRequestId: c.id, metric: v.metric, before: v.before, after: v.after, days, verdict: v.verdict, summary: v.summary },
    })
    await deps.prisma.auditEvent.create({
      data: {
        workspaceId: c.workspaceId,
        actorType: 'system',
        action: 'change.evaluated',
        targetType: 'change_request',
        targetId: c.id,
        data: v as unknown as Prisma.InputJsonValue,
      },
    })
    judged++
  }
  return judged
}
