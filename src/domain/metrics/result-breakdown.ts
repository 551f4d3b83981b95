/**
 * Results per objective, as Ads Manager shows them for a mix of campaigns: an account (or a client's accounts in one
 * currency) never divides its whole spend by a result only some of its campaigns pursue. Each result type is counted
 * over the campaigns whose objective seeks it, and its cost is the spend of those campaigns only ("12 leads at €9.15 ·
 * 3 purchases at €80.10"). With several result types there is no single "Results" number: the line says "multiple
 * result types". ROAS is purchase value over the spend of purchase-seeking campaigns.
 */

import { formatMoney } from '../../lib/money.ts'
import { plural } from '../../lib/numbers.ts'
import {
  addMetrics,
  costPerResult,
  cpm,
  ctr,
  type DerivedMetrics,
  type Metrics,
  RESULT_METRICS,
  type ResultKind,
  type ResultLine,
  ratio,
  resultKind,
  resultsOf,
  roas,
  zeroMetrics,
} from './vocabulary.ts'

/** What Ads Manager writes in a single Results cell over campaigns of several result types. */
export const MULTIPLE_RESULT_TYPES = 'multiple result types'

export type { ResultLine }

export interface ResultBreakdown {
  /** In RESULT_KINDS order; a kind appears when a campaign seeking it spent or produced in the period. */
  lines: ResultLine[]
  /** Purchase value ÷ spend of purchase-seeking campaigns; null without purchase value. */
  roas: number | null
  /** Spend of purchase-seeking campaigns (the denominator of roas). */
  purchaseSpend: number
}

const KIND_ORDER: readonly ResultKind[] = ['leads', 'purchases', 'link clicks']

/** Metrics grouped by what their campaigns seek: one entry per objective (or per campaign), summed here. */
export type ObjectiveMetrics = Iterable<readonly [objective: string, metrics: Readonly<Metrics>]>

/** Sums per result kind of `rows`; campaigns whose objective has no result (awareness…) count for none. */
export function metricsByResultKind(rows: ObjectiveMetrics): Map<ResultKind, Metrics> {
  const byKind = new Map<ResultKind, Metrics>()
  for (const [objective, m] of rows) {
    const kind = resultKind(objective)
    if (!kind) continue
    byKind.set(kind, addMetrics(byKind.get(kind) ?? zeroMetrics(), m))
  }
  return byKind
}

export function resultBreakdown(rows: ObjectiveMetrics): ResultBreakdown {
  const byKind = metricsByResultKind(rows)
  const lines: ResultLine[] = []
  for (const kind of KIND_ORDER) {
    const m = byKind.get(kind)
    if (!m || (m.spend === 0 && resultsOf(m, kind) === 0)) continue
    lines.push({ kind, results: resultsOf(m, kind), spend: m.spend, costPerResult: costPerResult(m, kind) })
  }
  const purchases = byKind.get('purchases') ?? zeroMetrics()
  return { lines, roas: roas(purchases), purchaseSpend: purchases.spend }
}

/** The single Results cell: the one result type's line, "multiple" with several, "none" without any. */
export function singleResult(b: ResultBreakdown): { kind: 'single'; line: ResultLine } | { kind: 'multiple' } | { kind: 'none' } {
  const [first, second] = b.lines
  if (!first) return { kind: 'none' }
  return second ? { kind: 'multiple' } : { kind: 'single', line: first }
}

/** "12 leads", "1 purchase", "1 link click". */
export function resultCount(n: number, kind: ResultKind, currency?: string): string {
  const m = RESULT_METRICS[kind]
  return plural(n, m.singular, m.plural, currency)
}

/** "12 leads at €9.15 · 3 purchases at €80.10"; "" without any result type. */
export function describeResults(b: ResultBreakdown, currency: string): string {
  return b.lines
    .map(
      (l) =>
        `${resultCount(l.results, l.kind, currency)}${l.costPerResult === null ? '' : ` at ${formatMoney(Math.round(l.costPerResult), currency)}`}`,
    )
    .join(' · ')
}

/** Derived figures of a mix of campaigns (an account, a client's accounts): `t` their total, `rows` by objective. */
export function deriveMixMetrics(t: Readonly<Metrics>, rows: ObjectiveMetrics): DerivedMetrics {
  const b = resultBreakdown(rows)
  const single = singleResult(b)
  const line = single.kind === 'single' ? single.line : null
  return {
    ctr: ctr(t),
    cpc: ratio(t.spend, t.clicks),
    cpm: cpm(t),
    results: line?.results ?? 0,
    resultLabel: line?.kind ?? null,
    costPerResult: line?.costPerResult ?? null,
    byResult: b.lines,
    multipleResults: single.kind === 'multiple',
    roas: b.roas,
  }
}
