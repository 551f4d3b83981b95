/**
 * Change cards at ad set and ad level name the level and the parent (escaped); a card of several parts lists each
 * part (object, from → to, its guardrails, its outcome), and its Approve confirm names every part's action and amounts.
 */
import { describe, expect, it } from 'vitest'
import type { ChangeWithContext } from '../../domain/changes/change-include.ts'
import { validateMessage, validateView } from '../../playground/block-kit-validator.ts'
import { CHANGE_ACTIONS, changeCard } from './change-card.ts'
import { approveNoteModal } from './edit-change-modal.ts'

const ok = { name: 'changes_per_day', ok: true, message: '0 of 10 changes approved for this ad account today' }

function part(over: Partial<ChangeWithContext> & { n: number }): ChangeWithContext {
  const { n, ...rest } = over
  return {
    id: `chg_${n}`,
    workspaceId: 'w1',
    adAccountId: 'a1',
    campaignId: 'c1',
    adSetId: `s${n}`,
    adId: null,
    level: 'adset',
    groupId: 'chg_1',
    type: 'SET_DAILY_BUDGET',
    status: 'PROPOSED',
    source: 'COMMAND',
    currentValue: { dailyBudgetMinor: 10_000 },
    proposedValue: { dailyBudgetMinor: 12_000 },
    guardrails: [ok],
    evidence: [],
    reason: null,
    requestedBySlackUserId: 'U0ASKER',
    decidedBySlackUserId: null,
    decidedAt: null,
    expiresAt: new Date('2026-12-05T14:05:00Z'),
    createdAt: new Date('2026-12-04T09:00:00Z'),
    overrideReason: null,
    failureReason: null,
    outcome: null,
    adAccount: { id: 'a1', name: 'Acme Leads', currency: 'USD', metaAccountId: 'act_1', client: { name: 'Acme GmbH' } },
    campaign: { id: 'c1', name: 'Spring *Sale*', metaCampaignId: '42' },
    adSet: { id: `s${n}`, name: `Set <${n}>`, metaAdSetId: `9${n}` },
    ad: null,
    replaces: null,
    ...rest,
  } as unknown as ChangeWithContext
}

const text = (m: unknown) => JSON.stringify(m)
type Button = { action_id: string; value: string; text: { text: string }; confirm?: { text: { text: string } } }
const buttons = (m: { blocks: unknown[] }) =>
  (m.blocks as Array<{ type: string; elements?: Button[] }>).filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? [])

describe('change cards at every level', () => {
  it('an ad set change names the level and its campaign, escaped', () => {
    const card = changeCard(part({ n: 1, groupId: null }))
    expect(validateMessage(card)).toEqual([])
    expect(text(card)).toContain('Change daily budget: Set <1>')
    expect(text(card)).toContain('Ad set *Set &lt;1&gt;* in campaign *Spring *Sale**')
  })

  it('an ad pause says "Pause ad" and names the ad set and campaign', () => {
    const ad = part({
      n: 1,
      groupId: null,
      level: 'ad',
      adId: 'd1',
      type: 'PAUSE',
      currentValue: { status: 'ACTIVE' },
      proposedValue: { status: 'PAUSED' },
      ad: { id: 'd1', name: 'Blue shoes', metaAdId: '77' },
    } as never)
    const card = changeCard(ad)
    expect(validateMessage(card)).toEqual([])
    expect(text(card)).toContain('Pause ad: Blue shoes')
    expect(text(card)).toContain('Ad *Blue shoes* in ad set *Set &lt;1&gt;*')
    expect(buttons(card).find((b) => b.action_id === CHANGE_ACTIONS.approve)?.confirm?.text.text).toMatch(/^Pause \*Blue shoes\*\n/)
  })

  it("an admin's override form names the ad it pauses, not the ad's campaign", () => {
    const refused = part({
      n: 1,
      groupId: null,
      level: 'ad',
      adId: 'd1',
      type: 'PAUSE',
      currentValue: { status: 'ACTIVE' },
      proposedValue: { status: 'PAUSED' },
      guardrails: [{ name: 'cooldown', ok: false, message: 'changed less than 2 h ago' }],
      ad: { id: 'd1', name: 'Blue shoes', metaAdId: '77' },
    } as never)
    const modal = approveNoteModal(refused)
    expect(validateView(modal)).toEqual([])
    expect(text(modal.blocks)).toContain('Pause *Blue shoes*')
    expect(text(modal.blocks)).not.toContain('Pause *Spring')
  })

  it('a group card lists each part with its guardrails, and Approve confirms every part', () => {
    const parts = [1, 2, 3].map((n) => part({ n }))
    parts[2]!.guardrails = [
      { name: 'meta_budget_changes_per_hour', ok: false, message: 'Meta allows 4 budget changes per ad set per hour' },
    ] as never
    const card = changeCard(parts[0]!, parts)
    expect(validateMessage(card)).toEqual([])
    expect(text(card)).toContain('Change daily budget: 3 ad sets in Spring *Sale*')
    for (const n of [1, 2, 3]) expect(text(card)).toContain(`Ad set *Set &lt;${n}&gt;*: $100.00 → $120.00 (+20%)`)
    expect(text(card)).toContain(':x: Meta allows 4 budget changes per ad set per hour')
    // A part refused by a hard guardrail: no Approve on the card at all.
    expect(buttons(card).map((b) => b.action_id)).not.toContain(CHANGE_ACTIONS.approve)
    parts[2]!.guardrails = [ok] as never
    const approve = buttons(changeCard(parts[0]!, parts)).find((b) => b.action_id === CHANGE_ACTIONS.approve)
    expect(approve?.value).toBe('chg_1')
    expect(approve?.confirm?.text.text.split('\n').slice(0, 3)).toEqual(
      [1, 2, 3].map((n) => `Budget $100.00 → $120.00/day · *Set &lt;${n}&gt;*`),
    )
    expect(approve!.confirm!.text.text.length).toBeLessThanOrEqual(300)
    // Its parts are decided together: no Edit amount… (editing one part is refused), refused or not.
    expect(buttons(changeCard(parts[0]!, parts)).map((b) => b.action_id)).not.toContain(CHANGE_ACTIONS.edit)
    parts[2]!.guardrails = [{ name: 'max_budget_change', ok: false, message: '+20% exceeds the ±10% limit per change' }] as never
    expect(buttons(changeCard(parts[0]!, parts)).map((b) => b.action_id)).not.toContain(CHANGE_ACTIONS.edit)
    // A change alone keeps it.
    expect(buttons(changeCard(part({ n: 1, groupId: null }))).map((b) => b.action_id)).toContain(CHANGE_ACTIONS.edit)
  })

  it('after approval the group card shows each part’s outcome, Undo of the applied ones and Retry of a failed one', () => {
    const decided = { decidedBySlackUserId: 'U0BOSS', decidedAt: new Date('2026-12-04T10:00:00Z') }
    const parts = [
      part({ n: 1, ...decided, status: 'APPLIED', outcome: { status: 'ACTIVE', dailyBudgetMinor: 12_000 } } as never),
      part({ n: 2, ...decided, status: 'FAILED', failureReason: 'Deleted ad sets can’t be edited.' } as never),
      part({ n: 3, ...decided, status: 'APPROVED' } as never),
    ]
    const card = changeCard(parts[0]!, parts)
    expect(validateMessage(card)).toEqual([])
    expect(text(card)).toContain('*applied*: Meta now reports status *active*, daily budget *$120.00*')
    expect(text(card)).toContain('*failed*: Deleted ad sets can’t be edited.')
    expect(text(card)).toContain('waiting to be applied on Meta')
    expect(text(card)).toContain('1 applied, 1 failed, 1 waiting')
    const b = buttons(card)
    expect(b.find((x) => x.action_id === CHANGE_ACTIONS.undo)?.value).toBe('chg_1')
    expect(b.find((x) => x.action_id.startsWith(CHANGE_ACTIONS.retry))).toMatchObject({ value: 'chg_2', text: { text: 'Retry Set <2>' } })
  })

  it('twenty parts still make a valid message, the confirm capped', () => {
    const parts = Array.from({ length: 24 }, (_, i) => part({ n: i + 1 }))
    const card = changeCard(parts[0]!, parts)
    expect(validateMessage(card)).toEqual([])
    expect(text(card)).toContain('…and 4 more parts.')
    expect(buttons(card).find((b) => b.action_id === CHANGE_ACTIONS.approve)?.confirm?.text.text).toContain('…and 21 more')
  })
})

describe('information lines and the override form at every level', () => {
  it('shows a pause of the last active ad as information, not as a passed check', () => {
    const note = {
      name: 'last_active',
      ok: true,
      message: 'the last active ad of ad set “Broad”: once it is paused, that ad set delivers nothing',
    }
    const card = changeCard(
      part({
        n: 1,
        groupId: null,
        type: 'PAUSE',
        level: 'ad',
        adId: 'ad1',
        currentValue: { status: 'ACTIVE' },
        proposedValue: { status: 'PAUSED' },
        ad: { id: 'ad1', name: 'Video', metaAdId: '77' },
        guardrails: [ok, note],
      } as never),
    )
    expect(text(card)).toContain(':information_source: the last active ad of ad set')
    expect(text(card)).not.toContain(':white_check_mark: the last active ad')
  })

  it('the override form names the ad set (not only its campaign) and, on a card of several, every part and what refuses it', () => {
    const refused = { name: 'max_budget_change', ok: false, message: '+50% exceeds the ±30% limit per change' }
    const single = approveNoteModal(part({ n: 1, groupId: null, guardrails: [refused] }))
    expect(validateView(single)).toEqual([])
    expect(text(single)).toContain('Ad set *Set &lt;1&gt;* in campaign *Spring *Sale**')
    const parts = [part({ n: 1 }), part({ n: 2, guardrails: [refused] })]
    const group = approveNoteModal(parts[0]!, parts)
    expect(validateView(group)).toEqual([])
    expect(text(group)).toContain('2 changes on one card, approved together')
    expect(text(group)).toContain('Set &lt;1&gt;')
    expect(text(group)).toContain('Set &lt;2&gt;: +50% exceeds')
  })
})
