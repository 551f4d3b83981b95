/**
 * Precision and recall of a rule set on labelled campaigns. A suggestion is a true positive when its kind is the
 * campaign's planted kind; every other suggestion (on a noise-only campaign, or of another kind) is a false
 * positive. Recall counts planted campaigns whose planted kind was suggested.
 */

import { SUGGESTION_KINDS, type Suggestion, type SuggestionKind } from '../../src/domain/optimizer/index.ts'
import type { LabelledCampaign } from './planted-problems.ts'

export interface Score {
  truePositives: number
  falsePositives: number
  falseNegatives: number
  precision: number
  recall: number
}

export interface Scorecard {
  overall: Score
  byKind: Record<SuggestionKind, Score>
  /** Noise-only campaigns that got at least one suggestion. */
  noiseCampaignsFlagged: number
  noiseCampaigns: number
}

function score(tp: number, fp: number, fn: number): Score {
  return {
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    precision: tp + fp > 0 ? tp / (tp + fp) : 1,
    recall: tp + fn > 0 ? tp / (tp + fn) : 1,
  }
}

export function scoreSuggestions(labelled: readonly LabelledCampaign[], suggestions: readonly Suggestion[]): Scorecard {
  const planted = new Map(labelled.map((l) => [l.series.campaignId, l.planted]))
  const tp = new Map<SuggestionKind, number>()
  const fp = new Map<SuggestionKind, number>()
  const hit = new Set<string>()
  const flagged = new Set<string>()
  for (const s of suggestions) {
    const label = planted.get(s.campaignId) ?? null
    if (label === s.kind) {
      if (hit.has(s.campaignId)) continue
      hit.add(s.campaignId)
      tp.set(s.kind, (tp.get(s.kind) ?? 0) + 1)
    } else {
      fp.set(s.kind, (fp.get(s.kind) ?? 0) + 1)
      if (label === null) flagged.add(s.campaignId)
    }
  }
  const byKind = {} as Record<SuggestionKind, Score>
  let tpAll = 0
  let fpAll = 0
  let fnAll = 0
  for (const kind of SUGGESTION_KINDS) {
    const plantedCount = labelled.filter((l) => l.planted === kind).length
    const t = tp.get(kind) ?? 0
    const f = fp.get(kind) ?? 0
    byKind[kind] = score(t, f, plantedCount - t)
    tpAll += t
    fpAll += f
    fnAll += plantedCount - t
  }
  return {
    overall: score(tpAll, fpAll, fnAll),
    byKind,
    noiseCampaignsFlagged: flagged.size,
    noiseCampaigns: labelled.filter((l) => l.planted === null).length,
  }
}
