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
        const s = r.scope
        const status = s.kind === 'account' ? '' : s.gone ? `${s.gone} on Meta` : s.status.toLowerCase()
        const what =
          s.kind === 'campaign'
            ? `Campaign ${quote(s.name)} (id ${s.metaCampaignId}, ${status}, ${s.objective}, account ${quote(s.accountName)})`
            : s.kind === 'adset'
              ? `Ad set ${quote(s.name)} (id ${s.metaAdSetId}, ${status}, in campaign ${quote(s.campaign.name)}, ${s.objective}, account ${quote(s.accountName)})`
              : s.kind === 'ad'
                ? `Ad ${quote(s.name)} (id ${s.metaAdId}, ${status}, creative ${quote(s.creativeName ?? 'unknown')}, in ad set ${quote(s.adSet.name)} of campaign ${quote(s.campaign.name)}, ${s.objective}, account ${quote(s.accountName)})`
                : `Ad account ${quote(s.name)} (id ${s.metaAccountId})`
        const p = r.period
        const notes: string[] = []
        if (r.historyFrom === null) notes.push('Promoly has no metrics for this account yet (it may not have synced).')
        else if (r.historyFrom > p.previous.since)
          notes.push(`Promoly's metrics start on ${r.historyFrom}: earlier days are unknown, not zero.`)
        notes.push(r.lastSyncedAt ? `Last synced ${r.lastSyncedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC.` : 'Never synced.')
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
        'Metrics of one campaign, ad set, ad or ad account over a period (complete days in the account time zone), each against the same number of days immediately before.',
      schema: z.object({
        target: z.string().describe('Campaign, ad set, ad or ad account: its name (or part of it) or its id.'),
        period: z.string().optional().describe(PERIOD_DESCRIPTION),
      }),
    },
  )
}
