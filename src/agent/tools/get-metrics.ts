import { tool } from 'langchain'
import * as z from 'zod'
import type { FoundObject } from '../../domain/campaigns/find-object.ts'
import { getMetricsReport } from '../../domain/metrics/get-metrics-report.ts'
import { loadObjectTotals, type ObjectRef } from '../../domain/metrics/load-object-totals.ts'
import { parsePeriod, resolvePeriod } from '../../domain/metrics/periods.ts'
import { deriveMetrics, type MetricTotals } from '../../domain/metrics/vocabulary.ts'
import { fromDbDate } from '../../lib/dates.ts'
import { formatNumber } from '../../lib/numbers.ts'
import { describeTarget, findTarget, levelSchema, targetSchema } from './find-target.ts'
import { comparison, int, PERIOD_DESCRIPTION } from './format.ts'
import { quote, runTool, type ToolContext } from './tool-context.ts'

export function getMetricsTool(ctx: ToolContext) {
  return tool(
    ({ level, target, period }) =>
      runTool(ctx, 'get_metrics', 'Reading the numbers…', async () => {
        if (level === 'adset' || level === 'ad') {
          const found = await findTarget(ctx, level, target)
          if (found.level === 'account') throw new Error('an ad set or ad look-up found an account')
          return objectMetrics(ctx, found, period)
        }
        // An account or a campaign: its report (reach, history, results per objective). With a level, the object is
        // found at that level first and its report read by its Meta id.
        const query = level ? await exactQuery(ctx, level, target) : target
        const r = await getMetricsReport(ctx.deps.prisma, {
          scope: ctx.scope,
          target: query,
          period: parsePeriod(period),
          now: ctx.deps.now(),
        })
        const what =
          r.scope.kind === 'campaign'
            ? `Campaign ${quote(r.scope.name)} (id ${r.scope.metaCampaignId}, ${r.scope.status.toLowerCase()}, ${r.scope.objective}, account ${quote(r.scope.accountName)})`
            : `Ad account ${quote(r.scope.name)} (id ${r.scope.metaAccountId})`
        const p = r.period
        const notes: string[] = []
        if (r.historyFrom === null) notes.push('Promoly has no metrics for this account yet (it may not have synced).')
        else if (r.historyFrom > p.previous.since)
          notes.push(`Promoly's metrics start on ${r.historyFrom}: earlier days are unknown, not zero.`)
        notes.push(syncedNote(r.lastSyncedAt))
        return [
          `${what}. Money in ${r.currency}. ${p.label}: ${p.current.since} to ${p.current.until} (${p.days} complete ${p.days === 1 ? 'day' : 'days'}), against ${p.previousLabel}: ${p.previous.since} to ${p.previous.until} (days in ${r.timeZone}).`,
          ...comparison(r.current, r.previous),
          r.reach
            ? `Reach (unique people over the whole period, from Meta): ${int(r.reach.reach, r.currency)}, frequency ${r.reach.frequency === null ? 'n/a' : formatNumber(r.reach.frequency, { maxDigits: 2, minDigits: 2 })}.`
            : 'Reach and frequency: unavailable for this range (reach does not add up over days; never sum daily reach).',
          ...notes,
        ].join('\n')
      }),
    {
      name: 'get_metrics',
      description:
        'Metrics of one ad account, campaign, ad set or ad over a period (complete days in the account time zone), each against the same number of days immediately before. Names the object with its level, Meta id, status and parents.',
      schema: z.object({
        level: levelSchema,
        target: targetSchema,
        period: z.string().optional().describe(PERIOD_DESCRIPTION),
      }),
    },
  )
}

/** The Meta id of the account or campaign the query names at that level (so the report finds exactly it). */
async function exactQuery(ctx: ToolContext, level: 'account' | 'campaign', query: string): Promise<string> {
  const found = await findTarget(ctx, level, query)
  return found.level === 'account' ? found.account.metaAccountId : found.campaign.metaCampaignId
}

function syncedNote(at: Date | null): string {
  return at ? `Last synced ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC.` : 'Never synced.'
}

/** An ad set's or ad's figures from its ad-days, against the days before; results are its campaign objective's. */
async function objectMetrics(ctx: ToolContext, found: FoundObject, periodText: string | undefined): Promise<string> {
  const { account, campaign } = found
  const p = resolvePeriod(parsePeriod(periodText), ctx.deps.now(), account.timezoneName)
  const ref: ObjectRef | null = found.ad
    ? { level: 'ad', adId: found.ad.id }
    : found.adSet
      ? { level: 'adset', adSetId: found.adSet.id }
      : null
  if (!ref) throw new Error('an ad set or ad look-up found a campaign')
  const [cur, prev] = await Promise.all([
    loadObjectTotals(ctx.deps.prisma, ref, p.current, account.currency),
    loadObjectTotals(ctx.deps.prisma, ref, p.previous, account.currency),
  ])
  const derived = (t: MetricTotals) => ({ totals: t, derived: deriveMetrics(t, campaign.objective) })
  const since = account.adLevelSince ? fromDbDate(account.adLevelSince) : null
  const notes = [
    since === null
      ? 'Promoly has not synced this account at ad set and ad level yet: these figures may be missing.'
      : since > p.previous.since
        ? `Ad set and ad figures start on ${since}: earlier days are unknown at this level, not zero.`
        : null,
    syncedNote(account.lastSyncedAt),
  ].filter((n): n is string => n !== null)
  return [
    `${describeTarget(found)}. Money in ${account.currency}. ${p.label}: ${p.current.since} to ${p.current.until} (${p.days} complete ${p.days === 1 ? 'day' : 'days'}), against ${p.previousLabel}: ${p.previous.since} to ${p.previous.until} (days in ${account.timezoneName}).`,
    ...comparison(derived(cur), derived(prev)),
    'Reach and frequency: not given for ad sets and ads (reach does not add up over days or ads; never sum it).',
    ...notes,
  ].join('\n')
}
