/**
 * Cards a marketer reads at a glance (issue 11 §6): the finding in plain words first, the statistics on a context
 * line, the client on every card, an Approve confirm that names the action and the amounts (and any guardrail it
 * fails), no plain Approve on a change a guardrail refuses (only an admin's Override… with a reason), people named as
 * mentions in undo reasons, one date format, a legend where status icons appear. Every card passes the Block Kit rules.
 */
import { describe, expect, it } from 'vitest'
import type { CampaignListItem } from '../../domain/campaigns/list-campaigns.ts'
import type { ChangeWithContext } from '../../domain/changes/change-include.ts'
import type { GuardrailResult } from '../../domain/changes/guardrails.ts'
import type { HistoryEntry } from '../../domain/changes/list-history.ts'
import { deriveMetrics, emptyTotals } from '../../domain/metrics/vocabulary.ts'
import type { Suggestion } from '../../generated/prisma/client.ts'
import { formatDateTime, formatDay, formatDayRange, withFormattedDays } from '../../lib/dates.ts'
import { validateMessage, validateView } from '../../playground/block-kit-validator.ts'
import { campaignsMessage } from './campaigns-message.ts'
import { CHANGE_ACTIONS, changeCard } from './change-card.ts'
import { approveNoteModal } from './edit-change-modal.ts'
import { historyMessage } from './history-message.ts'
import { suggestionMessage } from './suggestion-message.ts'
import type { Blocks } from './types.ts'

type Block = Blocks[number] & Record<string, unknown>
const ok = (message: string): GuardrailResult => ({ name: 'changes_per_day', ok: true, message })

function change(over: Partial<ChangeWithContext> = {}): ChangeWithContext {
  return {
    id: 'chg_1',
    workspaceId: 'w1',
    adAccountId: 'a1',
    campaignId: 'c1',
    type: 'SET_DAILY_BUDGET',
    status: 'PROPOSED',
    source: 'OPTIMIZER',
    currentValue: { dailyBudgetMinor: 8000 },
    proposedValue: { dailyBudgetMinor: 9600 },
    guardrails: [ok('+20% is within the ±30% limit per change'), ok('0 of 10 changes approved for this ad account today')],
    evidence: [
      { label: 'CPL, last 7 days', value: '€12.00 (40 leads, €480.00 spent)' },
      { label: 'Confidence', value: '99%' },
    ],
    reason:
      'Cost per lead is €12.00 over the last 7 days, well below the account CPL of €30.00, and the budget is what holds it back — very unlikely to be chance\nExpected: ≈ +8 leads/week.',
    requestedBySlackUserId: null,
    decidedBySlackUserId: null,
    decidedAt: null,
    expiresAt: new Date('2026-12-05T14:05:00Z'),
    createdAt: new Date('2026-12-04T09:00:00Z'),
    overrideReason: null,
    failureReason: null,
    outcome: null,
    adAccount: { id: 'a1', name: 'Acme Leads', currency: 'USD', metaAccountId: 'act_1', client: { name: 'Acme GmbH' } },
    campaign: { id: 'c1', name: 'Spring Sale', metaCampaignId: '42' },
    replaces: null,
    ...over,
  } as unknown as ChangeWithContext
}

const blocksOf = (m: { blocks: Blocks }) => m.blocks as Block[]
const textOf = (b: Block) => JSON.stringify(b)
const buttons = (m: { blocks: Blocks }) =>
  blocksOf(m)
    .filter((b) => b.type === 'actions')
    .flatMap((b) => (b.elements as Array<{ action_id: string; text: { text: string }; confirm?: { text: { text: string } } }>) ?? [])

describe('change cards', () => {
  it('say the finding in plain words first, the statistics on a context line, and name the client', () => {
    const card = changeCard(change())
    expect(validateMessage(card)).toEqual([])
    const [header, client, first] = blocksOf(card)
    expect(header?.type).toBe('header')
    expect(client).toMatchObject({ type: 'context' })
    expect(textOf(client!)).toContain('*Acme GmbH* · Acme Leads (USD)')
    expect(first).toMatchObject({ type: 'section' })
    expect((first as { text: { text: string } }).text.text).toMatch(/^\*Cost per lead is €12\.00 .* very unlikely to be chance\*\nExpected/)
    const stats = blocksOf(card).find((b) => b.type === 'context' && textOf(b).includes('CPL, last 7 days'))
    expect(stats && textOf(stats)).toContain('CPL, last 7 days: €12.00 (40 leads, €480.00 spent) · Confidence: 99%')
    // The statistics are small print, not section fields.
    expect(blocksOf(card).filter((b) => b.type === 'section' && textOf(b).includes('Confidence'))).toEqual([])
  })

  it('without a reason, the first line says what the change does', () => {
    const card = changeCard(change({ source: 'COMMAND', reason: null, evidence: [] as never, requestedBySlackUserId: 'U0MEMBER1' }))
    expect(validateMessage(card)).toEqual([])
    expect(textOf(blocksOf(card)[2]!)).toContain('Budget $80.00 → $96.00/day · *Spring Sale*')
  })

  it("Approve's confirm names the action, the amounts, the client and account", () => {
    const approve = buttons(changeCard(change())).find((e) => e.action_id === CHANGE_ACTIONS.approve)
    expect(approve?.confirm?.text.text).toBe('Budget $80.00 → $96.00/day · *Spring Sale*\nAcme GmbH · Acme Leads. Applied on Meta at once.')
    const pause = buttons(changeCard(change({ type: 'PAUSE', currentValue: { status: 'ACTIVE' }, proposedValue: {} }))).find(
      (e) => e.action_id === CHANGE_ACTIONS.approve,
    )
    expect(pause?.confirm?.text.text).toMatch(/^Pause \*Spring Sale\*\n/)
  })

  it('a change a guardrail refuses has no plain Approve: only Override… (admins, with a reason), and says why', () => {
    const refused = change({
      guardrails: [
        { name: 'max_budget_change', ok: false, message: '+50% exceeds the ±30% limit per change (at most $104.00)' },
        ok('0 of 10 changes approved for this ad account today'),
      ] as never,
      proposedValue: { dailyBudgetMinor: 12000 },
    })
    const card = changeCard(refused)
    expect(validateMessage(card)).toEqual([])
    const ids = buttons(card).map((e) => e.action_id)
    expect(ids).not.toContain(CHANGE_ACTIONS.approve)
    expect(ids).toContain(CHANGE_ACTIONS.approveNote)
    expect(buttons(card).find((e) => e.action_id === CHANGE_ACTIONS.approveNote)?.text.text).toBe('Override…')
    const said = JSON.stringify(card.blocks)
    expect(said).toContain('A guardrail refuses this change:* +50% exceeds the ±30% limit per change')
    expect(said).toContain('only a Promoly admin can override it, stating a reason')
    // The override form names the action and amounts and what refuses it, and the reason is required.
    const modal = approveNoteModal(refused)
    expect(validateView(modal)).toEqual([])
    const modalText = JSON.stringify(modal.blocks)
    expect(modalText).toContain('Budget $80.00 → $120.00/day · *Spring Sale*')
    expect(modalText).toContain('Refused by: +50% exceeds')
    const input = (modal.blocks as Block[]).find((b) => b.type === 'input')
    expect(input?.optional).toBeUndefined()
  })

  it('a change no override can lift offers neither Approve nor Override', () => {
    const card = changeCard(
      change({
        guardrails: [{ name: 'budget_ceiling', ok: false, message: 'above the ceiling of $500.00/day' }] as never,
      }),
    )
    const ids = buttons(card).map((e) => e.action_id)
    expect(ids).not.toContain(CHANGE_ACTIONS.approve)
    expect(ids).not.toContain(CHANGE_ACTIONS.approveNote)
    expect(JSON.stringify(card.blocks)).toContain('cannot be approved as it stands')
    expect(validateMessage(card)).toEqual([])
  })

  it('an undo names the person who approved the original as a mention, never a raw id; other markup stays escaped', () => {
    const card = changeCard(
      change({ source: 'UNDO', reason: 'Undo of the change approved by <@U0ADMIN01>. <!channel> <http://x|y>', evidence: [] as never }),
    )
    const said = JSON.stringify(card.blocks)
    expect(said).toContain('approved by <@U0ADMIN01>.')
    expect(said).not.toContain('@U0ADMIN01&gt;')
    expect(said).toContain('&lt;!channel&gt;')
    expect(validateMessage(card)).toEqual([])
  })

  it('dates in the one format, with a legend for the guardrail marks', () => {
    const dated = changeCard(
      change({
        evidence: [
          { label: 'CPL, last 7 days (2026-11-26 → 2026-12-02)', value: '€42.00' },
          { label: 'Yesterday', value: '2026-12-03 not counted yet' },
        ] as never,
      }),
    )
    expect(JSON.stringify(dated.blocks)).toContain(
      'CPL, last 7 days (Thu 26 Nov → Wed 2 Dec): €42.00 · Yesterday: Thu 3 Dec not counted yet',
    )
    const said = JSON.stringify(changeCard(change()).blocks)
    expect(said).toContain('Expires Sat 5 Dec, 14:05 UTC.')
    expect(said).not.toContain('<!date^')
    expect(said).toContain(':white_check_mark: within the guardrail · :x: refused by it')
  })
})

describe('suggestion cards', () => {
  const s = {
    id: 's1',
    workspaceId: 'w1',
    adAccountId: 'a1',
    campaignId: 'c1',
    kind: 'low_ctr',
    status: 'OPEN',
    title:
      "Only 0.40% of people who see the ads click (last 7 days), against 1.20% for the account's similar campaigns — very unlikely to be chance",
    evidence: [
      { label: 'CTR, last 7 days', value: '0.40% (95% interval 0.31%–0.52%)' },
      { label: 'Clicks / impressions', value: '80 / 20,000' },
    ],
    confidence: 0.995,
    notice: 'Nothing to apply through the API: refresh the creatives.',
    expectedEffect: { text: '≈ +160 clicks/week', basis: "last 7 days' impressions" },
  } as unknown as Suggestion
  const place = {
    clientName: 'Nordlicht & Co',
    accountName: 'Nordlicht Shop',
    currency: 'EUR',
    campaignName: 'Winter <Sale>',
    level: 'campaign' as const,
    adSetName: null,
    adName: null,
  }

  it('plain first line, statistics and confidence on a context line, the client named', () => {
    const card = suggestionMessage(s, place)
    expect(validateMessage(card)).toEqual([])
    const [, client, first, stats] = blocksOf(card)
    expect(textOf(client!)).toContain('*Nordlicht &amp; Co* · Nordlicht Shop (EUR)')
    expect((first as { text: { text: string } }).text.text).toMatch(/^\*Only 0\.40% of people who see the ads click/)
    expect(stats).toMatchObject({ type: 'context' })
    expect(textOf(stats!)).toContain(
      'CTR, last 7 days: 0.40% (95% interval 0.31%–0.52%) · Clicks / impressions: 80 / 20,000 · Confidence 99%',
    )
    expect(blocksOf(card)[0]).toMatchObject({ type: 'header', text: { text: 'Low click-through rate: Campaign “Winter <Sale>”' } })
  })

  it('names an ad with its ad set and campaign (header plain, notification text escaped mrkdwn)', () => {
    const onAd = { ...s, kind: 'creative_fatigue', level: 'ad' } as Suggestion
    const card = suggestionMessage(onAd, { ...place, level: 'ad', adSetName: 'Broad <18-24>', adName: 'Video *1*' })
    expect(validateMessage(card)).toEqual([])
    expect(blocksOf(card)[0]).toMatchObject({
      type: 'header',
      text: { text: 'Creative fatigue: Ad “Video *1*” in ad set “Broad <18-24>” (campaign “Winter <Sale>”)' },
    })
    expect(card.text).toMatch(
      /^Creative fatigue: Ad \*Video \*1\*\* in ad set \*Broad &lt;18-24&gt;\* \(campaign \*Winter &lt;Sale&gt;\*\) — Only/,
    )
    const onAdSet = suggestionMessage({ ...s, kind: 'overpacing', level: 'adset' } as Suggestion, {
      ...place,
      level: 'adset',
      adSetName: 'Lookalike',
    })
    expect(blocksOf(onAdSet)[0]).toMatchObject({
      text: { text: 'Overspending its budget: Ad set “Lookalike” in campaign “Winter <Sale>”' },
    })
  })
})

describe('one date format and legends', () => {
  it('formats days and moments one way', () => {
    expect(formatDay('2026-12-04')).toBe('Fri 4 Dec')
    expect(formatDay('2026-09-04', { withYear: true })).toBe('4 Sep 2026')
    expect(formatDayRange('2026-11-28', '2026-12-04')).toBe('Sat 28 Nov – Fri 4 Dec')
    expect(formatDateTime(new Date('2026-12-04T09:30:00Z'))).toBe('Fri 4 Dec, 09:30 UTC')
    expect(withFormattedDays('from 2026-11-26 to 2026-12-02, not 2026-13-45')).toBe('from Thu 26 Nov to Wed 2 Dec, not 2026-13-45')
  })

  it('history shows status icons with their legend, dates in the one format', () => {
    const entry = {
      ...change({ status: 'APPLIED', decidedBySlackUserId: 'U0ADMIN01', decidedAt: new Date('2026-12-04T10:00:00Z') }),
      outcome: { dailyBudgetMinor: 9600 },
      result: null,
      replacedBy: [],
    } as unknown as HistoryEntry
    const m = historyMessage([entry])
    expect(validateMessage(m)).toEqual([])
    const said = JSON.stringify(m.blocks)
    expect(said).toContain(':white_check_mark: applied · :x: failed')
    expect(said).toContain(':white_check_mark: *Change daily budget*')
    expect(said).toContain('Fri 4 Dec, 10:00 UTC')
  })

  it('the campaigns list explains its status icons', () => {
    const totals = { ...emptyTotals('USD'), spend: 100 }
    const item = {
      id: 'c1',
      metaCampaignId: '1',
      name: 'Spring',
      objective: 'OUTCOME_LEADS',
      status: 'ACTIVE',
      effectiveStatus: 'ACTIVE',
      dailyBudget: 5000,
      lifetimeBudget: null,
      budget: { on: 'campaign', daily: 5000, lifetime: null },
      account: { id: 'a1', name: 'Acme', currency: 'USD', metaAccountId: 'act_1' },
      yesterday: { totals, derived: deriveMetrics(totals, 'OUTCOME_LEADS') },
      last7d: { totals, derived: deriveMetrics(totals, 'OUTCOME_LEADS') },
    } as unknown as CampaignListItem
    const m = campaignsMessage([item], { status: 'active' })
    expect(validateMessage(m)).toEqual([])
    expect(JSON.stringify(m.blocks)).toContain(':large_green_circle: active · :double_vertical_bar: paused')
  })
})
