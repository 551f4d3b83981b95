/**
 * The first start of a new install, as the playground makes it: a fresh database, the Meta simulator, a Slack
 * workspace with an admin and nobody having typed anything. Its findings reach the admin without `/promoly sync`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type PromolyOnFakeSlack, startPromolyOnFakeSlack } from '../test/support/start-promoly.ts'
import { optimizeAdAccount } from './domain/suggestions/optimize-ad-account.ts'

const ADMIN = 'UADMIN01'

describe('the first start', () => {
  let app: PromolyOnFakeSlack
  beforeAll(async () => {
    app = await startPromolyOnFakeSlack({ slackUsers: { [ADMIN]: { is_admin: true } } })
  }, 180_000)
  afterAll(async () => {
    await app?.stop()
  })

  it('runs the optimizer once the backfill has landed and DMs the findings to the admin, without a sync', async () => {
    const { prisma } = app.db
    // The backfill (the month before the first 28 days) has landed for every account.
    for (const a of await prisma.adAccount.findMany()) {
      const oldest = await prisma.campaignDailyMetric.aggregate({ where: { adAccountId: a.id }, _min: { date: true } })
      const today = new Date(`${new Intl.DateTimeFormat('en-CA', { timeZone: a.timezoneName }).format(new Date())}T00:00:00Z`)
      expect((today.getTime() - (oldest._min.date?.getTime() ?? today.getTime())) / 86_400_000, a.name).toBeGreaterThanOrEqual(60)
    }
    const suggestions = await prisma.suggestion.findMany({ where: { status: 'OPEN' } })
    // The simulator's fatiguing creatives are found per ad: their slopes are judged against the noise of the 28 days
    // before the last 14, which only the backfill brings. (Its costs drift with fatigue but never spike: the cost scan
    // rightly stays quiet here; detection.test.ts and the bench cover spikes.)
    expect(suggestions.map((s) => s.kind)).toContain('creative_fatigue')
    // Only campaigns that can still be changed are judged.
    const judged = await prisma.campaign.findMany({ where: { id: { in: suggestions.map((s) => s.campaignId) } } })
    expect(judged).toHaveLength(new Set(suggestions.map((s) => s.campaignId)).size)
    for (const c of judged) expect(c.status, c.name).toBe('ACTIVE')
    // Every finding was posted: no suggestions channel yet, so to the Slack admin by DM.
    for (const s of suggestions) expect(s.postedChannelId, s.kind).toBe(ADMIN)
    const dms = app.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === ADMIN)
    expect(dms.length).toBeGreaterThanOrEqual(suggestions.length)
    // Nothing was left for a later sync: the optimizer over the stored numbers finds nothing new.
    for (const a of await prisma.adAccount.findMany()) {
      const again = await optimizeAdAccount(app.promoly.domain, { adAccountId: a.id })
      expect(again.created, a.name).toEqual([])
    }
  }, 120_000)
})
