/**
 * One suggestion per cause. Within a campaign, findings at every level are merged:
 *  - creative findings (fatigue, low CTR) of the campaign and of its ads are one cause: the ads' are kept (they name
 *    the creative to replace), unless most delivering ads of the campaign (more than half, of at least two) show it — then it is
 *    the campaign's audience or offer, not one creative, and the campaign's finding is kept alone;
 *  - a more specific diagnosis silences the generic one it explains (fatigue explains a low CTR, a spike explains a
 *    high cost per result, a stopped campaign explains underpacing), on its own object and the objects inside it.
 */
import { CREATIVE_KINDS } from './levels.ts'
import type { Suggestion, SuggestionKind } from './types.ts'

/** When the key fires, the listed kinds are not reported for the same object or the objects inside it. */
const SUPERSEDES: Partial<Record<SuggestionKind, readonly SuggestionKind[]>> = {
  zero_delivery: ['underpacing', 'scale_winner', 'low_ctr', 'creative_fatigue'],
  cost_spike: ['high_cost_per_result', 'scale_winner'],
  high_cost_per_result: ['scale_winner'],
  overpacing: ['scale_winner'],
  creative_fatigue: ['low_ctr'],
}

type Placed = Pick<Suggestion, 'kind' | 'level' | 'adSetId' | 'adId'>

/** `outer`'s object is `inner`'s, or contains it (same campaign is given). */
function contains(outer: Placed, inner: Placed): boolean {
  if (outer.level === 'campaign') return true
  if (outer.level === 'adset') return inner.level !== 'campaign' && inner.adSetId === outer.adSetId
  return inner.level === 'ad' && inner.adId === outer.adId
}

/** The campaign's creative finding or its ads', never both (see the module comment). */
function creativeOnce(found: Suggestion[], deliveringAds: readonly string[]): Suggestion[] {
  const onAds = found.filter((f) => f.level === 'ad' && CREATIVE_KINDS.has(f.kind))
  const onCampaign = found.some((f) => f.level !== 'ad' && CREATIVE_KINDS.has(f.kind))
  if (onAds.length === 0 || !onCampaign) return found
  const flagged = new Set(onAds.map((f) => f.adId))
  const campaignWide = deliveringAds.length >= 2 && deliveringAds.filter((id) => flagged.has(id)).length * 2 > deliveringAds.length
  return found.filter((f) => !CREATIVE_KINDS.has(f.kind) || (campaignWide ? f.level !== 'ad' : f.level === 'ad'))
}

/**
 * The findings of one campaign (all levels) reduced to one per cause, in `kindOrder` (a kind silenced by a finding
 * that is itself silenced still counts). `deliveringAds`: the campaign's active ads with recent impressions.
 */
export function onePerCause(found: Suggestion[], deliveringAds: readonly string[], kindOrder: readonly SuggestionKind[]): Suggestion[] {
  const rank = (k: SuggestionKind) => kindOrder.indexOf(k)
  const sorted = creativeOnce(found, deliveringAds).sort((a, b) => rank(a.kind) - rank(b.kind))
  const kept: Suggestion[] = []
  for (const f of sorted) {
    if (kept.some((g) => SUPERSEDES[g.kind]?.includes(f.kind) && contains(g, f))) continue
    kept.push(f)
  }
  return kept
}

/**
 * True when one of `found` supersedes `s` (same campaign, a more specific diagnosis on its object or one containing
 * it): an open suggestion so superseded must not stay open beside it (a winner to scale while its costs spike).
 */
export function supersededBy(s: Placed & { campaignId: string }, found: readonly Suggestion[]): boolean {
  return found.some((g) => g.campaignId === s.campaignId && SUPERSEDES[g.kind]?.includes(s.kind) === true && contains(g, s))
}
