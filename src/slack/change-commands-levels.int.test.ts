/**
 * `pause`, `resume`, `budget` and `history` at every level, end to end on real PostgreSQL: signed slash commands
 * through the real Bolt receiver, Slack served by the local stand-in, objects made with the factories (as the sync
 * writes them) in an account of Acme's whose channel #client-acme shows Acme only; Globex's account beside it.
 * An ad is paused by a name prefix, an ad set resumed; `budget +20%` on a campaign whose budgets live on its ad sets
 * proposes one change per active ad set on one card; an ad set of a campaign-budget campaign and an ad are refused
 * with the reason, proposing nothing; ambiguous names are listed with their level; a deleted ad and another
 * client's ad are refused; history of an ad set lists its ads' changes, each line naming level and object.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAd, createAdAccount, createAdSet, createCampaign } from '../../test/support/factories.ts'
import { blockActionsPayload, type FakeSlack, sendInteraction, sendSlashCommand } from '../../test/support/fake-slack.ts'
import { type PromolyOnFakeSlack, startPromolyOnFakeSlack } from '../../test/support/start-promoly.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../../test/support/test-database.ts'
import type { Ad, AdSet, Campaign } from '../generated/prisma/client.ts'
import { addDays, localDate, toDbDate } from '../lib/dates.ts'

const pgUrl = requirePostgresUrl()
const SECRET = 'test-signing-secret'
const USER = 'UMEMBER1'
const ACME_CHANNEL = 'CACME0001'
const DM = 'D0MEMBER1'

type Body = { text?: string; blocks?: Array<Record<string, unknown>>; [key: string]: unknown }
type Button = { action_id: string; value: string; text: { text: string } }
const allText = (value: unknown) => JSON.stringify(value)
const sections = (b: Body) =>
  (b.blocks ?? []).filter((x) => x.type === 'section').map((x) => (x as { text?: { text: string } }).text?.text ?? '')
const buttons = (b: Body): Button[] => (b.blocks?.find((x) => x.type === 'actions') as { elements: Button[] } | undefined)?.elements ?? []

describe.skipIf(!pgUrl)('pause, resume, budget and history at every level', () => {
  let app: PromolyOnFakeSlack
  let slack: FakeSlack
  let db: TestDatabase
  let n = 0
  let spring: Campaign
  let retargeting: AdSet
  let prospecting: AdSet
  let blueShoes: Ad
  let redBoots: Ad
  let goneAd: Ad
  let summer: Campaign
  let summerA: AdSet
  let summerB: AdSet
  let sunHat: Ad
  let globexAd: Ad
  const today = localDate(new Date(), 'UTC')

  beforeAll(async () => {
    app = await startPromolyOnFakeSlack({ signingSecret: SECRET, db: await createPostgresTestDatabase(pgUrl!) })
    ;({ slack, db } = app)
    const workspaceId = (await db.prisma.workspace.findFirstOrThrow()).id
    const acme = await db.prisma.client.create({ data: { workspaceId, name: 'Acme' } })
    const globex = await db.prisma.client.create({ data: { workspaceId, name: 'Globex' } })
    await db.prisma.clientChannel.create({ data: { workspaceId, channelId: ACME_CHANNEL, clientId: acme.id } })
    const account = (name: string, clientId: string) =>
      createAdAccount(db.prisma, {
        workspaceId,
        clientId,
        name,
        currency: 'USD',
        timezoneName: 'UTC',
        adLevelSince: toDbDate(addDays(today, -20)),
        lastSyncedAt: new Date(),
      })
    const shop = await account('Shoe Shop', acme.id)
    const p = db.prisma
    // A campaign budget: its ad sets have none.
    spring = await createCampaign(p, shop.id, { name: 'Spring sale', dailyBudget: 5000n })
    retargeting = await createAdSet(p, spring, { name: 'Retargeting' })
    prospecting = await createAdSet(p, spring, { name: 'Prospecting', status: 'PAUSED' })
    blueShoes = await createAd(p, retargeting, { name: 'Blue shoes' })
    redBoots = await createAd(p, retargeting, { name: 'Red boots' })
    goneAd = await createAd(p, retargeting, { name: 'Gone ad', status: 'DELETED' })
    await createAd(p, prospecting, { name: 'Retargeting carousel' })
    // Ad set budgets: two active ad sets, a paused one and an archived one (neither of the last two is changed).
    summer = await createCampaign(p, shop.id, { name: 'Summer push', objective: 'OUTCOME_SALES' })
    summerA = await createAdSet(p, summer, { name: 'Summer A', dailyBudget: 2000n })
    summerB = await createAdSet(p, summer, { name: 'Summer B', dailyBudget: 3000n })
    await createAdSet(p, summer, { name: 'Summer C', dailyBudget: 1000n, status: 'PAUSED' })
    await createAdSet(p, summer, { name: 'Summer old', dailyBudget: 9999n, status: 'ARCHIVED' })
    sunHat = await createAd(p, summerA, { name: 'Sun hat' })
    await createAd(p, summerB, { name: 'Beach ball' })

    const globexShop = await account('Globex Shop', globex.id)
    const globexSet = await createAdSet(p, await createCampaign(p, globexShop.id, { name: 'Globex launch' }), {
      name: 'Globex audience',
    })
    globexAd = await createAd(p, globexSet, { name: 'Globex teaser' })
  }, 180_000)

  afterAll(async () => {
    await app?.stop()
  })

  /** The answer to a command: in the ack when it carried one, else the first on the response_url. */
  async function ask(text: string, channelId = ACME_CHANNEL): Promise<Body> {
    const id = `r${++n}`
    const res = await sendSlashCommand(app.endpoint, SECRET, { text, responseUrl: slack.responseUrl(id), userId: USER, channelId })
    expect(res.status).toBe(200)
    if (res.body) return JSON.parse(res.body) as Body
    return (await slack.waitFor<{ path: string; body: Body }>('response', (r) => r.path === `/response/${id}`)).body
  }

  const cardsPosted = () => slack.calls.filter((c) => c.method === 'chat.postMessage').length
  const changes = () => db.prisma.changeRequest.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] })

  it('proposes pausing an ad found by a name prefix, at ad level with its ad set and campaign, on a card', async () => {
    const before = cardsPosted()
    const note = allText(await ask('pause Blue sh'))
    expect(note).toContain('Proposed')
    // Its sibling keeps the ad set delivering; pausing an ad set's last active ad says what that does.
    expect(note).not.toContain('last active ad')
    const [change] = await db.prisma.changeRequest.findMany({ where: { adId: blueShoes.id } })
    expect(change).toMatchObject({
      type: 'PAUSE',
      level: 'ad',
      adSetId: retargeting.id,
      campaignId: spring.id,
      status: 'PROPOSED',
      currentValue: { status: 'ACTIVE' },
      proposedValue: { status: 'PAUSED' },
      requestedBySlackUserId: USER,
    })
    await slack.waitFor('call', () => cardsPosted() === before + 1)
    expect(allText(await ask('pause Beach ball'))).toContain(
      'Note: this is the last active ad of ad set “Summer B”: once it is paused, that ad set delivers nothing (it stays active) until another ad runs.',
    )
  })

  it('proposes resuming a paused ad set by name', async () => {
    expect(allText(await ask('resume Prospecting'))).toContain('Proposed')
    const [change] = await db.prisma.changeRequest.findMany({ where: { adSetId: prospecting.id, adId: null } })
    expect(change).toMatchObject({ type: 'RESUME', level: 'adset', campaignId: spring.id, proposedValue: { status: 'ACTIVE' } })
  })

  it('budget +20% on a campaign with ad set budgets proposes one change per active ad set, on one card', async () => {
    const before = cardsPosted()
    const reply = allText(await ask('budget Summer push +20%'))
    expect(reply).toContain('2 changes, one per ad set, on one card: approved or rejected together')
    const parts = (await changes()).filter((c) => c.campaignId === summer.id && c.type === 'SET_DAILY_BUDGET')
    expect(parts.map((c) => [c.adSetId, c.level, c.type, c.proposedValue])).toEqual([
      [summerA.id, 'adset', 'SET_DAILY_BUDGET', { dailyBudgetMinor: 2400 }],
      [summerB.id, 'adset', 'SET_DAILY_BUDGET', { dailyBudgetMinor: 3600 }],
    ])
    expect(new Set(parts.map((c) => c.groupId))).toEqual(new Set([parts[0]!.id]))
    await slack.waitFor('call', () => cardsPosted() === before + 1)
    // One card for the group: no second post follows.
    expect(cardsPosted()).toBe(before + 1)
  })

  it('proposes a new amount for one ad set that holds its own budget', async () => {
    expect(allText(await ask('budget Summer A 25'))).toContain('Proposed')
    const [change] = await db.prisma.changeRequest.findMany({ where: { adSetId: summerA.id, groupId: null } })
    expect(change).toMatchObject({ level: 'adset', currentValue: { dailyBudgetMinor: 2000 }, proposedValue: { dailyBudgetMinor: 2500 } })
  })

  it('refuses with the reason, proposing nothing: an ad set of a campaign-budget campaign, an ad, a new amount for several ad sets', async () => {
    const before = (await changes()).length
    expect(allText(await ask('budget Retargeting +10%'))).toContain(
      "Ad set “Retargeting” uses its campaign's budget: change the budget of campaign “Spring sale” instead.",
    )
    expect(allText(await ask('budget Blue shoes 10'))).toContain(
      'Ad “Blue shoes” in ad set “Retargeting” (campaign “Spring sale”) has no budget of its own: ads spend the budget of its campaign “Spring sale”.',
    )
    expect(allText(await ask('budget Sun hat +10%'))).toContain('ads spend the budget of its ad set “Summer A”')
    expect(allText(await ask('budget Summer push 60'))).toContain(
      "This campaign's budgets live on its 2 active ad sets (“Summer A”, “Summer B”)",
    )
    expect((await changes()).length).toBe(before)
  })

  it('lists an ambiguous name with each match’s level and parent, proposing nothing; a button runs it on the one chosen', async () => {
    const before = (await changes()).length
    const reply = await ask('pause retarg')
    const text = allText(reply)
    expect(text).toContain('matches more than one')
    expect(text).toContain('Retargeting — ad set in *Spring sale* (Shoe Shop)')
    expect(text).toContain('Retargeting carousel — ad in *Prospecting* / *Spring sale* (Shoe Shop)')
    expect(JSON.parse(buttons(reply)[0]!.value)).toEqual({ command: `pause ${retargeting.metaAdSetId}` })
    expect((await changes()).length).toBe(before)
  })

  it('refuses a deleted ad with the reason, and another client’s ad in a client’s channel; the DM may', async () => {
    const before = (await changes()).length
    expect(allText(await ask('pause Gone ad'))).toContain(
      `Ad “Gone ad” in ad set “Retargeting” (campaign “Spring sale”) was deleted on Meta: it can no longer be changed. Its past changes: \`/promoly history ${goneAd.metaAdId}\``,
    )
    const refused = allText(await ask('pause Globex teaser'))
    expect(refused).toContain('This channel belongs to *Acme*')
    expect(refused).not.toContain('Globex Shop')
    expect((await changes()).length).toBe(before)
    expect(allText(await ask(`pause ${globexAd.metaAdId}`, DM))).toContain('Proposed')
  })

  it('asks "+20 % or +$20.00/day?" for a campaign with ad set budgets naming the ad sets; an answer proposes the group', async () => {
    const asked = await ask('budget Summer push +20')
    expect(asked.text).toContain('Did you mean +20 % or +$20.00/day?')
    expect(asked.text).toContain('the answer changes each of its 2 active ad sets (*Summer A*, *Summer B*), on one card')
    const [, money] = buttons(asked)
    expect(JSON.parse(money!.value)).toMatchObject({ l: 'campaign', o: summer.id, k: 'delta', v: 2000 })
    const res = await sendInteraction(
      app.endpoint,
      SECRET,
      blockActionsPayload({
        userId: USER,
        channelId: ACME_CHANNEL,
        ephemeral: true,
        responseUrl: slack.responseUrl('money-click'),
        action: { action_id: money!.action_id, block_id: 'budget_choice', value: money!.value },
      }),
    )
    expect(res.status).toBe(200)
    const answered = await slack.waitFor<{ path: string; body: Body }>('response', (r) => r.path === '/response/money-click')
    expect(answered.body.text).toContain('2 changes, one per ad set, on one card')
    const group = (await changes()).filter((c) => c.campaignId === summer.id && c.requestedBySlackUserId === USER).slice(-2)
    expect(group.map((c) => [c.adSetId, c.proposedValue])).toEqual([
      [summerA.id, { dailyBudgetMinor: 4000 }],
      [summerB.id, { dailyBudgetMinor: 5000 }],
    ])
    // An ad set's own question carries the ad set.
    const [percent] = buttons(await ask('budget Summer B -5'))
    expect(JSON.parse(percent!.value)).toMatchObject({ l: 'adset', o: summerB.id, k: 'percent', v: -5 })
  })

  it('history of an ad set lists its own and its ads’ changes, a campaign’s all under it, an ad’s its own; each line names level and object', async () => {
    const ofAdSet = sections(await ask('history Retargeting')).join('\n')
    expect(ofAdSet).toContain('*Pause ad* · Ad “Blue shoes” in ad set “Retargeting” (campaign “Spring sale”)')
    expect(ofAdSet).not.toContain('Prospecting')

    const ofCampaign = sections(await ask(`history ${spring.metaCampaignId}`)).join('\n')
    expect(ofCampaign).toContain('*Pause ad* · Ad “Blue shoes” in ad set “Retargeting” (campaign “Spring sale”)')
    expect(ofCampaign).toContain('*Resume ad set* · Ad set “Prospecting” in campaign “Spring sale”')
    expect(ofCampaign).not.toContain('Summer')

    const ofSummer = sections(await ask('history Summer push')).join('\n')
    expect(ofSummer).toContain('*Change daily budget* · Ad set “Summer A” in campaign “Summer push”')
    expect(ofSummer).toContain('*Change daily budget* · Ad set “Summer B” in campaign “Summer push”')

    const ofAd = sections(await ask(`history ${blueShoes.metaAdId}`))
    expect(ofAd).toHaveLength(1)
    expect(ofAd[0]).toContain('Ad “Blue shoes”')

    const none = allText(await ask(`history ${redBoots.metaAdId}`))
    expect(none).toContain('No changes yet for Ad “Red boots” in ad set “Retargeting” (campaign “Spring sale”)')
    // The whole scope's, as before; another client's stays out of this channel.
    const all = allText(await ask('history'))
    expect(all).toContain('Summer A')
    expect(all).not.toContain('Globex')
    expect(allText(await ask(`history ${sunHat.metaAdId}`))).toContain('No changes yet')
  })

  it('help names every level; a near miss of pause is offered, running nothing', async () => {
    const help = allText(await ask('help'))
    expect(help).toContain('/promoly pause &lt;campaign|ad set|ad&gt;')
    expect(help).toContain('/promoly budget &lt;campaign|ad set&gt;')
    expect(help).toContain('/promoly history [campaign|ad set|ad|account]')
    const before = (await changes()).length
    const missed = await ask('paus Red boots')
    expect(missed.text).toContain('Did you mean `/promoly pause`?')
    expect(JSON.parse(buttons(missed)[0]!.value)).toEqual({ command: 'pause Red boots' })
    expect((await changes()).length).toBe(before)
    expect(allText(await ask('pause'))).toContain('Name the campaign, ad set or ad.')
  })
})
