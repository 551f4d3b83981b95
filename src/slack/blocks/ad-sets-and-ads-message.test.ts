/** The ad set and ad lists: Block Kit rules, Slack's limits, escaping, and what they say about each row. */
import { describe, expect, it } from 'vitest'
import type { FoundObject } from '../../domain/campaigns/find-object.ts'
import type { LevelList, LevelListItem } from '../../domain/campaigns/list-ad-sets-and-ads.ts'
import { deriveMetrics, zeroMetrics } from '../../domain/metrics/vocabulary.ts'
import { validateMessage } from '../../playground/block-kit-validator.ts'
import { adSetsAndAdsMessage } from './ad-sets-and-ads-message.ts'

const campaign = { name: 'Spring <!channel> sale', metaCampaignId: '42', dailyBudget: 5000n, lifetimeBudget: null }
const parent = (adSet?: { name: string; metaAdSetId: string }) =>
  ({ level: adSet ? 'adset' : 'campaign', account: { name: 'Shop & Co' }, campaign, adSet }) as unknown as FoundObject

function item(i: number, level: 'adset' | 'ad', overrides: Partial<LevelListItem> = {}): LevelListItem {
  const t = { ...zeroMetrics(), spend: 10_000 - i, impressions: 5000, clicks: 50, leads: 4 }
  return {
    level,
    id: `x${i}`,
    metaId: String(1000 + i),
    name: `<@U1> ${level} ${i} *bold* ${'long name '.repeat(20)}`,
    status: 'ACTIVE',
    effectiveStatus: 'ACTIVE',
    gone: null,
    campaign: { id: 'c', name: campaign.name },
    adSet: level === 'ad' ? { id: 's', name: 'Retargeting <b>' } : null,
    creativeName: level === 'ad' ? `Creative ${i} & more` : null,
    figures: [
      { label: 'Yesterday', range: { since: '2026-11-24', until: '2026-11-24' }, totals: t, derived: deriveMetrics(t, 'OUTCOME_LEADS') },
      { label: '7 days', range: { since: '2026-11-18', until: '2026-11-24' }, totals: t, derived: deriveMetrics(t, 'OUTCOME_LEADS') },
    ],
    dailyBudget: null,
    lifetimeBudget: null,
    bidStrategy: level === 'adset' ? 'COST_CAP' : null,
    bidAmount: level === 'adset' ? 1500 : null,
    optimizationGoal: level === 'adset' ? 'LEAD_GENERATION' : null,
    learningStage: level === 'adset' ? 'FAIL' : null,
    ...overrides,
  }
}

function list(level: 'adset' | 'ad', items: LevelListItem[], overrides: Partial<LevelList> = {}): LevelList {
  return {
    level,
    parent: parent(),
    account: { name: 'Shop & Co', currency: 'USD', timeZone: 'America/New_York', metaAccountId: 'act_1' },
    campaignBudget: true,
    status: 'live',
    items,
    hidden: 0,
    total: items.length,
    adLevelSince: '2026-11-01',
    since: '2026-11-18',
    ...overrides,
  }
}

describe('ad set and ad lists', () => {
  it('cut a long list within 50 blocks and 3,000 characters a section, saying how many more and how many are hidden', () => {
    for (const level of ['adset', 'ad'] as const) {
      const m = adSetsAndAdsMessage(
        list(
          level,
          Array.from({ length: 120 }, (_, i) => item(i, level)),
          { hidden: 7, total: 127 },
        ),
      )
      expect(validateMessage(m)).toEqual([])
      expect(m.blocks.length).toBeLessThanOrEqual(50)
      for (const b of m.blocks) if (b.type === 'section') expect(b.text?.text.length).toBeLessThanOrEqual(3000)
      // Only plain_text (the header) may carry a raw name: Slack does not parse mentions there.
      const text = JSON.stringify(m.blocks.slice(1)) + m.text
      expect(text).not.toContain('<!channel>')
      expect(text).not.toContain('<@U1>')
      expect(JSON.stringify(m.blocks.at(-1))).toMatch(
        /and 80 more .*7 archived or deleted .* hidden: see them with `\/promoly ads(ets)? 42 archived`/,
      )
    }
  })

  it('says where each ad set budget lives, its bidding, goal and learning; labels the deleted', () => {
    const own = item(1, 'adset', { dailyBudget: 2000, learningStage: 'LEARNING', bidStrategy: 'LOWEST_COST_WITHOUT_CAP' })
    const deleted = item(2, 'adset', { gone: 'deleted', status: 'DELETED', effectiveStatus: 'DELETED', learningStage: null })
    const text = JSON.stringify(adSetsAndAdsMessage(list('adset', [own, item(3, 'adset'), deleted], { status: 'all' })))
    expect(text).toContain('budget $20.00/day · lowest cost · optimised for leads · :seedling: Learning')
    expect(text).toContain('uses the campaign budget · cost cap $15.00 · optimised for leads · :warning: Learning limited')
    expect(text).toContain('_id 1002_ · :wastebasket: deleted on Meta')
    const noCampaignBudget = JSON.stringify(adSetsAndAdsMessage(list('adset', [item(3, 'adset')], { campaignBudget: false })))
    expect(noCampaignBudget).toContain('no budget set')
  })

  it('names each ad’s creative, and its ad set when the list is a campaign’s', () => {
    const ofCampaign = JSON.stringify(adSetsAndAdsMessage(list('ad', [item(1, 'ad')])))
    expect(ofCampaign).toContain('creative *Creative 1 &amp; more*')
    expect(ofCampaign).toContain('_ad set Retargeting &lt;b&gt; · id 1001_')
    const ofAdSet = adSetsAndAdsMessage(list('ad', [item(1, 'ad')], { parent: parent({ name: 'Retargeting <b>', metaAdSetId: '77' }) }))
    expect(validateMessage(ofAdSet)).toEqual([])
    expect(JSON.stringify(ofAdSet)).toContain('Ad set *Retargeting &lt;b&gt;* in campaign *Spring &lt;!channel&gt; sale*')
    expect(JSON.stringify(ofAdSet)).not.toContain('_ad set Retargeting')
  })

  it('answers the empty cases plainly', () => {
    const none = adSetsAndAdsMessage(list('adset', [], { total: 0, adLevelSince: null }))
    expect(validateMessage(none)).toEqual([])
    expect(none.text).toContain('has no ad sets synced yet. They arrive with the next sync')
    expect(adSetsAndAdsMessage(list('ad', [], { total: 0 })).text).toContain('Ad-level data starts on')
    const hidden = adSetsAndAdsMessage(list('ad', [], { total: 2, hidden: 2 }))
    expect(hidden.text).toContain('has no live ads. 2 archived or deleted ads hidden: see them with `/promoly ads 42 archived`')
    expect(adSetsAndAdsMessage(list('adset', [], { total: 2, status: 'archived' })).text).toContain('has no archived or deleted ad sets')
  })

  it('says when the period starts before the account’s ad-level figures', () => {
    const early = JSON.stringify(adSetsAndAdsMessage(list('adset', [item(1, 'adset')], { adLevelSince: '2026-11-20' })))
    expect(early).toContain('Ad-level data starts on Fri 20 Nov')
    expect(JSON.stringify(adSetsAndAdsMessage(list('adset', [item(1, 'adset')])))).not.toContain('Ad-level data starts')
  })
})
