/** Untrusted text in what we post: cut to Slack's limits, stripped of bidirectional controls (#10 finding 8). */
import { describe, expect, it } from 'vitest'
import type { ChangeWithContext } from '../../domain/changes/change-include.ts'
import { validateMessage } from '../../playground/block-kit-validator.ts'
import { changeCard } from './change-card.ts'
import { errorMessage, infoMessage } from './error-message.ts'

const BIDI = /[\u202A-\u202E\u2066-\u2069]/

describe('untrusted text', () => {
  it('keeps a reply that echoes a 3,500-character input within what Slack accepts', () => {
    const long = `No campaign matches "${'&'.repeat(3500)}".`
    for (const m of [errorMessage(long, long), infoMessage(long)]) expect(validateMessage(m)).toEqual([])
    expect(errorMessage(long).text).toMatch(/…$/)
  })

  it('lets an error name channels and people as mentions, never a broadcast or a link', () => {
    const m = errorMessage('<#C0CLIENTS1> already belongs to <@U0ADMIN01>; <!channel> <http://evil|x> <#U0BAD> <@C0BAD>')
    expect(m.text).toBe(
      '<#C0CLIENTS1> already belongs to <@U0ADMIN01>; &lt;!channel&gt; &lt;http://evil|x&gt; &lt;#U0BAD&gt; &lt;@C0BAD&gt;',
    )
  })

  it('shows no bidirectional control characters in a change card', () => {
    const sneaky = 'Spring \u202Eelas\u202C \u2066x\u2069'
    const card = changeCard({
      id: 'c1',
      type: 'CREATE_CAMPAIGN',
      status: 'PROPOSED',
      source: 'COMMAND',
      currentValue: {},
      proposedValue: { name: sneaky, objective: 'OUTCOME_LEADS', dailyBudgetMinor: 5000, specialAdCategories: [], status: 'PAUSED' },
      guardrails: [],
      evidence: [{ label: sneaky, value: sneaky }],
      reason: sneaky,
      requestedBySlackUserId: 'U1',
      expiresAt: new Date('2026-12-05T00:00:00Z'),
      adAccount: { id: 'a1', name: `Shop ${sneaky}`, currency: 'USD', metaAccountId: 'act_1', client: { name: `Acme ${sneaky}` } },
      campaign: null,
    } as unknown as ChangeWithContext)
    const json = JSON.stringify(card)
    expect(json).not.toMatch(BIDI)
    expect(json).toContain('Spring elas x')
    expect(validateMessage(card)).toEqual([])
  })
})
