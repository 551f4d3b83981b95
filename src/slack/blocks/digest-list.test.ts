import { describe, expect, it } from 'vitest'
import type { DigestSubscriptionWithAccounts } from '../../domain/digests/list-digest-subscriptions.ts'
import { validateMessage } from '../../playground/block-kit-validator.ts'
import { digestListMessage } from './digest-list.ts'

const sub = (fields: Partial<DigestSubscriptionWithAccounts>): DigestSubscriptionWithAccounts =>
  ({
    id: 'sub',
    workspaceId: 'ws',
    channelId: 'C0ACTIVE',
    localTime: '09:00',
    timeZone: 'UTC',
    adAccountIds: [],
    accountNames: [],
    status: 'ACTIVE',
    pausedReason: null,
    createdBySlackUserId: 'UADMIN',
    createdAt: new Date('2026-12-01T00:00:00Z'),
    updatedAt: new Date('2026-12-01T00:00:00Z'),
    ...fields,
  }) as DigestSubscriptionWithAccounts

describe('digest list', () => {
  it('shows paused digests first, with their reason and who set them up (#10 review 2, N4)', () => {
    const message = digestListMessage(
      [
        sub({ channelId: 'C0ACTIVE', accountNames: ['Shop'] }),
        sub({
          channelId: 'C0PAUSED',
          status: 'PAUSED',
          createdBySlackUserId: 'UPLAIN',
          pausedReason: 'the person who set it up is not a Promoly approver or admin; an approver or admin … <!here>',
        }),
      ],
      true,
    )
    const lines = message.text.split('\n')
    expect(lines[0]).toBe('Digests:')
    expect(lines[1]).toMatch(
      /^• :double_vertical_bar: \*Paused:\* <#C0PAUSED> at 09:00 \(UTC\) — all accounts, set up by <@UPLAIN> — the person/,
    )
    expect(lines[1]).toContain('&lt;!here&gt;')
    expect(lines[2]).toBe('• <#C0ACTIVE> at 09:00 (UTC) — Shop')
    expect(validateMessage(message)).toEqual([])
  })
})
