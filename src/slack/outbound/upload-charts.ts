import type { WebClient } from '@slack/web-api'
import { type ChartPoint, renderDigestChart } from '../../domain/digests/render-chart.ts'

/** One chart to draw: a daily series in its account's currency and result type. */
export interface ChartSpec {
  series: ChartPoint[]
  currency: string
  /** "leads", "purchases"…; null: spend only (nothing in it seeks a result). */
  resultsLabel: string | null
  /** Drawn on the image: the account, its currency, what is charted. */
  title: string
  /** The file's title in Slack. */
  fileTitle: string
  filename: string
}

/** Slack takes at most 10 files in one completeUploadExternal (one message). */
const FILES_PER_MESSAGE = 10

/**
 * Renders the charts (the digest renderer: spend as bars, results as a line) and shares them in a thread through
 * Slack's external upload flow (files.uploadV2: getUploadURLExternal, the bytes, completeUploadExternal): up to
 * ten images in one reply, so a thread gets one reply per ten charts.
 */
export async function uploadCharts(
  client: WebClient,
  target: { channel: string; threadTs?: string; comment?: string },
  charts: ChartSpec[],
): Promise<number> {
  if (charts.length === 0) return 0
  const files = await Promise.all(
    charts.map(async (c) => ({
      file: await renderDigestChart(c.series, { currency: c.currency, title: c.title, resultsLabel: c.resultsLabel }),
      filename: c.filename,
      title: c.fileTitle,
    })),
  )
  for (let i = 0; i < files.length; i += FILES_PER_MESSAGE) {
    await client.filesUploadV2({
      channel_id: target.channel,
      ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
      ...(target.comment && i === 0 ? { initial_comment: target.comment } : {}),
      file_uploads: files.slice(i, i + FILES_PER_MESSAGE),
    })
  }
  return files.length
}

/** A file name of safe characters from an account name ("Acme Leads (EUR)" → "acme-leads-eur"). */
export function chartFileName(prefix: string, name: string, index: number): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
  return `${prefix}-${index + 1}${slug ? `-${slug}` : ''}.png`
}
