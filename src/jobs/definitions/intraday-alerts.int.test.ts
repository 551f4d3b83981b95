/**
 * Intraday alerts end to end (issue 14, item 5) on real PostgreSQL, the Meta simulator and fake Slack: a campaign made
 * to overspend in the morning is flagged in the afternoon from today's partial numbers, ONCE however many fast syncs
 * and checks follow (two of them at the same time included), in the client's alerts channel with the numbers and a
 * pause to approve; without an alerts channel in its suggestions channel; nothing during quiet hours, then the first
 * check after them raises it. No other campaign of the account is flagged (they spend at most 120 % of budget). A post
 * Slack refuses is not lost: the job fails, and its retry posts the alert, once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { simulatorMetaApi, testDomainDeps } from '../../../test/support/domain-deps.ts'
import { type FakeSlack, startFakeSlack } from '../../../test/support/fake-slack.ts'
import { setUpIntradayAlertsAccount } from '../../../test/support/intraday-alerts-account.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../../../test/support/test-database.ts'
import type { DomainDeps } from '../../domain/deps.ts'
import { syncAdAccount } from '../../domain/sync/sync-ad-account.ts'
import { type MetaSimulator, startMetaSimulator } from '../../integrations/meta-sim/index.ts'

const serverUrl = requirePostgresUrl()
const ALERTS = 'C0ALERTS1'
const SUGGESTIONS = 'C0SUGGEST'

describe.skipIf(!serverUrl)('intraday alerts, posted once', () => {
  let db: TestDatabase
  let sim: MetaSimulator
  let slack: FakeSlack
  let deps: DomainDeps
  let run: () => Promise<void>
  let adAccountId: string
  let workspaceId: string
  let clientId: string
  let now = new Date('2026-11-25T08:00:00Z')
  const campaigns: Array<{ id: string; name: string }> = []

  const at = (hhmm: string, day = '2026-11-25') => {
    now = new Date(`${day}T${hhmm}:00Z`)
  }
  const fastSync = () => syncAdAccount(deps, { adAccountId, fast: true })
  // What Slack accepted (a refused post is not in the channel).
  const posts = () =>
    slack.calls
      .filter((c) => c.method === 'chat.postMessage' && c.result?.ok === true)
      .map((c) => ({ channel: String(c.args.channel), text: String(c.args.text), blocks: JSON.stringify(c.args.blocks) }))
  const overspendPosts = () => posts().filter((p) => /On pace for/.test(p.text + p.blocks))

  beforeAll(async () => {
    db = await createPostgresTestDatabase(serverUrl!)
    slack = await startFakeSlack()
    sim = await startMetaSimulator({
      now: () => now,
      accounts: [{ id: '7070', name: 'Overspend Co', currency: 'USD', timezoneName: 'UTC', campaigns: 10 }],
    })
    deps = testDomainDeps({ prisma: db.prisma, meta: simulatorMetaApi(sim, { sleep: async () => {}, maxWaitMs: 0 }), now: () => now })
    const set = await setUpIntradayAlertsAccount({
      deps,
      sim,
      slack,
      now: () => now,
      slackTeamId: 'TALERTS',
      metaAccountId: 'act_7070',
      channels: { alertsChannelId: ALERTS, suggestionsChannelId: SUGGESTIONS },
    })
    ;({ workspaceId, clientId, adAccountId, run } = set)
    campaigns.push(...set.campaigns)
  })

  afterAll(async () => {
    await sim?.close()
    await slack?.close()
    await db?.drop()
  })

  it("flags the overspending campaign once, in the client's alerts channel, with the numbers and a pause to approve", async () => {
    const [a] = campaigns
    sim.adsManager.surge(a!.id, 6)
    at('13:05')
    await fastSync()
    // Two workers check at once: one inserts the alert's row and posts it, the other skips it.
    await Promise.all([run(), run()])
    at('14:05')
    await fastSync()
    await run()
    const flagged = overspendPosts()
    expect(flagged).toHaveLength(1)
    expect(flagged[0]?.channel).toBe(ALERTS)
    expect(flagged[0]?.text + flagged[0]!.blocks).toContain(a!.name)
    expect(flagged[0]!.blocks).toMatch(
      /On pace for \$[\d,.]+ today against its \$[\d,.]+ daily budget \(Meta may spend up to 75 % over a daily budget on one day\)/,
    )
    expect(flagged[0]!.blocks).toMatch(/Spent so far today: \$[\d,.]+ by 13:0\d/)
    expect(flagged[0]!.blocks).toMatch(/Approve/)
    const rows = await db.prisma.suggestion.findMany({ where: { adAccountId, kind: 'overspend_today' } })
    expect(rows).toHaveLength(1)
    expect(rows[0]?.alertKey).toBe(`${rows[0]?.campaignId}|overspend_today|2026-11-25`)
    const change = await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: rows[0]!.changeRequestId! } })
    expect(change).toMatchObject({ type: 'PAUSE', status: 'PROPOSED' })
    // The learned pattern is stored, from the account's own hours.
    const stored = await db.prisma.adAccount.findUniqueOrThrow({ where: { id: adAccountId } })
    expect((stored.hourlyPattern as { days: number }).days).toBeGreaterThanOrEqual(10)
  })

  it('without an alerts channel, the alert goes to the suggestions channel', async () => {
    await db.prisma.client.update({ where: { id: clientId }, data: { alertsChannelId: null } })
    const b = campaigns[1]!
    // Some campaigns under-deliver today (the simulator's slow days): a strong surge makes any of them overspend.
    sim.adsManager.surge(b.id, 20)
    at('17:05')
    await fastSync()
    await run()
    const flagged = overspendPosts().filter((p) => (p.text + p.blocks).includes(b.name))
    expect(flagged.map((p) => p.channel)).toEqual([SUGGESTIONS])
  })

  it('nothing during quiet hours; the first check after them raises what still holds', async () => {
    await db.prisma.workspace.update({
      where: { id: workspaceId },
      data: { settings: { monitoring: { quietFromHour: 18, quietUntilHour: 20 } } },
    })
    const c = campaigns[2]!
    sim.adsManager.surge(c.id, 20)
    at('18:30')
    await fastSync()
    const before = posts().length
    await run()
    expect(posts()).toHaveLength(before)
    expect(await db.prisma.suggestion.count({ where: { adAccountId, kind: 'overspend_today' } })).toBe(2)
    at('20:10')
    await fastSync()
    await run()
    expect(overspendPosts().filter((p) => (p.text + p.blocks).includes(c.name))).toHaveLength(1)
    // Only the three campaigns made to overspend were ever flagged.
    const flagged = await db.prisma.suggestion.findMany({ where: { adAccountId, kind: 'overspend_today' } })
    expect(flagged).toHaveLength(3)
  })

  it("the next day, yesterday's pause proposals expire and their cards lose the Approve button at once", async () => {
    const proposed = await db.prisma.changeRequest.findMany({ where: { adAccountId, status: 'PROPOSED', suggestionId: { not: null } } })
    expect(proposed).toHaveLength(3)
    at('08:00', '2026-11-26')
    await run()
    for (const c of proposed) {
      expect(await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ status: 'EXPIRED' })
      const redraw = slack.calls.filter((u) => u.method === 'chat.update' && u.args.ts === c.cardMessageTs).at(-1)
      expect(redraw, `card of ${c.id} redrawn`).toBeDefined()
      expect(JSON.stringify(redraw?.args.blocks)).not.toMatch(/Approve/)
    }
  })

  it('a post Slack refuses is not lost: the job fails, its retry posts the alert once, later checks never again', async () => {
    const [a] = campaigns
    sim.adsManager.surge(a!.id, 6)
    at('13:05', '2026-11-26')
    await fastSync()
    const flaggedToday = () =>
      overspendPosts()
        .filter((p) => (p.text + p.blocks).includes(a!.name))
        .slice(1)
    slack.on('chat.postMessage', () => ({ ok: false, error: 'fatal_error' }))
    await expect(run()).rejects.toThrow(/could not be posted/)
    slack.off('chat.postMessage')
    expect(flaggedToday()).toHaveLength(0)
    const campaign = await db.prisma.campaign.findFirstOrThrow({ where: { adAccountId, metaCampaignId: a!.id } })
    const row = await db.prisma.suggestion.findUniqueOrThrow({ where: { alertKey: `${campaign.id}|overspend_today|2026-11-26` } })
    // Given back for the retry: neither posted nor claimed.
    expect(row).toMatchObject({ postedChannelId: null, postedTs: null })
    await run()
    expect(flaggedToday()).toHaveLength(1)
    at('14:05', '2026-11-26')
    await fastSync()
    await Promise.all([run(), run()])
    expect(flaggedToday()).toHaveLength(1)
    const posted = await db.prisma.suggestion.findUniqueOrThrow({ where: { id: row.id } })
    const change = await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: posted.changeRequestId! } })
    // The alert is recorded where its card went, and its one pause proposal is that card.
    expect(posted.postedChannelId).toBe(SUGGESTIONS)
    expect(posted.postedTs).toBe(change.cardMessageTs)
    expect(await db.prisma.changeRequest.count({ where: { suggestionId: row.id } })).toBe(1)
  })
})
