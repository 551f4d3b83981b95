/** When digests are due (DST days in two zones, catch-up after downtime) and that each is claimed once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../../../test/support/test-database.ts'
import { type Database, openDatabase } from '../../db/database.ts'
import { claimDigest, dueDigests, localClock } from './due-digests.ts'

const serverUrl = requirePostgresUrl()

describe.skipIf(!serverUrl)('due digests', () => {
  let db: TestDatabase
  let berlin: string
  let newYork: string

  beforeAll(async () => {
    db = await createPostgresTestDatabase(serverUrl!)
    const ws = await db.prisma.workspace.create({ data: { slackTeamId: 'TDIG' } })
    berlin = (
      await db.prisma.digestSubscription.create({
        data: { workspaceId: ws.id, channelId: 'C1', localTime: '09:00', timeZone: 'Europe/Berlin', createdAt: new Date('2026-01-01') },
      })
    ).id
    newYork = (
      await db.prisma.digestSubscription.create({
        data: { workspaceId: ws.id, channelId: 'C2', localTime: '09:00', timeZone: 'America/New_York', createdAt: new Date('2026-01-01') },
      })
    ).id
  })

  afterAll(async () => {
    await db?.drop()
  })

  const dueIds = async (iso: string) =>
    (await dueDigests(db.prisma, new Date(iso))).map((d) => `${d.subscription.id === berlin ? 'berlin' : 'newYork'}@${d.localDate}`)

  it('fires at 09:00 local on the days the clocks change, in both zones', async () => {
    // Berlin leaves summer time on 2026-10-25 (09:00 CET = 08:00 UTC; the day before, 09:00 CEST = 07:00 UTC).
    expect(localClock(new Date('2026-10-24T07:00:00Z'), 'Europe/Berlin')).toBe('09:00')
    expect(await dueIds('2026-10-25T07:59:00Z')).not.toContain('berlin@2026-10-25')
    expect(await dueIds('2026-10-25T08:00:00Z')).toContain('berlin@2026-10-25')
    // New York leaves daylight time on 2026-11-01 (09:00 EST = 14:00 UTC).
    expect(await dueIds('2026-11-01T13:59:00Z')).not.toContain('newYork@2026-11-01')
    expect(await dueIds('2026-11-01T14:00:00Z')).toContain('newYork@2026-11-01')
    // Spring: Berlin 2026-03-29 09:00 CEST = 07:00 UTC; New York 2026-03-08 09:00 EDT = 13:00 UTC.
    expect(await dueIds('2026-03-29T06:59:00Z')).not.toContain('berlin@2026-03-29')
    expect(await dueIds('2026-03-29T07:00:00Z')).toContain('berlin@2026-03-29')
    expect(await dueIds('2026-03-08T12:59:00Z')).not.toContain('newYork@2026-03-08')
    expect(await dueIds('2026-03-08T13:00:00Z')).toContain('newYork@2026-03-08')
  })

  it('catches up a digest missed while down, the same local day only', async () => {
    // Down from 08:00 to 15:00 Berlin time: at 15:00 the 09:00 digest is still due.
    expect(await dueIds('2026-12-02T14:00:00Z')).toContain('berlin@2026-12-02')
    // The next morning before 09:00, yesterday's missed digest is not sent any more.
    expect((await dueIds('2026-12-03T07:30:00Z')).filter((d) => d.startsWith('berlin'))).toEqual([])
  })

  it('lets exactly one of three workers claim a digest, and none once it is sent', async () => {
    const workers: Database[] = await Promise.all([1, 2, 3].map(() => openDatabase({ databaseUrl: db.url!, migrate: false })))
    try {
      const claims = await Promise.all(workers.flatMap((w) => [1, 2, 3, 4].map(() => claimDigest(w.prisma, berlin, '2026-12-05'))))
      expect(claims.filter(Boolean)).toHaveLength(1)
      await db.prisma.digestRun.updateMany({ where: { subscriptionId: berlin }, data: { status: 'SENT' } })
      expect(await dueIds('2026-12-05T10:00:00Z')).not.toContain('berlin@2026-12-05')
      // A failed run is retried, by one worker, up to the attempt limit.
      await db.prisma.digestRun.create({ data: { subscriptionId: newYork, localDate: new Date('2026-12-05'), status: 'FAILED' } })
      expect(await dueIds('2026-12-05T15:00:00Z')).toContain('newYork@2026-12-05')
      const retries = await Promise.all(workers.map((w) => claimDigest(w.prisma, newYork, '2026-12-05')))
      expect(retries.filter(Boolean)).toHaveLength(1)
    } finally {
      for (const w of workers) await w.close()
    }
  })

  it("does not send a first digest right away when subscribed after today's time", async () => {
    const ws = await db.prisma.workspace.findFirstOrThrow()
    const late = await db.prisma.digestSubscription.create({
      data: { workspaceId: ws.id, channelId: 'C3', localTime: '09:00', timeZone: 'UTC', createdAt: new Date('2026-12-10T15:00:00Z') },
    })
    const ids = async (iso: string) =>
      (await dueDigests(db.prisma, new Date(iso))).filter((d) => d.subscription.id === late.id).map((d) => d.localDate)
    expect(await ids('2026-12-10T15:01:00Z')).toEqual([])
    expect(await ids('2026-12-11T09:00:00Z')).toEqual(['2026-12-11'])
  })
})
