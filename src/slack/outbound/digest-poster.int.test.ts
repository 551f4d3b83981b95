/**
 * Digests planted before digests had a role check (issue 10, finding 2; review "other defects" 1): before each
 * post the creator must still be a Promoly approver or admin on record. Otherwise the subscription pauses with
 * the reason, the pause is audited, and neither the channel nor the creator gets any figure.
 */
import { WebClient } from '@slack/web-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAdAccount, createWorkspace } from '../../../test/support/factories.ts'
import { type FakeSlack, startFakeSlack } from '../../../test/support/fake-slack.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../../../test/support/test-database.ts'
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

    const posted = slack.calls.filter((c) => c.method === 'chat.postMessage')
    expect(posted.map((c) => c.args.channel).sort()).toEqual(['CADMIN', 'CAPPROVER'])
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
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(2)
    expect(slack.calls.some((c) => JSON.stringify(c.args).includes('UPLAIN'))).toBe(false)
  })
})
