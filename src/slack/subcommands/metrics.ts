import { getMetricsReport } from '../../domain/metrics/get-metrics-report.ts'
import { type PeriodKey, parsePeriod, splitTrailingPeriod, unknownPeriodError } from '../../domain/metrics/periods.ts'
import { isAppError } from '../../lib/errors.ts'
import { infoMessage } from '../blocks/error-message.ts'
import { usageMessage } from '../blocks/help-message.ts'
import { metricsMessage } from '../blocks/metrics-message.ts'
import { sendMetricsChart } from '../outbound/metrics-chart.ts'
import { ephemeral, type Subcommand } from './subcommand.ts'

/**
 * `/promoly metrics <campaign|ad set|ad|account> [period]`: the last one to three words are the period when they read as one
 * (`yesterday`, `last 7 days`, `last week`, `month to date`, `2026-11-01..2026-11-15`; see domain/metrics/periods.ts).
 */
export const metrics: Subcommand = async ({ args, ack, respond, deps, scope, client, command, logger }) => {
  let words: string[]
  let period: PeriodKey
  try {
    const split = splitTrailingPeriod(args)
    words = split.words
    period = parsePeriod(split.period)
  } catch (err) {
    if (!isAppError(err)) throw err
    return ack(ephemeral(usageMessage(err.userMessage, 'metrics')))
  }
  if (words.length === 0) return ack(ephemeral(usageMessage('Name a campaign, ad set, ad or ad account.', 'metrics')))
  await ack()
  const report = await getMetricsReport(deps.domain.prisma, {
    scope: await scope(),
    target: words.join(' '),
    period,
    now: deps.domain.now(),
  }).catch((err: unknown) => {
    // "Spring sale lastweek": nothing is named that, and the last word reads like a mistyped period: say so.
    const last = words.at(-1)
    if (isAppError(err) && err.code === 'NOT_FOUND' && words.length > 1 && last) throw unknownPeriodError(last) ?? err
    throw err
  })
  await respond(ephemeral(metricsMessage(report, deps.domain.now())))
  // The daily chart of the period, in the asker's DM with Promoly (private, like the answer above).
  try {
    const dm = await sendMetricsChart(client, command.user_id, report)
    if (dm && dm !== command.channel_id)
      await respond(ephemeral(infoMessage(':bar_chart: The daily chart of this period is in your DM with Promoly.')))
  } catch (err) {
    logger.warn({ err: { message: (err as Error).message } }, 'the metrics chart could not be uploaded (the figures were sent)')
  }
}
