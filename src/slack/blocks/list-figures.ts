/** The lines the campaign, ad set and ad lists share: a period's figures, and where a budget lives. */
import type { BudgetLocation } from '../../domain/campaigns/budget-location.ts'
import { resultCount } from '../../domain/metrics/result-breakdown.ts'
import { type DerivedMetrics, type Metrics, RESULT_METRICS } from '../../domain/metrics/vocabulary.ts'
import { fmtInt, fmtMoney, fmtPct, fmtRatio } from './format.ts'

/**
 * "7 days: *$120.00* · 12 leads · $10.00/lead · CTR 1.20% · ROAS 2.5": spend, the objective's results and their cost
 * (impressions without a result to count), CTR where there were impressions, ROAS where there was revenue.
 */
export function figuresLine(label: string, f: { totals: Metrics; derived: DerivedMetrics }, currency: string): string {
  const t = f.totals
  const d = f.derived
  const parts = [`${label}: *${fmtMoney(t.spend, currency)}*`]
  if (d.resultLabel)
    parts.push(
      resultCount(d.results, d.resultLabel, currency),
      `${fmtMoney(d.costPerResult, currency)}/${RESULT_METRICS[d.resultLabel].singular}`,
    )
  else parts.push(`${fmtInt(t.impressions, currency)} impr.`)
  if (d.ctr !== null) parts.push(`CTR ${fmtPct(d.ctr)}`)
  if (d.roas !== null) parts.push(`ROAS ${fmtRatio(d.roas)}`)
  return parts.join(' · ')
}

/** A few ad set budgets are listed one by one ("$20 + $30/day"); more are summed ("5 ad sets, $75/day in all"). */
const LISTED_AD_SET_BUDGETS = 3

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)

/**
 * Where a campaign's budget lives, in words: "campaign budget $50.00/day", "ad set budgets: $20.00 + $30.00/day",
 * "3 ad sets, $75.00/day in all", mixed daily and lifetime ad set budgets said apart, or "no budget set".
 */
export function budgetLocationText(b: BudgetLocation, currency: string): string {
  const m = (minor: number) => fmtMoney(minor, currency)
  switch (b.on) {
    case 'campaign':
      return b.daily !== null ? `campaign budget ${m(b.daily)}/day` : `campaign budget ${m(b.lifetime ?? 0)} lifetime`
    case 'none':
      return 'no budget set'
    case 'unknown':
      return 'ad set budgets (not synced yet)'
    case 'adsets': {
      const { daily, lifetime } = b
      const n = daily.length + lifetime.length
      if (n <= LISTED_AD_SET_BUDGETS) {
        const parts = [
          ...(daily.length > 0 ? [`${daily.map(m).join(' + ')}/day`] : []),
          ...(lifetime.length > 0 ? [`${lifetime.map(m).join(' + ')} lifetime`] : []),
        ]
        return `ad set budget${n > 1 ? 's' : ''}: ${parts.join(' and ')}`
      }
      if (lifetime.length === 0) return `${n} ad sets, ${m(sum(daily))}/day in all`
      if (daily.length === 0) return `${n} ad sets, ${m(sum(lifetime))} lifetime in all`
      return `${n} ad sets: ${m(sum(daily))}/day in all across ${daily.length}, and ${m(sum(lifetime))} lifetime across ${lifetime.length}`
    }
  }
}
