import { describe, expect, it } from 'vitest'
import type {
  AccountDigest,
  AdEfficiency,
  AdRanking,
  CampaignEfficiency,
  DigestData,
  KeyFigures,
} from '../../domain/digests/digest-types.ts'
import { addDays } from '../../lib/dates.ts'
import { validateMessage } from '../../playground/block-kit-validator.ts'
import { CHANGE_ACTIONS } from './change-card.ts'
import { defaultAdsManagerUrl, digestMessage } from './digest-message.ts'

const DAY = '2026-03-15'
const EVIL = '<!channel> & <https://evil.example|click> '

function figures(spend: number, leads: number, purchases = 0, value = 0): KeyFigures {
  const leadSpend = purchases ? (spend * 3) / 4 : spend
  const salesSpend = leads ? spend / 4 : spend
  return {
    spendMinor: spend,
    impressions: 100_000,
    clicks: 1_500,
    leads,
    purchases,
    purchaseValueMinor: value,
    // Lead and sales campaigns share the spend 3:1 when both exist.
    byResult: [
      ...(leads ? [{ kind: 'leads' as const, results: leads, spend: leadSpend, costPerResult: leadSpend / leads }] : []),
      ...(purchases ? [{ kind: 'purchases' as const, results: purchases, spend: salesSpend, costPerResult: salesSpend / purchases }] : []),
    ],
    multipleResults: leads > 0 && purchases > 0,
    results: leads && purchases ? 0 : leads || purchases,
    costPerResultMinor: leads && purchases ? null : leads ? spend / leads : purchases ? spend / purchases : null,
    costPerLeadMinor: leads ? leadSpend / leads : null,
    costPerPurchaseMinor: purchases ? salesSpend / purchases : null,
    ctr: 1.5,
    cpmMinor: spend / 100,
    roas: value ? value / salesSpend : null,
  }
}

function campaign(i: number, name: string, reason: string): CampaignEfficiency {
  return {
    id: `c${i}`,
    metaCampaignId: String(i),
    name,
    resultKind: 'leads',
    spendMinor: 10_000,
    results: 10,
    costPerResultMinor: 1_000,
    accountCostPerResultMinor: 1_500,
    reason,
  }
}

function account(i: number, over: Partial<AccountDigest> = {}, campaigns = 200): AccountDigest {
  const long = `${EVIL}${'x'.repeat(400)}`
  return {
    id: `a${i}`,
    metaAccountId: `act_${1000 + i}`,
    name: `${EVIL}Account ${i} ${'y'.repeat(200)}`,
    currency: 'USD',
    timeZone: 'America/New_York',
    day: DAY,
    weekLabel: 'last 7 days (Mon 9 Mar – Sun 15 Mar)',
    baselineDays: 7,
    preliminary: true,
    preliminaryReason: 'Meta may still revise the last 3 days',
    refreshFailed: false,
    refreshProblem: null,
    lastSyncError: null,
    lastSyncedAt: new Date('2026-03-16T13:00:00Z'),
    resultKinds: ['leads', 'purchases'],
    resultKind: 'leads',
    yesterday: figures(123_456, 40, 3, 500_000),
    baseline: figures(100_000, 50, 2, 300_000),
    pacing: {
      month: '2026-03',
      daysElapsed: 15,
      daysInMonth: 31,
      spendMinor: 1_500_000,
      dailyBudgetMinor: 120_000,
      plannedMinor: 1_800_000,
      projectedMinor: 3_100_000,
      pacePercent: 83.3,
    },
    top: [1, 2, 3].map((k) =>
      campaign(k, `${long} top ${k}`, `${EVIL}$8.20 per lead, 41% below the account's $13.90 (24 leads in 7 days)`),
    ),
    bottom: [4, 5, 6].map((k) => campaign(k, `${long} bottom ${k}`, 'spent $280.00 in 7 days without a single lead')),
    alone: [],
    rankedCampaigns: campaigns,
    ads: [],
    campaignCount: campaigns,
    activeCampaignCount: campaigns,
    series: Array.from({ length: 14 }, (_, d) => ({ date: addDays(DAY, d - 13), spendMinor: 100_000, results: 40 })),
    ...over,
  }
}

function digest(accounts: AccountDigest[], openCount = 12): DigestData {
  return {
    workspaceId: 'w1',
    generatedAt: new Date('2026-03-16T14:00:00Z'),
    accounts,
    suggestions: {
      openCount,
      top: [
        {
          id: 's1',
          adAccountId: 'a0',
          accountName: `${EVIL}acct`,
          campaignId: 'c1',
          campaignName: `${EVIL}camp`,
          level: 'campaign' as const,
          adSetName: null,
          adName: null,
          kind: 'scale_winner',
          title: `Raise the budget ${EVIL}`,
          confidence: 0.91,
          proposedChangeId: 'chg_1',
        },
        {
          id: 's2',
          adAccountId: 'a0',
          accountName: 'acct',
          campaignId: 'c2',
          campaignName: 'C2',
          level: 'ad' as const,
          adSetName: 'Broad',
          adName: `Video ${EVIL}`,
          kind: 'creative_fatigue',
          title: 'Refresh the creatives',
          confidence: 0.8,
          proposedChangeId: null,
        },
        {
          id: 's3',
          adAccountId: 'a0',
          accountName: 'acct',
          campaignId: 'c3',
          campaignName: 'C3',
          level: 'adset' as const,
          adSetName: 'Lookalike',
          adName: null,
          kind: 'overpacing',
          title: 'Pause C3',
          confidence: 0.7,
          proposedChangeId: 'chg_3',
        },
      ].slice(0, openCount),
    },
  }
}

const allText = (m: { text: string; blocks: unknown[] }) => JSON.stringify(m)

describe('digestMessage', () => {
  it('is valid Block Kit within 50 blocks for 10 accounts × 200 campaigns with hostile names', () => {
    const data = digest(
      Array.from({ length: 10 }, (_, i) =>
        account(
          i,
          i === 3 ? { refreshFailed: true, refreshProblem: `last refresh failed: ${EVIL}${'e'.repeat(3000)}`, lastSyncError: 'x' } : {},
        ),
      ),
    )
    const m = digestMessage(data)
    expect(validateMessage(m)).toEqual([])
    expect(m.blocks.length).toBeLessThanOrEqual(50)
    // every account in full
    expect(m.blocks.filter((b) => b.type === 'section' && 'fields' in b && b.fields).length).toBe(10)
  })

  it('stays within 50 valid blocks for many accounts, summarising the rest', () => {
    const m = digestMessage(digest(Array.from({ length: 40 }, (_, i) => account(i))))
    expect(validateMessage(m)).toEqual([])
    expect(m.blocks.length).toBeLessThanOrEqual(50)
    expect(allText(m)).toMatch(/more accounts\* \(in short/)
  })

  it('escapes every name from Meta', () => {
    const m = digestMessage(digest([account(0, { refreshFailed: true, refreshProblem: `last refresh failed: ${EVIL}` })]))
    const json = allText(m)
    expect(json).not.toContain('<!channel>')
    expect(json).not.toContain('<https://evil')
    expect(json).toContain('&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;')
    expect(m.text).not.toContain('<!channel>')
  })

  it('shows figures with arrows, pacing, campaigns with reasons, preliminary and refresh problems', () => {
    const m = digestMessage(digest([account(0, { refreshFailed: true, refreshProblem: 'last refreshed 8 hours ago' })]))
    const json = allText(m)
    expect(json).toContain('$1,234.56 (▲ 23%)')
    expect(json).toContain('_avg $1,000.00_')
    expect(json).toContain('40 (▼ 20%) :small_red_triangle_down:') // fewer leads is worse
    expect(json).toContain('*Results*\\nmultiple result types')
    expect(json).toContain('*ROAS (sales campaigns)*')
    expect(json).toContain(
      '*March pacing*: $15,000.00 spent in 15 of 31 days, projected *$31,000.00* for the month — *83%* of the $18,000.00 budgeted so far',
    )
    expect(json).toContain('Most efficient, last 7 days (Mon 9 Mar – Sun 15 Mar)')
    expect(json).toContain('spent $280.00 in 7 days without a single lead')
    expect(json).toContain('preliminary: Meta may still revise the last 3 days')
    expect(json).toContain('Could not refresh this account')
    expect(json).toContain('last refreshed 8 hours ago')
    expect(json).toContain(`<${defaultAdsManagerUrl('act_1000')}|`)
    expect(defaultAdsManagerUrl('act_1000')).toBe('https://adsmanager.facebook.com/adsmanager/manage/campaigns?act=1000')
    const custom = digestMessage(digest([account(0)]), { adsManagerUrl: (id) => `https://example.test/${id}?a=1&b=2` })
    expect(allText(custom)).toContain('<https://example.test/act_1000?a=1&amp;b=2|')
  })

  it('formats a zero-decimal currency without decimals', () => {
    const jpy = account(0, {
      currency: 'JPY',
      yesterday: figures(15_000, 0, 4, 60_000),
      baseline: figures(12_345, 0, 3, 37_035),
      resultKind: 'purchases',
      pacing: {
        month: '2026-03',
        daysElapsed: 15,
        daysInMonth: 31,
        spendMinor: 200_000,
        dailyBudgetMinor: null,
        plannedMinor: null,
        projectedMinor: 413_333,
        pacePercent: null,
      },
    })
    const json = allText(digestMessage(digest([jpy], 0)))
    expect(json).toContain('¥15,000 (▲ 22%)')
    expect(json).toContain('*Cost per purchase*\\n¥3,750')
    expect(json).toContain('_avg ¥4,115_')
    expect(json).toContain(
      '¥200,000 spent in 15 of 31 days, projected *¥413,333* for the month. No daily campaign budgets to pace against.',
    )
    expect(json).not.toMatch(/¥[\d,]+\.\d/)
    expect(json).not.toContain('*Leads*')
  })

  it('puts Approve / Reject buttons on suggestions with a proposed change, reusing the change card actions', () => {
    const m = digestMessage(digest([account(0)]))
    const actions = m.blocks.filter((b) => b.type === 'actions') as Array<{
      block_id: string
      elements: Array<{ action_id: string; value: string }>
    }>
    expect(actions.map((a) => a.elements.map((e) => [e.action_id, e.value]))).toEqual([
      [
        [CHANGE_ACTIONS.approve, 'chg_1'],
        [CHANGE_ACTIONS.reject, 'chg_1'],
      ],
      [
        [CHANGE_ACTIONS.approve, 'chg_3'],
        [CHANGE_ACTIONS.reject, 'chg_3'],
      ],
    ])
    expect(new Set(actions.map((a) => a.block_id)).size).toBe(2)
    expect(allText(m)).toContain('12 open suggestions')
  })

  it('names the object of each open suggestion at its level, with its parents', () => {
    const lines = (digestMessage(digest([account(0)])).blocks as Array<{ type: string; text?: { text: string } }>)
      .filter((b) => b.type === 'section' && /% confident$/.test(b.text?.text ?? ''))
      .map((b) => b.text?.text.split('\n')[1])
    expect(lines).toEqual([
      'Campaign *&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt; camp* · &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt; acct · 91% confident',
      'Ad *Video &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt; * in ad set *Broad* (campaign *C2*) · acct · 80% confident',
      'Ad set *Lookalike* in campaign *C3* · acct · 70% confident',
    ])
  })

  it('says so when there is no account', () => {
    const m = digestMessage(digest([], 0))
    expect(validateMessage(m)).toEqual([])
    expect(m.blocks).toHaveLength(2)
  })
})

describe('digest suggestions with proposed changes (issue 11 §6)', () => {
  it("Approve's confirm names the action and amounts; a change a guardrail refuses offers only Override…", () => {
    const data = digest([account(0)])
    const [first, , third] = data.suggestions.top
    first!.approval = { verb: 'Budget', name: 'Spring Sale', amounts: '$80.00 → $96.00/day', refused: [] }
    third!.approval = { verb: 'Pause', name: 'C3', amounts: null, refused: ['this campaign was changed less than 2 h ago'] }
    const m = digestMessage(data)
    expect(validateMessage(m)).toEqual([])
    type Button = { action_id: string; text: { text: string }; confirm?: { text: { text: string } } }
    const actions = (id: string) =>
      ((m.blocks as Array<{ type: string; block_id?: string; elements?: Button[] }>).find((b) => b.block_id === `digest_change_${id}`)
        ?.elements ?? []) as Button[]
    const approve = actions('chg_1').find((e) => e.action_id === CHANGE_ACTIONS.approve)
    expect(approve?.confirm?.text.text).toBe('Budget $80.00 → $96.00/day · *Spring Sale*\nApplied on Meta at once.')
    expect(actions('chg_3').map((e) => [e.action_id, e.text.text])).toEqual([[CHANGE_ACTIONS.approveNote, 'Override…']])
    expect(allText(m)).toContain(
      'A guardrail refuses it (this campaign was changed less than 2 h ago): only a Promoly admin can override it',
    )
  })
})

describe('a digest in a client channel (issue 11 §2)', () => {
  const empty = (clientName?: string): DigestData => ({
    workspaceId: 'w',
    clientName,
    generatedAt: new Date('2026-12-04T08:00:00Z'),
    accounts: [],
    suggestions: { openCount: 0, top: [] },
  })
  it("names the client in its header and, without accounts, says how to give the client one (not 'connect')", () => {
    const m = digestMessage(empty('Globex <Inc>'))
    expect(validateMessage(m)).toEqual([])
    const text = JSON.stringify(m.blocks)
    expect(text).toContain('Daily ads digest · Globex <Inc> · Fri 4 Dec')
    expect(text).toContain('*Globex &lt;Inc&gt;* has no syncing ad account for this digest')
    expect(text).not.toContain('/promoly connect')
    expect(JSON.stringify(digestMessage(empty()).blocks)).toContain('Connect one with `/promoly connect`')
  })
})

describe('the best and most expensive ads in the digest (issue 12 §4)', () => {
  const long = (what: string) => `${EVIL}${what} ${'&'.repeat(300)}`
  function ad(i: number, over: Partial<AdEfficiency> = {}): AdEfficiency {
    return {
      id: `ad${i}`,
      metaAdId: String(9_000 + i),
      name: long(`Ad ${i}`),
      creativeName: long(`Creative ${i}`),
      adSet: { id: `s${i}`, name: long(`Ad set ${i}`) },
      campaign: { id: `c${i}`, name: long(`Campaign ${i}`) },
      state: 'active',
      spendMinor: 5_040,
      results: 12,
      costPerResultMinor: 420,
      reason: '$4.20 per lead (12 leads, $50.40 spent)',
      ...over,
    }
  }
  function ranking(kind: AdRanking['resultKind'], from: number): AdRanking {
    return {
      resultKind: kind,
      pooledCostPerResultMinor: 710,
      minSpendMinor: 3_550,
      best: [0, 1, 2].map((k) => ad(from + k)),
      worst: [3, 4, 5].map((k) => ad(from + k, { results: 0, costPerResultMinor: null, reason: '$61.00 spent without a lead' })),
      adsWithSpend: 4_000,
    }
  }
  const withAds = (i: number) => account(i, { ads: [ranking('leads', 0), ranking('purchases', 10), ranking('link clicks', 20)] })

  it('stays within 50 valid blocks and 3,000 characters a section for many accounts of 4,000 ads with hostile names', () => {
    for (const count of [1, 5, 12, 40]) {
      const m = digestMessage(digest(Array.from({ length: count }, (_, i) => withAds(i))))
      expect(validateMessage(m)).toEqual([])
      expect(m.blocks.length).toBeLessThanOrEqual(50)
      const json = allText(m)
      expect(json).not.toContain('<!channel>')
      expect(json).not.toContain('<https://evil')
      for (const b of m.blocks) if (b.type === 'section' && b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000)
    }
    // Every account shown in full has its ads' section; the others are summed up in one section.
    const m = digestMessage(digest(Array.from({ length: 12 }, (_, i) => withAds(i))))
    const ads = m.blocks.filter((b) => b.type === 'section' && b.text?.text.startsWith(':mag: *Ads'))
    const full = m.blocks.filter((b) => b.type === 'section' && 'fields' in b && b.fields)
    expect(ads.length).toBe(full.length)
    expect(full.length).toBeGreaterThan(5)
    expect(allText(m)).toMatch(/more accounts\* \(in short/)
  })

  it('names the creative, the ad, its ad set and campaign, the rule and the threshold, escaped', () => {
    const a = account(0, {
      ads: [
        {
          ...ranking('leads', 0),
          best: [
            ad(1, {
              name: 'V2',
              creativeName: 'Spring <video>',
              adSet: { id: 's', name: 'Prospecting' },
              campaign: { id: 'c', name: 'Spring & sale' },
            }),
          ],
          worst: [
            ad(2, {
              name: 'Old',
              creativeName: null,
              state: 'deleted',
              adSet: { id: 's', name: 'Retargeting' },
              campaign: { id: 'c', name: 'Spring & sale' },
              results: 0,
              costPerResultMinor: null,
              reason: '$61.00 spent without a lead',
            }),
          ],
          adsWithSpend: 24,
        },
      ],
    })
    const m = digestMessage(digest([a], 0))
    expect(validateMessage(m)).toEqual([])
    const section = m.blocks.find((b) => b.type === 'section' && b.text?.text.startsWith(':mag:'))
    const text = section?.type === 'section' ? section.text?.text : undefined
    expect(text).toBe(
      [
        ':mag: *Ads, last 7 days (Mon 9 Mar – Sun 15 Mar)*',
        "_Each ad's cost per lead against $7.10, what the account's 24 ads seeking leads paid per lead. Best: at least 5 leads. Most expensive: at least $35.50 spent (what 5 leads usually cost)._",
        '*Best cost per lead*',
        '1. *Spring &lt;video&gt;* (ad “V2”) · Prospecting › Spring &amp; sale — $4.20 per lead (12 leads, $50.40 spent)',
        '*Most expensive per lead* (min. $35.50 spent)',
        '1. *Old* _(deleted)_ · Retargeting › Spring &amp; sale — $61.00 spent without a lead',
      ].join('\n'),
    )
  })

  it('adds no section for an account with nothing to say about its ads', () => {
    const m = digestMessage(digest([account(0)], 0))
    expect(allText(m)).not.toContain(':mag:')
  })
})
