import type { WebClient } from '@slack/web-api'
import type { MetricsReport } from '../../domain/metrics/get-metrics-report.ts'
import { formatDayRange } from '../../lib/dates.ts'
import { escapeMrkdwn } from '../../lib/mrkdwn.ts'
import { chartFileName, uploadCharts } from './upload-charts.ts'

/**
 * The daily chart of a `/promoly metrics` answer (spend as bars, results as a line — spend only when nothing seeks a
 * result — the digests' renderer, with a note when the line counts only some campaigns), shared in
 * the asker's DM with Promoly: the answer itself is only visible to them, so the picture stays private too. Returns
 * the DM's id, or null when there is nothing to draw (a single day, or no spend and no results).
 */
export async function sendMetricsChart(client: WebClient, userId: string, report: MetricsReport): Promise<string | null> {
  const daily = report.daily
  if (daily.length < 2 || !daily.some((d) => d.spendMinor > 0 || d.results > 0)) return null
  const opened = await client.conversations.open({ users: userId })
  const dm = opened.channel?.id
  if (!dm) return null
  // The line counts one result type over the campaigns seeking it (domain chartResult); none: spend only.
  const label = report.chart.resultsLabel
  const what = label ? ` and ${label}` : ''
  const range = formatDayRange(report.period.current.since, report.period.current.until)
  const name = report.scope.name
  const comment = [`*${escapeMrkdwn(name)}* — ${report.period.label.toLowerCase()}, ${range}`, report.chart.note].filter(Boolean).join('\n')
  await uploadCharts(client, { channel: dm, comment }, [
    {
      series: daily,
      currency: report.currency,
      resultsLabel: label,
      title: `${name} (${report.currency}): spend${what} per day`,
      fileTitle: `${name} — spend (${report.currency})${what} per day, ${range}`,
      filename: chartFileName('promoly-metrics', name, 0),
    },
  ])
  return dm
}
