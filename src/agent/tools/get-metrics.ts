import { tool } from 'langchain'
import * as z from 'zod'
import { getMetricsReport } from '../../domain/metrics/get-metrics-report.ts'
import { parsePeriod } from '../../domain/metrics/periods.ts'
import { formatNumber } from '../../lib/numbers.ts'
import { describeTarget, findTarget, levelSchema, metaIdOf, targetSchema } from './find-target.ts'
import { comparison, int, PERIOD_DESCRIPTION } from './format.ts'
import { runTool, type ToolContext } from './tool-context.ts'

export function getMetricsTool(ctx: ToolContext) {
  return tool(
    ({ level, target, period }) =>
      runTool(ctx, 'get_metrics', 'Reading the numbers…', async () => {
        // Found at the level asked (or at any level without one), then reported by its Meta id: exactly that object.
        const found = await findTarget(ctx, level, target)
        const r = await getMetricsReport(ctx.deps.prisma, {
          scope: ctx.scope,
          target: metaIdOf(found),
          period: parsePeriod(period),
          now: ctx.deps.now(),
        })
        const adLevel = found.level === 'adset' || found.level === 'ad'
        const p = r.period
        const notes: string[] = []
        if (r.historyFrom === null)
          notes.push(
            adLevel
              ? 'Promoly has no ad set and ad figures for this account yet (it may not have synced at that level).'
              : 'Promoly has no metrics for this account yet (it may not have synced).',
          )
        else if (r.historyFrom > p.previous.since)
          notes.push(`Promoly's ${adLevel ? 'ad set and ad ' : ''}metrics start on ${r.historyFrom}: earlier days are unknown, not zero.`)
        notes.push(r.lastSyncedAt ? `Last synced ${r.lastSyncedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC.` : 'Never synced.')
        if (r.partlySynced) notes.push(`The account is ${r.partlySynced}; figures for those days may be incomplete.`)
        return [
          `${describeTarget(found)}. Money in ${r.currency}. ${p.label}: ${p.current.since} to ${p.current.until} (${p.days} complete ${p.days === 1 ? 'day' : 'days'}), against ${p.previousLabel}: ${p.previous.since} to ${p.previous.until} (days in ${r.timeZone}).`,
          ...comparison(r.current, r.previous),
          r.reach
            ? `Reach (unique people over the whole period, from Meta): ${int(r.reach.reach, r.currency)}, frequency ${r.reach.frequency === null ? 'n/a' : formatNumber(r.reach.frequency, { maxDigits: 2, minDigits: 2 })}.`
            : adLevel
              ? 'Reach and frequency: not given for ad sets and ads (reach does not add up over days or ads; never sum it).'
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
