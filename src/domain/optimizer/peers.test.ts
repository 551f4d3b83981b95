import { describe, expect, it } from 'vitest'
import { addDays, type IsoDate } from '../../lib/dates.ts'
import { zeroMetrics } from '../metrics/vocabulary.ts'
import { buildPeerIndex } from './peers.ts'
import { prepareCampaign } from './series.ts'
import { resolveSettings } from './settings.ts'
import type { CampaignSeries } from './types.ts'

const TODAY: IsoDate = '2026-03-02'

function series(id: string, status: string, objective = 'OUTCOME_LEADS'): CampaignSeries {
  const days = Array.from({ length: 30 }, (_, k) => ({
    ...zeroMetrics(),
    date: addDays(TODAY, k - 31),
    impressions: 10_000,
    clicks: 150,
    spend: 5_000,
    leads: 5,
  }))
  return { campaignId: id, name: id, objective, status, dailyBudgetMinor: 5_000, days }
}

describe('optimizer peers', () => {
  it('never counts archived or deleted campaigns among the peers of an active one', () => {
    const campaigns = [series('active', 'ACTIVE'), series('paused', 'PAUSED'), series('old', 'ARCHIVED'), series('gone', 'DELETED')]
    const index = buildPeerIndex(
      campaigns.map((c) => prepareCampaign(c, TODAY)),
      resolveSettings({ currency: 'USD', today: TODAY }),
    )
    const peers = index.forCampaign(0)
    expect(peers.campaigns).toBe(1) // the paused one only
    expect(peers.costCampaigns).toBe(1)
    // Another objective is no peer either.
    const mixed = buildPeerIndex(
      [series('a', 'ACTIVE'), series('b', 'ACTIVE', 'OUTCOME_SALES')].map((c) => prepareCampaign(c, TODAY)),
      resolveSettings({ currency: 'USD', today: TODAY }),
    )
    expect(mixed.forCampaign(0).campaigns).toBe(0)
  })
})
