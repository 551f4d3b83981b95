/**
 * Ad sets and ads in Slack, end to end on real PostgreSQL: signed slash commands through the real Bolt receiver,
 * Slack served by the local stand-in. Ad sets, ads and ad-days are made with the factories (as the sync will write
 * them) in an account of Acme's, whose channel #client-acme shows Acme only; Globex's account beside it.
 * `/promoly campaigns` says where each budget lives; `adsets` and `ads` list by spend with the campaign list's
 * figures, live ones unless asked; `metrics` reads an ad set or an ad (its figures equal the level sums, a campaign's
 * the sum of its ads); ambiguous names are listed with level and parent; another client's are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAd, createAdAccount, createAdDays, createAdSet, createCampaign } from '../../test/support/factories.ts'
import { blockActionsPayload, type FakeSlack, sendInteraction, sendSlashCommand } from '../../test/support/fake-slack.ts'
import { type PromolyOnFakeSlack, startPromolyOnFakeSlack } from '../../test/support/start-promoly.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../../test/support/test-database.ts'
import { loadLevelTotals } from '../domain/metrics/load-level-totals.ts'
import { resolvePeriod } from '../domain/metrics/periods.ts'
import type { Ad, AdAccount, AdSet, Campaign } from '../generated/prisma/client.ts'
import { addDays, localDate, toDbDate } from '../lib/dates.ts'
import { fmtInt, fmtMoney } from './blocks/format.ts'

const pgUrl = requirePostgresUrl()
const SECRET = 'test-signing-secret'
const USER = 'UMEMBER1'
const ACME_CHANNEL = 'CACME0001'
const DM = 'D0MEMBER1'

type Body = { text?: string; blocks?: Array<Record<string, unknown>>; [key: string]: unknown }
const allText = (value: unknown) => JSON.stringify(value)
const sections = (b: Body) =>
  (b.blocks ?? []).filter((x) => x.type === 'section').map((x) => (x as { text?: { text: string } }).text?.text ?? '')

const header = (b: Body) => (b.blocks?.[0] as { text?: { text: string } } | undefined)?.text?.text
const buttons = (b: Body) =>
  (
    b.blocks?.find((x) => x.type === 'actions') as
      | { elements: Array<{ action_id: string; value: string; text: { text: string } }> }
      | undefined
  )?.elements ?? []

/** A metrics card's field value ("$123.45" of "*Spend*\n$123.45 (▲ 5%)"). */
function field(b: Body, label: string): string {
  for (const block of b.blocks ?? []) {
    for (const f of (block as { fields?: Array<{ text: string }> }).fields ?? []) {
      if (f.text.startsWith(`*${label}*\n`)) return (f.text.slice(label.length + 3).split(' (')[0] ?? '').trim()
    }
  }
  throw new Error(`no ${label} field in ${allText(b)}`)
}

describe.skipIf(!pgUrl)('ad sets and ads in Slack', () => {
  let app: PromolyOnFakeSlack
  let slack: FakeSlack
  let db: TestDatabase
  let n = 0
  let shop: AdAccount
  let spring: Campaign
  let retargeting: AdSet
  let blueShoes: Ad
  let goneAd: Ad
  let globexSet: AdSet
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
    shop = await account('Shoe Shop', acme.id)
    const p = db.prisma
    spring = await createCampaign(p, shop.id, { name: 'Spring sale', dailyBudget: 5000n })
    retargeting = await createAdSet(p, spring, { name: 'Retargeting', bidStrategy: 'LOWEST_COST_WITHOUT_CAP', learningStage: 'FAIL' })
    const prospecting = await createAdSet(p, spring, {
      name: 'Prospecting',
      bidStrategy: 'COST_CAP',
      bidAmount: 1500n,
      learningStage: 'LEARNING',
    })
    await createAdSet(p, spring, { name: 'Old audience', status: 'ARCHIVED' })
    await createAdSet(p, spring, { name: 'Killed audience', status: 'DELETED' })
    blueShoes = await createAd(p, retargeting, { name: 'Blue shoes', creativeName: 'Blue shoes video' })
    const redBoots = await createAd(p, retargeting, { name: 'Red boots' })
    goneAd = await createAd(p, retargeting, { name: 'Gone ad', status: 'DELETED' })
    const carousel = await createAd(p, prospecting, { name: 'Retargeting carousel' })
    const summer = await createCampaign(p, shop.id, { name: 'Summer push', objective: 'OUTCOME_SALES' })
    const summerA = await createAdSet(p, summer, { name: 'Summer A', dailyBudget: 2000n })
    await createAdSet(p, summer, { name: 'Summer B', dailyBudget: 3000n })
    await createAdSet(p, summer, { name: 'Summer old', dailyBudget: 9999n, status: 'ARCHIVED' })
    const sunHat = await createAd(p, summerA, { name: 'Sun hat' })
    const autumn = await createCampaign(p, shop.id, { name: 'Autumn traffic', objective: 'OUTCOME_TRAFFIC' })
    for (const budget of [{ dailyBudget: 1000n }, { dailyBudget: 2000n }, { lifetimeBudget: 50000n }, { dailyBudget: 500n }])
      await createAdSet(p, autumn, budget)
    await createAdSet(p, await createCampaign(p, shop.id, { name: 'Winter quiet' }), { name: 'Winter set' })
    await createCampaign(p, shop.id, { name: 'Empty one' })
    const days = Array.from({ length: 10 }, (_, i) => addDays(today, -(i + 1)))
    await createAdDays(p, [
      ...days.map((date, i) => ({ ad: blueShoes, date, spend: 1000 + i * 10, impressions: 2000, clicks: 40, leads: 2 })),
      ...days.map((date) => ({ ad: redBoots, date, spend: 500, impressions: 1000, clicks: 10, leads: 1 })),
      ...days.map((date) => ({ ad: goneAd, date, spend: 300, impressions: 400, clicks: 4, leads: 1 })),
      ...days.map((date) => ({ ad: carousel, date, spend: 700, impressions: 1500, clicks: 12 })),
      ...days.map((date) => ({ ad: sunHat, date, spend: 900, impressions: 800, clicks: 9, purchases: 1, purchaseValue: 3000 })),
    ])

    const globexShop = await account('Globex Shop', globex.id)
    globexSet = await createAdSet(p, await createCampaign(p, globexShop.id, { name: 'Globex launch' }), { name: 'Globex audience' })
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

  const week = () => resolvePeriod('last_7d', new Date(), 'UTC').current
  const sums = (level: 'adset' | 'ad', where: { campaignId?: string; adSetId?: string } = {}) =>
    loadLevelTotals(db.prisma, { adAccountId: shop.id, level, range: week(), status: 'all', ...where })

  it('says where each campaign budget lives: on the campaign, on its ad sets (few listed, many summed), or nowhere', async () => {
    const rows = sections(await ask('campaigns'))
    const row = (name: string) => rows.find((r) => r.includes(`*${name}*`)) ?? ''
    expect(row('Spring sale')).toContain('· leads · campaign budget $50.00/day')
    expect(row('Summer push')).toContain('· ad set budgets: $20.00 + $30.00/day')
    expect(row('Autumn traffic')).toContain('· 4 ad sets: $35.00/day in all across 3, and $500.00 lifetime across 1')
    expect(row('Winter quiet')).toContain('· no budget set')
    expect(rows.join('\n')).not.toContain('Globex')
  })

  it('lists a campaign’s live ad sets by spend with budget, bidding, goal and learning, counting the hidden ones', async () => {
    const reply = await ask('adsets Spring sale')
    expect(header(reply)).toBe('Ad sets of Spring sale (2)')
    const [first, second, ...rest] = sections(reply)
    expect(rest).toEqual([])
    expect(first).toContain('*Retargeting* · uses the campaign budget · lowest cost · optimised for leads · :warning: Learning limited')
    expect(second).toContain('*Prospecting* · uses the campaign budget · cost cap $15.00 · optimised for leads · :seedling: Learning')
    // The campaign list's figures: yesterday and the last 7 days, spend and the objective's results; Retargeting's
    // deleted ad still counts in its ad set's spend.
    const [retargetingWeek] = await sums('adset', { adSetId: retargeting.id })
    expect(first).toContain(`7 days: *${fmtMoney(retargetingWeek!.spend, 'USD')}* · ${retargetingWeek!.leads} leads`)
    expect(first).toMatch(/Yesterday: \*\$[\d,.]+\* · \d+ leads · \$[\d.]+\/lead · CTR /)
    expect(allText(reply)).toContain(
      `2 archived or deleted ad sets hidden: see them with \`/promoly adsets ${spring.metaCampaignId} archived\``,
    )

    const archived = sections(await ask(`adsets ${spring.metaCampaignId} archived`))
    expect(archived.map((s) => /\*([^*]+)\*/.exec(s)?.[1]).sort()).toEqual(['Killed audience', 'Old audience'])
    expect(archived.find((s) => s.includes('Killed audience'))).toContain(':wastebasket: deleted on Meta')
    expect(archived.find((s) => s.includes('Old audience'))).toContain('archived on Meta')
    expect(sections(await ask('adsets Spring sale all'))).toHaveLength(4)

    const fortnight = sections(await ask('adsets Spring sale last 14 days'))
    expect(fortnight[0]).toMatch(/\nLast 14 days: \*\$/)
    expect(fortnight[0]).not.toContain('Yesterday:')
    expect(sections(await ask('adsets Summer push'))[0]).toContain('*Summer A* · budget $20.00/day')
  })

  it('lists the ads of an ad set or of a campaign with their creative, the deleted one only when asked', async () => {
    const ofAdSet = await ask('ads Retargeting')
    expect(header(ofAdSet)).toBe('Ads of Retargeting (2)')
    const rows = sections(ofAdSet)
    expect(rows[0]).toContain('*Blue shoes* · creative *Blue shoes video*')
    expect(rows[1]).toContain('*Red boots*')
    expect(allText(ofAdSet)).toContain(`1 archived or deleted ad hidden: see it with \`/promoly ads ${retargeting.metaAdSetId} archived\``)
    const ofCampaign = sections(await ask(`ads ${spring.metaCampaignId}`))
    expect(ofCampaign).toHaveLength(3)
    expect(ofCampaign.find((r) => r.includes('Retargeting carousel'))).toContain('_ad set Prospecting · id')
    const all = sections(await ask('ads Retargeting all'))
    expect(all.find((r) => r.includes('*Gone ad*'))).toContain(':wastebasket: deleted on Meta')
  })

  it('answers the empty cases and bad arguments plainly', async () => {
    expect(allText(await ask('adsets Empty one'))).toContain('has no ad sets synced yet. Ad-level data starts on')
    expect(allText(await ask('adsets'))).toContain('Name a campaign.')
    expect(allText(await ask('ads Spring sale today'))).toContain('not over yet')
    expect(allText(await ask('adsets Nothing like it'))).toContain('No campaign matches')
    // An id of another level points at the commands that take it.
    expect(allText(await ask(`adsets ${retargeting.metaAdSetId}`))).toContain(
      `${retargeting.metaAdSetId} is an ad set (*Retargeting* in campaign *Spring sale*), not a campaign. Its ads: \`/promoly ads ${retargeting.metaAdSetId}\``,
    )
    expect(allText(await ask(`ads ${blueShoes.metaAdId}`))).toContain(`is an ad (*Blue shoes* in campaign *Spring sale*)`)
    // A mistyped period after an existing object is named as the period, not as a name that matched nothing.
    expect(allText(await ask(`metrics ${blueShoes.metaAdId} lastweek`))).toContain('Did you mean `last week`?')
  })

  it('shows metrics of an ad set and of an ad equal to their level sums; a campaign’s equal the sum of its ads', async () => {
    const [adSetWeek] = await sums('adset', { adSetId: retargeting.id })
    const adSetCard = await ask(`metrics ${retargeting.metaAdSetId} last_7d`)
    expect(allText(adSetCard)).toContain('Retargeting (ad set) — Last 7 days')
    expect(allText(adSetCard)).toContain('Ad set *Retargeting* in campaign *Spring sale*')
    expect(field(adSetCard, 'Spend')).toBe(fmtMoney(adSetWeek!.spend, 'USD'))
    expect(field(adSetCard, 'Impressions')).toBe(fmtInt(adSetWeek!.impressions, 'USD'))
    expect(field(adSetCard, 'Results (Leads)')).toBe(fmtInt(adSetWeek!.leads, 'USD'))
    expect(allText(adSetCard)).not.toContain('*Reach*')
    expect(allText(adSetCard)).toContain('Reach is not shown for ad sets and ads')

    const adWeek = (await sums('ad', { adSetId: retargeting.id })).find((a) => a.id === blueShoes.id)
    const adCard = await ask('metrics Blue shoes last_7d')
    expect(allText(adCard)).toContain('Ad *Blue shoes* in ad set *Retargeting* of campaign *Spring sale* · creative *Blue shoes video*')
    expect(field(adCard, 'Spend')).toBe(fmtMoney(adWeek!.spend, 'USD'))
    expect(field(adCard, 'Clicks')).toBe(fmtInt(adWeek!.clicks, 'USD'))

    // A campaign is the sum of its ads (the deleted one's days included), an ad set the sum of its own.
    const ads = await sums('ad', { campaignId: spring.id })
    const total = (rows: Array<{ spend: number }>) => rows.reduce((s, r) => s + r.spend, 0)
    expect(field(await ask(`metrics ${spring.metaCampaignId} last_7d`), 'Spend')).toBe(fmtMoney(total(ads), 'USD'))
    expect(total(ads.filter((a) => a.adSet?.id === retargeting.id))).toBe(adSetWeek!.spend)

    // A period button recomputes the ad set's card in place (the channel's scope checked again).
    const button = buttons(adSetCard)[3]
    expect(button?.action_id).toBe('metrics_period_last_30d')
    const res = await sendInteraction(
      app.endpoint,
      SECRET,
      blockActionsPayload({
        userId: USER,
        ephemeral: true,
        channelId: ACME_CHANNEL,
        responseUrl: slack.responseUrl('period-click'),
        action: { ...button!, block_id: 'metrics_periods' },
      }),
    )
    expect(res.status).toBe(200)
    const updated = await slack.waitFor<{ path: string; body: Body }>('response', (r) => r.path === '/response/period-click')
    expect(allText(updated.body)).toContain('Retargeting (ad set) — Last 30 days')

    // A deleted ad's figures are kept and labelled.
    const gone = await ask(`metrics ${goneAd.metaAdId} last_7d`)
    expect(allText(gone)).toContain(':wastebasket: deleted on Meta')
    expect(field(gone, 'Spend')).toBe(fmtMoney(7 * 300, 'USD'))
    // Before the account's first ad-level day, the figures are said to start there.
    expect(allText(await ask(`metrics ${retargeting.metaAdSetId} last_30d`))).toContain('Ad-level figures (ad sets and ads) start on')
  })

  it('lists an ambiguous name with each match’s level and parent, with buttons by id', async () => {
    const reply = await ask('metrics retarg')
    const text = allText(reply)
    expect(text).toContain('matches more than one')
    expect(text).toContain('Retargeting — ad set in *Spring sale* (Shoe Shop)')
    expect(text).toContain('Retargeting carousel — ad in *Prospecting* / *Spring sale* (Shoe Shop)')
    const offered = buttons(reply)
    expect(offered[0]?.text.text).toBe('Retargeting — ad set in Spring sale (Shoe Shop)')
    expect(JSON.parse(offered[0]!.value)).toEqual({ command: `metrics ${retargeting.metaAdSetId}` })
  })

  it("refuses another client's ad set and ad by name and by id in a client's channel; a DM shows them", async () => {
    for (const text of [
      'adsets Globex launch',
      `ads ${globexSet.metaAdSetId}`,
      'ads Globex audience',
      'metrics Globex teaser',
      `metrics ${globexAd.metaAdId} last_7d`,
    ]) {
      const refused = allText(await ask(text))
      expect(refused).toContain('This channel belongs to *Acme*')
      expect(refused).not.toContain('Globex Shop')
    }
    expect(sections(await ask('ads Globex audience', DM))[0]).toContain('*Globex teaser*')
  })

  it('offers the right subcommand for a near miss, running nothing', async () => {
    const missed = await ask('adset Spring sale')
    expect(missed.text).toContain("I don't know `adset`. Did you mean `/promoly adsets`?")
    const [button, ...others] = buttons(missed)
    expect(others).toEqual([])
    expect(JSON.parse(button!.value)).toEqual({ command: 'adsets Spring sale' })
    expect((await ask('adz Retargeting')).text).toContain('Did you mean `/promoly ads`?')
    const help = allText(await ask('help'))
    expect(help).toContain('/promoly adsets &lt;campaign&gt; [period] [archived|all]')
    expect(help).toContain('/promoly ads &lt;campaign|ad set&gt;')
  })
})
