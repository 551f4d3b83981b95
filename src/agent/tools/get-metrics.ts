import { tool } from 'langchain'
import * as z from 'zod'
import { getMetricsReport } from '../../domain/metrics/get-metrics-report.ts'
import { parsePeriod } from '../../domain/metrics/periods.ts'
import { formatNumber } from '../../lib/numbers.ts'
import { comparison, int, PERIOD_DESCRIPTION } from './format.ts'
import { quote, runTool, type ToolContext } from './tool-context.ts'

export function getMetricsTool(ctx: ToolContext) {
  return tool(
    ({ target, period }) =>
      runTool(ctx, 'get_metrics', 'Reading the numbers…', async () => {
        const r = await getMetricsReport(ctx.deps.prisma, {
          scope: ctx.scope,
          target,
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
        notes.push(r.lastSyncedAt ? `Last synced ${r.lastSyncedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC.` : 'Never synced.')
        if (r.partlySynced) notes.push(`The account is ${r.partlySynced}; figures for those days may be incomplete.`)
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
        'Metrics of one campaign or one ad account over a period (complete days in the account time zone), each against the same number of days immediately before.',
      schema: z.object({
        target: z.string().describe('Campaign or ad account: its name (or part of it) or its id.'),
        period: z.string().optional().describe(PERIOD_DESCRIPTION),
      }),
    },
  )
}
