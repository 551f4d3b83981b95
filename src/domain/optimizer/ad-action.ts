/**
 * What to do about a worn-out ad: pause it when other ads of its ad set keep delivering (the ad set goes on spending
 * on them: a change request at ad level), else a notice to add creatives (pausing the only delivering ad would stop
 * the ad set).
 */
import { lastDays, type PreparedCampaign, totals } from './series.ts'
import type { Suggestion } from './types.ts'

/** Days an ad must have delivered in (the last complete ones) to count as a sibling that keeps the ad set going. */
const DELIVERING_DAYS = 3

/** Active with impressions over the last DELIVERING_DAYS complete days. */
export function isDelivering(ad: PreparedCampaign): boolean {
  const { from, to } = lastDays(ad, DELIVERING_DAYS)
  return ad.series.status === 'ACTIVE' && totals(ad.days, from, to).impressions > 0
}

/**
 * The ad findings with their action. `ads`: every ad of the campaign with its ad set; an ad with a creative
 * finding of its own is not a sibling that keeps its ad set going.
 */
export function withAdActions(
  found: Suggestion[],
  ads: ReadonlyArray<{ adSetId: string; adId: string; prepared: PreparedCampaign }>,
): Suggestion[] {
  const worn = new Set(found.filter((f) => f.level === 'ad').map((f) => f.adId))
  return found.map((f) => {
    if (f.level !== 'ad') return f
    const siblings = ads.filter((a) => a.adSetId === f.adSetId && a.adId !== f.adId && !worn.has(a.adId) && isDelivering(a.prepared))
    if (siblings.length > 0) {
      const others = siblings.length === 1 ? 'another ad of its ad set keeps' : `${siblings.length} other ads of its ad set keep`
      return {
        ...f,
        change: { type: 'pause' as const },
        notice: `Pause this ad: ${others} delivering, so the ad set spends its budget on them. Then add a fresh creative (new image or video and copy).`,
      }
    }
    const { change: _none, ...rest } = f
    return {
      ...rest,
      notice:
        'Nothing to apply through the API: it is the only ad delivering in its ad set, so pausing it would stop the ad set. Add fresh creatives (new image or video and copy) to the ad set, then pause this one.',
    }
  })
}
