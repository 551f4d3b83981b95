/**
 * Input that forgives and never guesses, over signed HTTP. `/promoly budget <campaign> +20` asks "+20 % or
 * +$20.00/day?" and each answer button proposes exactly one change, that one; another currency than the
 * campaign's is refused, nothing proposed. A time zone typed in `digest subscribe` is read whatever its case,
 * and a near miss gets the closest names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { blockActionsPayload, sendInteraction, sendSlashCommand } from '../../test/support/fake-slack.ts'
import { type PromolyOnFakeSlack, startPromolyOnFakeSlack } from '../../test/support/start-promoly.ts'
import type { Campaign } from '../generated/prisma/client.ts'

const SECRET = 'test-signing-secret'
const MEMBER = 'UMEMBER1'
const ADMIN = 'UADMIN01'

type Reply = { path: string; body: { text?: string; blocks?: Array<{ type: string; elements?: Array<Record<string, unknown>> }> } }

describe('input that forgives and never guesses', () => {
  let app: PromolyOnFakeSlack
  let usd: Campaign
  let n = 0

  beforeAll(async () => {
    app = await startPromolyOnFakeSlack({
      signingSecret: SECRET,
      slackUsers: { [ADMIN]: { is_admin: true } },
      slackChannels: { C0DIGEST9: [ADMIN] },
    })
    usd = await app.db.prisma.campaign.findFirstOrThrow({
      where: { adAccount: { currency: 'USD' }, dailyBudget: { not: null }, status: 'ACTIVE' },
      orderBy: { name: 'asc' },
    })
  }, 120_000)
  afterAll(async () => {
    await app?.stop()
  })

  async function command(text: string, userId = MEMBER): Promise<Reply> {
    const id = `b${++n}`
    const res = await sendSlashCommand(app.endpoint, SECRET, { text, responseUrl: app.slack.responseUrl(id), userId })
    // An answer in the ack itself (a refusal before any work) or later on the response_url.
    if (res.body) return { path: 'ack', body: JSON.parse(res.body) as Reply['body'] }
    return app.slack.waitFor<Reply>('response', (r) => r.path === `/response/${id}`)
  }

  async function click(button: Record<string, unknown>): Promise<Reply> {
    const id = `c${++n}`
    const payload = blockActionsPayload({
      userId: MEMBER,
      action: { action_id: String(button.action_id), block_id: 'budget_choice', value: button.value },
      responseUrl: app.slack.responseUrl(id),
      ephemeral: true,
    })
    const res = await sendInteraction(app.endpoint, SECRET, payload)
    expect(res.status).toBe(200)
    return app.slack.waitFor<Reply>('response', (r) => r.path === `/response/${id}`)
  }

  const buttonsOf = (reply: Reply) => reply.body.blocks?.find((b) => b.type === 'actions')?.elements ?? []
  const budgetChanges = () =>
    app.db.prisma.changeRequest.findMany({ where: { campaignId: usd.id, type: 'SET_DAILY_BUDGET' }, orderBy: { createdAt: 'asc' } })

  it('asks "+20 % or +$20.00/day?" with two buttons, proposing nothing yet; -20 too', async () => {
    const before = (await budgetChanges()).length
    const asked = await command(`budget ${usd.metaCampaignId} +20`)
    expect(asked.body.text).toContain('Did you mean +20 % or +$20.00/day?')
    expect(buttonsOf(asked).map((b) => (b.text as { text: string }).text)).toEqual(['+20 %', '+$20.00/day'])
    const minus = await command(`budget ${usd.metaCampaignId} -20`)
    expect(minus.body.text).toContain('Did you mean -20 % or -$20.00/day?')
    expect((await budgetChanges()).length).toBe(before)
  })

  it('proposes exactly +20 % from its button, once, however often it is clicked', async () => {
    const before = (await budgetChanges()).length
    const [percent] = buttonsOf(await command(`budget ${usd.metaCampaignId} +20`))
    if (!percent) throw new Error('no percent button')
    const answered = await click(percent)
    expect(answered.body.text).toContain('Proposed')
    // Clicked again, and twice at once (Slack redelivers; people double-click): still one proposal.
    const again = await Promise.all([click(percent), click(percent)])
    for (const r of again) expect(r.body.text).toContain('You already answered')
    const changes = (await budgetChanges()).slice(before)
    expect(changes).toHaveLength(1)
    expect(changes[0]?.proposedValue).toEqual({ dailyBudgetMinor: Math.round(Number(usd.dailyBudget) * 1.2) })
    expect(changes[0]?.requestedBySlackUserId).toBe(MEMBER)
  })

  it('proposes exactly $20.00 more from the other button', async () => {
    const before = (await budgetChanges()).length
    const [, money] = buttonsOf(await command(`budget ${usd.metaCampaignId} +20`))
    if (!money) throw new Error('no money button')
    expect((await click(money)).body.text).toContain('Proposed')
    const changes = (await budgetChanges()).slice(before)
    expect(changes).toHaveLength(1)
    expect(changes[0]?.proposedValue).toEqual({ dailyBudgetMinor: Number(usd.dailyBudget) + 2000 })
  })

  it('refuses a button whose value was tampered with, or whose campaign is gone, proposing nothing', async () => {
    const [percent] = buttonsOf(await command(`budget ${usd.metaCampaignId} +20`))
    if (!percent) throw new Error('no percent button')
    const before = await app.db.prisma.changeRequest.count()
    const value = JSON.parse(String(percent.value)) as Record<string, unknown>
    const bad = await click({ ...percent, value: JSON.stringify({ ...value, v: -250 }) })
    expect(bad.body.text).toContain('does not say which budget change')
    const mismatched = await click({ ...percent, action_id: 'budget_choice_delta' })
    expect(mismatched.body.text).toContain('does not say which budget change')
    const gone = await click({ ...percent, value: JSON.stringify({ ...value, o: 'no-such-campaign' }) })
    expect(gone.body.text).toContain('That campaign is no longer in Promoly')
    // A button of before ad set budgets (a campaign id in `c`) still names its campaign; both forms at once do not.
    const { l: _level, o: _id, ...legacy } = value
    const old = await click({ ...percent, value: JSON.stringify({ ...legacy, c: 'no-such-campaign' }) })
    expect(old.body.text).toContain('That campaign is no longer in Promoly')
    const both = await click({ ...percent, value: JSON.stringify({ ...value, c: 'no-such-campaign' }) })
    expect(both.body.text).toContain('does not say which budget change')
    expect(await app.db.prisma.changeRequest.count()).toBe(before)
  })

  it('keeps +20%, +$20 and 60 proposing at once', async () => {
    const before = (await budgetChanges()).length
    expect((await command(`budget ${usd.metaCampaignId} +20%`)).body.text).toContain('Proposed')
    expect((await command(`budget ${usd.metaCampaignId} +$20`)).body.text).toContain('Proposed')
    expect((await command(`budget ${usd.metaCampaignId} 60 USD`)).body.text).toContain('Proposed')
    const values = (await budgetChanges()).slice(before).map((c) => c.proposedValue)
    const current = Number(usd.dailyBudget)
    expect(values).toEqual([
      { dailyBudgetMinor: Math.round(current * 1.2) },
      { dailyBudgetMinor: current + 2000 },
      { dailyBudgetMinor: 6000 },
    ])
  })

  it('refuses $80 on a euro campaign with the reason, proposing nothing', async () => {
    const eur = await app.db.prisma.campaign.findFirstOrThrow({ where: { adAccount: { currency: 'EUR' }, dailyBudget: { not: null } } })
    const before = await app.db.prisma.changeRequest.count()
    const refused = await command(`budget ${eur.metaCampaignId} $80`)
    expect(JSON.stringify(refused.body)).toContain(
      "This campaign's budget is in EUR; `$80` is in USD. Write the amount in EUR, e.g. `€50` or `50 EUR`.",
    )
    expect(await app.db.prisma.changeRequest.count()).toBe(before)
  })

  it('reads a typed time zone whatever its case, and answers a near miss with the closest names, subscribing nothing', async () => {
    const missed = await command('digest subscribe <#C0DIGEST9|digests> 08:30 Europe/Berln', ADMIN)
    expect(JSON.stringify(missed.body)).toContain('`Europe/Berln` is not a time zone. Did you mean `Europe/Berlin`?')
    expect(await app.db.prisma.digestSubscription.count()).toBe(0)
    const ok = await command('digest subscribe <#C0DIGEST9|digests> 08:30 europe/berlin', ADMIN)
    expect(JSON.stringify(ok.body)).toContain('Subscribed')
    expect(await app.db.prisma.digestSubscription.findFirstOrThrow()).toMatchObject({ channelId: 'C0DIGEST9', timeZone: 'Europe/Berlin' })
  })
})
