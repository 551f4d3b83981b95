/**
 * A card posted in a client's channel never shows or acts on an account that has since moved to another client
 * (issue 11): after `clients move X to Beta`, #client-acme's old cards become a neutral stub on their next draw,
 * new cards meant for #client-acme (an undo, an edit) go to Beta's suggestions channel, and clicks there are refused.
 */
import type { WebClient } from '@slack/web-api'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { testDomainDeps } from '../../../test/support/domain-deps.ts'
import { createAdAccount, createCampaign, createClient, createWorkspace } from '../../../test/support/factories.ts'
import { type FakeSlack, startFakeSlack } from '../../../test/support/fake-slack.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../../../test/support/test-database.ts'
import { loadChange } from '../../domain/changes/change-include.ts'
import { expireChanges } from '../../domain/changes/decide-change.ts'
import { moveAdAccount } from '../../domain/clients/move-ad-account.ts'
import type { DomainDeps } from '../../domain/deps.ts'
import type { Workspace } from '../../generated/prisma/client.ts'
import type { MetaApi } from '../../integrations/meta/meta-api.ts'
import { createSlackClients } from '../../integrations/slack-web/slack-clients.ts'
import { silentLogger } from '../../lib/logger.ts'
import type { SlackDeps } from '../deps.ts'
import { changeApproveClicked, changeUndoClicked } from '../listeners/actions/change-decision.ts'
import { suggestionDismissed } from '../listeners/actions/suggestion-dismissed.ts'
import { type ChangeCardPublisher, createChangeCardPublisher } from './change-card-publisher.ts'

const serverUrl = requirePostgresUrl()
const ACME_CHANNEL = 'C0ACME001'
const BETA_CHANNEL = 'C0BETA001'
const ADMIN = 'UADMIN001'
const STUB = 'This card is closed here: its ad account now belongs to another client.'

describe.skipIf(!serverUrl)('cards after their ad account moved to another client', () => {
  let db: TestDatabase
  let slack: FakeSlack
  let cards: ChangeCardPublisher
  let deps: SlackDeps
  let domain: DomainDeps
  let workspace: Workspace
  let webClient: WebClient | undefined
  let appliedId: string
  let proposedId: string
  let suggestionId: string
  let accountId: string

  const calls = (method: string) => slack.calls.filter((c) => c.method === method)
  const text = (value: unknown) => JSON.stringify(value)

  function clickArgs(actionId: string, value: string, channelId: string, replies: unknown[] = []) {
    return {
      ack: async () => {},
      respond: async (r: unknown) => void replies.push(r),
      action: { type: 'button', action_id: actionId, value },
      body: { user: { id: ADMIN }, channel: { id: channelId }, container: { channel_id: channelId }, trigger_id: 't' },
      client: webClient,
      context: { workspace },
    } as never
  }

  beforeAll(async () => {
    db = await createPostgresTestDatabase(serverUrl!)
    slack = await startFakeSlack()
    const logger = silentLogger()
    const clients = createSlackClients({ apiUrl: slack.apiUrl, botToken: 'xoxb-moves', logger })
    webClient = await clients.forTeam('T0001')
    cards = createChangeCardPublisher({ prisma: db.prisma, slack: clients, logger })
    domain = testDomainDeps({ prisma: db.prisma, meta: {} as MetaApi })
    workspace = await createWorkspace(db.prisma, { slackTeamId: 'T0001' })
    const workspaceId = workspace.id
    await db.prisma.slackInstallation.create({
      data: { installationKey: 'T:T0001', workspaceId, teamId: 'T0001', installerUserId: ADMIN, installationEnc: 'x' },
    })
    await db.prisma.member.create({ data: { workspaceId, slackUserId: ADMIN, role: 'ADMIN', roleSetExplicitly: true } })
    deps = {
      domain,
      logger,
      cards,
      requestApply: async () => {},
      installerUserId: async () => ADMIN,
      slackUsers: { lookUp: async () => null },
    } as unknown as SlackDeps
    const acme = await createClient(db.prisma, workspaceId, { name: 'Acme' })
    const beta = await createClient(db.prisma, workspaceId, { name: 'Beta', suggestionsChannelId: BETA_CHANNEL })
    await db.prisma.clientChannel.create({ data: { workspaceId, channelId: ACME_CHANNEL, clientId: acme.id } })
    const account = await createAdAccount(db.prisma, { workspaceId, clientId: acme.id, name: 'Shop X', currency: 'USD' })
    accountId = account.id
    const campaign = await createCampaign(db.prisma, account.id, { name: 'Spring sale', dailyBudget: 8000n })
    const base = {
      workspaceId,
      adAccountId: account.id,
      campaignId: campaign.id,
      type: 'SET_DAILY_BUDGET' as const,
      source: 'COMMAND' as const,
    }
    const expiresAt = new Date(Date.now() + 3_600_000)
    appliedId = (
      await db.prisma.changeRequest.create({
        data: {
          ...base,
          status: 'APPLIED',
          currentValue: { dailyBudgetMinor: 6000 },
          proposedValue: { dailyBudgetMinor: 8000 },
          decidedBySlackUserId: ADMIN,
          decidedAt: new Date(),
          appliedAt: new Date(),
          outcome: { dailyBudgetMinor: 8000 },
          expiresAt,
        },
      })
    ).id
    proposedId = (
      await db.prisma.changeRequest.create({
        data: { ...base, currentValue: { dailyBudgetMinor: 8000 }, proposedValue: { dailyBudgetMinor: 9600 }, expiresAt },
      })
    ).id
    suggestionId = (
      await db.prisma.suggestion.create({
        data: {
          workspaceId,
          adAccountId: account.id,
          campaignId: campaign.id,
          kind: 'creative_fatigue',
          title: 'Creative fatigue',
          confidence: 0.9,
          notice: 'Rotate the creatives.',
          metricName: 'ctr',
          metricValue: 0.8,
        },
      })
    ).id
    // Both cards were posted in #client-acme while the account was Acme's.
    for (const id of [appliedId, proposedId]) await cards.post(await loadChange(db.prisma, id), ACME_CHANNEL)
    expect(calls('chat.postMessage').map((c) => c.args.channel)).toEqual([ACME_CHANNEL, ACME_CHANNEL])
    expect(text(calls('chat.postMessage')[0]!.args)).toContain('Acme')
    await moveAdAccount(db.prisma, { workspaceId, actorSlackUserId: ADMIN, adAccountId: account.id, toClientId: beta.id })
  })

  afterAll(async () => {
    await db?.drop()
    await slack?.close()
  })

  beforeEach(() => {
    slack.calls.length = 0
  })

  it('refuses Undo on the old card in #client-acme: no undo is proposed and nothing new is posted there', async () => {
    await changeUndoClicked(deps)(clickArgs('change_undo', appliedId, ACME_CHANNEL))
    expect(await db.prisma.changeRequest.count({ where: { undoOfId: appliedId } })).toBe(0)
    expect(calls('chat.postMessage').filter((c) => c.args.channel === ACME_CHANNEL)).toEqual([])
    const refusal = calls('chat.postEphemeral').find((c) => c.args.user === ADMIN)
    expect(String(refusal?.args.text)).toContain('This channel belongs to *Acme*')
    expect(String(refusal?.args.text)).not.toContain('Beta')
    // The card itself becomes the stub: no Undo button, no names or figures.
    const redrawn = calls('chat.update')
    expect(redrawn).toHaveLength(1)
    expect(redrawn[0]!.args.channel).toBe(ACME_CHANNEL)
    expect(text(redrawn[0]!.args)).toContain(STUB)
    for (const hidden of ['Beta', 'Shop X', 'Spring sale', '80.00', 'change_undo']) expect(text(redrawn[0]!.args)).not.toContain(hidden)
  })

  it('refuses Approve on the old open proposal: it stays proposed', async () => {
    await changeApproveClicked(deps)(clickArgs('change_approve', proposedId, ACME_CHANNEL))
    expect((await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: proposedId } })).status).toBe('PROPOSED')
    expect(String(calls('chat.postEphemeral')[0]?.args.text)).toContain('This channel belongs to *Acme*')
  })

  it('redraws an old card on expiry as the neutral stub, naming neither Beta nor the new figures', async () => {
    await db.prisma.changeRequest.update({ where: { id: proposedId }, data: { expiresAt: new Date(Date.now() - 1000) } })
    const expired = await expireChanges(domain)
    expect(expired.map((c) => c.id)).toEqual([proposedId])
    for (const c of expired) await cards.refresh(c)
    const [update] = calls('chat.update')
    expect(update?.args.channel).toBe(ACME_CHANNEL)
    expect(text(update!.args)).toContain(STUB)
    for (const hidden of ['Beta', 'Shop X', '96.00', 'Expired']) expect(text(update!.args)).not.toContain(hidden)
  })

  it("posts a new card meant for #client-acme (an undo asked from elsewhere, an edit) to Beta's suggestions channel", async () => {
    const undo = await db.prisma.changeRequest.create({
      data: {
        workspaceId: workspace.id,
        adAccountId: accountId,
        type: 'SET_DAILY_BUDGET',
        source: 'UNDO',
        proposedValue: { dailyBudgetMinor: 6000 },
        undoOfId: appliedId,
        requestedBySlackUserId: ADMIN,
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    })
    const where = await cards.post(await loadChange(db.prisma, undo.id), ACME_CHANNEL)
    expect(where).toBe(BETA_CHANNEL)
    expect(calls('chat.postMessage').map((c) => c.args.channel)).toEqual([BETA_CHANNEL])
    expect(text(calls('chat.postMessage')[0]!.args)).toContain('Beta')
    // Later refreshes land in Beta's channel, drawn in full.
    slack.calls.length = 0
    await cards.refresh(await loadChange(db.prisma, undo.id))
    expect(calls('chat.update').map((c) => c.args.channel)).toEqual([BETA_CHANNEL])
    expect(text(calls('chat.update')[0]!.args)).not.toContain(STUB)
  })

  it('refuses Dismiss on an old suggestion notice in #client-acme and turns it into the stub', async () => {
    const replies: unknown[] = []
    await suggestionDismissed(deps)(clickArgs('suggestion_dismiss', suggestionId, ACME_CHANNEL, replies))
    expect((await db.prisma.suggestion.findUniqueOrThrow({ where: { id: suggestionId } })).status).toBe('OPEN')
    expect(text(replies[0])).toContain(STUB)
    expect(text(replies[0])).not.toContain('Beta')
    expect(text(replies.slice(1))).toContain('This channel belongs to *Acme*')
  })
})
