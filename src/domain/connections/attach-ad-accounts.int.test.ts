/**
 * Review of issue 10, finding 5 residual: choosing which ad accounts a Meta connection follows is for
 * Promoly admins, checked in the domain (not only in the connect form's listener): a member, an approver or
 * someone Promoly has not met is refused before Meta is asked or anything is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { simulatorMetaApi, testDomainDeps } from '../../../test/support/domain-deps.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../../../test/support/test-database.ts'
import { type MetaSimulator, startMetaSimulator } from '../../integrations/meta-sim/index.ts'
import { isAppError } from '../../lib/errors.ts'
import type { DomainDeps } from '../deps.ts'
import { attachAdAccounts } from './attach-ad-accounts.ts'
import { saveMetaConnection } from './save-meta-connection.ts'

const serverUrl = requirePostgresUrl()

describe.skipIf(!serverUrl)('attachAdAccounts: admins only', () => {
  let sim: MetaSimulator
  let db: TestDatabase
  let deps: DomainDeps
  let workspaceId: string
  let connectionId: string

  beforeAll(async () => {
    sim = await startMetaSimulator({ accounts: [{ id: '111', name: 'Acme', currency: 'USD', timezoneName: 'UTC', campaigns: 1 }] })
    db = await createPostgresTestDatabase(serverUrl!)
    deps = testDomainDeps({ prisma: db.prisma, meta: simulatorMetaApi(sim, { sleep: async () => {} }) })
    workspaceId = (await db.prisma.workspace.create({ data: { slackTeamId: 'TATTACH' } })).id
    await db.prisma.member.createMany({
      data: [
        { workspaceId, slackUserId: 'UADMIN001', role: 'ADMIN' },
        { workspaceId, slackUserId: 'UAPPROVE1', role: 'APPROVER' },
        { workspaceId, slackUserId: 'UMEMBER01', role: 'MEMBER' },
      ],
    })
    connectionId = (await saveMetaConnection(deps, { workspaceId, token: sim.accessToken, label: 'sim' })).id
  })

  afterAll(async () => {
    await db?.drop()
    await sim?.close()
  })

  it('refuses a member, an approver and a stranger with FORBIDDEN, asking Meta nothing and writing nothing', async () => {
    sim.resetStats()
    for (const slackUserId of ['UMEMBER01', 'UAPPROVE1', 'UNOBODY01']) {
      const err = await attachAdAccounts(deps, { workspaceId, connectionId, metaAccountIds: ['act_111'], actor: { slackUserId } }).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(isAppError(err) && err.code, slackUserId).toBe('FORBIDDEN')
      expect(isAppError(err) && err.userMessage).toContain('Only Promoly admins')
    }
    expect(sim.stats().requests).toBe(0)
    expect(await db.prisma.adAccount.count({ where: { workspaceId } })).toBe(0)
    expect(await db.prisma.auditEvent.count({ where: { workspaceId, action: 'ad_accounts.attached' } })).toBe(0)
  })

  it('attaches for an admin, and for Promoly itself (the deployment’s default connection)', async () => {
    const attached = await attachAdAccounts(deps, {
      workspaceId,
      connectionId,
      metaAccountIds: ['act_111'],
      actor: { slackUserId: 'UADMIN001' },
    })
    expect(attached.map((a) => a.metaAccountId)).toEqual(['act_111'])
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { workspaceId, action: 'ad_accounts.attached' } })
    expect(audit).toMatchObject({ actorType: 'user', actorId: 'UADMIN001' })
    await attachAdAccounts(deps, { workspaceId, connectionId, metaAccountIds: ['act_111'], actor: 'system' })
    expect(await db.prisma.auditEvent.count({ where: { workspaceId, action: 'ad_accounts.attached', actorType: 'system' } })).toBe(1)
  })
})
