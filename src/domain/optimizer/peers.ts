/**
 * The account's own baselines: pooled totals of the OTHER campaigns with the same objective over the baseline
 * window of `baselineDays`: CTR over the last complete days (yesterday included), every delivering day; cost per
 * result over the last settled days (yesterday's results still arrive), only days past each campaign's learning
 * phase. Built once per run (O(campaigns × days)); a campaign's own contribution is subtracted when it is judged.
 * Archived and deleted campaigns are nobody's peers.
 */
import { resultsOf } from '../metrics/vocabulary.ts'
import { resultMetricFor } from './results.ts'
import { dayAt, lastDays, learningEnd, type PreparedCampaign, settledDays } from './series.ts'
import { LEARNING_DAYS } from './settings.ts'
import type { OptimizerSettings } from './types.ts'

/** Statuses that never count among the peers of active campaigns. */
const NOT_PEERS: ReadonlySet<string> = new Set(['ARCHIVED', 'DELETED'])

export interface PeerStats {
  /** Other campaigns with impressions in the window. */
  campaigns: number
  impressions: number
  clicks: number
  /** Other campaigns with post-learning spend in the window. */
  costCampaigns: number
  spend: number
  results: number
}

export interface PeerIndex {
  forCampaign(index: number): PeerStats
}

function empty(): PeerStats {
  return { campaigns: 0, impressions: 0, clicks: 0, costCampaigns: 0, spend: 0, results: 0 }
}

export function buildPeerIndex(campaigns: readonly PreparedCampaign[], settings: OptimizerSettings): PeerIndex {
  /** Per campaign, in order: its own stats and (by reference, so complete once all are added) its objective's total. */
  const own: Array<{ s: PeerStats; total: PeerStats }> = []
  const byObjective = new Map<string, PeerStats>()
  for (const c of campaigns) {
    const s = empty()
    const gone = NOT_PEERS.has(c.series.status)
    const metric = resultMetricFor(c.series.objective)
    const complete = lastDays(c, settings.baselineDays)
    for (let i = gone ? complete.to : complete.from; i < complete.to; i++) {
      const d = dayAt(c.days, i)
      s.impressions += d.impressions
      s.clicks += d.clicks
    }
    const settled = settledDays(c, settings.baselineDays)
    const learnt = learningEnd(c, LEARNING_DAYS)
    for (let i = Math.max(settled.from, learnt); metric && !gone && i < settled.to; i++) {
      const d = dayAt(c.days, i)
      s.spend += d.spend
      s.results += resultsOf(d, metric.kind)
    }
    s.campaigns = s.impressions > 0 ? 1 : 0
    s.costCampaigns = s.spend > 0 ? 1 : 0
    const total = byObjective.get(c.series.objective) ?? empty()
    own.push({ s, total })
    total.campaigns += s.campaigns
    total.impressions += s.impressions
    total.clicks += s.clicks
    total.costCampaigns += s.costCampaigns
    total.spend += s.spend
    total.results += s.results
    byObjective.set(c.series.objective, total)
  }
  return {
    forCampaign(index) {
      const entry = own[index]
      if (!entry) throw new RangeError(`campaign ${index} is not in the peer index of ${own.length}`)
      const { s, total } = entry
      return {
        campaigns: total.campaigns - s.campaigns,
        impressions: total.impressions - s.impressions,
        clicks: total.clicks - s.clicks,
        costCampaigns: total.costCampaigns - s.costCampaigns,
        spend: total.spend - s.spend,
        results: total.results - s.results,
      }
    },
  }
}
