import { getMetricsReport } from '../../domain/metrics/get-metrics-report.ts'
import { type PeriodName, parsePeriod } from '../../domain/metrics/periods.ts'
import { isAppError } from '../../lib/errors.ts'
import { infoMessage } from '../blocks/error-message.ts'
import { usageMessage } from '../blocks/help-message.ts'
import { metricsMessage } from '../blocks/metrics-message.ts'
import { sendMetricsChart } from '../outbound/metrics-chart.ts'
import { ephemeral, type Subcommand } from './subcommand.ts'

const PERIOD_WORD = /^(yesterday|last[_-]?\d+d|\d+d|week|month)$/i

/** `/promoly metrics <campaign|account> [period]`: the last word is the period when it looks like one. */
export const metrics: Subcommand = async ({ args, ack, respond, workspace, deps, client, command, logger }) => {
  const words = [...args]
  let periodWord: string | undefined
  const last = words.at(-1)
  if (words.length > 1 && last !== undefined && PERIOD_WORD.test(last)) periodWord = words.pop()
  if (words.length === 0) return ack(ephemeral(usageMessage('Name a campaign or an ad account.', 'metrics')))
  let period: PeriodName
  try {
    period = parsePeriod(periodWord)
  } catch (err) {
    if (!isAppError(err)) throw err
    return ack(ephemeral(usageMessage(err.userMessage, 'metrics')))
  }
  await ack()
  const report = await getMetricsReport(deps.domain.prisma, {
    workspaceId: workspace.id,
    target: words.join(' '),
    period,
    now: deps.domain.now(),
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
