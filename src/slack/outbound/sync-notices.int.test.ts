/** What a sync tells people over Slack: the requester in the channel, else the connection's creator by DM. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createAdAccount, createConnection, createWorkspace } from '../../../test/support/factories.ts'
import { type FakeSlack, startFakeSlack } from '../../../test/support/fake-slack.ts'
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts'
import type { SyncAdAccountResult } from '../../domain/sync/sync-ad-account.ts'
import { createSlackClients } from '../../integrations/slack-web/slack-clients.ts'
import { silentLogger } from '../../lib/logger.ts'
import { createSyncNotices, type SyncNotices } from './sync-notices.ts'

describe('sync notices', () => {
  let slack: FakeSlack
  let db: TestDatabase
  let notices: SyncNotices
  let withCreator: string
  let withoutCreator: string
  const notify = { teamId: 'T0001', channelId: 'C0ASKED01', userId: 'UASKER' }

  beforeAll(async () => {
    slack = await startFakeSlack()
    db = await createTestDatabase()
    const ws = await createWorkspace(db.prisma, { slackTeamId: 'T0001' })
    const account = async (name: string, createdBySlackUserId?: string) => {
      const connection = await createConnection(db.prisma, ws.id, { createdBySlackUserId })
      return (await createAdAccount(db.prisma, { workspaceId: ws.id, connectionId: connection.id, name })).id
    }
    withCreator = await account('Fish & <Chips>', 'UCONNECTOR')
    withoutCreator = await account('Orphan Ltd')
    const logger = silentLogger()
    notices = createSyncNotices({
      prisma: db.prisma,
      slack: createSlackClients({ apiUrl: slack.apiUrl, botToken: 'xoxb-notices', logger }),
      logger,
    })
  })

  afterAll(async () => {
    await db?.drop()
    await slack?.close()
  })

  beforeEach(() => {
    slack.calls.length = 0
  })

  it('DMs whoever connected the token when a sync nobody asked for stops, with the account name escaped', async () => {
    await notices.tellSyncStopped(withCreator, undefined, 'Meta no longer accepts the token <reconnect>.')
    expect(slack.calls).toHaveLength(1)
    const [dm] = slack.calls
    expect(dm).toMatchObject({ method: 'chat.postMessage', token: 'xoxb-notices', args: { channel: 'UCONNECTOR' } })
    expect(dm!.args.text).toBe(':warning: Syncing *Fish &amp; &lt;Chips&gt;* stopped: Meta no longer accepts the token &lt;reconnect&gt;.')
  })

  it('tells the requester instead, in the channel they asked in, and DMs nobody', async () => {
    await notices.tellSyncStopped(withCreator, notify, 'Meta refused the request.')
    expect(slack.calls.map((c) => [c.method, c.args.channel, c.args.user])).toEqual([['chat.postEphemeral', 'C0ASKED01', 'UASKER']])
    expect(slack.calls[0]!.args.text).toBe(':warning: Meta refused the request.')
  })

  it('says nothing when nobody asked and the creator is unknown, or the account is gone', async () => {
    await notices.tellSyncStopped(withoutCreator, undefined, 'Meta refused the request.')
    await notices.tellSyncStopped('no-such-account', undefined, 'Meta refused the request.')
    expect(slack.calls).toEqual([])
  })

  it('reports each sync outcome to the requester', async () => {
    const result: SyncAdAccountResult = {
      adAccountId: withCreator,
      metaAccountId: 'act_1',
      name: 'Fish & <Chips>',
      since: '2026-03-01',
      until: '2026-03-28',
      campaigns: 3,
      adSets: 5,
      ads: 1,
      metricRows: 84,
      gaps: [],
    }
    await notices.tellSyncOutcome(notify, { kind: 'synced', result })
    await notices.tellSyncOutcome(notify, {
      kind: 'synced',
      result: {
        ...result,
        gaps: [{ since: '2026-03-01', until: '2026-03-14', reason: 'deadline', waitedMinutes: 15, at: '2026-03-28T10:00:00Z' }],
      },
    })
    await notices.tellSyncOutcome(notify, { kind: 'needs-reconnect' })
    await notices.tellSyncOutcome(notify, { kind: 'failed', message: 'Meta is <down>' })
    await notices.tellSyncOutcome(notify, { kind: 'failed' })
    expect(slack.calls.every((c) => c.method === 'chat.postEphemeral' && c.args.channel === 'C0ASKED01' && c.args.user === 'UASKER')).toBe(
      true,
    )
    expect(slack.calls.map((c) => c.args.text)).toEqual([
      ':white_check_mark: Synced *Fish &amp; &lt;Chips&gt;*: 3 campaigns, 5 ad sets, 1 ad, 84 ad-days (2026-03-01 → 2026-03-28).',
      ":warning: Partly synced *Fish &amp; &lt;Chips&gt;*: 3 campaigns, 5 ad sets, 1 ad, 84 ad-days (2026-03-01 → 2026-03-28). Meta's report for Sun 1 Mar – Sat 14 Mar did not finish within 15 min; retried at the next sync.",
      ':warning: Meta no longer accepts the token of this ad account. An admin needs to run `/promoly connect` again.',
      ':warning: The sync failed: Meta is &lt;down&gt;. It will run again at the next scheduled sync.',
      ':warning: The sync failed: an unexpected error (logged). It will run again at the next scheduled sync.',
    ])
  })

  it('logs and goes on when Slack refuses the notice', async () => {
    slack.on('chat.postEphemeral', () => ({ ok: false, error: 'channel_not_found' }))
    await expect(notices.tellSyncOutcome(notify, { kind: 'needs-reconnect' })).resolves.toBeUndefined()
    expect(slack.calls.map((c) => c.method)).toEqual(['chat.postEphemeral'])
  })
})
