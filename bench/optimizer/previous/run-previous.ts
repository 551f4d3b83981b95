/**
 * Frozen copy of the issue-13 rules, the baseline issue 14 asks for: "today's optimizer" as far as early detection
 * goes, i.e. its cost_spike and creative_fatigue rules on each ACTIVE campaign (no ad sets or ads: the detection
 * bench's campaigns have none). Of onePerCause only zero_delivery could silence these two, and it never fires on the
 * bench's delivering campaigns, so it is left out.
 */

import type { CampaignSeries, OptimizerContext } from '../../../src/domain/optimizer/index.ts'
import { resultMetricFor } from '../../../src/domain/optimizer/results.ts'
import { currencyOffset } from '../../../src/lib/money.ts'
import { previousCostSpike } from './cost-spike.ts'
import { PREVIOUS_SETTINGS, type PreviousEnv } from './cost-window.ts'
import { previousCreativeFatigue } from './creative-fatigue.ts'
import { type PreviousFinding, prepareCampaign } from './prepared.ts'

export function previousDetectionRules(campaigns: readonly CampaignSeries[], ctx: OptimizerContext): PreviousFinding[] {
  const out: PreviousFinding[] = []
  const tail = (1 - PREVIOUS_SETTINGS.confidence) / 2
  for (const series of campaigns) {
    if (series.status !== 'ACTIVE' || series.days.length === 0) continue
    const c = prepareCampaign(series, ctx.today)
    const env: PreviousEnv = { minSpendMinor: currencyOffset(ctx.currency), tail, result: resultMetricFor(series.objective) }
    const spike = previousCostSpike(c, env, ctx.currency)
    if (spike) out.push(spike)
    const fatigue = previousCreativeFatigue(c, env)
    if (fatigue) out.push(fatigue)
  }
  return out
}
