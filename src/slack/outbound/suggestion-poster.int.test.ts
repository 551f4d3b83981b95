/**
 * Where new suggestions go (issue 10, finding 4): never to whatever channel Promoly was first used in
 * (it may be shared with a client). Until an admin picks a suggestions channel they go to the Promoly
 * admins by DM: the first admin gets them in full, the others (a few at most) a short note.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createAdAccount, createCampaign, createClient, createWorkspace } from '../../../test/support/factories.ts'
import { type FakeSlack, startFakeSlack } from '../../../test/support/fake-slack.ts'
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts'
import type { Suggestion } from '../../generated/prisma/client.ts'
import { createSlackClients } from '../../integrations/slack-web/slack-clients.ts'
import { silentLogger } from '../../lib/logger.ts'
import { createChangeCardPublisher } from './change-card-publisher.ts'
import { createSuggestionPoster } from './suggestion-poster.ts'

const suggestionFields = {
  kind: 'creative_fatigue',
  title: 'Creative fatigue',
  confidence: 0.9,
  notice: 'Rotate the creatives.',
  metricName: 'ctr',
  metricValue: 0.8,
} as const

describe('suggestion delivery', () => {
  let slack: FakeSlack
  let db: TestDatabase
  let post: (workspaceId: string, suggestions: Suggestion[]) => Promise<void>
  let workspaceId: string
  let suggestion: Suggestion

  const posts = () =>
    slack.calls.filter((c) => c.method === 'chat.postMessage').map((c) => ({ channel: c.args.channel, text: String(c.args.text) }))

  beforeAll(async () => {
    slack = await startFakeSlack()
    db = await createTestDatabase()
    const logger = silentLogger()
    const clients = createSlackClients({ apiUrl: slack.apiUrl, botToken: 'xoxb-suggestions', logger })
    post = createSuggestionPoster({
      prisma: db.prisma,
      slack: clients,
      cards: createChangeCardPublisher({ prisma: db.prisma, slack: clients, logger }),
      logger,
    })
    // Promoly was first used in a channel shared with a client.
    const ws = await createWorkspace(db.prisma, { slackTeamId: 'T0001', firstChannelId: 'C0SHARED1' })
    workspaceId = ws.id
    await db.prisma.slackInstallation.create({
      data: { installationKey: 'T:T0001', workspaceId, teamId: 'T0001', installerUserId: 'UINSTALL1', installationEnc: 'x' },
    })
    await db.prisma.member.createMany({
      data: [
        { workspaceId, slackUserId: 'UMEMBER01', role: 'MEMBER' },
        { workspaceId, slackUserId: 'UAPPROVE1', role: 'APPROVER', roleSetExplicitly: true },
        { workspaceId, slackUserId: 'UADMIN002', role: 'ADMIN', roleSetExplicitly: true },
      ],
    })
    const account = await createAdAccount(db.prisma, { workspaceId, name: 'Acme' })
    const campaign = await createCampaign(db.prisma, account.id, { name: 'Spring sale' })
    suggestion = await db.prisma.suggestion.create({
      data: { ...suggestionFields, workspaceId, adAccountId: account.id, campaignId: campaign.id },
    })
  })

  afterAll(async () => {
    await db?.drop()
    await slack?.close()
  })

  beforeEach(() => {
    slack.calls.length = 0
  })

  it('DMs the admins until a channel is chosen, never the first channel Promoly was used in', async () => {
    await post(workspaceId, [suggestion])
    const sent = posts()
    expect(sent.map((p) => p.channel)).not.toContain('C0SHARED1')
    // The installer (an admin until an admin says otherwise) gets the suggestion itself, introduced by a line that
    // says why it came by DM and how to choose a channel; the other admin a note.
    expect(sent.map((p) => p.channel)).toEqual(['UINSTALL1', 'UINSTALL1', 'UADMIN002'])
    expect(sent[0]!.text).toContain('no suggestions channel is chosen yet')
    expect(sent[0]!.text).toContain('/promoly settings')
    expect(sent[2]!.text).toContain('/promoly settings')
    expect((await db.prisma.suggestion.findUniqueOrThrow({ where: { id: suggestion.id } })).postedChannelId).toBe('UINSTALL1')
  })

  it('skips an installer whose admin role was taken away', async () => {
    await db.prisma.member.create({ data: { workspaceId, slackUserId: 'UINSTALL1', role: 'MEMBER', roleSetExplicitly: true } })
    await post(workspaceId, [suggestion])
    expect(posts().map((p) => p.channel)).toEqual(['UADMIN002', 'UADMIN002'])
  })

  it('posts to the suggestions channel once an admin picked one, and DMs nobody', async () => {
    await db.prisma.client.updateMany({ where: { workspaceId, isDefault: true }, data: { suggestionsChannelId: 'C0PICKED1' } })
    await post(workspaceId, [suggestion])
    expect(posts().map((p) => p.channel)).toEqual(['C0PICKED1'])
  })

  it("sends each client's suggestions to that client's channel, and another client's without one to the admins by DM", async () => {
    const acme = await createClient(db.prisma, workspaceId, { name: 'Acme Corp', suggestionsChannelId: 'C0ACME001' })
    const globex = await createClient(db.prisma, workspaceId, { name: 'Globex' })
    const of = async (clientId: string) => {
      const account = await createAdAccount(db.prisma, { workspaceId, clientId })
      const campaign = await createCampaign(db.prisma, account.id)
      return db.prisma.suggestion.create({
        data: { ...suggestionFields, workspaceId, adAccountId: account.id, campaignId: campaign.id },
      })
    }
    const [forAcme, forGlobex] = [await of(acme.id), await of(globex.id)]
    await post(workspaceId, [forAcme, suggestion, forGlobex])
    const sent = posts().map((p) => p.channel)
    expect(sent.slice(0, 2)).toEqual(['C0ACME001', 'C0PICKED1'])
    // Globex has no channel: its suggestion goes to the first admin by DM (intro, the suggestion), the other admin a note.
    expect(sent.slice(2)).toEqual(['UADMIN002', 'UADMIN002'])
    expect((await db.prisma.suggestion.findUniqueOrThrow({ where: { id: forAcme.id } })).postedChannelId).toBe('C0ACME001')
    expect((await db.prisma.suggestion.findUniqueOrThrow({ where: { id: forGlobex.id } })).postedChannelId).toBe('UADMIN002')
  })
})

/**
 * Round 4, C1: on a fresh single-workspace start there is no installer and no Promoly admin on record, so
 * the first suggestions reached nobody. They now go to the Slack workspace's owners and admins (users.list,
 * paged): full human members only.
 */
describe('suggestion delivery with no Promoly admin on record', () => {
  let slack: FakeSlack
  let db: TestDatabase

  beforeAll(async () => {
    // 250 plain members first, so that the owners and admins are on users.list's second page.
    const members = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`UPLAIN${String(i).padStart(3, '0')}`, {}]))
    slack = await startFakeSlack({
      users: {
        ...members,
        UBOTADMIN: { is_admin: true, is_bot: true },
        USLACKBOT: { is_admin: true },
        UGSTADMIN: { is_admin: true, is_restricted: true },
        UGONEADMN: { is_admin: true, deleted: true },
        USTRNGADM: { is_admin: true, is_stranger: true },
        UWSADMIN1: { is_admin: true },
        UOWNER001: { is_owner: true, is_admin: true, is_primary_owner: true },
      },
    })
    db = await createTestDatabase()
  })

  afterAll(async () => {
    await db?.drop()
    await slack?.close()
  })

  it("DMs the Slack workspace's human owners and admins: the owner gets the suggestion, the admin a note", async () => {
    const logger = silentLogger()
    const clients = createSlackClients({ apiUrl: slack.apiUrl, botToken: 'xoxb-fresh', logger })
    const post = createSuggestionPoster({
      prisma: db.prisma,
      slack: clients,
      cards: createChangeCardPublisher({ prisma: db.prisma, slack: clients, logger }),
      logger,
    })
    const ws = await createWorkspace(db.prisma, { slackTeamId: 'T0001' })
    const account = await createAdAccount(db.prisma, { workspaceId: ws.id, name: 'Acme' })
    const campaign = await createCampaign(db.prisma, account.id, { name: 'Spring sale' })
    const suggestion = await db.prisma.suggestion.create({
      data: {
        workspaceId: ws.id,
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
    await post(ws.id, [suggestion])
    const sent = slack.calls
      .filter((c) => c.method === 'chat.postMessage')
      .map((c) => ({ channel: c.args.channel, text: String(c.args.text) }))
    expect(sent.map((p) => p.channel)).toEqual(['UOWNER001', 'UOWNER001', 'UWSADMIN1'])
    expect(sent[0]!.text).toContain('no suggestions channel is chosen yet')
    expect(sent[2]!.text).toContain('<@UOWNER001>')
    expect((await db.prisma.suggestion.findUniqueOrThrow({ where: { id: suggestion.id } })).postedChannelId).toBe('UOWNER001')
    // users.list was paged with its cursor, a bounded page at a time.
    const lists = slack.calls.filter((c) => c.method === 'users.list')
    expect(lists.length).toBe(2)
    expect(lists[1]!.args.cursor).toBeTruthy()
  })
})
