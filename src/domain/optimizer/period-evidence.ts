/**
 * The first evidence line of every finding: the campaign's "last 7 days" as `/promoly metrics` shows them — the same
 * dates (resolved by domain/metrics/periods.ts, yesterday included) and the same figures (derived by the metrics
 * vocabulary from the same daily rows): spend, CTR, results and cost per result.
 */
import { rangeText, resolvePeriodOn } from '../metrics/periods.ts'
import { addMetrics, deriveMetrics, RESULT_METRICS, zeroMetrics } from '../metrics/vocabulary.ts'
import { money, pct, plural } from './format.ts'
import type { PreparedCampaign } from './series.ts'
import type { Evidence, OptimizerContext } from './types.ts'

export function periodEvidence(c: PreparedCampaign, ctx: OptimizerContext): Evidence {
  const period = resolvePeriodOn('last_7d', ctx.today)
  const sums = zeroMetrics()
  for (const d of c.days) if (d.date >= period.current.since && d.date <= period.current.until) addMetrics(sums, d)
  const derived = deriveMetrics(sums, c.series.objective)
  const parts = [`${money(sums.spend, ctx.currency)} spent`, `CTR ${derived.ctr === null ? '—' : pct(derived.ctr / 100)}`]
  if (derived.resultLabel) {
    const m = RESULT_METRICS[derived.resultLabel]
    parts.push(
      `${plural(derived.results, m.singular, m.plural)}${derived.costPerResult === null ? '' : ` at ${money(derived.costPerResult, ctx.currency)} each`}`,
    )
  }
  return { label: `${period.label} (${rangeText(period.current)})`, value: parts.join(' · ') }
}
