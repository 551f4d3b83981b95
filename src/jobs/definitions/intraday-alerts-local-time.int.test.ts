/**
 * Intraday alerts in the account's own time, end to end (real PostgreSQL, the Meta simulator, fake Slack): an
 * America/New_York account on the day its clocks go back (1 November 2026, 25 hours long), with quiet hours 22–7 that
 * wrap past midnight. Its evening runs past UTC midnight, so a check that took UTC's day or hour would re-raise the
 * day's alerts (UTC's new day), close them early, or keep quiet at 21:35 (02:35 UTC, inside 22–7 in UTC).
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
const ALERTS = 'C0ALERTSNY'

describe.skipIf(!serverUrl)('intraday alerts in New York time, quiet hours across midnight, on a DST day', () => {
  let db: TestDatabase
  let sim: MetaSimulator
  let slack: FakeSlack
  let deps: DomainDeps
  let run: () => Promise<void>
  let adAccountId: string
  // 06:00 in New York (EST since 02:00 local): inside the quiet hours.
  let now = new Date('2026-11-01T11:00:00Z')
  const campaigns: Array<{ id: string; name: string }> = []

  /** A UTC instant (the comments give New York's wall clock). */
  const at = (iso: string) => {
    now = new Date(iso)
  }
  const fastSync = () => syncAdAccount(deps, { adAccountId, fast: true })
  const flagged = (name: string) =>
    slack.calls.filter(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.result?.ok === true &&
        /On pace for/.test(String(c.args.text) + JSON.stringify(c.args.blocks)) &&
        JSON.stringify(c.args).includes(name),
    )
  const overspendRows = () =>
    db.prisma.suggestion.findMany({ where: { adAccountId, kind: 'overspend_today' }, orderBy: { createdAt: 'asc' } })

  beforeAll(async () => {
    db = await createPostgresTestDatabase(serverUrl!)
    slack = await startFakeSlack()
    sim = await startMetaSimulator({
      now: () => now,
      accounts: [{ id: '7070', name: 'Overspend NY', currency: 'USD', timezoneName: 'America/New_York', campaigns: 10 }],
    })
    deps = testDomainDeps({ prisma: db.prisma, meta: simulatorMetaApi(sim, { sleep: async () => {}, maxWaitMs: 0 }), now: () => now })
    const set = await setUpIntradayAlertsAccount({
      deps,
      sim,
      slack,
      now: () => now,
      slackTeamId: 'TALERTSNY',
      metaAccountId: 'act_7070',
      channels: { alertsChannelId: ALERTS },
      settings: { monitoring: { quietFromHour: 22, quietUntilHour: 7 } },
    })
    ;({ adAccountId, run } = set)
    campaigns.push(...set.campaigns)
  })

  afterAll(async () => {
    await sim?.close()
    await slack?.close()
    await db?.drop()
  })

  it('raises an alert once per New York day, on into the evening after UTC midnight', async () => {
    const a = campaigns[0]!
    sim.adsManager.surge(a.id, 6)
    at('2026-11-01T18:05:00Z') // 13:05
    await fastSync()
    await Promise.all([run(), run()])
    expect(flagged(a.name)).toHaveLength(1)
    const [row] = await overspendRows()
    expect(row?.alertKey).toBe(`${row?.campaignId}|overspend_today|2026-11-01`)
    expect(JSON.stringify(flagged(a.name)[0]?.args.blocks)).toMatch(/by 13:0\d/)
    at('2026-11-02T01:05:00Z') // 20:05, still 1 November in New York
    await fastSync()
    await run()
    expect(flagged(a.name)).toHaveLength(1)
    expect(await overspendRows()).toHaveLength(1)
    // Still today's alert: open, its pause still waiting for approval.
    const open = await db.prisma.suggestion.findUniqueOrThrow({ where: { id: row!.id } })
    expect(open.status).toBe('OPEN')
    expect(await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: open.changeRequestId! } })).toMatchObject({ status: 'PROPOSED' })
  })

  it('alerts at 21:35 (02:35 UTC), keeps quiet from 22:00 past midnight to 07:00, and the new day starts afresh', async () => {
    const b = campaigns[1]!
    sim.adsManager.surge(b.id, 20)
    at('2026-11-02T02:35:00Z') // 21:35
    await fastSync()
    await run()
    expect(flagged(b.name)).toHaveLength(1)
    const c = campaigns[2]!
    sim.adsManager.surge(c.id, 20)
    at('2026-11-02T03:40:00Z') // 22:40: quiet
    await fastSync()
    await run()
    at('2026-11-02T04:50:00Z') // 23:50: quiet
    await fastSync()
    await run()
    expect(flagged(c.name)).toHaveLength(0)
    expect((await overspendRows()).map((r) => r.alertKey?.split('|')[2])).toEqual(['2026-11-01', '2026-11-01'])
    const proposed = await db.prisma.changeRequest.findMany({ where: { adAccountId, status: 'PROPOSED' } })
    expect(proposed).toHaveLength(2)
    at('2026-11-02T11:40:00Z') // 06:40 on 2 November: quiet, but a new day
    await run()
    // 1 November is over in New York: its alerts are closed and their pauses expired, the cards without Approve.
    for (const r of await overspendRows()) expect(r.status).toBe('RESOLVED')
    for (const p of proposed) {
      expect(await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: p.id } })).toMatchObject({ status: 'EXPIRED' })
      const redraw = slack.calls.filter((u) => u.method === 'chat.update' && u.args.ts === p.cardMessageTs).at(-1)
      expect(JSON.stringify(redraw?.args.blocks ?? 'not redrawn')).not.toMatch(/Approve|not redrawn/)
    }
    expect(flagged(c.name)).toHaveLength(0)
  })
})
