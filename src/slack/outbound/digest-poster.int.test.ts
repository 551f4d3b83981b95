/**
 * Digests planted before digests had a role check (issue 10, finding 2; review "other defects" 1): before each
 * post the creator must still be a Promoly approver or admin on record. Otherwise the subscription pauses with
 * the reason, the pause is audited, and neither the channel nor the creator gets any figure. The admins are told
 * once per pause; an approver or admin subscribing the channel again revives it as its creator (review 2, N4).
 */
import { WebClient } from '@slack/web-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAdAccount, createWorkspace } from '../../../test/support/factories.ts'
import { type FakeSlack, startFakeSlack } from '../../../test/support/fake-slack.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../../../test/support/test-database.ts'
import { subscribeDigest } from '../../domain/digests/subscriptions.ts'
import type { MemberRole } from '../../generated/prisma/client.ts'
import { silentLogger } from '../../lib/logger.ts'
import { createDigestPoster } from './digest-poster.ts'

const pgUrl = requirePostgresUrl()

describe.skipIf(!pgUrl)('posting a digest re-checks its creator', () => {
  let db: TestDatabase
  let slack: FakeSlack

  beforeAll(async () => {
    db = await createPostgresTestDatabase(pgUrl!)
    slack = await startFakeSlack()
  })
  afterAll(async () => {
    await slack?.close()
    await db?.drop()
  })

  it('pauses (and audits) digests whose creator is not an approver or admin on record, and posts the others', async () => {
    const ws = await createWorkspace(db.prisma)
    await createAdAccount(db.prisma, { workspaceId: ws.id, name: 'Secret Spend Account' })
    const member = async (slackUserId: string, role: MemberRole) =>
      db.prisma.member.create({ data: { workspaceId: ws.id, slackUserId, role } })
    await member('UPLAIN', 'MEMBER')
    await member('UAPPROVER', 'APPROVER')
    await member('UADMIN', 'ADMIN')
    const creators = { CPLAIN: 'UPLAIN', CNOROW: 'UNOROW', CNOBODY: null, CAPPROVER: 'UAPPROVER', CADMIN: 'UADMIN' }
    const runs: Record<string, string> = {}
    for (const [channelId, createdBySlackUserId] of Object.entries(creators)) {
      const sub = await db.prisma.digestSubscription.create({
        data: { workspaceId: ws.id, channelId, localTime: '09:00', timeZone: 'UTC', createdBySlackUserId },
      })
      runs[channelId] = (await db.prisma.digestRun.create({ data: { subscriptionId: sub.id, localDate: new Date('2026-12-04') } })).id
    }
    const client = new WebClient('xoxb-test', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } })
    const poster = createDigestPoster({
      prisma: db.prisma,
      slack: { forTeam: async () => client },
      logger: silentLogger(),
      now: () => new Date('2026-12-04T09:00:00Z'),
    })
    for (const runId of Object.values(runs)) await poster.postRun(runId)

    const posted = slack.calls.filter((c) => c.method === 'chat.postMessage' && String(c.args.channel).startsWith('C'))
    expect(posted.map((c) => c.args.channel).sort()).toEqual(['CADMIN', 'CAPPROVER'])
    // The admin hears of each pause by DM (no figures in it).
    const toAdmin = slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === 'UADMIN')
    expect(toAdmin.map((c) => String(c.args.text).match(/<#(C\w+)>/)?.[1]).sort()).toEqual(['CNOBODY', 'CNOROW', 'CPLAIN'])
    expect(JSON.stringify(toAdmin)).not.toContain('Secret Spend Account')
    expect(JSON.stringify(posted)).toContain('Secret Spend Account')
    for (const channelId of ['CPLAIN', 'CNOROW', 'CNOBODY']) {
      const sub = await db.prisma.digestSubscription.findFirstOrThrow({ where: { workspaceId: ws.id, channelId } })
      expect(sub).toMatchObject({ status: 'PAUSED', pausedReason: expect.stringMatching(/approver or admin/) })
      expect(await db.prisma.digestRun.findUniqueOrThrow({ where: { id: runs[channelId]! } })).toMatchObject({ status: 'FAILED' })
      const audit = await db.prisma.auditEvent.findMany({ where: { workspaceId: ws.id, action: 'digest.paused', targetId: sub.id } })
      expect(audit).toHaveLength(1)
    }
    // A paused digest's run is not retried, and nothing was sent to the plain member either.
    await poster.postRun(runs.CPLAIN!)
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(2 + 3)
    expect(slack.calls.some((c) => c.method === 'chat.postMessage' && c.args.channel === 'UPLAIN')).toBe(false)
  })

  const posterFor = (now: () => Date) =>
    createDigestPoster({
      prisma: db.prisma,
      slack: { forTeam: async () => new WebClient('xoxb-test', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } }) },
      logger: silentLogger(),
      now,
    })
  const dms = (to: string[]) => slack.calls.filter((c) => c.method === 'chat.postMessage' && to.includes(String(c.args.channel)))

  it('tells the admins (at most 5, the installer first) once per pause, with the channel and how to revive it (#10 review 2, N4)', async () => {
    const ws = await createWorkspace(db.prisma)
    await createAdAccount(db.prisma, { workspaceId: ws.id, name: 'Shop' })
    await db.prisma.slackInstallation.create({
      data: {
        installationKey: `T:${ws.slackTeamId}`,
        workspaceId: ws.id,
        teamId: ws.slackTeamId,
        installerUserId: 'UINSTALLER',
        installationEnc: 'x',
      },
    })
    const admins = ['UADM1', 'UADM2', 'UADM3', 'UADM4', 'UADM5', 'UADM6']
    for (const slackUserId of admins) await db.prisma.member.create({ data: { workspaceId: ws.id, slackUserId, role: 'ADMIN' } })
    await db.prisma.member.create({ data: { workspaceId: ws.id, slackUserId: 'UPLAIN2', role: 'MEMBER' } })
    const sub = await db.prisma.digestSubscription.create({
      data: { workspaceId: ws.id, channelId: 'CPLANTED', localTime: '09:00', timeZone: 'UTC', createdBySlackUserId: 'UPLAIN2' },
    })
    const poster = posterFor(() => new Date('2026-12-04T09:00:00Z'))
    const everyone = ['UINSTALLER', ...admins, 'UPLAIN2']
    const before = dms(everyone).length
    const run1 = await db.prisma.digestRun.create({ data: { subscriptionId: sub.id, localDate: new Date('2026-12-04') } })
    await poster.postRun(run1.id)
    const told = dms(everyone).slice(before)
    expect(told.map((c) => c.args.channel)).toEqual(['UINSTALLER', 'UADM1', 'UADM2', 'UADM3', 'UADM4'])
    for (const dm of told) {
      expect(dm.args.text).toContain('<#CPLANTED>')
      expect(dm.args.text).toContain('set up by <@UPLAIN2>')
      expect(dm.args.text).toMatch(/not a Promoly approver or admin/)
      expect(dm.args.text).toMatch(/can revive it with `\/promoly digest subscribe` there/)
      expect(dm.args.text).not.toContain('Shop') // no figures, no account names
    }
    // The installer is an admin until a row says otherwise: their digest, set up before they had a row, posts.
    const theirs = await db.prisma.digestSubscription.create({
      data: { workspaceId: ws.id, channelId: 'CINSTALLER', localTime: '09:00', timeZone: 'UTC', createdBySlackUserId: 'UINSTALLER' },
    })
    const theirRun = await db.prisma.digestRun.create({ data: { subscriptionId: theirs.id, localDate: new Date('2026-12-04') } })
    await poster.postRun(theirRun.id)
    expect(await db.prisma.digestRun.findUniqueOrThrow({ where: { id: theirRun.id } })).toMatchObject({ status: 'SENT' })
    // Once per pause: another run of the paused digest tells nobody again.
    const run2 = await db.prisma.digestRun.create({ data: { subscriptionId: sub.id, localDate: new Date('2026-12-05') } })
    await poster.postRun(run2.id)
    expect(dms(everyone).length).toBe(before + 5)
  })

  it('an admin subscribing the channel again revives a digest paused for its creator: they become its creator, it posts (#10 review 2, N4)', async () => {
    const ws = await createWorkspace(db.prisma)
    await createAdAccount(db.prisma, { workspaceId: ws.id, name: 'Shop' })
    await db.prisma.member.create({ data: { workspaceId: ws.id, slackUserId: 'UPLAIN3', role: 'MEMBER' } })
    const admin = await db.prisma.member.create({ data: { workspaceId: ws.id, slackUserId: 'UADMIN3', role: 'ADMIN' } })
    const sub = await db.prisma.digestSubscription.create({
      data: { workspaceId: ws.id, channelId: 'CREVIVE', localTime: '09:00', timeZone: 'UTC', createdBySlackUserId: 'UPLAIN3' },
    })
    const poster = posterFor(() => new Date('2026-12-04T09:00:00Z'))
    const run1 = await db.prisma.digestRun.create({ data: { subscriptionId: sub.id, localDate: new Date('2026-12-04') } })
    await poster.postRun(run1.id)
    expect(await db.prisma.digestSubscription.findUniqueOrThrow({ where: { id: sub.id } })).toMatchObject({ status: 'PAUSED' })

    const revived = await subscribeDigest(db.prisma, {
      workspaceId: ws.id,
      channelId: 'CREVIVE',
      localTime: '09:00',
      timeZone: 'UTC',
      by: { member: admin, channelMembership: async () => 'member' },
    })
    expect(revived).toMatchObject({
      outcome: 'resumed',
      subscription: { id: sub.id, status: 'ACTIVE', createdBySlackUserId: 'UADMIN3', pausedReason: null },
    })
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { targetId: sub.id, action: 'digest.resumed' } })
    expect(audit).toMatchObject({
      actorId: 'UADMIN3',
      data: { before: { status: 'PAUSED', createdBySlackUserId: 'UPLAIN3' }, after: { status: 'ACTIVE', createdBySlackUserId: 'UADMIN3' } },
    })

    const run2 = await db.prisma.digestRun.create({ data: { subscriptionId: sub.id, localDate: new Date('2026-12-05') } })
    await poster.postRun(run2.id)
    expect(await db.prisma.digestSubscription.findUniqueOrThrow({ where: { id: sub.id } })).toMatchObject({ status: 'ACTIVE' })
    expect(await db.prisma.digestRun.findUniqueOrThrow({ where: { id: run2.id } })).toMatchObject({ status: 'SENT' })
    expect(slack.calls.some((c) => c.method === 'chat.postMessage' && c.args.channel === 'CREVIVE')).toBe(true)
  })
})
