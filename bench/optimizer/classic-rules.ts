/**
 * The naive fixed-threshold rules that rule engines (and Meta's automated rules) are usually set up with, for
 * comparison only. They read Meta's LAST_7D / LAST_3D / YESTERDAY presets — complete days, but including the
 * still-preliminary yesterday — with no minimum data, no baseline and no interval.
 *   CTR < 2 % → refresh creatives · frequency > 2 (last 3 days) → fatigue · CPL > 50 (or the target) → refine
 *   targeting · ROAS < 1.5 (sales) → same · yesterday's CPR > 1.5 × the 7 days before → spike · utilisation < 80 %
 *   → raise the budget 20 % · any day of the last 3 > 125 % → overspend · CPL < 20 / ROAS > 3.5 (or beating the
 *   target by 20 %) → +20 % budget · no impressions yesterday → stopped.
 */
import { resultsOf } from '../../src/domain/metrics/vocabulary.ts'
import { money, pct } from '../../src/domain/optimizer/format.ts'
import type {
  CampaignSeries,
  DailyPoint,
  OptimizerContext,
  ProposedChange,
  Suggestion,
  SuggestionKind,
} from '../../src/domain/optimizer/index.ts'
import { adAsSeries, adSetAsSeries, BUDGET_KINDS, budgetOnAdSets, CREATIVE_KINDS } from '../../src/domain/optimizer/levels.ts'
import { resultMetricFor } from '../../src/domain/optimizer/results.ts'
import { totals, zeroPoint } from '../../src/domain/optimizer/series.ts'
import { addDays, daysBetween } from '../../src/lib/dates.ts'
import { currencyOffset } from '../../src/lib/money.ts'
import { must } from '../must.ts'

const CLASSIC = {
  ctr: 0.02,
  frequency: 2,
  cplMajor: 50,
  winnerCplMajor: 20,
  roasLow: 1.5,
  roasHigh: 3.5,
  spikeRatio: 1.5,
  underUtilisation: 0.8,
  overDay: 1.25,
  raisePct: 20,
} as const

/** The last `n` complete days (ending yesterday) as a dense array. */
function window(series: CampaignSeries, today: string, n: number, skip = 0): DailyPoint[] {
  const end = addDays(today, -1 - skip)
  const start = addDays(end, -(n - 1))
  const days = Array.from({ length: n }, (_, i) => zeroPoint(addDays(start, i)))
  // days are ascending: walk back from the last one and stop before the window (ISO dates compare as strings)
  for (let k = series.days.length - 1; k >= 0; k--) {
    const d = must(series.days[k], `day ${k}`)
    if (d.date < start) break
    const i = daysBetween(start, d.date)
    if (i < n) days[i] = d
  }
  return days
}

function classic(
  kind: SuggestionKind,
  c: CampaignSeries,
  title: string,
  label: string,
  value: string,
  metric: number,
  threshold: number,
  change?: ProposedChange,
): Suggestion {
  return {
    kind,
    level: 'campaign',
    campaignId: c.campaignId,
    title: `${title} on ${c.name}`,
    evidence: [{ label, value }],
    confidence: 1,
    ...(change ? { change } : { notice: 'Classic fixed-threshold rule.' }),
    expectedEffect: { text: 'Not estimated by the classic rule.', basis: 'fixed threshold' },
    metric: { name: kind, value: metric, baseline: threshold },
  }
}

export function classicRules(campaigns: CampaignSeries[], ctx: OptimizerContext): Suggestion[] {
  const out: Suggestion[] = []
  const offset = currencyOffset(ctx.currency)
  const targetCpr = ctx.targets?.targetCostPerResultMinor
  const targetRoas = ctx.targets?.targetRoas
  for (const c of campaigns) {
    if (c.status !== 'ACTIVE') continue
    if (c.days.length === 0) continue
    const t7 = totals(window(c, ctx.today, 7), 0, 7)
    const budget = c.dailyBudgetMinor

    if (t7.impressions > 0 && t7.clicks / t7.impressions < CLASSIC.ctr) {
      out.push(
        classic('low_ctr', c, 'Low CTR', 'CTR, last 7 days', pct(t7.clicks / t7.impressions), t7.clicks / t7.impressions, CLASSIC.ctr),
      )
    }
    const t3 = totals(window(c, ctx.today, 3), 0, 3)
    if (t3.reach > 0 && t3.impressions / t3.reach > CLASSIC.frequency) {
      out.push(
        classic(
          'creative_fatigue',
          c,
          'Creative fatigue',
          'Frequency, last 3 days',
          (t3.impressions / t3.reach).toFixed(2),
          t3.impressions / t3.reach,
          CLASSIC.frequency,
        ),
      )
    }

    const m = resultMetricFor(c.objective)
    if (m) {
      const k = resultsOf(t7, m.kind)
      const cpr = k > 0 ? t7.spend / k : Infinity
      const roas = t7.spend > 0 ? t7.purchaseValue / t7.spend : 0
      const useRoas = m.kind === 'purchases'
      const high = targetCpr
        ? cpr > targetCpr
        : useRoas
          ? t7.spend > 0 && roas < (targetRoas ?? CLASSIC.roasLow)
          : k > 0 && cpr > CLASSIC.cplMajor * offset
      const win = targetCpr
        ? cpr < targetCpr * 0.8
        : useRoas
          ? roas > (targetRoas ? targetRoas * 1.2 : CLASSIC.roasHigh)
          : k > 0 && cpr < CLASSIC.winnerCplMajor * offset
      if (high && k > 0)
        out.push(
          classic(
            'high_cost_per_result',
            c,
            `High ${m.costLabel}`,
            `${m.short}, last 7 days`,
            money(cpr, ctx.currency),
            cpr,
            targetCpr ?? CLASSIC.cplMajor * offset,
          ),
        )
      if (win && budget) {
        out.push(
          classic(
            'scale_winner',
            c,
            'Scale',
            `${m.short}, last 7 days`,
            money(cpr, ctx.currency),
            cpr,
            targetCpr ?? CLASSIC.winnerCplMajor * offset,
            { type: 'set_daily_budget', fromMinor: budget, toMinor: Math.round(budget * (1 + CLASSIC.raisePct / 100)) },
          ),
        )
      }
      const y = must(window(c, ctx.today, 1)[0], "yesterday's row")
      const before = totals(window(c, ctx.today, 7, 1), 0, 7)
      const kb = resultsOf(before, m.kind)
      const ky = resultsOf(y, m.kind)
      if (kb > 0 && y.spend > 0) {
        const cprBefore = before.spend / kb
        const cprY = ky > 0 ? y.spend / ky : Infinity
        if (cprY > CLASSIC.spikeRatio * cprBefore) {
          out.push(
            classic(
              'cost_spike',
              c,
              `${m.short} spike`,
              `${m.short} yesterday`,
              Number.isFinite(cprY) ? money(cprY, ctx.currency) : `no ${m.plural}`,
              cprY,
              cprBefore,
            ),
          )
        }
      }
    }

    if (budget) {
      const util = t7.spend / (7 * budget)
      if (t7.spend > 0 && util < CLASSIC.underUtilisation) {
        out.push(
          classic('underpacing', c, 'Underpacing', 'Utilisation, last 7 days', pct(util, 0), util, CLASSIC.underUtilisation, {
            type: 'set_daily_budget',
            fromMinor: budget,
            toMinor: Math.round(budget * (1 + CLASSIC.raisePct / 100)),
          }),
        )
      }
      const last3 = window(c, ctx.today, 3)
      if (last3.some((d) => d.spend > CLASSIC.overDay * budget)) {
        out.push(
          classic(
            'overpacing',
            c,
            'Overspend',
            'Max daily spend, last 3 days',
            money(Math.max(...last3.map((d) => d.spend)), ctx.currency),
            Math.max(...last3.map((d) => d.spend)) / budget,
            CLASSIC.overDay,
          ),
        )
      }
      const y = must(window(c, ctx.today, 1)[0], "yesterday's row")
      if (y.impressions === 0 && totals(window(c, ctx.today, 7, 1), 0, 7).impressions > 0) {
        out.push(classic('zero_delivery', c, 'No delivery', 'Impressions yesterday', '0', 0, 1))
      }
    }
  }
  return out
}

/**
 * The same fixed thresholds at every level, each kind where runOptimizer judges it: creative kinds on every ad
 * (and campaign), budget kinds where the budget lives (the ad sets of an ad set budget campaign), the rest on the
 * campaign. Fed the same series runOptimizer reads.
 */
export function classicRulesByLevel(campaigns: CampaignSeries[], ctx: OptimizerContext): Suggestion[] {
  const out: Suggestion[] = []
  for (const c of campaigns) {
    const onAdSets = budgetOnAdSets(c)
    out.push(...classicRules([c], ctx).filter((s) => !(onAdSets && BUDGET_KINDS.has(s.kind))))
    if (c.status !== 'ACTIVE') continue
    for (const set of c.adSets ?? []) {
      if (onAdSets && set.dailyBudgetMinor)
        for (const s of classicRules([adSetAsSeries(c, set)], ctx))
          if (BUDGET_KINDS.has(s.kind)) out.push({ ...s, level: 'adset', adSetId: set.adSetId })
      for (const ad of set.ads)
        for (const s of classicRules([adAsSeries(c, set, ad)], ctx))
          if (CREATIVE_KINDS.has(s.kind)) out.push({ ...s, level: 'ad', adSetId: set.adSetId, adId: ad.adId })
    }
  }
  return out
}
