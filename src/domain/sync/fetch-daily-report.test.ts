/**
 * The path choice and the async report runs of readDailyReport, against a scripted Meta (the integration tests run
 * the same paths against the simulator): size → async up front; timeout → async, never the same request again;
 * Job Failed → halves down to one day; a run that never completes → a gap at the deadline.
 */
import { describe, expect, it } from 'vitest'
import { MetaApiError } from '../../integrations/meta/errors.ts'
import type { AdInsightRow, DailyReport, ReportRunStatus } from '../../integrations/meta/meta-api.ts'
import { silentLogger } from '../../lib/logger.ts'
import type { DateRange } from '../metrics/periods.ts'
import { type ReportSource, readDailyReport } from './fetch-daily-report.ts'
import { syncSettings } from './sync-settings.ts'

function row(date: string): AdInsightRow {
  return {
    campaignId: '1',
    campaignName: 'C',
    adSetId: '2',
    adSetName: 'S',
    adId: '3',
    adName: 'A',
    objective: null,
    date,
    impressions: 1,
    reach: 1,
    frequency: 1,
    clicks: 0,
    linkClicks: 0,
    spendMinor: 10,
    leads: 0,
    purchases: 0,
    purchaseValueMinor: 0,
  }
}

interface Script {
  /** Synchronous reads: rows, or an error to throw. */
  sync?: (range: DateRange) => AdInsightRow[] | Error
  /** Each run's polls, by its range: 'running' until `pollsToDone`, then `outcome`. */
  run?: (range: DateRange) => { pollsToDone: number; outcome: 'completed' | 'failed' | 'stuck' }
}

function scripted(script: Script) {
  const calls: string[] = []
  const runs = new Map<string, { range: DateRange; polls: number }>()
  let clock = 0
  const meta: ReportSource['meta'] = {
    fetchDailyReport(_t, _a, _r, q) {
      calls.push(`GET insights ${q.since}..${q.until}`)
      const out = script.sync?.(q) ?? []
      return {
        async *[Symbol.asyncIterator]() {
          if (out instanceof Error) throw out
          yield out as never
        },
      }
    },
    async startDailyReport(_t, _a, _r, q) {
      const id = String(runs.size + 1)
      runs.set(id, { range: { since: q.since, until: q.until }, polls: 0 })
      calls.push(`POST insights ${q.since}..${q.until} → run ${id}`)
      return id
    },
    async getReportRun(_t, id): Promise<ReportRunStatus> {
      const run = runs.get(id)!
      run.polls++
      const plan = script.run?.(run.range) ?? { pollsToDone: 1, outcome: 'completed' }
      const done = run.polls >= plan.pollsToDone && plan.outcome !== 'stuck'
      const failed = done && plan.outcome === 'failed'
      return {
        id,
        asyncStatus: done ? (failed ? 'Job Failed' : 'Job Completed') : 'Job Running',
        percentCompletion: done && !failed ? 100 : 50,
        completed: done && !failed,
        failed,
        error: failed ? { code: -2, subcode: 2490547, message: 'Report Failed' } : null,
      }
    },
    readDailyReport(_t, id) {
      const run = runs.get(id)!
      calls.push(`GET run ${id} insights`)
      return {
        async *[Symbol.asyncIterator]() {
          yield [row(run.range.since), row(run.range.until)] as never
        },
      }
    },
  }
  const src: ReportSource = {
    meta,
    token: 'tok',
    metaAccountId: 'act_1',
    currency: 'USD',
    logger: silentLogger(),
    now: () => new Date('2026-11-28T12:00:00Z'),
    settings: syncSettings({
      asyncAboveRows: 100,
      reportDeadlineMs: 60_000,
      pollFirstMs: 1_000,
      pollMaxMs: 8_000,
      sleep: async (ms) => {
        clock += ms
      },
      clockMs: () => clock,
    }),
  }
  return { src, calls, elapsed: () => clock }
}

const NOV = { since: '2026-11-01', until: '2026-11-28' }

async function read(src: ReportSource, ranges: DateRange[], estimate = 10) {
  const pages: string[][] = []
  const result = await readDailyReport(
    src,
    'ad' satisfies DailyReport,
    ranges,
    () => estimate,
    async (rows) => {
      pages.push(rows.map((r) => r.date))
    },
  )
  return { ...result, pages }
}

describe('readDailyReport', () => {
  it('small ranges are read synchronously, page by page', async () => {
    const { src, calls } = scripted({ sync: (r) => [row(r.since), row(r.until)] })
    const r = await read(src, [NOV])
    expect(calls).toEqual(['GET insights 2026-11-01..2026-11-28'])
    expect(r).toMatchObject({ covered: [NOV], gaps: [], stats: { syncReads: 1, asyncRuns: 0, fallbacks: 0 } })
    expect(r.pages).toEqual([['2026-11-01', '2026-11-28']])
  })

  it('a range estimated above the threshold goes async up front: start, poll, read', async () => {
    const { src, calls } = scripted({ run: () => ({ pollsToDone: 3, outcome: 'completed' }) })
    const r = await read(src, [NOV], 5_000)
    expect(calls).toEqual(['POST insights 2026-11-01..2026-11-28 → run 1', 'GET run 1 insights'])
    expect(r).toMatchObject({ covered: [NOV], gaps: [], stats: { syncReads: 0, asyncRuns: 1 } })
  })

  it('a synchronous timeout (too_large) is never retried as is: the range is read again as a report run', async () => {
    const timeout = new MetaApiError({ message: 'Request Timed Out', code: 2, subcode: 1504038, isTransient: true })
    const { src, calls } = scripted({ sync: () => timeout })
    const r = await read(src, [NOV])
    expect(calls).toEqual(['GET insights 2026-11-01..2026-11-28', 'POST insights 2026-11-01..2026-11-28 → run 1', 'GET run 1 insights'])
    expect(r.stats).toEqual({ syncReads: 0, asyncRuns: 1, fallbacks: 1 })
    expect(r.covered).toEqual([NOV])
  })

  it('other errors are not turned into gaps: they fail the read', async () => {
    const { src } = scripted({ sync: () => new MetaApiError({ message: 'expired', code: 190, subcode: 463 }) })
    await expect(read(src, [NOV])).rejects.toMatchObject({ kind: 'auth' })
  })

  it('a failed run is split in halves until the parts complete; a single day that still fails is a gap', async () => {
    // Runs longer than 7 days fail, and 2026-11-20 fails whatever its size.
    const { src, calls } = scripted({
      run: (r) => ({
        pollsToDone: 1,
        outcome:
          r.since <= '2026-11-20' && r.until >= '2026-11-20' ? 'failed' : r.since < r.until && daysOf(r) > 7 ? 'failed' : 'completed',
      }),
    })
    const r = await read(src, [NOV], 5_000)
    expect(r.covered).toEqual([
      { since: '2026-11-01', until: '2026-11-19' },
      { since: '2026-11-21', until: '2026-11-28' },
    ])
    expect(r.gaps).toEqual([
      { since: '2026-11-20', until: '2026-11-20', reason: 'failed', at: '2026-11-28T12:00:00.000Z', detail: 'Report Failed' },
    ])
    expect(calls.filter((c) => c.startsWith('POST'))[0]).toBe('POST insights 2026-11-01..2026-11-28 → run 1')
    expect(calls.filter((c) => c.startsWith('POST insights 2026-11-20..2026-11-20'))).toHaveLength(1)
    // Halving: 1–28 → 1–14 (→ 1–7, 8–14) and 15–28 (→ 15–21 → 15–18, 19–21 → 19–20 (→ 19, 20), 21; and 22–28).
    expect(calls.filter((c) => c.startsWith('POST'))).toHaveLength(13)
  })

  it('a run that never completes is abandoned at the deadline (polling with a capped backoff) and becomes a gap', async () => {
    const { src, calls, elapsed } = scripted({ run: () => ({ pollsToDone: 1, outcome: 'stuck' }) })
    const r = await read(src, [NOV], 5_000)
    expect(r.covered).toEqual([])
    expect(r.gaps).toEqual([{ ...NOV, reason: 'deadline', waitedMinutes: 1, at: '2026-11-28T12:00:00.000Z' }])
    expect(elapsed()).toBe(60_000)
    expect(calls).toEqual(['POST insights 2026-11-01..2026-11-28 → run 1'])
  })
})

function daysOf(r: DateRange): number {
  return (Date.parse(r.until) - Date.parse(r.since)) / 86_400_000 + 1
}
