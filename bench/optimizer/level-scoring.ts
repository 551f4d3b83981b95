/**
 * Precision and recall per level and per kind on accounts with problems planted at campaign, ad set and ad level.
 * A suggestion is a true positive when it names the planted object (same level, same campaign / ad set / ad) and
 * the planted kind; anything else is a false positive (right kind on another level included: it is not the object
 * to act on). Recall counts planted objects whose kind was suggested on them.
 */
import { SUGGESTION_KINDS, type Suggestion, type SuggestionKind, type SuggestionLevel } from '../../src/domain/optimizer/index.ts'
import type { LevelLabel } from './planted-levels.ts'
import type { Score } from './scoring.ts'

export const LEVELS: readonly SuggestionLevel[] = ['campaign', 'adset', 'ad']

export interface LevelScorecard {
  /** Per level, per kind; `overall` per level. */
  byLevel: Record<SuggestionLevel, { byKind: Record<SuggestionKind, Score>; overall: Score }>
  overall: Score
  /** Suggestions of the planted kind inside the planted campaign but on another level (counted as false positives). */
  wrongLevel: number
}

function objectOf(s: Pick<Suggestion, 'level' | 'campaignId' | 'adSetId' | 'adId'>): string {
  return `${s.level}|${s.level === 'campaign' ? s.campaignId : s.level === 'adset' ? s.adSetId : s.adId}`
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

export function scoreByLevel(labels: readonly LevelLabel[], suggestions: readonly Suggestion[]): LevelScorecard {
  const planted = new Map(labels.map((l) => [`${l.level}|${l.id}`, l.kind]))
  const campaignOfLabel = new Map(labels.map((l) => [l.id.replace(/s\d+(a\d+)?$/, ''), l.kind]))
  const tp = new Map<string, number>()
  const fp = new Map<string, number>()
  const hit = new Set<string>()
  let wrongLevel = 0
  for (const s of suggestions) {
    const object = objectOf(s)
    const key = `${s.level}|${s.kind}`
    if (planted.get(object) === s.kind) {
      if (hit.has(object)) continue
      hit.add(object)
      tp.set(key, (tp.get(key) ?? 0) + 1)
    } else {
      fp.set(key, (fp.get(key) ?? 0) + 1)
      if (campaignOfLabel.get(s.campaignId) === s.kind) wrongLevel++
    }
  }
  const all = { tp: 0, fp: 0, fn: 0 }
  const byLevel = {} as LevelScorecard['byLevel']
  for (const level of LEVELS) {
    const byKind = {} as Record<SuggestionKind, Score>
    const sum = { tp: 0, fp: 0, fn: 0 }
    for (const kind of SUGGESTION_KINDS) {
      const n = labels.filter((l) => l.level === level && l.kind === kind).length
      const t = tp.get(`${level}|${kind}`) ?? 0
      const f = fp.get(`${level}|${kind}`) ?? 0
      byKind[kind] = score(t, f, n - t)
      sum.tp += t
      sum.fp += f
      sum.fn += n - t
    }
    byLevel[level] = { byKind, overall: score(sum.tp, sum.fp, sum.fn) }
    all.tp += sum.tp
    all.fp += sum.fp
    all.fn += sum.fn
  }
  return { byLevel, overall: score(all.tp, all.fp, all.fn), wrongLevel }
}
