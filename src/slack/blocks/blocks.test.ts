/** Every message and modal Promoly builds, checked by the same Block Kit rules the playground enforces. */
import { describe, expect, it } from 'vitest'
import type { CampaignListItem } from '../../domain/campaigns/list-campaigns.ts'
import type { MetricsReport } from '../../domain/metrics/get-metrics-report.ts'
import { resolvePeriod } from '../../domain/metrics/periods.ts'
import { deriveMetrics, emptyTotals } from '../../domain/metrics/vocabulary.ts'
import type { AdAccount } from '../../generated/prisma/client.ts'
import { validateMessage, validateView } from '../../playground/block-kit-validator.ts'
import { campaignsMessage } from './campaigns-message.ts'
import { connectAccountsModal, connectTokenModal } from './connect-modals.ts'
import { createCampaignModal } from './create-campaign-modal.ts'
import { errorMessage } from './error-message.ts'
import { helpMessage, usageMessage } from './help-message.ts'
import { metricsMessage } from './metrics-message.ts'

const NOW = new Date('2026-11-25T12:00:00Z')

function item(i: number, accountIndex: number, spend: number): CampaignListItem {
  const totals = { ...emptyTotals('USD'), spend, impressions: 10_000, clicks: 100, leads: 5 }
  return {
    id: `c${i}`,
    metaCampaignId: String(1000 + i),
    name: `<!channel> Campaign *${i}* with a long name that goes on and on`.repeat(2),
    objective: 'OUTCOME_LEADS',
    status: i % 3 ? 'ACTIVE' : 'PAUSED',
    effectiveStatus: 'ACTIVE',
    dailyBudget: 5000,
    lifetimeBudget: null,
    budget: { on: 'campaign', daily: 5000, lifetime: null },
    account: {
      id: `a${accountIndex}`,
      name: `Account ${accountIndex} & <friends>`,
      currency: accountIndex % 2 ? 'JPY' : 'USD',
      metaAccountId: `act_${accountIndex}`,
    },
    yesterday: { totals, derived: deriveMetrics(totals, 'OUTCOME_LEADS') },
    last7d: { totals, derived: deriveMetrics(totals, 'OUTCOME_LEADS') },
  }
}

function report(historyFrom: string | null): MetricsReport {
  const t = {
    ...emptyTotals('EUR'),
    spend: 12_345,
    impressions: 50_000,
    reach: 30_000,
    clicks: 700,
    linkClicks: 500,
    leads: 20,
    purchases: 3,
    purchaseValue: 90_000,
    days: 7,
  }
  return {
    scope: {
      kind: 'campaign',
      name: '<@U123> Spring',
      metaCampaignId: '42',
      objective: 'OUTCOME_LEADS',
      status: 'ACTIVE',
      accountName: 'Nordlicht & Co',
    },
    currency: 'EUR',
    timeZone: 'Europe/Berlin',
    period: resolvePeriod('last_7d', NOW, 'Europe/Berlin'),
    current: { totals: t, derived: deriveMetrics(t, 'OUTCOME_LEADS') },
    previous: { totals: { ...t, spend: 10_000 }, derived: deriveMetrics({ ...t, spend: 10_000 }, 'OUTCOME_LEADS') },
    reach: null,
    lastSyncedAt: NOW,
    partlySynced: null,
    historyFrom,
    daily: [],
    chart: { resultKind: 'leads', resultsLabel: 'leads', note: null },
  }
}

describe('Promoly messages pass Slack Block Kit rules', () => {
  it('help, usage, errors and greetings', () => {
    for (const m of [
      helpMessage(),
      helpMessage('intro'),
      usageMessage('<bad> & worse', 'metrics'),
      errorMessage('x'.repeat(2900), 'hint'),
    ]) {
      expect(validateMessage(m)).toEqual([])
    }
    // A bare <word> in mrkdwn is a link to Slack: usage placeholders must be escaped.
    for (const m of [helpMessage()]) expect(JSON.stringify(m)).not.toMatch(/<(campaign|account)/)
  })

  it('a long campaign list across accounts stays within 50 blocks, grouped by account and escaped', () => {
    const items = Array.from({ length: 300 }, (_, i) => item(i, i % 9, 1_000_000 - i))
    items.sort((a, b) => a.account.name.localeCompare(b.account.name) || b.last7d.totals.spend - a.last7d.totals.spend)
    const m = campaignsMessage(items, { status: 'all' })
    expect(validateMessage(m)).toEqual([])
    expect(m.blocks.length).toBeLessThanOrEqual(50)
    const text = JSON.stringify(m)
    expect(text).not.toContain('<!channel>')
    expect(text).toContain('&lt;!channel&gt;')
    expect(text).toContain('Account 0 &amp; &lt;friends&gt;')
    expect(JSON.stringify(m.blocks.at(-1))).toMatch(/and \d+ more/)
    const deleted = { ...item(1, 0, 500), status: 'DELETED', effectiveStatus: 'DELETED' }
    const shown = JSON.stringify(campaignsMessage([deleted], { status: 'all' }))
    expect(shown).toContain('_deleted on Meta_')
    expect(validateMessage(campaignsMessage([], { status: 'paused', accountName: '<!here>' }))).toEqual([])
    expect(JSON.stringify(campaignsMessage([], { status: 'paused', accountName: '<!here>' }))).not.toContain('<!here>')
  })

  it('metrics cards, with and without enough history to compare', () => {
    const full = metricsMessage(report('2026-09-01'), NOW)
    expect(validateMessage(full)).toEqual([])
    expect(JSON.stringify(full)).toMatch(/▲ 23%/)
    // Only plain_text (the header) may carry the raw name: Slack does not parse mentions there.
    expect(full.text).not.toContain('<@U123>')
    expect(JSON.stringify(full.blocks.slice(1))).not.toContain('<@U123>')
    // The dates, the time zone and the previous period in words; seven period buttons, the shown one primary.
    expect(JSON.stringify(full)).toContain(
      'Last 7 days: Wed 18 Nov – Tue 24 Nov (Europe/Berlin), compared with the 7 days before (Wed 11 Nov – Tue 17 Nov).',
    )
    const buttons = (full.blocks.at(-1) as { elements: Array<{ text: { text: string }; style?: string }> }).elements
    expect(buttons.map((b) => b.text.text)).toEqual([
      'Yesterday',
      '7 days',
      '14 days',
      '30 days',
      'Last week',
      'Month to date',
      'Last month',
    ])
    expect(buttons.filter((b) => b.style === 'primary').map((b) => b.text.text)).toEqual(['7 days'])
    const range = metricsMessage({ ...report('2026-09-01'), period: resolvePeriod('2026-11-01..2026-11-15', NOW, 'Europe/Berlin') }, NOW)
    expect(validateMessage(range)).toEqual([])
    expect(JSON.stringify(range)).toContain(
      'Sun 1 Nov – Sun 15 Nov: Sun 1 Nov – Sun 15 Nov (Europe/Berlin), compared with the 15 days before (Sat 17 Oct – Sat 31 Oct).',
    )
    const partial = metricsMessage(report('2026-11-15'), NOW)
    expect(validateMessage(partial)).toEqual([])
    expect(JSON.stringify(partial)).toContain('incomplete')
    expect(JSON.stringify(partial)).not.toMatch(/[▲▼]/)
  })

  it('metrics cards of an ad set and of a deleted ad: the level and parents, no reach, ad-level history', () => {
    const adSet = metricsMessage(
      {
        ...report('2026-09-01'),
        scope: {
          kind: 'adset',
          name: 'Retargeting <!here>',
          metaAdSetId: '77',
          campaign: { name: 'Spring *sale*', metaCampaignId: '42' },
          objective: 'OUTCOME_LEADS',
          status: 'ACTIVE',
          accountName: 'Nordlicht & Co',
          gone: null,
        },
      },
      NOW,
    )
    expect(validateMessage(adSet)).toEqual([])
    const text = JSON.stringify(adSet.blocks.slice(1))
    expect(text).toContain('Ad set *Retargeting &lt;!here&gt;* in campaign *Spring *sale**')
    expect(text).not.toContain('*Reach*')
    expect(text).toContain('Reach is not shown for ad sets and ads')
    expect(text).toContain('"target\\":\\"77\\"')
    const ad = metricsMessage(
      {
        ...report('2026-11-20'),
        scope: {
          kind: 'ad',
          name: 'Blue shoes',
          metaAdId: '88',
          creativeName: 'Blue video',
          adSet: { name: 'Retargeting', metaAdSetId: '77' },
          campaign: { name: 'Spring sale', metaCampaignId: '42' },
          objective: 'OUTCOME_LEADS',
          status: 'DELETED',
          accountName: 'Nordlicht',
          gone: 'deleted',
        },
      },
      NOW,
    )
    expect(validateMessage(ad)).toEqual([])
    const adText = JSON.stringify(ad)
    expect(adText).toContain('Ad *Blue shoes* in ad set *Retargeting* of campaign *Spring sale* · creative *Blue video*')
    expect(adText).toContain(':wastebasket: deleted on Meta')
    expect(adText).toContain('Ad-level figures (ad sets and ads) start on Fri 20 Nov, so both periods are incomplete')
  })

  it('the connect and create modals', () => {
    expect(validateView(connectTokenModal())).toEqual([])
    const accounts = Array.from({ length: 120 }, (_, i) => ({
      id: `act_${i}`,
      accountId: String(i),
      name: `Account ${i}`,
      currency: 'USD',
      timezoneName: 'UTC',
      countryCode: null,
      accountStatus: 1,
    }))
    expect(validateView(connectAccountsModal('conn1', accounts, 'System User'))).toEqual([])
    const adAccounts = accounts.slice(0, 3).map((a) => ({ id: a.id, name: a.name, currency: 'USD' }) as AdAccount)
    expect(validateView(createCampaignModal(adAccounts, 'C1', { name: 'Spring' }))).toEqual([])
  })
})
