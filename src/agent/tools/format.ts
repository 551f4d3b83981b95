import { MULTIPLE_RESULT_TYPES, resultCount } from '../../domain/metrics/result-breakdown.ts'
import type { DerivedMetrics, MetricTotals } from '../../domain/metrics/vocabulary.ts'
import { percentChange, RESULT_METRICS } from '../../domain/metrics/vocabulary.ts'
import { formatMoney } from '../../lib/money.ts'
import { formatNumber, formatPercent, formatRatio } from '../../lib/numbers.ts'
import { formatPct } from './tool-context.ts'

/** Plain-text figures for the model: money already in the account currency, never minor units. */
export const int = (n: number, currency?: string) => formatNumber(Math.round(n), { currency })
export const money = (minor: number | null, currency: string) => (minor === null ? 'n/a' : formatMoney(Math.round(minor), currency))
export const percent = (n: number | null, digits = 2) => (n === null ? 'n/a' : formatPercent(n, digits))
export const ratioText = (n: number | null) => (n === null ? 'n/a' : formatRatio(n))

/** "spend $1,234.00, 52 leads at $23.73, CTR 1.21%, CPC $0.81, CPM $9.80" */
export function summary(totals: MetricTotals, derived: DerivedMetrics): string {
  const cur = totals.currency
  const parts = [`spend ${money(totals.spend, cur)}`]
  if (derived.multipleResults || derived.resultLabel)
    parts.push(
      ...derived.byResult.map(
        (l) =>
          `${resultCount(l.results, l.kind, cur)} at ${money(l.costPerResult, cur)} each (over ${money(l.spend, cur)} spent seeking ${l.kind})`,
      ),
    )
  parts.push(
    `impressions ${int(totals.impressions)}`,
    `clicks ${int(totals.clicks)}`,
    `CTR ${percent(derived.ctr)}`,
    `CPC ${money(derived.cpc, cur)}`,
    `CPM ${money(derived.cpm, cur)}`,
  )
  if (derived.roas !== null) parts.push(`ROAS ${ratioText(derived.roas)} (purchase-seeking spend only)`)
  return parts.join(', ')
}

/** One line per metric: current, previous and the relative change. */
export function comparison(
  current: { totals: MetricTotals; derived: DerivedMetrics },
  previous: { totals: MetricTotals; derived: DerivedMetrics },
): string[] {
  const cur = current.totals.currency
  const line = (label: string, c: number | null, p: number | null, show: (n: number | null) => string) =>
    `${label}: ${show(c)} (previous ${show(p)}, ${formatPct(percentChange(c, p))})`
  const lines = [
    line('Spend', current.totals.spend, previous.totals.spend, (n) => money(n, cur)),
    line('Impressions', current.totals.impressions, previous.totals.impressions, (n) => (n === null ? 'n/a' : int(n))),
    line('Clicks', current.totals.clicks, previous.totals.clicks, (n) => (n === null ? 'n/a' : int(n))),
    line('CTR', current.derived.ctr, previous.derived.ctr, (n) => percent(n)),
    line('CPC', current.derived.cpc, previous.derived.cpc, (n) => money(n, cur)),
    line('CPM', current.derived.cpm, previous.derived.cpm, (n) => money(n, cur)),
  ]
  const multiple = current.derived.multipleResults || previous.derived.multipleResults
  const label = current.derived.resultLabel ?? previous.derived.resultLabel
  if (multiple) {
    // Never one number over campaigns seeking different results: one pair of lines per result type.
    lines.push(`Results: ${MULTIPLE_RESULT_TYPES}; per result type, each over the spend of the campaigns seeking it:`)
    const kinds = [...new Set([...current.derived.byResult, ...previous.derived.byResult].map((l) => l.kind))]
    for (const kind of kinds) {
      const c = current.derived.byResult.find((l) => l.kind === kind)
      const p = previous.derived.byResult.find((l) => l.kind === kind)
      lines.push(line(`  ${kind}`, c?.results ?? 0, p?.results ?? 0, (n) => (n === null ? 'n/a' : int(n, cur))))
      lines.push(
        line(`  cost per ${RESULT_METRICS[kind].singular}`, c?.costPerResult ?? null, p?.costPerResult ?? null, (n) => money(n, cur)),
      )
      lines.push(line(`  spend seeking ${kind}`, c?.spend ?? 0, p?.spend ?? 0, (n) => money(n, cur)))
    }
  } else if (label) {
    lines.push(line(`Results (${label})`, current.derived.results, previous.derived.results, (n) => (n === null ? 'n/a' : int(n, cur))))
    lines.push(line(`Cost per result`, current.derived.costPerResult, previous.derived.costPerResult, (n) => money(n, cur)))
  }
  if (current.derived.roas !== null || previous.derived.roas !== null) {
    lines.push(line('ROAS (purchase-seeking spend only)', current.derived.roas, previous.derived.roas, (n) => ratioText(n)))
  }
  return lines
}

/** How the tools take a period (domain/metrics/periods.ts parses it). */
export const PERIOD_DESCRIPTION =
  'yesterday, last 7 days (default), last 14 days, last 30 days, last week (the previous Monday to Sunday), this month (month to date: the 1st to yesterday), last month, or a range YYYY-MM-DD..YYYY-MM-DD of past days (at most 93). Complete days in the account time zone; "last 7 days" includes yesterday.'
