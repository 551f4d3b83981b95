import { describe, expect, it } from 'vitest'
import type { AdAccount } from '../../generated/prisma/client.ts'
import { accountsMessage } from './accounts-message.ts'

const NOW = new Date('2026-11-25T15:00:00Z')

function account(overrides: Partial<AdAccount> = {}): AdAccount & { connection: { status: 'ACTIVE' } } {
  return {
    id: 'acc1',
    workspaceId: 'ws1',
    connectionId: 'conn1',
    clientId: 'client1',
    metaAccountId: 'act_111',
    name: 'Shop <US>',
    currency: 'USD',
    timezoneName: 'America/Los_Angeles',
    accountStatus: 1,
    countryCode: 'US',
    syncEnabled: true,
    fastSyncedAt: null,
    hourlyPattern: null,
    hourlyPatternAt: null,
    lastSyncedAt: new Date('2026-11-25T14:50:00Z'),
    lastSyncedDate: new Date('2026-11-25T00:00:00Z'),
    lastSyncError: null,
    adLevelSince: new Date('2026-10-29T00:00:00Z'),
    syncGaps: [],
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
    connection: { status: 'ACTIVE' },
  }
}

function text(content: ReturnType<typeof accountsMessage>): string {
  return JSON.stringify(content.blocks)
}

describe('accountsMessage', () => {
  it('a fully synced account says synced, with no warning', () => {
    const t = text(accountsMessage([account()], NOW))
    expect(t).toContain('synced 10 min ago')
    expect(t).not.toContain('partly')
    expect(t).not.toContain(':warning:')
  })

  it('a partly synced account is never shown as complete: it names the missing days and why', () => {
    const t = text(
      accountsMessage(
        [
          account({
            syncGaps: [
              { since: '2026-11-01', until: '2026-11-14', reason: 'deadline', waitedMinutes: 15, at: '2026-11-25T14:50:00Z' },
              { since: '2026-11-20', until: '2026-11-20', reason: 'failed', detail: 'Report <Failed>', at: '2026-11-25T14:50:00Z' },
            ],
          }),
        ],
        NOW,
      ),
    )
    expect(t).toContain('partly synced 10 min ago')
    expect(t).toContain(":warning: Meta's report for Sun 1 Nov – Sat 14 Nov did not finish within 15 min; retried at the next sync.")
    expect(t).toContain(':warning: Meta could not produce the report for Fri 20 Nov (Report &lt;Failed&gt;); retried at the next sync.')
  })

  it('ignores a malformed gap list rather than failing', () => {
    const t = text(accountsMessage([account({ syncGaps: [{ since: 'yesterday' }, 'x'] as unknown as AdAccount['syncGaps'] })], NOW))
    expect(t).toContain('synced 10 min ago')
    expect(t).not.toContain('partly')
  })
})
