/**
 * The agent over Slack: DMs, mentions answered in a thread, follow-ups in that thread without a new
 * mention, a redelivered event answered once, a proposal becoming a change card (no Meta write),
 * status while it works — through the real HTTP receiver and @langchain/openai against a scripted
 * OpenAI-compatible server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeOpenAI, startFakeOpenAI } from '../../test/support/fake-openai.ts'
import { type FakeSlack, slackSignature } from '../../test/support/fake-slack.ts'
import { waitUntil } from '../../test/support/net.ts'
import { type PromolyOnFakeSlack, startPromolyOnFakeSlack } from '../../test/support/start-promoly.ts'
import type { TestDatabase } from '../../test/support/test-database.ts'
import type { Promoly } from '../main.ts'

const SECRET = 'agent-secret'

describe('the agent in Slack', () => {
  let app: PromolyOnFakeSlack
  let slack: FakeSlack
  let model: FakeOpenAI
  let db: TestDatabase
  let promoly: Promoly
  let endpoint: string
  let n = 0

  beforeAll(async () => {
    model = await startFakeOpenAI()
    app = await startPromolyOnFakeSlack({
      signingSecret: SECRET,
      botToken: 'xoxb-agent',
      env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: model.url },
      slackUsers: { UAGADMIN1: { is_admin: true } },
    })
    ;({ slack, db, promoly, endpoint } = app)
  }, 120_000)

  afterAll(async () => {
    await app?.stop()
    await model?.close()
  })

  async function event(e: Record<string, unknown>, eventId = `Ev${++n}`) {
    const body = JSON.stringify({
      token: 'x',
      team_id: 'T0001',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: eventId,
      event_time: 1,
      event: e,
      authorizations: [{ team_id: 'T0001', user_id: 'UBOT', is_bot: true }],
    })
    const ts = Math.floor(Date.now() / 1000)
    const res = await fetch(endpoint, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': slackSignature(SECRET, ts, body),
      },
    })
    expect(res.status).toBe(200)
    return eventId
  }

  // Answers are a placeholder message updated in place: count final texts from posts and updates.
  const posts = (pred: (a: Record<string, unknown>) => boolean) =>
    slack.calls.filter((c) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && pred(c.args))
  /** The current text of each message Promoly posted in a thread (a placeholder until its update with the answer). */
  const threadMessages = (channel: string, threadTs: string) =>
    slack.calls
      .filter((c) => c.method === 'chat.postMessage' && c.args.channel === channel && c.args.thread_ts === threadTs)
      .map((post) =>
        String(
          (
            slack.calls.filter((c) => c.method === 'chat.update' && c.args.channel === channel && c.args.ts === post.result?.ts).at(-1) ??
            post
          ).args.text,
        ),
      )

  it('answers a DM with numbers from a tool, showing a status while it works', async () => {
    model.enqueue({ toolCalls: [{ name: 'list_ad_accounts', args: {} }] }, { text: 'You have *5* connected ad accounts.' })
    const id = await event({
      type: 'message',
      channel: 'D0001',
      channel_type: 'im',
      user: 'U0001',
      text: 'how many ad accounts do I have?',
      ts: '100.1',
      event_ts: '100.1',
    })
    await waitUntil(
      'the DM is answered',
      async () => posts((a) => a.channel === 'D0001' && String(a.text).includes('5* connected')).length === 1,
      20_000,
    )
    expect(slack.calls.some((c) => c.method === 'assistant.threads.setStatus' && String(c.args.status).includes('Looking'))).toBe(true)
    // The tool result reached the model.
    expect(JSON.stringify(model.requests.at(-1)!.body.messages)).toContain('Acme Home Services')
    // Slack redelivers the same event: answered once.
    await event(
      {
        type: 'message',
        channel: 'D0001',
        channel_type: 'im',
        user: 'U0001',
        text: 'how many ad accounts do I have?',
        ts: '100.1',
        event_ts: '100.1',
      },
      id,
    )
    await new Promise((r) => setTimeout(r, 500))
    expect(posts((a) => a.channel === 'D0001' && String(a.text).includes('5* connected'))).toHaveLength(1)
  })

  it('answers a mention in a thread, and follow-ups in that thread without a new mention', async () => {
    model.enqueue({ text: 'Hello from the thread.' })
    await event({ type: 'app_mention', channel: 'C0001', user: 'U0001', text: '<@UBOT> hi there', ts: '200.1', event_ts: '200.1' })
    await waitUntil('the mention is answered', async () => threadMessages('C0001', '200.1').includes('Hello from the thread.'), 20_000)
    model.enqueue({ text: 'Second answer, same thread.' })
    await event({
      type: 'message',
      channel: 'C0001',
      channel_type: 'channel',
      user: 'U0001',
      text: 'and what about yesterday?',
      ts: '200.2',
      thread_ts: '200.1',
      event_ts: '200.2',
    })
    await waitUntil(
      'the follow-up is answered',
      async () => threadMessages('C0001', '200.1').includes('Second answer, same thread.'),
      20_000,
    )
    expect(threadMessages('C0001', '200.1')).toEqual(['Hello from the thread.', 'Second answer, same thread.'])
    // The second turn carried the first turn's history; the model never read Slack's history.
    const last = JSON.stringify(model.requests.at(-1)!.body.messages)
    expect(last).toContain('hi there')
    expect(last).toContain('Hello from the thread.')
    expect(slack.calls.some((c) => c.method.startsWith('conversations.'))).toBe(false)
    // A channel message outside Promoly's threads is not answered.
    const before = slack.calls.length
    await event({
      type: 'message',
      channel: 'C0001',
      channel_type: 'channel',
      user: 'U0002',
      text: 'lunch?',
      ts: '300.1',
      event_ts: '300.1',
    })
    await new Promise((r) => setTimeout(r, 300))
    expect(slack.calls.slice(before).filter((c) => c.method === 'chat.postMessage')).toHaveLength(0)
  })

  it('turns a request to change something into a change card, never a Meta write', async () => {
    const campaign = await db.prisma.campaign.findFirstOrThrow({ where: { status: 'ACTIVE' }, orderBy: { name: 'asc' } })
    const writes = promoly.simulator!.stats().writes
    model.enqueue(
      { toolCalls: [{ name: 'propose_pause', args: { target: campaign.metaCampaignId, reason: 'Cost per lead doubled' } }] },
      { text: 'I proposed pausing it; an approver can approve it on the card.' },
    )
    await event({
      type: 'message',
      channel: 'D0001',
      channel_type: 'im',
      user: 'U0001',
      text: `pause ${campaign.name}`,
      ts: '400.1',
      event_ts: '400.1',
    })
    await waitUntil('the card is posted', async () => posts((a) => String(a.text).startsWith('Pause campaign')).length === 1, 20_000)
    const change = await db.prisma.changeRequest.findFirstOrThrow({ where: { source: 'AGENT', campaignId: campaign.id } })
    expect(change.status).toBe('PROPOSED')
    expect(change.requestedBySlackUserId).toBe('U0001')
    await waitUntil('the answer is posted', async () => posts((a) => String(a.text).includes('proposed pausing')).length === 1, 20_000)
    expect(promoly.simulator!.stats().writes).toBe(writes)
  })

  it("subscribes the conversation's channel to the digest when an admin in it asks, not when a member does", async () => {
    slack.channels.set('C0DIGEST1', ['U0001', 'UAGADMIN1', 'UBOT'])
    const ask = async (user: string, ts: string, answer: string) => {
      model.enqueue(
        { toolCalls: [{ name: 'subscribe_digest', args: { localTime: '08:30', timeZone: 'Europe/London' } }] },
        { text: answer },
      )
      const asked = model.requests.length
      await event({
        type: 'app_mention',
        channel: 'C0DIGEST1',
        user,
        text: '<@UBOT> send us a digest every morning at 8:30 London time',
        ts,
        event_ts: ts,
      })
      await waitUntil('the answer is posted', async () => threadMessages('C0DIGEST1', ts).includes(answer), 20_000)
      // What the tool told the model (the last message of the model's second call).
      return JSON.stringify(model.requests[asked + 1]?.body.messages.at(-1))
    }
    // A member: the same rules as /promoly digest (the tool goes through the same domain function).
    const refused = await ask('U0001', '600.1', 'I could not set that up.')
    expect(refused).toContain('Only Promoly admins and approvers can manage digests')
    expect(await db.prisma.digestSubscription.count({ where: { channelId: 'C0DIGEST1' } })).toBe(0)

    const done = await ask('UAGADMIN1', '601.1', 'Done: a digest at 08:30 London time.')
    expect(done).toContain('Subscribed channel C0DIGEST1')
    expect(await db.prisma.digestSubscription.findFirst({ where: { channelId: 'C0DIGEST1' } })).toMatchObject({
      localTime: '08:30',
      timeZone: 'Europe/London',
      createdBySlackUserId: 'UAGADMIN1',
    })
  })

  it('records token usage per workspace and person and shows both on /promoly usage, with the reset time', async () => {
    const body = new URLSearchParams({
      team_id: 'T0001',
      channel_id: 'C0001',
      user_id: 'U0001',
      command: '/promoly',
      text: 'usage',
      response_url: slack.responseUrl('usage'),
      trigger_id: '1.2.3',
      is_enterprise_install: 'false',
    }).toString()
    const ts = Math.floor(Date.now() / 1000)
    await fetch(endpoint, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': slackSignature(SECRET, ts, body),
      },
    })
    const reply = await slack.waitFor<{ path: string; body: Record<string, unknown> }>('response', (r) => r.path === '/response/usage')
    const text = JSON.stringify(reply.body)
    expect(text).toMatch(/Assistant tokens today: [1-9][\d,]* of 200,000 for this workspace/)
    expect(text).toMatch(/Yours today: [1-9][\d,]* of 100,000\./)
    expect(text).toContain('Both budgets reset at 00:00 UTC')
  })

  it('says sorry, briefly, when the model fails', async () => {
    model.enqueue({ status: 500, message: 'upstream exploded' }, { status: 500, message: 'upstream exploded' })
    await event({ type: 'message', channel: 'D0002', channel_type: 'im', user: 'U0001', text: 'hello?', ts: '500.1', event_ts: '500.1' })
    await waitUntil(
      'an apology is posted',
      async () => posts((a) => a.channel === 'D0002' && /sorry|could not|couldn't/i.test(String(a.text))).length === 1,
      30_000,
    )
    const reply = String(posts((a) => a.channel === 'D0002').at(-1)!.args.text)
    expect(reply).not.toContain('exploded')
    expect(reply).toMatch(/sorry|could not|couldn't/i)
  })
})
