/**
 * Issue 11's five-client agency, end to end on real PostgreSQL: signed slash commands and button clicks through the
 * real Bolt receiver, Slack served by the local stand-in, Meta by the simulator (five accounts in USD, EUR, JPY, GBP
 * and INR, lead and sales campaigns mixed). Each account belongs to its own client; #client-acme (CACME) is bound to
 * Acme and subscribed to Acme. There, every command, digest and agent tool shows Acme only and refuses the others
 * with the reason; in a DM everything is visible. Misspelt and ambiguous names answer with "did you mean" buttons
 * that run the command again on the chosen one's id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ChatMessageBody, type FakeOpenAI, startFakeOpenAI } from '../../test/support/fake-openai.ts'
import { blockActionsPayload, type FakeSlack, sendInteraction, sendSlashCommand } from '../../test/support/fake-slack.ts'
import { type PromolyOnFakeSlack, startPromolyOnFakeSlack } from '../../test/support/start-promoly.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../../test/support/test-database.ts'
import { createChatModel } from '../agent/model.ts'
import { runAgentTurn } from '../agent/run-agent-turn.ts'
import { isGone } from '../domain/metrics/load-level-totals.ts'
import type { AdAccount, Campaign } from '../generated/prisma/client.ts'
import { escapeMrkdwn } from '../lib/mrkdwn.ts'
import type { Promoly } from '../main.ts'

const pgUrl = requirePostgresUrl()
const SECRET = 'test-signing-secret'
const ADMIN = 'UADMIN01'
const ACME_CHANNEL = 'CACME0001'
const GLOBEX_CHANNEL = 'CGLOBEX01'
const DM = 'D0ADMIN01'

/** Client per simulated account currency. */
const CLIENTS = { USD: 'Acme', EUR: 'Globex', JPY: 'Initech', GBP: 'Umbrella', INR: 'Stark' } as const
type Currency = keyof typeof CLIENTS

type Body = Record<string, unknown>
const allText = (value: unknown) => JSON.stringify(value)

describe.skipIf(!pgUrl)('a channel belongs to a client (issue 11)', () => {
  let app: PromolyOnFakeSlack
  let slack: FakeSlack
  let db: TestDatabase
  let promoly: Promoly
  let ai: FakeOpenAI
  let workspaceId: string
  let n = 0
  const account = {} as Record<Currency, AdAccount>
  const campaigns = {} as Record<Currency, Campaign[]>
  const clientId = {} as Record<Currency, string>

  beforeAll(async () => {
    ai = await startFakeOpenAI()
    app = await startPromolyOnFakeSlack({
      signingSecret: SECRET,
      db: await createPostgresTestDatabase(pgUrl!),
      slackUsers: { [ADMIN]: { is_admin: true } },
      slackChannels: { [ACME_CHANNEL]: [ADMIN], [GLOBEX_CHANNEL]: [ADMIN], CMIXED001: [ADMIN] },
    })
    ;({ slack, db, promoly } = app)
    const ws = await db.prisma.workspace.findFirstOrThrow()
    workspaceId = ws.id
    for (const currency of Object.keys(CLIENTS) as Currency[]) {
      const a = await db.prisma.adAccount.findFirstOrThrow({ where: { workspaceId, currency } })
      const client = await db.prisma.client.create({ data: { workspaceId, name: CLIENTS[currency] } })
      clientId[currency] = client.id
      account[currency] = await db.prisma.adAccount.update({ where: { id: a.id }, data: { clientId: client.id } })
      campaigns[currency] = await db.prisma.campaign.findMany({ where: { adAccountId: a.id }, orderBy: { name: 'asc' } })
    }
    await db.prisma.clientChannel.create({ data: { workspaceId, channelId: ACME_CHANNEL, clientId: clientId.USD } })
    await db.prisma.clientChannel.create({ data: { workspaceId, channelId: GLOBEX_CHANNEL, clientId: clientId.EUR } })
  }, 180_000)

  afterAll(async () => {
    await app?.stop()
    await ai?.close()
  })

  async function command(text: string, channelId: string) {
    const id = `r${++n}`
    const res = await sendSlashCommand(app.endpoint, SECRET, { text, responseUrl: slack.responseUrl(id), userId: ADMIN, channelId })
    expect(res.status).toBe(200)
    const ack = res.body ? (JSON.parse(res.body) as Body) : {}
    return {
      ack,
      id,
      /** The first answer on the response_url (or the ack, when it carried the answer). */
      reply: async (): Promise<Body> =>
        Object.keys(ack).length > 0
          ? ack
          : (await slack.waitFor<{ path: string; body: Body }>('response', (r) => r.path === `/response/${id}`)).body,
      /** Every answer on the response_url so far. */
      replies: () => slack.responses.filter((r) => r.path === `/response/${id}`).map((r) => r.body),
    }
  }

  /** Names of accounts that are not this currency's, for "nothing of them shown". */
  const othersThan = (currency: Currency) => (Object.keys(CLIENTS) as Currency[]).filter((c) => c !== currency).map((c) => account[c].name)

  function expectOnly(text: string, currency: Currency) {
    expect(text).toContain(escapeMrkdwn(account[currency].name))
    for (const other of othersThan(currency)) {
      expect(text).not.toContain(escapeMrkdwn(other))
      expect(text).not.toContain(other)
    }
    for (const [c, name] of Object.entries(CLIENTS)) if (c !== currency) expect(text).not.toContain(name)
  }

  const acmeActive = () => campaigns.USD.filter((c) => c.status === 'ACTIVE')
  const globexActive = () => campaigns.EUR.filter((c) => c.status === 'ACTIVE')

  it('accounts, campaigns and metrics in #client-acme show Acme only; in a DM every client', async () => {
    expectOnly(allText(await (await command('accounts', ACME_CHANNEL)).reply()), 'USD')
    const dm = allText(await (await command('accounts', DM)).reply())
    for (const c of Object.keys(CLIENTS) as Currency[]) expect(dm).toContain(escapeMrkdwn(account[c].name))

    const listed = allText(await (await command('campaigns', ACME_CHANNEL)).reply())
    expectOnly(listed, 'USD')
    const allCampaigns = allText(await (await command('campaigns', DM)).reply())
    for (const c of Object.keys(CLIENTS) as Currency[]) expect(allCampaigns).toContain(escapeMrkdwn(account[c].name))

    const metrics = allText(await (await command(`metrics ${account.USD.metaAccountId} last_7d`, ACME_CHANNEL)).reply())
    expect(metrics).toContain(escapeMrkdwn(account.USD.name))
    expect(metrics).not.toContain('This channel belongs to')
  })

  it("refuses another client's account or campaign in #client-acme with the reason, showing nothing of it", async () => {
    const globexCampaign = globexActive()[0]!
    for (const text of [
      'campaigns Nordlicht',
      `metrics ${account.EUR.metaAccountId}`,
      `metrics ${globexCampaign.metaCampaignId} last_7d`,
      `history ${globexCampaign.metaCampaignId}`,
      'suggestions Nordlicht',
      'sync Nordlicht',
    ]) {
      const body = allText(await (await command(text, ACME_CHANNEL)).reply())
      expect(body, text).toContain('This channel belongs to *Acme*')
      expect(body, text).not.toContain('Globex')
      expect(body, text).not.toContain(escapeMrkdwn(globexCampaign.name))
      expect(body, text).not.toContain('Möbel')
    }
    // The same in a DM: shown.
    expect(allText(await (await command('metrics Nordlicht', DM)).reply())).toContain(escapeMrkdwn(account.EUR.name))
  })

  it('`pause` of a Globex campaign in #client-acme is refused and nothing is proposed; in a DM it is', async () => {
    const target = globexActive()[0]!
    const changes = () => db.prisma.changeRequest.count({ where: { campaignId: target.id } })
    const cards = () =>
      slack.calls.filter((c) => c.method === 'chat.postMessage' && allText(c.args).includes(escapeMrkdwn(target.name))).length
    const [beforeChanges, beforeCards] = [await changes(), cards()]
    for (const text of [`pause ${target.metaCampaignId}`, `pause ${target.name}`, `budget ${target.metaCampaignId} +10%`]) {
      const body = allText(await (await command(text, ACME_CHANNEL)).reply())
      expect(body, text).toContain('This channel belongs to *Acme*')
    }
    expect(await changes()).toBe(beforeChanges)
    expect(cards()).toBe(beforeCards)
    await (await command(`pause ${target.metaCampaignId}`, DM)).reply()
    expect(await changes()).toBe(beforeChanges + 1)
    // Its history: in the DM, not in Acme's channel.
    expect(allText(await (await command('history', DM)).reply())).toContain(escapeMrkdwn(target.name))
    expect(allText(await (await command('history', ACME_CHANNEL)).reply())).not.toContain(escapeMrkdwn(target.name))
  })

  it('`digest subscribe` in #client-acme covers Acme; `digest now` and `digest preview` there show Acme only', async () => {
    const sub = allText(await (await command('digest subscribe 08:00 UTC', ACME_CHANNEL)).reply())
    expect(sub).toContain('every ad account of *Acme*')
    // Globex has its digest too (it must not be listed, nor posted, in Acme's channel).
    expect(allText(await (await command('digest subscribe 08:00 UTC', GLOBEX_CHANNEL)).reply())).toContain('Subscribed')
    const listed = allText(await (await command('digest list', ACME_CHANNEL)).reply())
    expect(listed).toContain(ACME_CHANNEL)
    expect(listed).not.toContain(GLOBEX_CHANNEL)

    const postsBefore = slack.calls.length
    const now = await command('digest now', ACME_CHANNEL)
    const posted = await slack.waitFor<{ method: string; args: Body }>(
      'call',
      (c) =>
        c.method === 'chat.postMessage' &&
        (c as { args: Body }).args.channel === ACME_CHANNEL &&
        slack.calls.indexOf(c as never) >= postsBefore,
    )
    expectOnly(allText(posted.args), 'USD')
    expect(now.replies().map(allText).join('')).not.toContain('Nordlicht')

    const preview = await (await command('digest preview', ACME_CHANNEL)).reply()
    expect(preview.response_type).toBe('ephemeral')
    expectOnly(allText(preview), 'USD')
    // In a DM the preview covers every client.
    const all = allText(await (await command('digest preview', DM)).reply())
    for (const c of Object.keys(CLIENTS) as Currency[]) expect(all).toContain(escapeMrkdwn(account[c].name))
  })

  it("`digest now` honours the subscription's account filter: exactly what the scheduled digest posts", async () => {
    // An unbound channel subscribed to two accounts.
    const sub = allText(
      await (await command(`digest subscribe 07:00 UTC ${account.JPY.metaAccountId} ${account.GBP.metaAccountId}`, 'CMIXED001')).reply(),
    )
    expect(sub).toContain('2 ad accounts')
    const from = slack.calls.length
    await command('digest now', 'CMIXED001')
    const posted = await slack.waitFor<{ method: string; args: Body }>(
      'call',
      (c) =>
        c.method === 'chat.postMessage' && (c as { args: Body }).args.channel === 'CMIXED001' && slack.calls.indexOf(c as never) >= from,
    )
    const text = allText(posted.args)
    expect(text).toContain(escapeMrkdwn(account.JPY.name))
    expect(text).toContain(escapeMrkdwn(account.GBP.name))
    for (const c of ['USD', 'EUR', 'INR'] as const) expect(text).not.toContain(escapeMrkdwn(account[c].name))

    // The scheduled post, with the same subscription, says the same accounts.
    const subscription = await db.prisma.digestSubscription.findFirstOrThrow({ where: { channelId: 'CMIXED001' } })
    const run = await db.prisma.digestRun.create({ data: { subscriptionId: subscription.id, localDate: new Date('2030-01-01') } })
    await promoly.slackDeps.digests.postRun(run.id)
    const scheduled = slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === 'CMIXED001').at(-1)!
    expect(allText(scheduled.args.blocks)).toBe(allText(posted.args.blocks))
  })

  it('`digest subscribe` reads a multi-word account name as one name, and a comma-separated list as several (deduped)', async () => {
    // "acme home" is one account (not "acme" and "home", each matching Acme Home Services).
    const one = allText(await (await command('digest subscribe 11:30 UTC acme home', 'CMIXED001')).reply())
    expect(one).toContain('a digest of 1 ad account every day at 11:30')
    const sub = await db.prisma.digestSubscription.findFirstOrThrow({ where: { channelId: 'CMIXED001', localTime: '11:30' } })
    expect(sub.adAccountIds).toEqual([account.USD.id])
    // A list: two names of which one is the Acme account again by id.
    const two = allText(
      await (await command(`digest subscribe 11:45 UTC ${account.JPY.name}, acme home, ${account.USD.metaAccountId}`, 'CMIXED001')).reply(),
    )
    expect(two).toContain('a digest of 2 ad accounts every day at 11:45')
    const list = await db.prisma.digestSubscription.findFirstOrThrow({ where: { channelId: 'CMIXED001', localTime: '11:45' } })
    expect([...list.adAccountIds].sort()).toEqual([account.USD.id, account.JPY.id].sort())
    await db.prisma.digestSubscription.deleteMany({ where: { id: { in: [sub.id, list.id] } } })
  })

  it("the scheduled digest re-checks the channel's client at post time: an account moved away is left out", async () => {
    // A digest planted with both Acme's and Globex's accounts (say Globex's account was Acme's when subscribed).
    const planted = await db.prisma.digestSubscription.create({
      data: {
        workspaceId,
        channelId: ACME_CHANNEL,
        localTime: '10:00',
        timeZone: 'UTC',
        adAccountIds: [account.USD.id, account.EUR.id],
        createdBySlackUserId: ADMIN,
      },
    })
    const run = await db.prisma.digestRun.create({ data: { subscriptionId: planted.id, localDate: new Date('2030-01-01') } })
    const from = slack.calls.length
    await promoly.slackDeps.digests.postRun(run.id)
    const posted = slack.calls.slice(from).filter((c) => c.method === 'chat.postMessage' && c.args.channel === ACME_CHANNEL)
    expect(posted).toHaveLength(1)
    expectOnly(allText(posted[0]!.args), 'USD')
    expect((await db.prisma.digestRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe('SENT')
    await db.prisma.digestSubscription.delete({ where: { id: planted.id } })

    // Acme's digest names no account: an account moved to Acme is in it from then on.
    await db.prisma.adAccount.update({ where: { id: account.JPY.id }, data: { clientId: clientId.USD } })
    try {
      const preview = allText(await (await command('digest preview', ACME_CHANNEL)).reply())
      expect(preview).toContain(escapeMrkdwn(account.JPY.name))
      expect(preview).toContain(escapeMrkdwn(account.USD.name))
    } finally {
      await db.prisma.adAccount.update({ where: { id: account.JPY.id }, data: { clientId: clientId.JPY } })
    }
  })

  it("`suggestions` in #client-acme lists Acme's open suggestions only", async () => {
    const suggest = (c: Campaign, title: string, confidence: number) =>
      db.prisma.suggestion.create({
        data: {
          workspaceId,
          adAccountId: c.adAccountId,
          campaignId: c.id,
          kind: 'HIGH_COST',
          title,
          confidence,
          metricName: 'cpl',
          metricValue: 10,
        },
      })
    // The most confident, and the newest first among equals: were Globex's listed, its card would come before Acme's.
    await suggest(acmeActive()[0]!, 'Acme finding for the test', 1)
    await suggest(globexActive()[0]!, 'Globex finding for the test', 1)
    const seen = (id: string, text: string) =>
      slack.waitFor<{ path: string; body: Body }>('response', (x) => x.path === `/response/${id}` && allText(x.body).includes(text))
    const r = await command('suggestions', ACME_CHANNEL)
    await seen(r.id, 'Acme finding for the test')
    expect(r.replies().map(allText).join('\n')).not.toContain('Globex finding for the test')
    const dm = await command('suggestions', DM)
    await seen(dm.id, 'Globex finding for the test')
  })

  it("a misspelt campaign name offers the closest of this client's campaigns as buttons; a click runs the command on it", async () => {
    const target = acmeActive()[0]!
    // One letter dropped from the middle of the name.
    const cut = Math.floor(target.name.length / 2)
    const misspelt = `${target.name.slice(0, cut)}${target.name.slice(cut + 1)}`
    const r = await command(`pause "${misspelt}"`, ACME_CHANNEL)
    const body = await r.reply()
    expect(allText(body)).toContain('Did you mean')
    const buttons = buttonsOf(body)
    expect(buttons.length).toBeGreaterThan(0)
    expect(buttons.length).toBeLessThanOrEqual(5)
    const acmeIds = new Set(campaigns.USD.map((c) => c.metaCampaignId))
    for (const b of buttons) {
      const { command: text } = JSON.parse(b.value) as { command: string }
      const id = text.split(' ')[1]!
      expect(acmeIds.has(id), text).toBe(true)
    }
    expect(JSON.parse(buttons[0]!.value)).toEqual({ command: `pause ${target.metaCampaignId}` })

    const proposed = () => db.prisma.changeRequest.count({ where: { campaignId: target.id, type: 'PAUSE' } })
    const before = await proposed()
    const clickId = `click${++n}`
    const res = await sendInteraction(
      app.endpoint,
      SECRET,
      blockActionsPayload({
        userId: ADMIN,
        channelId: ACME_CHANNEL,
        responseUrl: slack.responseUrl(clickId),
        ephemeral: true,
        action: { action_id: buttons[0]!.action_id, value: buttons[0]!.value, block_id: 'promoly_did_you_mean' },
      }),
    )
    expect(res.status).toBe(200)
    await slack.waitFor(
      'response',
      (x: { path: string; body: Body }) => x.path === `/response/${clickId}` && allText(x.body).includes('Proposed'),
    )
    expect(await proposed()).toBe(before + 1)
  })

  it('an ambiguous name offers its matches by id; a click shows the chosen one', async () => {
    // The first part of a campaign name ("Lead Gen | …"), shared by more than one Acme campaign.
    const labels = campaigns.USD.map((c) => c.name.split(' | ')[0]!)
    const word = labels.sort((a, b) => labels.filter((l) => l === b).length - labels.filter((l) => l === a).length)[0]!
    // Archived and deleted campaigns are found by id or exact name only, not by part of their name.
    const matching = campaigns.USD.filter((c) => c.name.toLowerCase().includes(word.toLowerCase()) && !isGone(c))
    expect(matching.length).toBeGreaterThan(1)
    const body = await (await command(`metrics "${word}" last_7d`, ACME_CHANNEL)).reply()
    expect(allText(body)).toContain('matches more than one')
    const buttons = buttonsOf(body)
    expect(buttons).toHaveLength(Math.min(5, matching.length + (account.USD.name.toLowerCase().includes(word.toLowerCase()) ? 1 : 0)))
    const chosen = JSON.parse(buttons[1]!.value) as { command: string }
    expect(chosen.command).toMatch(/^metrics \d+ last_7d$/)
    const chosenCampaign = campaigns.USD.find((c) => chosen.command.includes(c.metaCampaignId))!
    expect(chosenCampaign).toBeDefined()

    const clickId = `click${++n}`
    await sendInteraction(
      app.endpoint,
      SECRET,
      blockActionsPayload({
        userId: ADMIN,
        channelId: ACME_CHANNEL,
        responseUrl: slack.responseUrl(clickId),
        ephemeral: true,
        action: { action_id: buttons[1]!.action_id, value: buttons[1]!.value },
      }),
    )
    const shown = await slack.waitFor<{ path: string; body: Body }>(
      'response',
      (x) => x.path === `/response/${clickId}` && x.body.replace_original === false,
    )
    expect(allText(shown.body)).toContain(escapeMrkdwn(chosenCampaign.name))
  })

  it("a button's command is checked again on click: another client's id is refused there, a forged command ignored", async () => {
    const target = globexActive()[0]!
    const before = await db.prisma.changeRequest.count({ where: { campaignId: target.id } })
    const clickId = `click${++n}`
    await sendInteraction(
      app.endpoint,
      SECRET,
      blockActionsPayload({
        userId: ADMIN,
        channelId: ACME_CHANNEL,
        responseUrl: slack.responseUrl(clickId),
        action: { action_id: 'promoly_did_you_mean_0', value: JSON.stringify({ command: `pause ${target.metaCampaignId}` }) },
      }),
    )
    const refused = await slack.waitFor<{ path: string; body: Body }>(
      'response',
      (x) => x.path === `/response/${clickId}` && allText(x.body).includes('This channel belongs to'),
    )
    expect(allText(refused.body)).not.toContain(escapeMrkdwn(target.name))
    expect(await db.prisma.changeRequest.count({ where: { campaignId: target.id } })).toBe(before)

    const forgedId = `click${++n}`
    await sendInteraction(
      app.endpoint,
      SECRET,
      blockActionsPayload({
        userId: ADMIN,
        channelId: ACME_CHANNEL,
        responseUrl: slack.responseUrl(forgedId),
        action: { action_id: 'promoly_did_you_mean_0', value: JSON.stringify({ command: 'frobnicate everything' }) },
      }),
    )
    const forged = await slack.waitFor<{ path: string; body: Body }>('response', (x) => x.path === `/response/${forgedId}`)
    expect(allText(forged.body)).toContain(':warning:')
  })

  it("the agent in #client-acme sees Acme only and refuses Globex's campaign; in a DM it sees every client", async () => {
    const model = createChatModel({ apiKey: 'sk-test-not-a-real-key', baseUrl: ai.url, model: 'gpt-test' })
    const globex = globexActive()[0]!
    const proposedIds: string[] = []
    const turn = (channelId: string, threadKey: string) =>
      runAgentTurn(
        { domain: promoly.domain, model },
        {
          workspaceId,
          slackUserId: ADMIN,
          threadKey,
          channelId,
          text: 'How are my ads doing? And pause the Globex one.',
          onProposed: async (c) => void proposedIds.push(c.id),
        },
      )
    const toolResults = (messages: ChatMessageBody[]) => messages.filter((m) => m.role === 'tool').map((m) => String(m.content))

    ai.reset()
    ai.enqueue(
      {
        toolCalls: [
          { name: 'list_ad_accounts', args: {} },
          { name: 'list_campaigns', args: {} },
          { name: 'get_metrics', args: { target: account.EUR.metaAccountId, period: 'last_7d' } },
          { name: 'compare_periods_and_explain', args: { target: globex.metaCampaignId, period: 'last_7d' } },
          { name: 'list_open_suggestions', args: { target: 'Nordlicht' } },
          { name: 'propose_pause', args: { target: globex.metaCampaignId } },
        ],
      },
      { text: 'Done looking.' },
    )
    const inAcme = await turn(ACME_CHANNEL, `${ACME_CHANNEL}:1.1`)
    expect(inAcme.outcome).toBe('answered')
    const [accounts, listed, metrics, compared, suggestions, pause] = toolResults(ai.requests[1]!.body.messages)
    expect(accounts).toContain('1 ad account')
    expectOnly(accounts!, 'USD')
    expectOnly(listed!, 'USD')
    for (const refused of [metrics, compared, suggestions, pause]) {
      expect(refused).toContain('This channel belongs to *Acme*')
      expect(refused).not.toContain(globex.name)
    }
    expect(proposedIds).toEqual([])
    expect(allText(ai.requests[0]!.body.messages[0])).toContain('belongs to the client \\"Acme\\"')

    ai.reset()
    ai.enqueue({ toolCalls: [{ name: 'list_ad_accounts', args: {} }] }, { text: 'All of them.' })
    await turn(DM, `${DM}:1.1`)
    const everything = toolResults(ai.requests[1]!.body.messages)[0]!
    expect(everything).toContain('5 ad accounts')
  })
})

interface Button {
  action_id: string
  value: string
}

function buttonsOf(body: Body): Button[] {
  const blocks = (body.blocks ?? []) as Array<{ type: string; elements?: Array<Button & { type: string }> }>
  return blocks
    .filter((b) => b.type === 'actions')
    .flatMap((b) => (b.elements ?? []).filter((e) => e.action_id.startsWith('promoly_did_you_mean_')))
}
