import type { MetaMinimumBudget } from '../../integrations/meta/meta-api.ts'
import { MINIMUM_BUDGET_BASIS, type MinimumBudgetKind, minimumBudgetKind } from '../../integrations/meta/minimum-budget-kind.ts'
import { connectionToken } from '../connections/connection-token.ts'
import type { DomainDeps } from '../deps.ts'

/** The minimum daily budget that applies to a change, and which of Meta's minimums it is (for the card). */
export interface ApplicableMinimum {
  minor: number
  /** "conversion-optimised ad sets", "its 2 active ad sets (…)"; null for the plain impressions minimum. */
  basis: string | null
}

function pick(m: MetaMinimumBudget, kind: MinimumBudgetKind): number | null {
  switch (kind) {
    case 'low_freq':
      return m.minDailyLowFreqMinor ?? m.minDailyImpressionsMinor
    case 'high_freq':
      return m.minDailyHighFreqMinor ?? m.minDailyImpressionsMinor
    case 'video_views':
      return m.minDailyVideoViewsMinor ?? m.minDailyImpressionsMinor
    case 'imp':
      return m.minDailyImpressionsMinor
  }
}

/**
 * Meta's minimum daily budget for the object a change writes (minor units): an ad set's is the one of its
 * optimisation goal (see minimumBudgetKind); a campaign budget funds its active ad sets, so it must cover the
 * minimum of each of them — the highest of their minimums (Meta's docs do not say whether it must cover their sum:
 * Promoly takes the reading that refuses only what Meta surely refuses) — or the impressions minimum when none is
 * known. Null when Meta's minimums cannot be read.
 */
export async function applicableMinimum(
  deps: DomainDeps,
  account: { metaAccountId: string; currency: string; connection: { id: string; accessTokenEnc: string } },
  target: { level: string; campaignId: string | null; adSetId: string | null; objective?: string | null },
): Promise<ApplicableMinimum | null> {
  const mins = await deps.meta.getMinimumBudgets(connectionToken(deps, account.connection), account.metaAccountId)
  const mine = mins.find((m) => m.currency === account.currency)
  if (!mine) return null
  const imp = mine.minDailyImpressionsMinor
  if (target.level === 'adset' && target.adSetId) {
    const adSet = await deps.prisma.adSet.findUnique({ where: { id: target.adSetId }, select: { optimizationGoal: true } })
    const kind = minimumBudgetKind(adSet?.optimizationGoal)
    const minor = pick(mine, kind)
    return minor === null ? null : { minor, basis: kind === 'imp' ? null : MINIMUM_BUDGET_BASIS[kind] }
  }
  if (target.level === 'campaign' && target.campaignId) {
    const adSets = await deps.prisma.adSet.findMany({
      where: { campaignId: target.campaignId, status: 'ACTIVE' },
      select: { optimizationGoal: true },
    })
    const kinds = adSets.map((s) => minimumBudgetKind(s.optimizationGoal))
    const each = kinds.map((k) => ({ kind: k, minor: pick(mine, k) ?? 0 }))
    const highest = each.reduce<{ kind: MinimumBudgetKind; minor: number } | null>((a, b) => (a && a.minor >= b.minor ? a : b), null)
    if (!highest) {
      const campaign = await deps.prisma.campaign.findUnique({ where: { id: target.campaignId }, select: { objective: true } })
      return byObjective(mine, campaign?.objective)
    }
    if (highest.minor === 0 || highest.kind === 'imp') return imp === null ? null : { minor: imp, basis: null }
    return { minor: highest.minor, basis: `the campaign's ${MINIMUM_BUDGET_BASIS[highest.kind]}` }
  }
  if (target.level === 'campaign' && target.objective) return byObjective(mine, target.objective)
  return imp === null ? null : { minor: imp, basis: null }
}

/**
 * A campaign budget that funds no active ad set (a new campaign, or all its ad sets paused): Meta holds it to the
 * minimum of what its objective is charged for — impressions for awareness, else the clicks/engagement one
 * (high_freq; Help Center "About minimum budgets": $1/day for impressions, $5/day for clicks, likes, video views or
 * engagement). The simulator does the same.
 */
function byObjective(m: MetaMinimumBudget, objective: string | null | undefined): ApplicableMinimum | null {
  if (objective === 'OUTCOME_AWARENESS')
    return m.minDailyImpressionsMinor === null ? null : { minor: m.minDailyImpressionsMinor, basis: null }
  const minor = pick(m, 'high_freq')
  return minor === null ? null : { minor, basis: 'a campaign budget that funds no active ad set yet (by its objective)' }
}
