/**
 * A card of several parts stays true when its refreshes cross: every part's apply redraws the one card, and Slack may
 * answer one chat.update with 429 (the web client then waits and resends what it drew). A refresh asked for
 * meanwhile draws the card again after it, from the state of then, so the last update is never an older drawing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAdAccount, createAdSet, createCampaign, createWorkspace } from '../../../test/support/factories.ts'
import { type FakeSlack, type SlackCall, startFakeSlack } from '../../../test/support/fake-slack.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../../../test/support/test-database.ts'
import { loadChange } from '../../domain/changes/change-include.ts'
import { createSlackClients } from '../../integrations/slack-web/slack-clients.ts'
import { silentLogger } from '../../lib/logger.ts'
import { createChangeCardPublisher } from './change-card-publisher.ts'

const serverUrl = requirePostgresUrl()
const CHANNEL = 'C0CARDS01'

describe.skipIf(!serverUrl)('change card refreshes', () => {
  let db: TestDatabase
  let slack: FakeSlack

  beforeAll(async () => {
    db = await createPostgresTestDatabase(serverUrl!)
    slack = await startFakeSlack()
  })
  afterAll(async () => {
    await slack?.close()
    await db?.drop()
  })

  it('a group card rate-limited once (429) still ends showing every part as it is now', async () => {
    const logger = silentLogger()
    const clients = createSlackClients({ apiUrl: slack.apiUrl, botToken: 'xoxb-cards', logger })
    const cards = createChangeCardPublisher({ prisma: db.prisma, slack: clients, logger })
    const workspace = await createWorkspace(db.prisma, { slackTeamId: 'T0001' })
    const account = await createAdAccount(db.prisma, { workspaceId: workspace.id, name: 'Shop', currency: 'USD' })
    const campaign = await createCampaign(db.prisma, account.id, { name: 'Spring sale' })
    const expiresAt = new Date(Date.now() + 3_600_000)
    const partOf = async (n: number, groupId: string | null) => {
      const adSet = await createAdSet(db.prisma, campaign, { name: `Set ${n}`, dailyBudget: 10_000n })
      return db.prisma.changeRequest.create({
        data: {
          workspaceId: workspace.id,
          adAccountId: account.id,
          campaignId: campaign.id,
          adSetId: adSet.id,
          level: 'adset',
          groupId,
          type: 'SET_DAILY_BUDGET',
          source: 'COMMAND',
          status: 'APPROVED',
          currentValue: { dailyBudgetMinor: 10_000 },
          proposedValue: { dailyBudgetMinor: 12_000 },
          decidedBySlackUserId: 'UADMIN',
          decidedAt: new Date(),
          expiresAt,
        },
      })
    }
    const a = await partOf(1, null)
    await db.prisma.changeRequest.update({ where: { id: a.id }, data: { groupId: a.id } })
    const b = await partOf(2, a.id)
    await cards.post(await loadChange(db.prisma, a.id), CHANNEL)
    const applied = async (id: string) => {
      await db.prisma.changeRequest.update({ where: { id }, data: { status: 'APPLIED', appliedAt: new Date() } })
      return loadChange(db.prisma, id)
    }
    const updates = () => slack.calls.filter((c) => c.method === 'chat.update')
    const undoLabel = (c: SlackCall) =>
      (c.args.blocks as Array<{ type: string; elements?: Array<{ action_id?: string; text?: { text: string } }> }>)
        .flatMap((x) => x.elements ?? [])
        .find((e) => e.action_id === 'change_undo')?.text?.text

    // A's apply redraws the card (A applied, B waiting); Slack answers that update with 429, Retry-After 1 s.
    slack.rateLimitOnce('chat.update', 1)
    const first = cards.refresh(await applied(a.id))
    await slack.waitFor<SlackCall>('call', (c) => c.method === 'chat.update' && c.result?.error === 'ratelimited')
    // Meanwhile B is applied and its apply redraws the card too.
    const second = cards.refresh(await applied(b.id))
    await Promise.all([first, second])

    const last = updates().at(-1)!
    expect(last.result?.ok).toBe(true)
    expect(undoLabel(last)).toBe('Undo 2 applied')
    expect(JSON.stringify(last.args.blocks)).toContain('2 applied, 0 failed, 0 waiting')
    expect(JSON.stringify(last.args.blocks)).not.toContain('waiting to be applied')
  }, 30_000)
})
