/**
 * Issue 10, finding 3: guests (single- and multi-channel), people of other organisations (Slack
 * Connect strangers, users of another team) and payloads of another team get a polite refusal and no
 * data — in commands, buttons, forms, DMs and mentions (no model call) — through the real signed HTTP
 * receiver of a running single-workspace Promoly. Also the first admin's welcome (finding 4).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeOpenAI, startFakeOpenAI } from '../../test/support/fake-openai.ts'
import { blockActionsPayload, type FakeSlack, sendEvent, sendInteraction, sendSlashCommand } from '../../test/support/fake-slack.ts'
import { waitUntil } from '../../test/support/net.ts'
import { type PromolyOnFakeSlack, startPromolyOnFakeSlack } from '../../test/support/start-promoly.ts'
import type { TestDatabase } from '../../test/support/test-database.ts'

const SECRET = 'outsiders-secret'
const MEMBER = 'UMEMBER01'
const ADMIN = 'UADMIN001'
const OUTSIDERS = {
  'a multi-channel guest': { id: 'UGUESTMC1', user: { is_restricted: true }, says: 'guests cannot use it' },
  'a single-channel guest': { id: 'UGUESTSC1', user: { is_restricted: true, is_ultra_restricted: true }, says: 'guests cannot use it' },
  'a Slack Connect stranger': { id: 'USTRANGE1', user: { is_stranger: true, team_id: 'T0CLIENT1' }, says: 'only works for members' },
  'a user of another team': { id: 'UOTHERTM1', user: { team_id: 'T0CLIENT1' }, says: 'only works for members' },
} as const
/** Another app's bot user, and a deactivated account (users.info `is_bot`, `deleted`). */
const OTHER_BOT = 'UOTHERBOT'
const DEACTIVATED = 'UDELETED1'
/** A member of this workspace whose home team is another workspace of the same Grid organisation. */
const GRID_MEMBER = 'UGRIDMEM1'

describe('outsiders are refused everywhere, with no data', () => {
  let app: PromolyOnFakeSlack
  let slack: FakeSlack
  let model: FakeOpenAI
  let db: TestDatabase
  let endpoint: string
  let n = 0

  beforeAll(async () => {
    model = await startFakeOpenAI()
    app = await startPromolyOnFakeSlack({
      signingSecret: SECRET,
      env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: model.url },
      slackUsers: {
        [ADMIN]: { is_admin: true },
        [OTHER_BOT]: { is_bot: true },
        [DEACTIVATED]: { deleted: true },
        [GRID_MEMBER]: { team_id: 'T0GRIDB01', enterprise_user: { enterprise_id: 'E0GRID001', teams: ['T0GRIDB01', 'T0001'] } },
        ...Object.fromEntries(Object.values(OUTSIDERS).map((o) => [o.id, o.user])),
      },
    })
    ;({ slack, db, endpoint } = app)
  }, 120_000)

  afterAll(async () => {
    await app?.stop()
    await model?.close()
  })

  async function command(text: string, userId: string, teamId?: string) {
    const id = `o${++n}`
    const res = await sendSlashCommand(endpoint, SECRET, { text, responseUrl: slack.responseUrl(id), userId, teamId })
    return { ...res, ack: res.body ? (JSON.parse(res.body) as Record<string, unknown>) : {}, id }
  }

  const responsesTo = (id: string) => slack.responses.filter((r) => r.path === `/response/${id}`)

  it('lets a member and a Grid colleague use commands (the gate is not a wall)', async () => {
    const r = await command('campaigns', MEMBER)
    const reply = await slack.waitFor<{ path: string; body: Record<string, unknown> }>('response', (x) => x.path === `/response/${r.id}`)
    expect(JSON.stringify(reply.body)).toContain('Acme Home Services')
    expect(JSON.stringify((await command('help', GRID_MEMBER)).ack)).toContain('/promoly campaigns')
  })

  for (const [who, outsider] of Object.entries(OUTSIDERS)) {
    it(`refuses ${who} in the command's ack, and sends no data after it`, async () => {
      const r = await command('campaigns', outsider.id)
      expect(r.status).toBe(200)
      expect(r.ack).toMatchObject({ response_type: 'ephemeral' })
      expect(String(r.ack.text)).toContain(outsider.says)
      expect(JSON.stringify(r.ack)).not.toContain('Acme')
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(responsesTo(r.id)).toEqual([])
    })
  }

  it('refuses a guest clicking a button, and the card is left alone', async () => {
    const guest = OUTSIDERS['a multi-channel guest'].id
    const before = slack.calls.length
    const res = await sendInteraction(
      endpoint,
      SECRET,
      blockActionsPayload({
        userId: guest,
        responseUrl: slack.responseUrl('guest-click'),
        action: { action_id: 'metrics_period_last_30d', value: JSON.stringify({ kind: 'account', id: 'x' }) },
      }),
    )
    expect(res.status).toBe(200)
    const reply = await slack.waitFor<{ path: string; body: Record<string, unknown> }>(
      'response',
      (r) => r.path === '/response/guest-click',
    )
    expect(reply.body).toMatchObject({ response_type: 'ephemeral', replace_original: false })
    expect(String(reply.body.text)).toContain('guests cannot use it')
    expect(slack.calls.slice(before).filter((c) => c.method === 'chat.update')).toEqual([])
  })

  it("replaces a stranger's form with the refusal, and saves nothing", async () => {
    const stranger = OUTSIDERS['a Slack Connect stranger'].id
    const res = await sendInteraction(endpoint, SECRET, {
      type: 'view_submission',
      team: { id: 'T0001', domain: 'fake' },
      user: { id: stranger, username: 's', name: 's', team_id: 'T0CLIENT1' },
      api_app_id: 'A0001',
      token: 'x',
      trigger_id: '1.2.3',
      view: { id: 'VSET', callback_id: 'promoly_settings', type: 'modal', private_metadata: '', state: { values: {} } },
    })
    const body = JSON.parse(res.body) as { response_action: string; view: unknown }
    expect(body.response_action).toBe('update')
    expect(JSON.stringify(body.view)).toContain('only works for members')
    expect(await db.prisma.auditEvent.count({ where: { action: 'settings.updated' } })).toBe(0)
  })

  it('answers a guest DM and mention with the refusal, without asking the model', async () => {
    const guest = OUTSIDERS['a single-channel guest'].id
    const requests = model.requests.length
    await sendEvent(endpoint, SECRET, {
      type: 'message',
      channel: 'D0GUEST01',
      channel_type: 'im',
      user: guest,
      text: 'what did we spend yesterday?',
      ts: '300.1',
      event_ts: '300.1',
    })
    await sendEvent(endpoint, SECRET, {
      type: 'app_mention',
      channel: 'C0001',
      user: guest,
      text: '<@UBOT> spend?',
      ts: '301.1',
      event_ts: '301.1',
    })
    const dm = await slack.waitFor<{ method: string; args: Record<string, unknown> }>(
      'call',
      (c) => c.method === 'chat.postMessage' && c.args.channel === 'D0GUEST01',
    )
    expect(String(dm.args.text)).toContain('guests cannot use it')
    const mention = await slack.waitFor<{ method: string; args: Record<string, unknown> }>(
      'call',
      (c) => c.method === 'chat.postMessage' && c.args.channel === 'C0001' && c.args.thread_ts === '301.1',
    )
    expect(String(mention.args.text)).toContain('guests cannot use it')
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(model.requests.length).toBe(requests)
    expect(
      slack.calls.filter((c) => c.method === 'chat.postMessage' && ['D0GUEST01', 'C0001'].includes(String(c.args.channel))),
    ).toHaveLength(2)
  })

  /**
   * Review of issue 10, finding 3 residual: before this release every caller got a member row, guests too, so
   * a row proves nothing. When Slack does not answer, only someone Slack itself confirmed as a full member of
   * this workspace within the last 7 days (Member.slackVerifiedAt) is let through; anyone else is refused.
   */
  it('when Slack does not answer, lets through only someone Slack confirmed as a full member recently', async () => {
    const workspaceId = (await db.prisma.workspace.findFirstOrThrow()).id
    const DAY = 24 * 60 * 60_000
    // An old row (every caller got one before this release), never confirmed: a guest would look just like this.
    await db.prisma.member.create({ data: { workspaceId, slackUserId: 'UOLDROW01', role: 'MEMBER' } })
    slack.on('users.info', () => ({ ok: false, error: 'internal_error' }))
    try {
      expect(String((await command('help', 'UOLDROW01')).ack.text)).toContain('could not check your Slack account')
      await db.prisma.member.createMany({
        data: [
          { workspaceId, slackUserId: 'UVERIFIED', role: 'MEMBER', slackVerifiedAt: new Date(Date.now() - 2 * DAY) },
          { workspaceId, slackUserId: 'USTALEVER', role: 'MEMBER', slackVerifiedAt: new Date(Date.now() - 8 * DAY) },
        ],
      })
      expect(String((await command('help', 'USTALEVER')).ack.text)).toContain('could not check your Slack account')
      expect(String((await command('help', 'UNOBODY01')).ack.text)).toContain('could not check your Slack account')
      expect(JSON.stringify((await command('help', 'UVERIFIED')).ack)).toContain('/promoly campaigns')
    } finally {
      slack.off('users.info')
    }
  })

  it('records when Slack confirms a full member, and forgets it when Slack says guest', async () => {
    const workspaceId = (await db.prisma.workspace.findFirstOrThrow()).id
    const verifiedAt = async (slackUserId: string) =>
      (await db.prisma.member.findUnique({ where: { workspaceId_slackUserId: { workspaceId, slackUserId } } }))?.slackVerifiedAt ?? null
    // A full member Slack answers for, with an old unconfirmed row: confirmed now.
    await db.prisma.member.create({ data: { workspaceId, slackUserId: 'UFRESH001', role: 'MEMBER' } })
    expect(JSON.stringify((await command('help', 'UFRESH001')).ack)).toContain('/promoly campaigns')
    await waitUntil('the member is confirmed', async () => (await verifiedAt('UFRESH001')) !== null, 5_000)
    expect(Date.now() - (await verifiedAt('UFRESH001'))!.getTime()).toBeLessThan(60_000)
    // A guest whose row says they were confirmed (a member turned guest): refused, and the mark is gone.
    const guest = OUTSIDERS['a single-channel guest'].id
    await db.prisma.member.upsert({
      where: { workspaceId_slackUserId: { workspaceId, slackUserId: guest } },
      create: { workspaceId, slackUserId: guest, role: 'MEMBER', slackVerifiedAt: new Date() },
      update: { slackVerifiedAt: new Date() },
    })
    expect(String((await command('help', guest)).ack.text)).toContain('guests cannot use it')
    await waitUntil('the guest is no longer confirmed', async () => (await verifiedAt(guest)) === null, 5_000)
  })

  it('refuses a signed payload of another team in single-workspace mode, and creates no workspace for it', async () => {
    const before = await db.prisma.workspace.count()
    const r = await command('campaigns', MEMBER, 'T0EVIL001')
    expect(String(r.ack.text)).toContain('only works for members')
    const click = await sendInteraction(endpoint, SECRET, {
      ...blockActionsPayload({
        userId: MEMBER,
        responseUrl: slack.responseUrl('evil-click'),
        action: { action_id: 'suggestion_dismiss', value: 'x' },
      }),
      team: { id: 'T0EVIL001', domain: 'evil' },
      user: { id: MEMBER, team_id: 'T0EVIL001' },
    })
    expect(click.status).toBe(200)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(await db.prisma.workspace.count()).toBe(before)
    expect(await db.prisma.workspace.count({ where: { slackTeamId: 'T0EVIL001' } })).toBe(0)
    expect(responsesTo(r.id)).toEqual([])
  })

  it('tells the first admin in their welcome that suggestions come to the admins by DM until a channel is chosen (finding 4)', async () => {
    await sendEvent(endpoint, SECRET, { type: 'app_home_opened', user: ADMIN, channel: 'D0ADMIN01', tab: 'messages', event_ts: '400.1' })
    const welcome = await slack.waitFor<{ method: string; args: Record<string, unknown> }>(
      'call',
      (c) => c.method === 'chat.postMessage' && c.args.channel === 'D0ADMIN01',
    )
    expect(String(welcome.args.text)).toContain('admins by DM')
    expect(String(welcome.args.text)).toContain('/promoly settings')
    // A guest opening the App Home gets nothing: no prompts, no welcome.
    const guest = OUTSIDERS['a multi-channel guest'].id
    await sendEvent(endpoint, SECRET, { type: 'app_home_opened', user: guest, channel: 'D0GUEST02', tab: 'messages', event_ts: '401.1' })
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(slack.calls.filter((c) => JSON.stringify(c.args).includes('D0GUEST02'))).toEqual([])
  })
  /** Submits the settings form as an admin would: what it shows, with `change` applied (block id → value). */
  async function submitSettings(userId: string, change: Record<string, unknown>) {
    await command('settings', userId)
    const opened = await slack.waitFor<{ method: string; args: { view_id?: string; view?: { callback_id?: string; blocks?: unknown[] } } }>(
      'call',
      (c) => c.method === 'views.update' && JSON.stringify(c.args.view).includes('admins_select') && !seenViews.has(c),
    )
    seenViews.add(opened)
    const values: Record<string, Record<string, unknown>> = {}
    for (const b of (opened.args.view?.blocks ?? []) as Array<{ type: string; block_id?: string; element?: Record<string, unknown> }>) {
      if (b.type !== 'input' || !b.block_id || !b.element) continue
      const e = b.element
      const action = String(e.action_id)
      if (e.type === 'number_input') values[b.block_id] = { [action]: { type: e.type, value: (e.initial_value as string) ?? null } }
      if (e.type === 'multi_users_select') values[b.block_id] = { [action]: { type: e.type, selected_users: e.initial_users ?? [] } }
      if (e.type === 'conversations_select')
        values[b.block_id] = { [action]: { type: e.type, selected_conversation: e.initial_conversation ?? null } }
      if (b.block_id in change) {
        const [key, entry] = Object.entries(values[b.block_id]!)[0]!
        values[b.block_id] = { [key]: { ...(entry as object), ...(change[b.block_id] as object) } }
      }
    }
    return sendInteraction(endpoint, SECRET, {
      type: 'view_submission',
      team: { id: 'T0001', domain: 'fake' },
      user: { id: userId, username: 'a', name: 'a', team_id: 'T0001' },
      api_app_id: 'A0001',
      token: 'x',
      trigger_id: '1.2.3',
      view: { ...opened.args.view, id: opened.args.view_id, state: { values } },
    })
  }
  const seenViews = new Set<unknown>()

  it('lets an admin grant the admin role in /promoly settings, but never to a guest (findings 1 and 3)', async () => {
    const guest = OUTSIDERS['a multi-channel guest'].id
    // Refused under the field before the form closes (the other edits stay in the form).
    const refused = await submitSettings(ADMIN, { approvers: { selected_users: [guest] } })
    expect(JSON.parse(refused.body)).toMatchObject({
      response_action: 'errors',
      errors: { [Object.keys(JSON.parse(refused.body).errors)[0]!]: expect.stringContaining('is a guest') },
    })
    expect(await db.prisma.member.count({ where: { slackUserId: guest, role: { not: 'MEMBER' } } })).toBe(0)

    await submitSettings(ADMIN, { admins: { selected_users: [ADMIN, MEMBER] } })
    await waitUntil('the member is an admin', async () =>
      Boolean(await db.prisma.member.findFirst({ where: { slackUserId: MEMBER, role: 'ADMIN', roleSetExplicitly: true } })),
    )
    const audit = await db.prisma.auditEvent.findFirstOrThrow({
      where: { action: 'member.role_changed', targetId: MEMBER, actorId: ADMIN },
    })
    expect(audit.data).toMatchObject({ after: 'ADMIN' })
  })

  it('refuses bots (Promoly itself, Slackbot, other apps) and deactivated accounts as admins or approvers, readably (round 4, B2)', async () => {
    const refusals: string[] = []
    for (const [block, chosen, says] of [
      ['admins', ['UBOT'], 'is a bot'],
      ['admins', ['USLACKBOT'], 'is a bot'],
      ['approvers', [OTHER_BOT], 'is a bot'],
      ['approvers', [DEACTIVATED], 'deactivated Slack account'],
    ] as const) {
      const res = await submitSettings(ADMIN, { [block]: { selected_users: chosen } })
      const { response_action, errors } = JSON.parse(res.body) as { response_action: string; errors: Record<string, string> }
      expect(response_action).toBe('errors')
      const [field, text] = Object.entries(errors)[0]!
      expect(field, block).toContain(block === 'admins' ? 'admin' : 'approver')
      expect(text).toContain(says)
      refusals.push(text)
    }
    // Plain text under a field: no raw user id (it would read as gibberish there).
    expect(refusals[0]).toBe('One of the people you chose is a bot (Promoly, Slackbot or another app): choose people.')
    expect(
      await db.prisma.member.count({
        where: { slackUserId: { in: ['UBOT', 'USLACKBOT', OTHER_BOT, DEACTIVATED] }, role: { not: 'MEMBER' } },
      }),
    ).toBe(0)
    // The admin is still an admin and can still save settings.
    expect(await db.prisma.member.count({ where: { slackUserId: ADMIN, role: 'ADMIN' } })).toBe(1)
  })
})
