import type { WebClient } from '@slack/web-api'
import type { MetricsReport } from '../../domain/metrics/get-metrics-report.ts'
import { formatDayRange } from '../../lib/dates.ts'
import { escapeMrkdwn } from '../../lib/mrkdwn.ts'
import { chartFileName, uploadCharts } from './upload-charts.ts'

/**
 * The daily chart of a `/promoly metrics` answer (spend as bars, results as a line, the digests' renderer), shared in
 * the asker's DM with Promoly: the answer itself is only visible to them, so the picture stays private too. Returns
 * the DM's id, or null when there is nothing to draw (a single day, or no spend and no results).
 */
export async function sendMetricsChart(client: WebClient, userId: string, report: MetricsReport): Promise<string | null> {
  const daily = report.daily
  if (daily.length < 2 || !daily.some((d) => d.spendMinor > 0 || d.results > 0)) return null
  const opened = await client.conversations.open({ users: userId })
  const dm = opened.channel?.id
  if (!dm) return null
  const kind = report.current.derived.resultLabel ?? 'results'
  const range = formatDayRange(report.period.current.since, report.period.current.until)
  const name = report.scope.name
  await uploadCharts(client, { channel: dm, comment: `*${escapeMrkdwn(name)}* — ${report.period.label.toLowerCase()}, ${range}` }, [
    {
      series: daily,
      currency: report.currency,
      resultsLabel: kind,
      title: `${name} (${report.currency}): spend and ${kind} per day`,
      fileTitle: `${name} — spend (${report.currency}) and ${kind} per day, ${range}`,
      filename: chartFileName('promoly-metrics', name, 0),
    },
  ])
  return dm
}
